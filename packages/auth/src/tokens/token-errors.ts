/**
 * How a failed token (or CSRF cookie) request is reported, classified like any API call: no answer
 * is a `ConnectionError`, 429 a `RateLimitError`, 5xx a `ServerError`, a 2xx without what was asked
 * for a `MalformedResponseError` (all retried by the pipeline), and only a refusal of the
 * credentials (another 4xx) an `AuthenticationError`. Every registered secret (the password, the
 * client secret, issued tokens) is scrubbed from the message, the headers and the body.
 */
import {
  type ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConnectionError,
  type ErrorFormat,
  MalformedResponseError,
  NotFoundError,
  parseErrorBody,
  RateLimitError,
  redact,
  redactUrl,
  requestIdOf,
  type SecretRegistry,
  ServerError,
} from "@bucketry/core/internal";

/** Who asked whom, for the error message. */
export interface TokenEndpoint {
  /** The provider, e.g. `huaweicloud-iam`. */
  provider: string;
  /** What was requested, e.g. `token request` or `CSRF cookie request`. */
  what: string;
  method: string;
  url: string;
  secrets: SecretRegistry;
  /** The endpoint's error-body parser and request-id header (core's generic reading by default). */
  format?: ErrorFormat | undefined;
}

/** An error for a response that did not carry what was asked for; reads the body unless given `read`. */
export async function endpointFailed(
  endpoint: TokenEndpoint,
  response: Response,
  problem?: string,
  read?: string,
): Promise<ApiError> {
  const { status } = response;
  const text = read ?? (await response.text().catch(() => ""));
  const parsed = endpoint.format?.parse?.(text, response.headers) ?? parseErrorBody(text);
  const code = parsed.code && endpoint.secrets.scrub(parsed.code);
  // Scrubbed before it is cut short (a cut secret would no longer match), and bounded: a server
  // may answer with a whole HTML page.
  const summary = endpoint.secrets
    .scrub(problem ?? [code, parsed.message].filter(Boolean).join(": "))
    .slice(0, 500);
  const Class = response.ok
    ? MalformedResponseError
    : status === 429
      ? RateLimitError
      : status >= 500
        ? ServerError
        : status === 404
          ? NotFoundError
          : AuthenticationError;
  const requestId = requestIdOf(response.headers, endpoint.format);
  return new Class(`${where(endpoint)} failed with HTTP ${status}${summary ? ` (${summary})` : ""}`, {
    ...init(endpoint),
    status,
    code,
    requestId: requestId && endpoint.secrets.scrub(requestId),
    headers: redact(response.headers, endpoint.secrets),
    body: redact(parsed.body, endpoint.secrets),
  });
}

/** An error for a request that got no response at all (refused, reset, DNS, a CORS block). */
export function endpointUnreachable(endpoint: TokenEndpoint, cause: unknown): ConnectionError {
  const reason = cause instanceof Error ? `${cause.message}${causeCode(cause)}` : String(cause);
  return new ConnectionError(`${where(endpoint)} failed: ${endpoint.secrets.scrub(reason)}`, {
    ...init(endpoint),
    cause,
  });
}

function init(endpoint: TokenEndpoint): ApiErrorInit {
  return {
    provider: endpoint.provider,
    operation: endpoint.what,
    request: { method: endpoint.method, url: url(endpoint) },
  };
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
