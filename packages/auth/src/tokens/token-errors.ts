/**
 * How a failed token (or CSRF cookie) request is reported: always an `AuthenticationError` that names
 * the endpoint and the status, with every registered secret (the password, the client secret, issued
 * tokens) scrubbed from the message and the body, even when the server echoes them back.
 */
import {
  AuthenticationError,
  parseErrorBody,
  redactHeaders,
  redactUrl,
  requestIdOf,
  type SecretRegistry,
} from "@bucketry/core";

/** Who asked whom, for the error message. */
export interface TokenEndpoint {
  /** The provider, e.g. `huaweicloud-iam`. */
  provider: string;
  /** What was requested, e.g. `token request` or `CSRF cookie request`. */
  what: string;
  method: string;
  url: string;
  secrets: SecretRegistry;
}

/** An error for a response that did not carry what was asked for; reads (and so consumes) the body. */
export async function endpointFailed(
  endpoint: TokenEndpoint,
  response: Response,
  problem?: string,
): Promise<AuthenticationError> {
  const text = await response.text().catch(() => "");
  const parsed = parseErrorBody(text, response.headers);
  const oauth = oauthError(parsed.body);
  const rawCode = parsed.code ?? oauth.code;
  const code = rawCode && endpoint.secrets.scrub(rawCode);
  const detail = parsed.message ?? oauth.message;
  // Scrubbed before it is cut short (a cut secret would no longer match), and bounded: a server
  // may answer with a whole HTML page.
  const summary = endpoint.secrets.scrub(problem ?? [code, detail].filter(Boolean).join(": ")).slice(0, 500);
  return new AuthenticationError(
    `${where(endpoint)} failed with HTTP ${response.status}${summary ? ` (${summary})` : ""}`,
    {
      provider: endpoint.provider,
      operation: endpoint.what,
      status: response.status,
      code,
      requestId: requestIdOf(response.headers),
      request: { method: endpoint.method, url: url(endpoint) },
      headers: redactHeaders(response.headers),
      body: endpoint.secrets.redact(parsed.body),
    },
  );
}

/** An error for a request that got no response at all (refused, reset, DNS). */
export function endpointUnreachable(endpoint: TokenEndpoint, cause: unknown): AuthenticationError {
  const reason = cause instanceof Error ? `${cause.message}${causeCode(cause)}` : String(cause);
  return new AuthenticationError(`${where(endpoint)} failed: ${endpoint.secrets.scrub(reason)}`, {
    provider: endpoint.provider,
    operation: endpoint.what,
    request: { method: endpoint.method, url: url(endpoint) },
    cause,
  });
}

function where(endpoint: TokenEndpoint): string {
  return `${endpoint.provider} ${endpoint.what} to ${url(endpoint)}`;
}

function url(endpoint: TokenEndpoint): string {
  return endpoint.secrets.scrub(redactUrl(endpoint.url));
}

// undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in `cause.code`.
function causeCode(error: Error): string {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? ` (${code})` : "";
}

// OAuth 2.0 (Keycloak) errors are `{error, error_description}`, a shape the shared parser does not read.
function oauthError(body: unknown): { code?: string; message?: string } {
  if (body === null || typeof body !== "object") return {};
  const { error, error_description: description } = body as Record<string, unknown>;
  return {
    code: typeof error === "string" ? error : undefined,
    message: typeof description === "string" ? description : undefined,
  };
}
