/**
 * The client of the Virtuozzo / Acronis ostor admin API (`GET /?ostor-users`): the typed
 * openapi-fetch client, signed with ostor's SigV2 (default) or SigV4, with retries, time limits and
 * typed errors, plus the helpers `listUsers` and `getUser` that return normalised users.
 *
 * The helpers read the body as text (`parseAs: "text"`) and parse it themselves; core's request
 * pipeline reads it in full first, so a body that breaks off (reset, truncated) or is not JSON is
 * retried there (the call is a GET, safe to repeat) and ends in a typed error when it keeps failing.
 */
import { awsV4, ostorV2 } from "@bucketry/auth/signers";
import {
  type AttemptStep,
  answerMeta,
  type CallOptions,
  type ClientOptions,
  CredentialsError,
  checkCallOptions,
  checkParam,
  createApiClient,
  createPipeline,
  credentialsType,
  type Env,
  expectOk,
  InvalidInputError,
  MalformedResponseError,
  onePage,
  type Paginator,
  parsedJson,
  parseEndpoint,
  processEnv,
  readBody,
  readEnv,
  redactUrl,
  requireJson,
  resolveOptions,
  type SecretRegistry,
} from "@bucketry/core/internal";
import type { Client, FetchOptions, FetchResponse } from "openapi-fetch";
import { OSTOR_ENV, type S3Credentials, s3Credentials, s3CredentialsFromEnv } from "./credentials.js";
import { OSTOR_ERRORS } from "./errors.js";
import type { components, paths } from "./generated/ostor.js";
import { listOstorUsers } from "./generated/ostor-rules.js";
import {
  type OstorUser,
  type OstorUserDetail,
  type Sealed,
  sealSecrets,
  toUserDetail,
  toUsers,
} from "./ostor-model.js";
import { ostorQuery, serializeOstorQuery } from "./ostor-query.js";
import { USER_AGENT } from "./version.js";

/** The provider name in every error. */
const PROVIDER = "virtuozzo-ostor";
/** The spec's operationId of `GET /?ostor-users`. */
const OPERATION = "listOstorUsers";

/** The signature versions ostor accepts for admin calls. */
export type OstorSignatureVersion = "v2" | "v4";

/** Ready S3 credentials, or a function returning the current ones (called per attempt, so rotated keys are picked up). */
export type OstorCredentialsSource = S3Credentials | (() => S3Credentials | Promise<S3Credentials>);

/** An S3 key pair given inline, signed with SigV2 or SigV4. */
export interface OstorAkSkInline {
  type: "aksk";
  accessKeyId: string;
  /** Never printed. */
  secretAccessKey: string;
  /** A temporary session token (SigV4 only). */
  sessionToken?: string | undefined;
  from?: never;
}

/** An S3 key pair from `s3Credentials(...)` / `s3CredentialsFromEnv()`, or a function returning one. */
export interface OstorAkSkFrom {
  type: "aksk";
  from: OstorCredentialsSource;
  accessKeyId?: never;
  secretAccessKey?: never;
}

/** How an ostor client authenticates: the S3 key pair of a system user (ostor has no other scheme). */
export type OstorClientCredentials = OstorAkSkInline | OstorAkSkFrom;

const CREDENTIAL_FORMS = {
  aksk: '{ type: "aksk", accessKeyId, secretAccessKey } or { type: "aksk", from: s3CredentialsFromEnv() } (OSTOR_ACCESS_KEY_ID / OSTOR_SECRET_ACCESS_KEY)',
};

/** Options for {@link createOstorClient}. */
export interface OstorClientOptions extends ClientOptions {
  /**
   * The cluster's own S3 endpoint, e.g. `https://s3.example.com` (there is no public endpoint
   * table). The admin API lives at its root, so the URL must not have a path.
   */
  baseUrl: string;
  /**
   * The S3 key pair of an ostor *system* user (`ostor-s3-admin create-user -S …`):
   * `{ type: "aksk", accessKeyId, secretAccessKey }` or `{ type: "aksk", from: s3CredentialsFromEnv() }`
   * (`OSTOR_ACCESS_KEY_ID` / `OSTOR_SECRET_ACCESS_KEY`).
   */
  credentials: OstorClientCredentials;
  /**
   * `"v2"` (default: the only form with vendor examples; the resource signed is `/?ostor-users`) or
   * `"v4"` (service `s3`; the vendor documents it, no public admin-call example exists).
   */
  signature?: OstorSignatureVersion | undefined;
  /** SigV4 credential-scope region; ostor ignores it, its docs use `ostor` (the default). V4 only. */
  region?: string | undefined;
  /**
   * SigV2 only: send the time as `x-amz-date` instead of `Date`. Not needed in a browser: fetch
   * drops `Date` there, so the signer always uses `x-amz-date` in one (README, Platforms).
   */
  useAmzDate?: boolean | undefined;
}

