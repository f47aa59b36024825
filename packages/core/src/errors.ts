/**
 * One error family for every provider. Everything a client throws is a `BucketryError`:
 * `InvalidInputError` for bad input caught before anything is sent, `ApiError` and its subclasses
 * for what went wrong on the wire. Messages, headers and bodies are redacted when the error is made,
 * so `message`, `stack`, `JSON.stringify` and `util.inspect` are all safe to log.
 */
import { type ErrorFormat, parseErrorBody, requestIdOf } from "./error-bodies.js";

export { requestIdOf };

import { redact, redactText, redactUrl, type SecretRegistry } from "./redact.js";

/** Every `name` an {@link ApiError} has, so `error.name` narrows like `instanceof`. */
export type ApiErrorName =
  | "ApiError"
  | "AuthenticationError"
  | "PermissionError"
  | "NotFoundError"
  | "RateLimitError"
  | "ServerError"
  | "ConnectionError"
  | "TimeoutError"
  | "AbortedError"
  | "MalformedResponseError";

/** The base of every error a Bucketry client throws. */
export class BucketryError extends Error {
  // A string, so errors of other packages (the facade's) extend it; every subclass names a literal.
  override name: string = "BucketryError";
}

/**
 * Bad input (an option, a parameter, a credential) caught before any request is sent. `field` names
 * the offending option, parameter or environment variable.
 */
