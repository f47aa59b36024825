/**
 * What the MPC and DBSS clients share: the `credentials` option (AK/SK, IAM password login, or a
 * ready token source), the endpoint choice (region table or `baseUrl`), the project id check and
 * the pipeline. A body cut off mid-way, or a 200 that is not JSON, is retried by core's pipeline
 * on these idempotent GETs, with a fresh signature for each attempt.
 */
import { type HuaweiCredentials, huaweiAkSk } from "@bucketry/auth/signers";
import { checkTokenSource, type TokenCredentials, tokenAuth } from "@bucketry/auth/tokens";
import {
  type AttemptStep,
  type CallOptions,
  type ClientOptions,
  CredentialsError,
  checkParam,
  createPipeline,
  credentialsType,
  type ErrorFormat,
  type FetchLike,
  InvalidInputError,
  type ParamRule,
  type Pipeline,
  parseEndpoint,
  readBody,
  redactUrl,
  resolveOptions,
  type SecretRegistry,
  UnexpectedShape,
} from "@bucketry/core/internal";
import { huaweiCredentials, huaweiIamToken } from "./credentials.js";
import { HUAWEI_ERRORS } from "./errors.js";
import { USER_AGENT } from "./version.js";

export type { CallOptions };

/** AK/SK given inline: signed with Huawei's `SDK-HMAC-SHA256`; temporary keys add `securityToken`. */
export interface HuaweiAkSkInline {
  type: "aksk";
  /** The access key id (AK). */
  accessKey: string;
  /** The secret access key (SK); never printed. */
  secretKey: string;
  /** The security token of temporary AK/SK (sent and signed as `X-Security-Token`). */
  securityToken?: string | undefined;
  from?: never;
}

/** AK/SK from `huaweiCredentials(...)` / `huaweiCredentialsFromEnv()`, or a function called per attempt. */
export interface HuaweiAkSkFrom {
  type: "aksk";
  /** Ready credentials; a function is called for every attempt, so rotated temporary keys are picked up. */
  from: HuaweiCredentials | (() => Promise<HuaweiCredentials>);
  accessKey?: never;
  secretKey?: never;
  securityToken?: never;
}

/** An IAM password login: a project-scoped token from `POST /v3/auth/tokens`, sent as `X-Auth-Token`. */
export interface HuaweiPasswordLogin {
  type: "password";
  /** The account name (the IAM user's domain). */
  accountName: string;
  /** The IAM user name. */
  userName: string;
  /** The IAM user's password; never printed. */
  password: string;
  /** The IAM endpoint; `https://iam.{region}.myhuaweicloud.com` by default (required when there is no `region`). */
  iamEndpoint?: string | undefined;
}

/** Any ready token source (e.g. `staticToken(...)` or `huaweiIamToken(...)`), sent as `X-Auth-Token`. */
export type HuaweiTokenCredentials = TokenCredentials;

const CREDENTIAL_FORMS = {
  aksk: '{ type: "aksk", accessKey, secretKey } or { type: "aksk", from: huaweiCredentialsFromEnv() }',
  password: '{ type: "password", accountName, userName, password }',
  token: '{ type: "token", source }',
};

/** How a Huawei client authenticates: AK/SK signing, an IAM password login, or a token source. */
export type HuaweiClientCredentials =
  | HuaweiAkSkInline
  | HuaweiAkSkFrom
  | HuaweiPasswordLogin
  | HuaweiTokenCredentials;

/** Options every Huawei client takes. */
export interface HuaweiClientOptions extends ClientOptions {
  /** The region id; picks the endpoint (and the IAM endpoint of a password login). */
  region?: string | undefined;
  /** The endpoint, instead of the region's (any http(s) URL, e.g. a proxy or a test fake). */
  baseUrl?: string | undefined;
  /** The project id in the path (and `X-Project-Id`); defaults to the AK/SK credentials' `projectId`. */
  projectId?: string | undefined;
  /** How to authenticate. */
  credentials: HuaweiClientCredentials;
}