/** What {@link OstorHelpers.listUsers} takes. */
export interface OstorListUsersParams {
  /** Add each user's space usage (`spaceStat`); sent as the bare flag `&space`. */
  space?: boolean;
}

/**
 * Which user {@link OstorHelpers.getUser} reads: by `id` OR by `emailAddress`, never both (the
 * service answers 400; here it does not compile, and is refused before sending at run time).
 */
export type OstorUserSelector =
  | {
      /** The user id: 16 lower-case hex characters, e.g. `b09693b73b3c7686`. */
      id: string;
      emailAddress?: never;
      /** Add the user's space usage (`spaceStat`). */
      space?: boolean;
    }
  | {
      /** The user's email address. */
      emailAddress: string;
      id?: never;
      /** Add the user's space usage (`spaceStat`). */
      space?: boolean;
    };

/** The helpers {@link createOstorClient} adds to the typed client. */
export interface OstorHelpers {
  /**
   * Every S3 user (`GET /?ostor-users[&space]`), in the server's order, as a one-page
   * {@link Paginator} (the API does not page: one request, sent when the first user is asked for).
   */
  listUsers(params?: OstorListUsersParams, options?: CallOptions): Paginator<OstorUser, never>;
  /** One user with keys and accounts (`GET /?ostor-users&id=…` or `&emailAddress=…`); 404 → `NotFoundError`. */
  getUser(selector: OstorUserSelector, options?: CallOptions): Promise<OstorUserDetail>;
}

type ListOperation = paths["/?ostor-users"]["get"];
/** The options of a raw `GET("/?ostor-users", …)`: the spec's parameters; the body is always parsed. */
export type OstorRawInit = Omit<FetchOptions<ListOperation>, "parseAs">;
/** What a raw `GET("/?ostor-users", …)` resolves to: the answer parsed, every secret key sealed. */
export type OstorRawResult =
  | { data: Sealed<components["schemas"]["OstorUsersResponse"]>; error?: never; response: Response }
  | {
      data?: never;
      error: NonNullable<FetchResponse<ListOperation, OstorRawInit, `${string}/${string}`>["error"]>;
      response: Response;
    };

/**
 * The typed openapi-fetch client of the ostor admin API, with the helpers. Its raw `GET` seals every
 * `AWSSecretAccessKey` in a `Secret` before the answer is handed out, so no secret key reaches your
 * code in clear text without `reveal()`.
 */
export type OstorClient = Omit<Client<paths>, "GET" | "request"> & {
  GET(path: "/?ostor-users", init?: OstorRawInit): Promise<OstorRawResult>;
} & OstorHelpers;

/**
 * A 200 answer the helpers cannot use: not JSON (after retries), or JSON of an undocumented shape.
 * `code` is `MalformedResponse`; no body is kept, as it may hold secret keys. (Core's class,
 * re-exported so the name stays.)
 */
export { MalformedResponseError };

const REGION = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Creates a client of the Virtuozzo / Acronis ostor admin API. Every option is checked here, and a
 * bad one throws `InvalidInputError` (or `CredentialsError`) naming it, before anything is sent.
 */
