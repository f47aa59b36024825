/**
 * Everything the factory checks before a request can be sent: the endpoint (a zone or a base URL),
 * the project id that names the account, and the credentials in each form NAVER accepts. Each
 * mistake throws an `InvalidInputError`/`CredentialsError` that names the option at fault.
 */
import { checkTokenSource, type TokenCredentials, type TokenSource } from "@bucketry/auth/tokens";
import {
  type ClientOptions,
  CredentialsError,
  checkParam,
  credentialsType,
  InvalidInputError,
  parseEndpoint,
  type ResolvedClientOptions,
  resolveOptions as resolveClientOptions,
} from "@bucketry/core/internal";
import { type NcloudCredentials, ncloudCredentials } from "./credentials.js";
import { getAccount } from "./generated/archive-storage-rules.js";

/** NAVER Cloud Archive Storage's zones: the public (Korea) zone and the government zone. */
export type ArchiveStorageZone = "public" | "gov";

/** The storage and Keystone endpoints of each zone (NAVER Cloud's Archive Storage API guide). */
export const ARCHIVE_STORAGE_ZONES: Readonly<
  Record<ArchiveStorageZone, { readonly baseUrl: string; readonly authUrl: string }>
> = Object.freeze({
  public: Object.freeze({
    baseUrl: "https://kr.archive.ncloudstorage.com",
    authUrl: "https://kr.archive.ncloudstorage.com:5000/v3",
  }),
  gov: Object.freeze({
    baseUrl: "https://kr.archive.gov-ncloudstorage.com",
    authUrl: "https://kr.archive.gov-ncloudstorage.com:5000/v3",
  }),
});

/** An API authentication key, for the factory to log in to the zone's Keystone with. */
export interface ArchiveStorageKeys {
  type: "keystone";
  /** The access key id (the Keystone user name). */
  accessKeyId: string;
  /** The secret key (the Keystone password). */
  secretKey: string;
  /** The domain id shown in the Archive Storage console ("Check API usage information"). */
  domainId: string;
  from?: never;
}

/** Credentials from `ncloudCredentials(...)` / `ncloudCredentialsFromEnv()`: `type` says which kind they hold. */
export interface ArchiveStorageCredentialsFrom {
  /** `keystone` for an API key, `token` for a pre-issued token (`OS_AUTH_TOKEN`); the same as `from.kind`. */
  type: NcloudCredentials["kind"];
  from: NcloudCredentials;
  accessKeyId?: never;
  source?: never;
}

/**
 * Credentials in every form the service accepts, one discriminated shape: an API key
 * `{ type: "keystone", accessKeyId, secretKey, domainId }` (logged in to Keystone, project-scoped
 * tokens renewed as needed), `{ type, from: ncloudCredentialsFromEnv() }`, or
 * `{ type: "token", source }` with any {@link TokenSource} (e.g. `staticToken(OS_AUTH_TOKEN)`).
 */
export type ArchiveStorageCredentials = ArchiveStorageKeys | ArchiveStorageCredentialsFrom | TokenCredentials;

const CREDENTIAL_FORMS = {
  keystone:
    '{ type: "keystone", accessKeyId, secretKey, domainId } or { type: "keystone", from: ncloudCredentialsFromEnv() }',
  token: '{ type: "token", source: staticToken(token) }',
};

/** Options for `createArchiveStorageClient`. */
export interface ArchiveStorageClientOptions extends ClientOptions {
  /**
   * The zone: `"public"` (`https://kr.archive.ncloudstorage.com`) or `"gov"`
   * (`https://kr.archive.gov-ncloudstorage.com`), Keystone on port 5000 of the same host. Give a
   * zone or `baseUrl` (or token credentials with a `storageUrl`). NAVER calls them zones, so there
   * is no `region` option (passing one is refused with a pointer here).
   */
  zone?: ArchiveStorageZone | undefined;
  /** The storage endpoint instead of a zone, e.g. a proxy or a test server (without `/v1/AUTH_…`). */
  baseUrl?: string | undefined;
  /** Keystone (`…/v3`) for {@link ArchiveStorageKeys}; the zone's by default, required with `baseUrl`. */
  authUrl?: string | undefined;
  /**
   * The project id (the account is `AUTH_{projectId}`), from the console. Required unless the
   * credentials carry it (`ncloudCredentials` with a project id or a storage URL).
   */
  projectId?: string | undefined;
  /** Who the client acts as (see {@link ArchiveStorageCredentials}). */
  credentials: ArchiveStorageCredentials;
}

