/**
 * What every provider client shares: its transport options, and the checks of its endpoint and its
 * per-call options, so the five clients behave alike and a fix lands once.
 */
import { CredentialsError, InvalidInputError } from "./errors.js";
import type { FetchLike, PipelineEvent } from "./pipeline.js";
import type { RetryPolicy, TimeLimits } from "./policy.js";

/** Options every provider client takes besides its endpoint and credentials. */
export interface ClientOptions {
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: FetchLike | undefined;
  /** Retry settings (idempotent calls only), or `false` to send each request once. */
  retry?: RetryPolicy | false | undefined;
  /** Per-attempt and overall time limits, or `false` for none. */
  timeout?: TimeLimits | false | undefined;
  /** Headers sent (and signed) on every call, e.g. a trace id; `User-Agent` replaces the default. */
  headers?: Record<string, string> | undefined;
  /** Called with every request, response, retry and token or CSRF refresh, secrets redacted. */
  onEvent?: ((event: PipelineEvent) => void) | undefined;
  /** Asked before every attempt (e.g. a `createRateLimiter()` shared by many clients); none by default. */
  limiter?: RequestLimiter | undefined;
}

/** The keys of {@link ClientOptions}, for factories that refuse unknown options. */
export const CLIENT_OPTION_KEYS = ["fetch", "retry", "timeout", "headers", "onEvent", "limiter"] as const;

/**
 * Asked before every attempt, before it is signed (e.g. a token bucket that many clients share);
 * `bucketry` has one, `createRateLimiter()`. Time spent waiting in it does not count against `timeout`.
 */
export interface RequestLimiter {
  /** Resolves when one more request may be sent; rejects with the signal's reason if it aborts first. */
  take(signal: AbortSignal): Promise<void> | void;
  /** A request was throttled (429) and will be retried after `waitMs`: hold every request back as long. */
  throttled?(waitMs: number): void;
}

/** Per-call options every helper takes. */
export interface CallOptions {
  /** Cancels the call (an `AbortedError` is thrown). */
  signal?: AbortSignal | undefined;
}

/**
 * Checks an endpoint before anything is sent: an absolute `http:` or `https:` URL without query,
 * fragment or credentials. Returns it without a trailing slash, as openapi-fetch joins paths to it.
 */
export function parseEndpoint(value: unknown, field = "baseUrl"): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidInputError(field, "is required: an http(s) URL such as https://host.example");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(field, `is not a URL: ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError(field, `must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username || url.password) throw new InvalidInputError(field, "must not carry credentials");
  if (url.search || url.hash) throw new InvalidInputError(field, "must not have a query or fragment");
  return url.toString().replace(/\/+$/, "");
}

/** `value` as an absolute http(s) URL, or an `InvalidInputError` naming `field`. */
export function httpUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(field, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidInputError(field, "must be an http(s) URL");
  }
  return url;
}

/** A credential's text, trimmed unless `trim` is false, or a `CredentialsError` when missing or blank. */
export function requiredText(field: string, value: unknown, trim = true): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new CredentialsError(field, "is missing or empty");
  return trim ? value.trim() : value;
}

/** Checks the `headers` option: an object of string values. */
export function checkHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError("headers", 'must be an object like { "X-Trace-Id": "…" }');
  }
  for (const [name, field] of Object.entries(value)) {
    if (typeof field !== "string") throw new InvalidInputError(`headers.${name}`, "must be a string");
  }
  try {
    new Headers(value as Record<string, string>);
  } catch {
    throw new InvalidInputError("headers", "holds a name or value that is not a valid HTTP header");
  }
  return value as Record<string, string>;
}

/**
 * Checks a helper's per-call options (`{ signal }`, or undefined) before anything is sent, and
 * returns the signal.
 */
export function checkCallOptions(options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    throw new InvalidInputError("options", "must be an object like { signal }");
  }
  const { signal } = options as { signal?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidInputError(
      "signal",
      `must be an AbortSignal, not ${signal === null ? "null" : typeof signal}`,
    );
  }
  return signal;
}
