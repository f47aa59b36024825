/**
 * Keycloak (OpenID Connect) password-grant tokens, as Hitachi VSP One Object's identity provider
 * issues them: `POST …/protocol/openid-connect/token` with a form body, answered with JSON
 * `access_token` and `expires_in` (seconds). While the last answer's `refresh_token` is valid it is
 * used first, falling back to the password grant when the refresh is refused.
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

/** Options of {@link keycloakPasswordToken}. */
export interface KeycloakPasswordTokenOptions {
  /** The realm's token endpoint, e.g. `https://idp.example/realms/{realm}/protocol/openid-connect/token`. */
  tokenUrl: string;
  /** The OAuth client, e.g. `vsp-object-external-client`. */
  clientId: string;
  /** The client secret, for confidential clients. */
  clientSecret?: string;
  username: string;
  password: string;
  /** The fetch for the token requests; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Renew this long before expiry (at most half the lifetime); 5 minutes by default. */
  marginMs?: number;
  /** Where the password, client secret and issued tokens are registered, so error bodies are scrubbed of them. */
  secrets?: SecretRegistry;
  /** The provider named in errors; `keycloak` by default. */
  provider?: string;
  /** How the token endpoint reports errors; OAuth's `{error, error_description}` by default. */
  errors?: ErrorFormat;
}

/** OAuth 2.0's error answer (RFC 6749 §5.2): `{error: "invalid_grant", error_description}`. */
export const OAUTH_ERRORS: ErrorFormat = {
  parse: (body) =>
    parseErrorBody(body, (json) => {
      const { error, error_description } = record(json);
      return { code: text(error), message: text(error_description) };
    }),
};

/**
 * A cached, single-flight {@link TokenSource} of Keycloak access tokens, renewed before they expire.
 * A failed token request rejects with a typed error naming the endpoint, never the password
 * (`AuthenticationError` when the credentials are refused; see token-errors.ts).
 */
export function keycloakPasswordToken(options: KeycloakPasswordTokenOptions): TokenSource {
  const url = endpointUrl(options);
  const clientId = requiredText("clientId", options.clientId);
  const username = requiredText("username", options.username);
  const password = requiredText("password", options.password, false);
  const clientSecret =
    options.clientSecret === undefined
      ? undefined
      : requiredText("clientSecret", options.clientSecret, false);
  const secrets = options.secrets ?? new SecretRegistry();
  secrets.add(password, clientSecret);
  const endpoint: TokenEndpoint = {
    provider: options.provider ?? "keycloak",
    what: "token request",
    method: "POST",
    url,
    secrets,
    format: options.errors ?? OAUTH_ERRORS,
  };
  const send = options.fetch ?? ((request: Request) => fetch(request));
  let refresh: { token: string; expiresAt: number } | undefined;

  async function grant(fields: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const form = new URLSearchParams({ ...fields, client_id: clientId });
    if (clientSecret !== undefined) form.set("client_secret", clientSecret);
    const request = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form.toString(),
      signal,
    });
    try {
      return await send(request);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw endpointUnreachable(endpoint, error);
    }
  }

  return cachedTokenSource(
    async (signal) => {
      const sentAt = Date.now();
      let response: Response | undefined;
      if (refresh && sentAt < refresh.expiresAt) {
        response = await grant({ grant_type: "refresh_token", refresh_token: refresh.token }, signal);
        if (!response.ok) {
          // An expired or revoked session: forget it and log in again.
          await response.body?.cancel().catch(() => {});
          response = undefined;
        }
      }
      refresh = undefined;
      response ??= await grant({ grant_type: "password", username, password }, signal);
      if (!response.ok) throw await endpointFailed(endpoint, response);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        // An answer that broke off is a network failure, retried like one.
        if (signal.aborted) throw signal.reason;
        throw endpointUnreachable(endpoint, error);
      }
      const json = parseJson(text);
      const accessToken = json?.access_token;
      if (typeof accessToken !== "string" || accessToken === "") {
        throw await endpointFailed(endpoint, response, "no access_token in the answer", text);
      }
      secrets.add(accessToken);
      if (typeof json?.refresh_token === "string" && json.refresh_token !== "") {
        secrets.add(json.refresh_token);
        // Keycloak says how long the refresh token lives; 0 means "as long as the session".
        const seconds = positiveSeconds(json.refresh_expires_in);
        refresh = {
          token: json.refresh_token,
          expiresAt: seconds ? sentAt + seconds * 1000 : Number.POSITIVE_INFINITY,
        };
      }
      // Timed from when the request was sent, so network delay only makes us renew earlier.
      const lifetime = positiveSeconds(json?.expires_in);
      return new Token(accessToken, lifetime ? new Date(sentAt + lifetime * 1000) : undefined);
    },
    { marginMs: options.marginMs },
  );
}

function endpointUrl(options: KeycloakPasswordTokenOptions): string {
  if (options.tokenUrl === undefined) throw new InvalidInputError("tokenUrl", "is required");
  return httpUrl(options.tokenUrl, "tokenUrl").toString();
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function positiveSeconds(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