/** What the factory works with once every option checked out. */
export interface ResolvedOptions {
  baseUrl: string;
  projectId: string;
  /** The client's token source (the token step registers each token). */
  tokenSource: TokenSource;
  /** The shared options, checked; `secrets` holds every credential the client handles. */
  client: ResolvedClientOptions;
}

const OPTION_KEYS = ["zone", "baseUrl", "authUrl", "projectId", "credentials"] as const;

/** Checks every option (see the module comment) and resolves the endpoint, project and token source. */
export function resolveOptions(given: ArchiveStorageClientOptions): ResolvedOptions {
  const { options, client } = resolveClientOptions(given, {
    factory: "createArchiveStorageClient",
    keys: OPTION_KEYS,
    hints: {
      region: 'NAVER Archive Storage has zones, not regions: give zone: "public" or "gov" (or baseUrl)',
    },
  });
  const { fetch, secrets } = client;
  const type = credentialsType(options.credentials, CREDENTIAL_FORMS);
  const written = options.credentials as unknown as Record<string, unknown>;
  const credentials: object =
    written.from !== undefined
      ? checkFrom(written.from, type)
      : type === "token"
        ? checkTokenSource(written.source)
        : written;

  const zone = checkZone(options.zone);
  if (zone && options.baseUrl !== undefined) {
    throw new InvalidInputError("baseUrl", "give either zone or baseUrl, not both");
  }
  const fromStorageUrl = isNcloudCredentials(credentials)
    ? storageUrlParts(credentials.storageUrl)
    : undefined;
  const baseUrl =
    options.baseUrl !== undefined
      ? parseEndpoint(options.baseUrl, "baseUrl")
      : zone
        ? ARCHIVE_STORAGE_ZONES[zone].baseUrl
        : fromStorageUrl?.baseUrl;
  if (!baseUrl) {
    throw new InvalidInputError(
      "zone",
      'is required: "public" or "gov" (or give baseUrl, e.g. https://kr.archive.ncloudstorage.com)',
    );
  }

  const projectId = resolveProjectId(options.projectId, credentials, fromStorageUrl?.projectId);
  const keys = !isTokenSource(credentials) && !isNcloudCredentials(credentials) && isKeys(credentials);
  if (options.authUrl !== undefined && !keys) {
    throw new InvalidInputError(
      "authUrl",
      "applies only to credentials given as an API key; NcloudCredentials carry their own authUrl",
    );
  }

  let tokenSource: TokenSource;
  if (isTokenSource(credentials)) {
    tokenSource = credentials;
  } else if (isNcloudCredentials(credentials)) {
    if (zone && credentials.kind === "keystone") checkZoneKeystone(zone, credentials.authUrl);
    tokenSource = credentials.tokenSource({ fetch, secrets });
  } else if (isKeys(credentials)) {
    const authUrl =
      options.authUrl !== undefined
        ? parseEndpoint(options.authUrl, "authUrl")
        : zone
          ? ARCHIVE_STORAGE_ZONES[zone].authUrl
          : undefined;
    if (!authUrl) {
      throw new InvalidInputError(
        "authUrl",
        "is required with baseUrl when credentials are an API key (Keystone, …/v3)",
      );
    }
    tokenSource = underCredentials(() =>
      ncloudCredentials({
        accessKeyId: credentials.accessKeyId,
        secretKey: credentials.secretKey,
        domainId: credentials.domainId,
        projectId,
        authUrl,
      }),
    ).tokenSource({ fetch, secrets });
  } else {
    throw new CredentialsError("credentials", `must be ${CREDENTIAL_FORMS.keystone}`);
  }
  return { baseUrl, projectId, tokenSource, client };
}

