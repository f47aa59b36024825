/**
 * NAVER Cloud Archive Storage credentials, as values or from the OpenStack-style environment
 * variables python-swiftclient and the OpenStack CLI read:
 *
 * | variable            | meaning                                              |
 * |---------------------|------------------------------------------------------|
 * | `OS_AUTH_URL`       | Keystone, default `https://kr.archive.ncloudstorage.com:5000/v3` |
 * | `OS_USERNAME`       | the API authentication key's access key id           |
 * | `OS_PASSWORD`       | its secret key                                       |
 * | `OS_USER_DOMAIN_ID` | the domain id from the Archive Storage console       |
 * | `OS_PROJECT_ID`     | the project id from the Archive Storage console      |
 * | `OS_AUTH_TOKEN`     | a pre-issued token, used as is (then `OS_STORAGE_URL` is required) |
 * | `OS_STORAGE_URL`    | the account URL, `https://kr.archive.ncloudstorage.com/v1/AUTH_{project_id}` |
 *
 * The returned object holds no secret: the secret key or token lives only inside `tokenSource`.
 */
import { keystoneV3Token, staticToken, type TokenSource } from "@bucketry/auth/tokens";
import {
  CredentialsError,
  type Env,
  processEnv,
  readEnvTable,
  requiredText,
  type SecretRegistry,
} from "@bucketry/core/internal";

/** How {@link NcloudCredentials.tokenSource} fetches its tokens. */
export interface NcloudTokenSourceOptions {
  fetch?: (request: Request) => Promise<Response>;
  marginMs?: number;
  secrets?: SecretRegistry;
}

/** NAVER Cloud Archive Storage credentials: a Keystone login, or a pre-issued token. No secret is readable from it. */
export interface NcloudCredentials {
  /** `keystone`: tokens are requested with the access key; `token`: a pre-issued token is used as is. */
  readonly kind: "keystone" | "token";
  /** The Keystone endpoint (keystone kind). */
  readonly authUrl: string | undefined;
  /** The access key id (keystone kind). */
  readonly accessKeyId: string | undefined;
  /** The domain id (keystone kind). */
  readonly domainId: string | undefined;
  /** The project id (the account is `AUTH_{projectId}`); optional for the token kind. */
  readonly projectId: string | undefined;
  /** The account URL, when given. */
  readonly storageUrl: string | undefined;
  /** The token source for `X-Auth-Token`; call it once per client (each call has its own cache). */
  tokenSource(options?: NcloudTokenSourceOptions): TokenSource;
}

/** The values {@link ncloudCredentials} takes: a key pair with domain and project ids, or a pre-issued token. */
export type NcloudCredentialsInit =
  | {
      accessKeyId: string;
      secretKey: string;
      domainId: string;
      projectId: string;
      /** Keystone; `https://kr.archive.ncloudstorage.com:5000/v3` by default. */
      authUrl?: string;
      storageUrl?: string;
    }
  | { token: string; storageUrl: string; projectId?: string };

type Field = "authUrl" | "accessKeyId" | "secretKey" | "domainId" | "projectId" | "token" | "storageUrl";

/** The environment variables {@link ncloudCredentialsFromEnv} reads (OpenStack's names). */
export const NCLOUD_ENV = {
  authUrl: "OS_AUTH_URL",
  accessKeyId: "OS_USERNAME",
  secretKey: "OS_PASSWORD",
  domainId: "OS_USER_DOMAIN_ID",
  projectId: "OS_PROJECT_ID",
  token: "OS_AUTH_TOKEN",
  storageUrl: "OS_STORAGE_URL",
} as const satisfies Record<Field, string>;
const OPTIONS = /* @__PURE__ */ Object.fromEntries(
  Object.keys(NCLOUD_ENV).map((field) => [field, field]),
) as Record<Field, string>;

/** Checks NAVER Archive Storage credentials given as values; a missing or malformed one throws a `CredentialsError` naming it. */
export function ncloudCredentials(input: NcloudCredentialsInit): NcloudCredentials {
  return build(input as Partial<Record<Field, string>>, OPTIONS);
}

/**
 * Reads NAVER Archive Storage credentials from `OS_*` variables (see the module comment); a missing
 * or malformed one throws a `CredentialsError` naming the variable.
 */
export function ncloudCredentialsFromEnv(env: Env = processEnv()): NcloudCredentials {
  return build(readEnvTable(NCLOUD_ENV, env), NCLOUD_ENV);
}

