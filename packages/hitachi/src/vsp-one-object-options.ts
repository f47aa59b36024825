/**
 * The factory's options, checked before anything is sent. VSP One Object has two hosts per cluster:
 * the Management API at `https://admin.{region}.{cluster}/mapi` and the identity provider (Keycloak,
 * realm `vsp-object`) at `https://admin.gms.{cluster}/ui/auth`. So the endpoint is `region` +
 * `cluster` (or a `baseUrl`), and password credentials also need the token URL, which `cluster`
 * implies and a bare `baseUrl` does not.
 */
import {
  checkTokenSource,
  keycloakPasswordToken,
  type TokenCredentials,
  type TokenSource,
} from "@bucketry/auth/tokens";
import {
  type ClientOptions,
  CredentialsError,
  credentialsType,
  InvalidInputError,
  parseEndpoint,
  type ResolvedClientOptions,
  resolveOptions as resolveClientOptions,
} from "@bucketry/core/internal";
import {
  VSP_OBJECT_DEFAULT_CLIENT_ID,
  type VspOneObjectCredentials,
  vspOneObjectTokenUrl,
} from "./credentials.js";

/** The provider name in errors. */
export const PROVIDER = "hitachi-vsp-one-object";

/** A Keycloak user of realm `vsp-object`, given as values (the token URL comes from `cluster` or `tokenUrl`). */
export interface VspOneObjectPasswordCredentials {
  type: "password";
  username: string;
  password: string;
  /** The OAuth client; `vsp-object-external-client` (what Hitachi's automation uses) by default. */
  clientId?: string | undefined;
  /** The client secret, for a confidential client. */
  clientSecret?: string | undefined;
  from?: never;
}

/** A Keycloak user from `vspOneObjectCredentials(...)` / `vspOneObjectCredentialsFromEnv()`, which also name the endpoint. */
export interface VspOneObjectPasswordFrom {
  type: "password";
  from: VspOneObjectCredentials;
  username?: never;
  password?: never;
}

/** How a VSP One Object client authenticates: a Keycloak password login, or a ready bearer token source. */
export type VspOneObjectClientCredentials =
  | VspOneObjectPasswordCredentials
  | VspOneObjectPasswordFrom
  | TokenCredentials;

/** Options for {@link createVspOneObjectClient}. */
export interface VspOneObjectClientOptions extends ClientOptions {
  /** The region, e.g. `us-west-2`; with `cluster`, the MAPI base is `https://admin.{region}.{cluster}/mapi`. */
  region?: string | undefined;
  /** The cluster's DNS name, e.g. `cluster.example.com`; also names the Keycloak host `admin.gms.{cluster}`. */
  cluster?: string | undefined;
  /** The Management API base instead of `region` + `cluster`, e.g. `https://admin.us-west-2.cluster.example.com/mapi`. */
  baseUrl?: string | undefined;
  /**
   * Keycloak's token endpoint, for `{ username, password }` credentials; by default
   * `https://admin.gms.{cluster}/ui/auth/realms/vsp-object/protocol/openid-connect/token`.
   */
  tokenUrl?: string | undefined;
  /**
   * `{ type: "password", username, password, clientId?, clientSecret? }`, `{ type: "password", from:
   * vspOneObjectCredentialsFromEnv() }` (which also gives the endpoint), or `{ type: "token", source }`
   * with a source of bearer tokens (e.g. `staticToken(accessToken)`).
   */
  credentials: VspOneObjectClientCredentials;
}

/** What the factory builds the client from. */
export interface ResolvedOptions {
  baseUrl: string;
  /** The shared options, checked; `secrets` holds every credential the client handles. */
  client: ResolvedClientOptions;
  /** The client's token source (the bearer step registers each token). */
  tokens: TokenSource;
}

const OPTION_KEYS = ["region", "cluster", "baseUrl", "tokenUrl", "credentials"] as const;

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const REGION = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
const CREDENTIAL_FORMS = {
  password:
    '{ type: "password", username, password } or { type: "password", from: vspOneObjectCredentialsFromEnv() }',
  token: '{ type: "token", source: staticToken(accessToken) }',
};

