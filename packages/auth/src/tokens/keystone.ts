/**
 * OpenStack Keystone v3 password tokens: one implementation for Huawei Cloud IAM and NAVER Cloud
 * Archive Storage. `POST {endpoint}/v3/auth/tokens` with the password method and a project scope;
 * success is HTTP 201 with the token in the `X-Subject-Token` header (not the body) and its expiry in
 * the body's `token.expires_at`. Tokens live 24 hours on both clouds; we renew them 5 minutes early.
 */
import {
  type ErrorFormat,
  httpUrl,
  InvalidInputError,
  parseErrorBody,
  record,
  requiredText,
  SecretRegistry,
  text,
} from "@bucketry/core/internal";
import { cachedTokenSource, Token, type TokenSource } from "./token.js";
import { endpointFailed, endpointUnreachable, type TokenEndpoint } from "./token-errors.js";

/** A Keystone domain or project, by id or by name. */
export type KeystoneRef = { id: string } | { name: string };

/** Options of {@link keystoneV3Token}. */
export interface KeystoneV3TokenOptions {
  /** The identity endpoint, with or without `/v3`, e.g. `https://kr.archive.ncloudstorage.com:5000/v3`. */
  endpoint: string;
  /** The user name (NAVER: the access key id). */
  username: string;
  /** The password (NAVER: the secret key). */
  password: string;
  /** The user's domain (Huawei: the account name; NAVER: the domain id). */
  domain: KeystoneRef;
  /** The project the token is scoped to (Huawei: project id or region name; NAVER: project id). */
  project: KeystoneRef;
  /** Adds `?nocatalog=true`, which spares Huawei IAM sending its large service catalog. */
  noCatalog?: boolean;
  /** The fetch for the token request; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Renew this long before expiry (at most half the lifetime); 5 minutes by default. */
  marginMs?: number;
  /** Where the password and every issued token are registered, so error bodies are scrubbed of them. */
  secrets?: SecretRegistry;
  /** The provider named in errors; `keystone` by default. */
  provider?: string;
  /** How the provider's Keystone reports errors; {@link KEYSTONE_ERRORS} by default. */
  errors?: ErrorFormat;
}

/** Keystone's `{error: {code: 401, title, message}}` (the title names the numeric code) and `X-Openstack-Request-Id`. */
export const KEYSTONE_ERRORS: ErrorFormat = {
  requestId: "x-openstack-request-id",
  parse: (body) =>
    parseErrorBody(body, (json) => {
      const error = record(record(json).error);
      return { code: text(error.code) ?? text(error.title), message: text(error.message) };
    }),
};

/**
 * A cached, single-flight {@link TokenSource} of Keystone v3 project-scoped tokens. Bad options throw
 * an `InvalidInputError`/`CredentialsError` at once; a failed token request (not 201, no
 * `X-Subject-Token`, no response) rejects with a typed error naming the endpoint, never the password:
 * `AuthenticationError` only when the credentials are refused (see token-errors.ts).
 */
export function keystoneV3Token(options: KeystoneV3TokenOptions): TokenSource {
  const url = tokenUrl(options.endpoint, options.noCatalog ?? false);
  const username = requiredText("username", options.username);
  const password = requiredText("password", options.password, false);
  const body = JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { name: username, password, domain: ref("domain", options.domain) } },
      },
      scope: { project: ref("project", options.project) },
    },
  });
  const secrets = options.secrets ?? new SecretRegistry();
  secrets.add(password);
  const endpoint: TokenEndpoint = {
    provider: options.provider ?? "keystone",
    what: "token request",
    method: "POST",
    url,
    secrets,
    format: options.errors ?? KEYSTONE_ERRORS,
  };
  const send = options.fetch ?? ((request: Request) => fetch(request));

  return cachedTokenSource(
    async (signal) => {
      const request = new Request(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body,
        signal,
      });
      let response: Response;
      try {
        response = await send(request);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw endpointUnreachable(endpoint, error);
      }
      if (response.status !== 201) throw await endpointFailed(endpoint, response);
      const value = response.headers.get("x-subject-token");
      if (!value) throw await endpointFailed(endpoint, response, "no X-Subject-Token header in the answer");
      secrets.add(value);
      // The expiry is a courtesy: without it the token is kept until the service refuses it (401).
      const json: unknown = await response.json().catch(() => undefined);
      return new Token(value, expiresAt(json));
    },
    { marginMs: options.marginMs },
  );
}

/** `{endpoint}/v3/auth/tokens`, whether the endpoint was given with `/v3`, with `/v3/auth/tokens` or bare. */
function tokenUrl(endpoint: string, noCatalog: boolean): string {
  const url = httpUrl(endpoint, "endpoint");
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/v3/auth/tokens")) path = `${path.endsWith("/v3") ? path : `${path}/v3`}/auth/tokens`;
  url.pathname = path;
  url.hash = "";
  if (noCatalog) url.searchParams.set("nocatalog", "true");
  return url.toString();
}

function ref(field: "domain" | "project", value: KeystoneRef | undefined): KeystoneRef {
  const { id, name } = (value ?? {}) as { id?: unknown; name?: unknown };
  if ((id === undefined) === (name === undefined)) {
    throw new InvalidInputError(field, "give exactly one of `id` and `name`");
  }
  return id === undefined
    ? { name: requiredText(`${field}.name`, name) }
    : { id: requiredText(`${field}.id`, id) };
}

/** `token.expires_at` (ISO 8601, often with microseconds, which not every engine parses). */
function expiresAt(body: unknown): Date | undefined {
  const raw = (body as { token?: { expires_at?: unknown } } | undefined)?.token?.expires_at;
  if (typeof raw !== "string") return undefined;
  const time = Date.parse(raw.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(time) ? undefined : new Date(time);
}