export function createOstorClient(given: OstorClientOptions): OstorClient {
  const { options, client: transport } = resolveOptions(given, {
    factory: "createOstorClient",
    keys: ["baseUrl", "credentials", "signature", "region", "useAmzDate"],
  });
  const baseUrl = checkBaseUrl(options.baseUrl, "baseUrl");
  const signature = options.signature ?? "v2";
  if (signature !== "v2" && signature !== "v4") {
    throw new InvalidInputError(
      "signature",
      `must be "v2" or "v4", not ${JSON.stringify(String(signature)).slice(0, 40)}`,
    );
  }
  if (options.region !== undefined) {
    if (signature !== "v4") throw new InvalidInputError("region", 'applies to signature "v4" only');
    if (typeof options.region !== "string" || !REGION.test(options.region)) {
      throw new InvalidInputError(
        "region",
        "must be a name of letters, digits, '.', '_' or '-' (e.g. ostor)",
      );
    }
  }
  if (options.useAmzDate !== undefined) {
    if (typeof options.useAmzDate !== "boolean")
      throw new InvalidInputError("useAmzDate", "must be a boolean");
    if (signature !== "v2") {
      throw new InvalidInputError(
        "useAmzDate",
        'applies to signature "v2" only (v4 always sends x-amz-date)',
      );
    }
  }
  const { secrets } = transport;
  const credentials = credentialSource(options.credentials, signature, secrets);
  const auth: AttemptStep =
    signature === "v4"
      ? awsV4(credentials, { region: options.region ?? "ostor", service: "s3" })
      : ostorV2(credentials, { useAmzDate: options.useAmzDate ?? false });

  const fetch = createPipeline(
    {
      provider: PROVIDER,
      steps: [ostorQuery, auth],
      errors: OSTOR_ERRORS,
      // Every admin answer is JSON, whatever its Content-Type says (and the helpers read it as text).
      describe: () => ({ operation: OPERATION, check: requireJson }),
      userAgent: USER_AGENT,
    },
    transport,
  );
  const client = createApiClient<paths>(fetch, { baseUrl, querySerializer: serializeOstorQuery });

  /**
   * GET /?ostor-users with `query`, its body parsed, sealed and normalised by `make`. The pipeline
   * retries and types every failure up to a body that is valid JSON; a wrong shape is final.
   */
  const read = async <T>(
    query: Record<string, string | boolean>,
    make: (body: unknown) => T,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T; response: Response }> => {
    const serialized = serializeOstorQuery(query);
    const url = redactUrl(`${baseUrl}/?ostor-users${serialized ? `&${serialized}` : ""}`);
    const call = {
      provider: PROVIDER,
      operation: OPERATION,
      request: { method: "GET", url },
      secrets,
      format: OSTOR_ERRORS,
    };
    const result = await client.GET("/?ostor-users", { params: { query }, parseAs: "text", signal });
    const text = await expectOk(result, call);
    // Parsed by requireJson in the pipeline: a body that is not JSON never gets here. A wrong
    // shape is not transient (not retried); no body is kept, as it may hold secret keys.
    const value = readBody(result.response, call, () =>
      make(sealSecrets(parsedJson(result.response)?.value ?? JSON.parse(text ?? ""))),
    );
    return { value, response: result.response };
  };

  const listUsers = (params: OstorListUsersParams = {}, callOptions: CallOptions = {}) => {
    if (params === null || typeof params !== "object") {
      throw new InvalidInputError("params", "must be an object like { space: true }");
    }
    for (const key of Object.keys(params)) {
      if (key !== "space") {
        throw new InvalidInputError(
          key,
          "is not a parameter of listUsers (only space; use getUser to select one user)",
        );
      }
    }
    const space = flag(params.space);
    const signal = checkCallOptions(callOptions);
    return onePage(
      async (pageSignal) => {
        const { value, response } = await read(space ? { space } : {}, toUsers, pageSignal);
        return { items: value, ...answerMeta(response, OSTOR_ERRORS) };
      },
      { signal, context: { provider: PROVIDER, operation: OPERATION } },
    );
  };

  const getUser = async (selector: OstorUserSelector, callOptions: CallOptions = {}) => {
    const query = checkSelector(selector);
    const signal = checkCallOptions(callOptions);
    return (await read(query, toUserDetail, signal)).value;
  };

  return { ...sealed(client), listUsers, getUser };
}

/**
 * The raw typed client whose `GET` seals every secret key of the parsed answer in a `Secret`, in
 * place, before the caller sees it. `request` (the untyped verb) and `parseAs` are not offered: an
 * unparsed body would hand the keys out in clear text.
 */
function sealed(client: Client<paths>): Omit<OstorClient, keyof OstorHelpers> {
  const { request: _request, GET: get, ...rest } = client;
  return {
    ...rest,
    async GET(path, init) {
      const result = (await get(path, { ...init, parseAs: "json" } as never)) as OstorRawResult;
      if (result.data !== undefined) sealSecrets(result.data);
      return result;
    },
  };
}