/** Checks every option; throws `InvalidInputError` / `CredentialsError` naming the first bad one. */
export function resolveOptions(given: VspOneObjectClientOptions): ResolvedOptions {
  const { options, client } = resolveClientOptions(given, {
    factory: "createVspOneObjectClient",
    keys: OPTION_KEYS,
  });
  const { fetch, secrets } = client;
  const credentials = classify(options.credentials);
  const cluster = options.cluster === undefined ? undefined : clusterName(options.cluster);
  const baseUrl = endpoint(options, cluster, credentials);

  if (credentials.kind === "source") {
    if (options.tokenUrl !== undefined) {
      throw new InvalidInputError(
        "tokenUrl",
        'is only used with { type: "password" } credentials; a token source gets its own tokens',
      );
    }
    return { baseUrl, client, tokens: credentials.source };
  }
  if (credentials.kind === "vsp") {
    const vsp = credentials.credentials;
    if (options.tokenUrl !== undefined && parseEndpoint(options.tokenUrl, "tokenUrl") !== vsp.tokenUrl) {
      throw new InvalidInputError(
        "tokenUrl",
        `cannot change the token URL of vspOneObjectCredentials(...) (${vsp.tokenUrl}); pass { type: "password", username, password } credentials with a tokenUrl instead`,
      );
    }
    if (cluster !== undefined && cluster !== vsp.cluster) {
      throw new InvalidInputError(
        "cluster",
        `is "${cluster}" but the credentials are for cluster "${vsp.cluster}"`,
      );
    }
    return { baseUrl, client, tokens: vsp.tokenSource({ fetch, secrets }) };
  }
  const password = credentials.credentials;
  let tokenUrl: string;
  if (options.tokenUrl !== undefined) tokenUrl = parseEndpoint(options.tokenUrl, "tokenUrl");
  else if (cluster !== undefined) tokenUrl = vspOneObjectTokenUrl(cluster);
  else {
    throw new InvalidInputError(
      "tokenUrl",
      'is required with baseUrl and { type: "password", username, password } credentials: Keycloak\'s token endpoint, e.g. https://admin.gms.{cluster}/ui/auth/realms/vsp-object/protocol/openid-connect/token (or give region and cluster instead of baseUrl)',
    );
  }
  return {
    baseUrl,
    client,
    tokens: keycloakPasswordToken({ tokenUrl, ...password, provider: PROVIDER, fetch, secrets }),
  };
}

type Classified =
  | { kind: "source"; source: TokenSource }
  | { kind: "vsp"; credentials: VspOneObjectCredentials }
  | {
      kind: "password";
      credentials: { username: string; password: string; clientId: string; clientSecret?: string };
    };

function classify(value: unknown): Classified {
  const type = credentialsType(value, CREDENTIAL_FORMS);
  const record = value as Record<string, unknown>;
  if (type === "token") return { kind: "source", source: checkTokenSource(record.source) };
  if (record.from !== undefined) {
    const from = record.from as Partial<VspOneObjectCredentials>;
    if (typeof from?.tokenSource !== "function" || typeof from.mapiUrl !== "string") {
      throw new CredentialsError(
        "credentials.from",
        "must be vspOneObjectCredentials(...) or vspOneObjectCredentialsFromEnv()",
      );
    }
    return { kind: "vsp", credentials: from as VspOneObjectCredentials };
  }
  const username = text("credentials.username", record.username).trim();
  const password = secret("credentials.password", record.password);
  const clientId =
    record.clientId === undefined
      ? VSP_OBJECT_DEFAULT_CLIENT_ID
      : text("credentials.clientId", record.clientId).trim();
  const clientSecret =
    record.clientSecret === undefined ? undefined : secret("credentials.clientSecret", record.clientSecret);
  return {
    kind: "password",
    credentials: { username, password, clientId, ...(clientSecret ? { clientSecret } : {}) },
  };
}

function text(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new CredentialsError(field, "is missing or empty");
  return value;
}

function secret(field: string, value: unknown): string {
  const checked = text(field, value);
  // A secret pasted with its newline earns a 401 that says nothing; say it here instead.
  if (checked !== checked.trim()) throw new CredentialsError(field, "has leading or trailing whitespace");
  return checked;
}

function endpoint(
  options: VspOneObjectClientOptions,
  cluster: string | undefined,
  credentials: Classified,
): string {
  const { region, baseUrl } = options;
  if (baseUrl !== undefined) {
    if (region !== undefined || cluster !== undefined) {
      throw new InvalidInputError("baseUrl", "give either baseUrl or region and cluster, not both");
    }
    return parseEndpoint(baseUrl, "baseUrl");
  }
  if (region !== undefined || cluster !== undefined) {
    const fromCredentials = credentials.kind === "vsp" ? credentials.credentials.cluster : undefined;
    const host = cluster ?? fromCredentials;
    if (host === undefined)
      throw new InvalidInputError(
        "cluster",
        "is required with region (the cluster's DNS name, e.g. cluster.example.com)",
      );
    if (region === undefined)
      throw new InvalidInputError("region", "is required with cluster (e.g. us-west-2)");
    return `https://admin.${regionName(region)}.${host}/mapi`;
  }
  if (credentials.kind === "vsp") return credentials.credentials.mapiUrl;
  throw new InvalidInputError(
    "baseUrl",
    "is required: give region and cluster (https://admin.{region}.{cluster}/mapi) or baseUrl",
  );
}

function clusterName(value: unknown): string {
  const host = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (!HOST.test(host)) {
    throw new InvalidInputError(
      "cluster",
      "must be a DNS name such as cluster.example.com (no scheme, port or path)",
    );
  }
  return host;
}

function regionName(value: unknown): string {
  const region = typeof value === "string" ? value.trim() : "";
  if (!REGION.test(region)) throw new InvalidInputError("region", "must be a region name such as us-west-2");
  return region;
}