/** `from` when it is {@link NcloudCredentials} of the kind `type` names. */
function checkFrom(from: unknown, type: NcloudCredentials["kind"]): NcloudCredentials {
  if (from === null || typeof from !== "object" || !isNcloudCredentials(from)) {
    throw new CredentialsError(
      "credentials.from",
      "must be ncloudCredentials(...) or ncloudCredentialsFromEnv()",
    );
  }
  if (from.kind !== type) {
    const holds = from.kind === "token" ? "a pre-issued token (OS_AUTH_TOKEN)" : "an API key";
    throw new CredentialsError(
      "credentials.type",
      `is "${type}" but credentials.from holds ${holds}: use type "${from.kind}"`,
    );
  }
  return from;
}

/** The keys of an API key: auth names them bare, the client's option is `credentials`. */
const KEY_FIELDS = new Set(["accessKeyId", "secretKey", "domainId"]);

/** Runs `make`, renaming an API key field it rejects to its full path (`credentials.domainId`). */
function underCredentials<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof CredentialsError) || !KEY_FIELDS.has(error.field)) throw error;
    throw new CredentialsError(`credentials.${error.field}`, error.message.slice(error.field.length + 2));
  }
}

/** Checks a project id as it goes into `/v1/AUTH_{project_id}`, by the spec's rule. */
export function checkProjectId(value: unknown, field = "projectId"): string {
  return checkParam(value, getAccount.project_id, field, "the project id from the Archive Storage console");
}

function checkZone(zone: unknown): ArchiveStorageZone | undefined {
  if (zone === undefined) return undefined;
  if (zone === "public" || zone === "gov") return zone;
  throw new InvalidInputError(
    "zone",
    `must be "public" or "gov", not ${JSON.stringify(String(zone).slice(0, 40))} (or give baseUrl)`,
  );
}

function resolveProjectId(option: unknown, credentials: object, fromStorageUrl: string | undefined): string {
  const own = isNcloudCredentials(credentials) ? credentials.projectId : undefined;
  const projectId = checkProjectId(option ?? own ?? fromStorageUrl);
  for (const [other, where] of [
    [own, "the credentials' project id"],
    [fromStorageUrl, "the credentials' storage URL"],
  ] as const) {
    if (other !== undefined && other !== projectId) {
      throw new InvalidInputError(
        "projectId",
        `differs from ${where}: a token is scoped to one project and other accounts answer 403`,
      );
    }
  }
  return projectId;
}

/** A key pair of one zone used against the other zone's storage gets 401s that say nothing: say it here. */
function checkZoneKeystone(zone: ArchiveStorageZone, authUrl: string | undefined): void {
  if (!authUrl) return;
  const other = zone === "public" ? "gov" : "public";
  if (new URL(authUrl).hostname === new URL(ARCHIVE_STORAGE_ZONES[other].authUrl).hostname) {
    throw new InvalidInputError(
      "zone",
      `is "${zone}" but the credentials log in to the ${other} zone's Keystone (${authUrl}); build them with authUrl: "${ARCHIVE_STORAGE_ZONES[zone].authUrl}"`,
    );
  }
}

/** `https://host/v1/AUTH_{project}` → its base URL and project id. */
function storageUrlParts(storageUrl: string | undefined): { baseUrl: string; projectId: string } | undefined {
  if (storageUrl === undefined) return undefined;
  const match = /^(.*)\/v1\/AUTH_([^/?#]+)\/?$/.exec(storageUrl);
  if (!match) {
    throw new InvalidInputError(
      "credentials.storageUrl",
      "must be an account URL ending in /v1/AUTH_{project_id}",
    );
  }
  return {
    baseUrl: parseEndpoint(match[1], "credentials.storageUrl"),
    projectId: checkProjectId(safeDecode(match[2]!), "credentials.storageUrl"),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isTokenSource(value: object): value is TokenSource {
  const source = value as Partial<TokenSource>;
  return typeof source.token === "function" && typeof source.invalidate === "function";
}

function isNcloudCredentials(value: object): value is NcloudCredentials {
  const credentials = value as Partial<NcloudCredentials>;
  return typeof credentials.tokenSource === "function" && typeof credentials.kind === "string";
}

function isKeys(value: object): value is ArchiveStorageKeys {
  return "accessKeyId" in value || "secretKey" in value || "domainId" in value;
}