/** What differs between the Huawei services. */
export interface HuaweiService {
  /** e.g. `huaweicloud-mpc`. */
  provider: string;
  /** The factory, named in errors about the options object, e.g. `createMpcClient`. */
  factory: string;
  /** The one operation's `operationId`, named in errors. */
  operation: string;
  /** The region → endpoint table. */
  endpoints: Readonly<Record<string, string>>;
  /** The spec's rule for the `project_id` path parameter (src/generated/<service>-rules.ts). */
  projectId: ParamRule;
}

/** A validated client configuration, ready for `createClient`. */
export interface HuaweiSetup {
  baseUrl: string;
  projectId: string;
  /** Registered with every credential and token the client handles. */
  secrets: SecretRegistry;
  /** The pipeline to give `createClient` as its `fetch`. */
  fetch: Pipeline;
  service: HuaweiService;
}

/** Checks every option and builds the auth, or throws `InvalidInputError`/`CredentialsError`; sends nothing. */
export function prepareHuaweiClient(given: HuaweiClientOptions, service: HuaweiService): HuaweiSetup {
  const { options, client } = resolveOptions(given, {
    factory: service.factory,
    keys: ["region", "baseUrl", "projectId", "credentials"],
  });
  const { secrets, fetch: send } = client;
  const region = checkRegion(options.region, options.baseUrl, service);
  const baseUrl =
    options.baseUrl !== undefined
      ? parseEndpoint(options.baseUrl, "baseUrl")
      : (service.endpoints[region as string] as string);
  credentialsType(options.credentials, CREDENTIAL_FORMS);
  const { credentials } = options;
  const from = credentials.type === "aksk" ? (credentials.from as unknown) : undefined;
  const fromProject =
    from !== null && typeof from === "object" ? (from as Partial<HuaweiCredentials>).projectId : undefined;
  const projectId = checkProjectId(
    options.projectId ?? fromProject,
    options.projectId !== undefined,
    service,
  );
  if (options.projectId !== undefined && fromProject !== undefined && fromProject !== options.projectId) {
    throw new InvalidInputError(
      "projectId",
      `differs from the credentials' project id (${fromProject}); X-Project-Id must equal the project in the path`,
    );
  }
  const auth = authStep(credentials, { region, projectId, secrets, fetch: send });
  const pipeline = createPipeline(
    {
      provider: service.provider,
      steps: [auth],
      errors: HUAWEI_ERRORS,
      describe: () => ({ operation: service.operation }),
      userAgent: USER_AGENT,
      throttleDelay: huaweiThrottleDelay,
    },
    client,
  );
  return { baseUrl, projectId, secrets, fetch: pipeline, service };
}

/**
 * The API Gateway throttles with 429 `APIG.0308` ("policy user over ratelimit") and sends no
 * `Retry-After`; Huawei's advice is to try again after 2 to 5 seconds: a point in that range, at random.
 */
function huaweiThrottleDelay(): number {
  return 2000 + Math.random() * 3000;
}

function checkRegion(region: unknown, baseUrl: unknown, service: HuaweiService): string | undefined {
  const known = Object.keys(service.endpoints);
  if (region === undefined) {
    if (baseUrl === undefined) {
      throw new InvalidInputError("region", `give a region (one of ${known.join(", ")}) or a baseUrl`);
    }
    return undefined;
  }
  if (typeof region !== "string" || !Object.hasOwn(service.endpoints, region)) {
    const shown = typeof region === "string" ? JSON.stringify(region.slice(0, 64)) : typeof region;
    throw new InvalidInputError(
      "region",
      `unknown ${service.provider} region ${shown}; known regions: ${known.join(", ")} (or pass baseUrl)`,
    );
  }
  return region;
}

function checkProjectId(value: unknown, given: boolean, service: HuaweiService): string {
  const note = given
    ? undefined
    : value === undefined
      ? "pass projectId or credentials carrying one (HUAWEICLOUD_SDK_PROJECT_ID)"
      : "from the credentials";
  return checkParam(value, service.projectId, "projectId", note);
}