export class InvalidInputError extends BucketryError {
  override name: "InvalidInputError" | "CredentialsError" = "InvalidInputError";
  constructor(
    /** The option, parameter or environment variable at fault, e.g. `projectId` or `HUAWEICLOUD_SDK_AK`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A credential that is missing or malformed, named by its option or environment variable. */
export class CredentialsError extends InvalidInputError {
  override name = "CredentialsError" as const;
}

/** What every {@link ApiError} knows about the call that failed. */
export interface ApiErrorInit {
  /** The provider, e.g. `huaweicloud-mpc`. */
  provider: string;
  /** The operation, e.g. `listAllBuckets`, or the token endpoint's name. */
  operation: string;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** The provider's own error code, e.g. `MPC.10208` or `AccessDenied`. */
  code?: string;
  /** The request id the provider assigned (`X-Request-Id`, `X-Trans-Id`, `x-amz-request-id`, ...). */
  requestId?: string;
  /** The method and URL of the request, secrets redacted. */
  request?: { method: string; url: string };
  /** The response headers, secrets redacted. */
  headers?: Record<string, string>;
  /** The response body (parsed JSON or text), secrets redacted. */
  body?: unknown;
  /** What caused it (a network error, an abort), for connection errors. */
  cause?: unknown;
  /** Attempts the call made, retries and token or CSRF refreshes included. */
  attempts?: number;
}

/** What {@link ApiError.fromResponse} needs to know about the call. */
export interface ErrorContext {
  /** The provider, e.g. `huaweicloud-mpc`. */
  provider: string;
  /** The operation, e.g. `listAllBuckets`. */
  operation: string;
  /** The request (only its method and URL are kept, redacted). */
  request?: Request | { method: string; url: string };
  /** Secret values to scrub from everything the error keeps. */
  secrets?: SecretRegistry;
  /** Attempts the call made (see {@link ApiError.attempts}). */
  attempts?: number;
  /** The provider's error-body parser and request-id header. */
  format?: ErrorFormat | undefined;
}

/** An HTTP call that failed: an error status, or no usable response at all. */
export class ApiError extends BucketryError {
  override name: ApiErrorName = "ApiError";
  readonly provider: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly request: { method: string; url: string } | undefined;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** Attempts the call made, retries and token or CSRF refreshes included; undefined when unknown. */
  attempts: number | undefined;

  constructor(message: string, init: ApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.provider = init.provider;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.request = init.request;
    this.headers = init.headers ?? {};
    this.body = init.body;
    this.attempts = init.attempts;
  }

  /**
   * Whether the failure is transient, so the same request may succeed later: a connection failure,
   * an attempt's timeout, 429, 500/502/503/504, or a 2xx body that broke off or did not parse. The
   * pipeline retries these for requests that are safe to send twice.
   */
  get retryable(): boolean {
    return this.status !== undefined && RETRYABLE_STATUSES.has(this.status);
  }

  /**
   * Reads a failed response into the matching subclass, with the code and message parsed from every
   * documented error body shape and the request id from whichever header the provider uses.
   */
  static async fromResponse(response: Response, context: ErrorContext): Promise<ApiError> {
    const text = await response.text().catch(() => "");
    return ApiError.fromParts(response.status, response.headers, text, context);
  }

  /**
   * Like {@link ApiError.fromResponse}, from a status, headers and body text already read. Secret
   * headers, secret-named fields and every value registered in `context.secrets` are redacted.
   */
  static fromParts(status: number, headers: Headers, text: string, context: ErrorContext): ApiError {
    const scrub = (s: string) => redactText(context.secrets?.scrub(s) ?? s);
    const parsed = context.format?.parse?.(text, headers) ?? parseErrorBody(text);
    const body = redact(parsed.body, context.secrets);
    const detail = parsed.message ? scrub(parsed.message) : undefined;
    const code = parsed.code ? scrub(parsed.code) : undefined;
    const summary = [code, detail].filter(Boolean).join(": ");
    const message = `${context.provider} ${context.operation} failed with HTTP ${status}${summary ? ` (${summary})` : ""}`;
    const Class = errorClassFor(status);
    const requestId = requestIdOf(headers, context.format) ?? parsed.requestId;
    return new Class(message, {
      provider: context.provider,
      operation: context.operation,
      status,
      code,
      requestId: requestId && scrub(requestId),
      request: context.request && {
        method: context.request.method,
        url: scrub(redactUrl(context.request.url)),
      },
      headers: redact(headers, context.secrets),
      body,
      attempts: context.attempts,
    });
  }

  /** Keeps secrets' absence explicit in JSON: only the redacted, documented fields. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      request: this.request,
      headers: this.headers,
      body: this.body,
      attempts: this.attempts,
      retryable: this.retryable,
    };
  }
}

/** 401: the credentials or token were refused (or a token could not be obtained). */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError" as const;
}
/** 403: authenticated, but not allowed (or a CSRF / signature check failed). */
export class PermissionError extends ApiError {
  override name = "PermissionError" as const;
}
/** 404: the resource (user, account) does not exist. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError" as const;
}
/** 429: throttled; `retryAfterMs` is what the server asked for, when it said. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError" as const;
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers["retry-after"]);
  }
}
/** 5xx: the server failed. */
export class ServerError extends ApiError {
  override name = "ServerError" as const;
}
/** No response: the connection failed, was reset, or the body could not be read. */
export class ConnectionError extends ApiError {
  override name: "ConnectionError" | "TimeoutError" = "ConnectionError";
  override get retryable(): boolean {
    return true;
  }
}
/** The attempt or the whole call ran out of time; `scope` says which limit. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError" as const;
  /** `attempt` (one attempt's limit: retried), `total` (the call's deadline) or `caller` (the caller's own timeout signal). */
  readonly scope: "attempt" | "total" | "caller";
  constructor(message: string, init: ApiErrorInit & { scope?: "attempt" | "total" | "caller" }) {
    super(message, init);
    this.scope = init.scope ?? "attempt";
  }
  override get retryable(): boolean {
    return this.scope === "attempt";
  }
}
/** The caller's own `AbortSignal` cancelled the call. */
export class AbortedError extends ApiError {
  override name = "AbortedError" as const;
}
/**
 * A 2xx answer that arrived whole but cannot be used: a body that does not parse, or one that is
 * not what the operation documents. `code` is `MalformedResponse`. No body is kept unless its maker
 * passes one (redacted): an answer may hold secret keys.
 */
export class MalformedResponseError extends ApiError {
  override name = "MalformedResponseError" as const;
  constructor(message: string, init: ApiErrorInit) {
    super(message, { ...init, code: init.code ?? "MalformedResponse" });
  }
  override get retryable(): boolean {
    return true;
  }
}

/**
 * A {@link MalformedResponseError} for `response`: "`provider operation` answered HTTP `status` with
 * `what`", e.g. `what` = "an unexpected body: \"buckets\" must be an array". `what` must not quote
 * the body; it is scrubbed of registered secrets all the same. `body`, when given, is redacted.
 */
export function malformedResponse(
  response: Response,
  what: string,
  context: ErrorContext,
  body?: unknown,
): MalformedResponseError {
  const init = answerInit(response, context);
  const message = scrubber(context)(
    `${context.provider} ${context.operation} answered HTTP ${response.status} with ${what}`,
  );
  return new MalformedResponseError(message, {
    ...init,
    body: body === undefined ? undefined : redact(body, context.secrets),
  });
}

/**
 * What a provider's reader of a 2xx body throws when the body is not the documented shape: the
 * message names the field and what was expected, never a value. {@link readBody} turns it into the
 * call's {@link MalformedResponseError}, so every provider reports a wrong shape the same way.
 */
export class UnexpectedShape extends Error {
  override name = "UnexpectedShape";
  constructor(
    message: string,
    /** What of the body the error may keep (redacted), e.g. only the offending entry. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/**
 * `read()`'s result; an {@link UnexpectedShape} it throws becomes a {@link MalformedResponseError}
 * for `response` ("answered HTTP 200 with an unexpected body: …").
 */
export function readBody<T>(
  response: Response,
  context: ErrorContext,
  read: () => T,
  /** What of the body to keep when the error names none, e.g. its first 2000 characters. */
  body?: () => unknown,
): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnexpectedShape)) throw error;
    const kept = error.body ?? body?.();
    throw malformedResponse(response, `an unexpected body: ${error.message}`, context, kept);
  }
}

/** Internal: what an error about an answer keeps of it (status, request id, headers), secrets redacted. */
export function answerInit(response: Response, context: ErrorContext): ApiErrorInit {
  const scrub = scrubber(context);
  const requestId = requestIdOf(response.headers, context.format);
  return {
    provider: context.provider,
    operation: context.operation,
    status: response.status,
    requestId: requestId && scrub(requestId),
    request: context.request && {
      method: context.request.method,
      url: scrub(redactUrl(context.request.url)),
    },
    headers: redact(response.headers, context.secrets),
  };
}

function scrubber(context: ErrorContext): (text: string) => string {
  return (text) => redactText(context.secrets?.scrub(text) ?? text);
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Whether an answer with this status is worth another attempt (429 and the transient 5xx). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

function errorClassFor(status: number): typeof ApiError {
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return ApiError;
}

/** `Retry-After` in milliseconds, from delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