function build(values: Partial<Record<Field, string>>, names: Record<Field, string>): NcloudCredentials {
  const text = (field: Field) => required(names[field], values[field]);
  const storageUrl = values.storageUrl === undefined ? undefined : url(names.storageUrl, values.storageUrl);
  if (values.token !== undefined) {
    const token = secret(names.token, values.token);
    if (!storageUrl) throw new CredentialsError(names.storageUrl, `is required with ${names.token}`);
    const projectId = values.projectId === undefined ? undefined : id(names.projectId, values.projectId);
    return Object.freeze({
      kind: "token" as const,
      authUrl: undefined,
      accessKeyId: undefined,
      domainId: undefined,
      projectId,
      storageUrl,
      tokenSource: () => staticToken(token),
    });
  }
  const accessKeyId = printable(names.accessKeyId, text("accessKeyId"));
  const secretKey = secret(names.secretKey, text("secretKey"));
  const domainId = id(names.domainId, text("domainId"));
  const projectId = id(names.projectId, text("projectId"));
  const authUrl = url(names.authUrl, values.authUrl ?? `${NCLOUD_KEYSTONE_ENDPOINT}/v3`);
  return Object.freeze({
    kind: "keystone" as const,
    authUrl,
    accessKeyId,
    domainId,
    projectId,
    storageUrl,
    tokenSource: (options: NcloudTokenSourceOptions = {}) =>
      ncloudKeystoneToken({ endpoint: authUrl, accessKeyId, secretKey, domainId, projectId, ...options }),
  });
}

function required(name: string, value: string | undefined): string {
  if (typeof value !== "string" || value.trim() === "") throw new CredentialsError(name, "is not set");
  return value;
}

function secret(name: string, value: string): string {
  required(name, value);
  // A secret pasted with its newline gets a 401 that says nothing; say it here instead.
  if (value !== value.trim()) throw new CredentialsError(name, "has leading or trailing whitespace");
  return value;
}

function printable(name: string, value: string): string {
  if (!/^[\x21-\x7e]+$/.test(value.trim()))
    throw new CredentialsError(name, "must be printable ASCII without spaces");
  return value.trim();
}

function id(name: string, value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value.trim())) {
    throw new CredentialsError(name, "must contain only letters, digits, '-' and '_'");
  }
  return value.trim();
}

function url(name: string, value: string): string {
  try {
    const parsed = new URL(value.trim());
    if (parsed.protocol === "https:" || parsed.protocol === "http:")
      return parsed.toString().replace(/\/$/, "");
  } catch {
    // reported below
  }
  throw new CredentialsError(name, "must be an absolute http(s) URL");
}

/** NAVER Cloud Archive Storage's Keystone, for the public zone (the gov zone is `kr.archive.gov-ncloudstorage.com:5000`). */
export const NCLOUD_KEYSTONE_ENDPOINT = "https://kr.archive.ncloudstorage.com:5000";

/** Options of {@link ncloudKeystoneToken}. */
export interface NcloudKeystoneTokenOptions {
  /** The Keystone endpoint; {@link NCLOUD_KEYSTONE_ENDPOINT} by default. */
  endpoint?: string;
  /** The API authentication key's access key id (the Keystone user name). */
  accessKeyId: string;
  /** The API authentication key's secret key (the Keystone password). */
  secretKey: string;
  /** The domain id shown in the Archive Storage console (sent as `domain.id`: NAVER refuses the name form). */
  domainId: string;
  /** The project id shown in the Archive Storage console. */
  projectId: string;
  fetch?: (request: Request) => Promise<Response>;
  marginMs?: number;
  secrets?: SecretRegistry;
}

/** NAVER Cloud Archive Storage tokens (for `X-Auth-Token`), through {@link keystoneV3Token}. */
export function ncloudKeystoneToken(options: NcloudKeystoneTokenOptions): TokenSource {
  return keystoneV3Token({
    endpoint: options.endpoint ?? NCLOUD_KEYSTONE_ENDPOINT,
    username: requiredText("accessKeyId", options.accessKeyId),
    password: requiredText("secretKey", options.secretKey, false),
    domain: { id: requiredText("domainId", options.domainId) },
    project: { id: requiredText("projectId", options.projectId) },
    fetch: options.fetch,
    marginMs: options.marginMs,
    secrets: options.secrets,
    provider: "ncloud-archive-storage",
  });
}