/** The auth step for the credentials, every secret registered. */
function authStep(
  credentials: HuaweiClientCredentials,
  context: {
    region: string | undefined;
    projectId: string;
    secrets: SecretRegistry;
    fetch: FetchLike | undefined;
  },
): AttemptStep {
  const { secrets, projectId } = context;
  switch (credentials.type) {
    case "aksk": {
      if (credentials.from !== undefined) {
        const from = credentials.from;
        if (typeof from === "function") {
          const current = async () => {
            const value = await from();
            secrets.add(value.secretKey, value.securityToken);
            return value;
          };
          return huaweiAkSk(current, { projectId });
        }
        if (from === null || typeof from !== "object" || typeof from.accessKey !== "string") {
          throw new CredentialsError(
            "credentials.from",
            "must be huaweiCredentials(...), huaweiCredentialsFromEnv() or a function resolving to one",
          );
        }
        secrets.add(from.secretKey, from.securityToken);
        return prefixed(() => huaweiAkSk(from, { projectId }), "credentials.from");
      }
      const sealed = prefixed(
        () =>
          huaweiCredentials({
            accessKey: credentials.accessKey,
            secretKey: credentials.secretKey,
            securityToken: credentials.securityToken,
          }),
        "credentials",
      );
      secrets.add(sealed.secretKey, sealed.securityToken);
      return huaweiAkSk(sealed, { projectId });
    }
    case "password": {
      const iamEndpoint =
        credentials.iamEndpoint === undefined
          ? undefined
          : parseEndpoint(credentials.iamEndpoint, "credentials.iamEndpoint");
      if (iamEndpoint === undefined && context.region === undefined) {
        throw new InvalidInputError(
          "credentials.iamEndpoint",
          "is required when the client has a baseUrl and no region (e.g. https://iam.cn-north-4.myhuaweicloud.com)",
        );
      }
      const source = prefixed(
        () =>
          huaweiIamToken({
            region: context.region,
            endpoint: iamEndpoint,
            accountName: credentials.accountName,
            userName: credentials.userName,
            password: credentials.password,
            // MPC and DBSS need a token scoped to the project in the path.
            projectId,
            fetch: context.fetch,
            secrets,
          }),
        "credentials",
      );
      return tokenAuth(source, { secrets });
    }
    case "token":
      return tokenAuth(checkTokenSource(credentials.source), { secrets });
  }
}

/** Runs `make`, renaming the field of any input error it throws to sit under `prefix` (`credentials.secretKey`). */
function prefixed<T>(make: () => T, prefix: string): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof InvalidInputError) || error.field.startsWith(prefix)) throw error;
    const detail = error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
    const Class = error instanceof CredentialsError ? CredentialsError : InvalidInputError;
    throw new Class(`${prefix}.${error.field}`, detail);
  }
}

/** What `expectOk` and {@link listOf} name in errors: the provider, operation, secrets and request. */
export interface HelperContext {
  provider: string;
  operation: string;
  secrets: SecretRegistry;
  request: { method: string; url: string };
  format: ErrorFormat;
}

/** The context of a helper's GET of `path` (already filled in), for errors. */
export function helperContext(setup: HuaweiSetup, path: string): HelperContext {
  return {
    provider: setup.service.provider,
    operation: setup.service.operation,
    secrets: setup.secrets,
    request: { method: "GET", url: setup.secrets.scrub(redactUrl(`${setup.baseUrl}${path}`)) },
    format: HUAWEI_ERRORS,
  };
}

/**
 * The array under `field` of a 200 answer, each entry an object with a string `nameField`; a
 * `MalformedResponseError` (not retried: the server answered, just not as documented) otherwise.
 */
export function listOf(
  data: unknown,
  field: string,
  nameField: string,
  response: Response,
  context: HelperContext,
): object[] {
  return readBody(response, context, () => {
    const list =
      data !== null && typeof data === "object" ? (data as Record<string, unknown>)[field] : undefined;
    if (!Array.isArray(list)) throw new UnexpectedShape(`it has no "${field}" list`, data);
    const at = list.findIndex(
      (item) =>
        item === null ||
        typeof item !== "object" ||
        Array.isArray(item) ||
        typeof (item as Record<string, unknown>)[nameField] !== "string",
    );
    if (at < 0) return list as object[];
    // Only the offending entry: the whole answer may hold tens of thousands.
    throw new UnexpectedShape(
      `it has a "${field}" entry that is not an object with a string "${nameField}" (index ${at})`,
      { [field]: { [at]: list[at] } },
    );
  });
}