/**
 * `baseUrl` and `credentials` from the environment: `OSTOR_ENDPOINT`, `OSTOR_ACCESS_KEY_ID` and
 * `OSTOR_SECRET_ACCESS_KEY` (errors name the variable). Spread it into {@link createOstorClient}'s options.
 */
export function ostorOptionsFromEnv(
  env: Env = processEnv(),
): Pick<OstorClientOptions, "baseUrl"> & { credentials: OstorAkSkFrom & { from: S3Credentials } } {
  const endpoint = OSTOR_ENV.endpoint;
  const value = readEnv(endpoint, env);
  if (value === undefined) {
    throw new InvalidInputError(
      endpoint,
      "is not set: the cluster's S3 endpoint, e.g. https://s3.example.com",
    );
  }
  return {
    baseUrl: checkBaseUrl(value, endpoint),
    credentials: { type: "aksk", from: s3CredentialsFromEnv(env) },
  };
}

/** An http(s) URL of the endpoint's root: ostor's admin calls are sub-resources of `/`. */
function checkBaseUrl(value: unknown, field: string): string {
  const url = parseEndpoint(value, field);
  if (new URL(url).pathname !== "/") {
    throw new InvalidInputError(
      field,
      "must be the S3 endpoint's root, without a path: the admin API is served at /?ostor-users",
    );
  }
  return url;
}

/**
 * Checks the credentials now (static ones) or on each use (a function), re-checking them as
 * `credentials.<field>`, and registers every secret so no error or log can show it.
 */
function credentialSource(
  given: unknown,
  signature: OstorSignatureVersion,
  secrets: SecretRegistry,
): S3Credentials | (() => Promise<S3Credentials>) {
  credentialsType(given, CREDENTIAL_FORMS);
  const written = given as Record<string, unknown>;
  const source = written.from ?? written;
  const field = written.from === undefined ? "credentials" : "credentials.from";
  const check = (value: unknown): S3Credentials => {
    if (value === null || typeof value !== "object") {
      throw new CredentialsError(field, "must be an S3 key pair { accessKeyId, secretAccessKey }");
    }
    const { accessKeyId, secretAccessKey, sessionToken } = value as S3Credentials;
    // Registered before the checks, so even a rejected secret cannot surface later.
    secrets.add(String(secretAccessKey ?? ""), String(sessionToken ?? ""));
    if (sessionToken !== undefined && signature === "v2") {
      throw new CredentialsError(`${field}.sessionToken`, 'is only sent with signature "v4"');
    }
    try {
      return s3Credentials({ accessKeyId, secretAccessKey, sessionToken });
    } catch (error) {
      if (!(error instanceof CredentialsError)) throw error;
      throw new CredentialsError(`${field}.${error.field}`, error.message.slice(error.field.length + 2));
    }
  };
  if (typeof source === "function") {
    return async () => check(await (source as () => unknown)());
  }
  return check(source);
}

/** The query of a `getUser` selector, or an `InvalidInputError` naming what is wrong with it. */
function checkSelector(selector: unknown): Record<string, string | boolean> {
  if (selector === null || typeof selector !== "object") {
    throw new InvalidInputError("selector", "must be an object: { id } or { emailAddress }");
  }
  const { id, emailAddress, space, ...rest } = selector as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new InvalidInputError(unknown, "is not a selector of getUser: use id or emailAddress (and space)");
  }
  if (id !== undefined && emailAddress !== undefined) {
    throw new InvalidInputError(
      "selector",
      "set either id or emailAddress, not both (the service answers 400 to both)",
    );
  }
  // The spec's rules for the query (src/generated/ostor-rules.ts); "one of the two" is ostor's own.
  const query: Record<string, string | boolean> = {};
  if (id !== undefined) query.id = checkParam<string>(id, listOstorUsers.id, "id");
  else if (emailAddress !== undefined) {
    query.emailAddress = checkParam<string>(emailAddress, listOstorUsers.emailAddress, "emailAddress");
  } else {
    throw new InvalidInputError("selector", "needs id or emailAddress (use listUsers for every user)");
  }
  if (flag(space)) query.space = true;
  return query;
}

function flag(value: unknown): boolean {
  return checkParam<boolean | undefined>(value, listOstorUsers.space, "space") ?? false;
}
