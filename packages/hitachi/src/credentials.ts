/**
 * Hitachi VSP One Object credentials (a Keycloak user of realm `vsp-object`), as values or from
 * these environment variables (our names; Hitachi's tools define none):
 *
 * | variable                   | meaning                                                 |
 * |----------------------------|---------------------------------------------------------|
 * | `VSP_OBJECT_CLUSTER`       | the cluster name, e.g. `cluster.example.com`            |
 * | `VSP_OBJECT_REGION`        | the region, e.g. `us-west-2` (MAPI is `https://admin.{region}.{cluster}/mapi`) |
 * | `VSP_OBJECT_USERNAME`      | the Keycloak user                                       |
 * | `VSP_OBJECT_PASSWORD`      | its password                                            |
 * | `VSP_OBJECT_CLIENT_ID`     | the OAuth client, default `vsp-object-external-client`  |
 * | `VSP_OBJECT_CLIENT_SECRET` | the client secret, for confidential clients (optional)  |
 *
 * The returned object holds no secret: the password and client secret live only inside `tokenSource`.
 */

import { keycloakPasswordToken, type TokenSource } from "@bucketry/auth/tokens";
import {
  CredentialsError,
  type Env,
  InvalidInputError,
  processEnv,
  readEnvTable,
  type SecretRegistry,
} from "@bucketry/core/internal";

/** The OAuth client Hitachi's own automation uses. */
export const VSP_OBJECT_DEFAULT_CLIENT_ID = "vsp-object-external-client";

/** How {@link VspOneObjectCredentials.tokenSource} fetches its tokens. */
export interface VspOneObjectTokenSourceOptions {
  fetch?: (request: Request) => Promise<Response>;
  marginMs?: number;
  secrets?: SecretRegistry;
}

/** Hitachi VSP One Object credentials and the URLs they imply. No secret is readable from it. */
export interface VspOneObjectCredentials {
  readonly cluster: string;
  readonly region: string;
  readonly username: string;
  readonly clientId: string;
  /** The Keycloak token endpoint, `https://admin.gms.{cluster}/ui/auth/realms/vsp-object/protocol/openid-connect/token`. */
  readonly tokenUrl: string;
  /** The Management API base, `https://admin.{region}.{cluster}/mapi`. */
  readonly mapiUrl: string;
  /** The bearer token source; call it once per client (each call has its own cache). */
  tokenSource(options?: VspOneObjectTokenSourceOptions): TokenSource;
}

/** The values {@link vspOneObjectCredentials} takes. */
export interface VspOneObjectCredentialsInit {
  cluster: string;
  region: string;
  username: string;
  password: string;
  /** `vsp-object-external-client` by default. */
  clientId?: string;
  clientSecret?: string;
}

type Field = keyof VspOneObjectCredentialsInit;

/** The environment variables {@link vspOneObjectCredentialsFromEnv} reads (our names; see the module comment). */
export const VSP_OBJECT_ENV = {
  cluster: "VSP_OBJECT_CLUSTER",
  region: "VSP_OBJECT_REGION",
  username: "VSP_OBJECT_USERNAME",
  password: "VSP_OBJECT_PASSWORD",
  clientId: "VSP_OBJECT_CLIENT_ID",
  clientSecret: "VSP_OBJECT_CLIENT_SECRET",
} as const satisfies Record<Field, string>;
const OPTIONS = /* @__PURE__ */ Object.fromEntries(
  Object.keys(VSP_OBJECT_ENV).map((field) => [field, field]),
) as Record<Field, string>;

/** Checks VSP One Object credentials given as values; a missing or malformed one throws a `CredentialsError` naming it. */
export function vspOneObjectCredentials(input: VspOneObjectCredentialsInit): VspOneObjectCredentials {
  return build(input as Partial<Record<Field, string>>, OPTIONS);
}

/**
 * Reads VSP One Object credentials from `VSP_OBJECT_*` variables (see the module comment); a missing
 * or malformed one throws a `CredentialsError` naming the variable.
 */
export function vspOneObjectCredentialsFromEnv(env: Env = processEnv()): VspOneObjectCredentials {
  return build(readEnvTable(VSP_OBJECT_ENV, env), VSP_OBJECT_ENV);
}

function build(
  values: Partial<Record<Field, string>>,
  names: Record<Field, string>,
): VspOneObjectCredentials {
  const cluster = hostName(names.cluster, required(names.cluster, values.cluster));
  const region = regionName(names.region, required(names.region, values.region));
  const username = required(names.username, values.username).trim();
  const password = secret(names.password, values.password);
  const clientId =
    values.clientId === undefined
      ? VSP_OBJECT_DEFAULT_CLIENT_ID
      : required(names.clientId, values.clientId).trim();
  const clientSecret =
    values.clientSecret === undefined ? undefined : secret(names.clientSecret, values.clientSecret);
  const tokenUrl = vspOneObjectTokenUrl(cluster);
  return Object.freeze({
    cluster,
    region,
    username,
    clientId,
    tokenUrl,
    mapiUrl: `https://admin.${region}.${cluster}/mapi`,
    tokenSource: (options: VspOneObjectTokenSourceOptions = {}) =>
      keycloakPasswordToken({
        tokenUrl,
        clientId,
        clientSecret,
        username,
        password,
        provider: "hitachi-vsp-one-object",
        ...options,
      }),
  });
}

function required(name: string, value: string | undefined): string {
  if (typeof value !== "string" || value.trim() === "") throw new CredentialsError(name, "is not set");
  return value;
}

function secret(name: string, value: string | undefined): string {
  required(name, value);
  // A secret pasted with its newline gets a 401 that says nothing; say it here instead.
  if (value !== value!.trim()) throw new CredentialsError(name, "has leading or trailing whitespace");
  return value!;
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const NOT_HOST = "must be a host name such as cluster.example.com (no scheme, no path)";

function hostName(name: string, value: string): string {
  const host = value.trim().toLowerCase();
  if (!HOST.test(host)) throw new CredentialsError(name, NOT_HOST);
  return host;
}

function regionName(name: string, value: string): string {
  const region = value.trim();
  if (!/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(region)) {
    throw new CredentialsError(name, "must be a region name such as us-west-2");
  }
  return region;
}

/** The VSP One Object identity provider's token endpoint for a cluster. */
export function vspOneObjectTokenUrl(cluster: string): string {
  if (typeof cluster !== "string" || !HOST.test(cluster)) throw new InvalidInputError("cluster", NOT_HOST);
  return `https://admin.gms.${cluster}/ui/auth/realms/vsp-object/protocol/openid-connect/token`;
}
