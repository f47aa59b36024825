/**
 * What every provider client shares: its options for fetch, retries and timeouts, the order its
 * middlewares run in, and the check of its endpoint. Keeping them here means the five clients
 * behave the same way and a fix lands once.
 */
import { InvalidInputError } from "./errors.js";
import { mapNetworkErrors } from "./network-errors.js";
import { type BodyCheck, readBody } from "./read-body.js";
import type { SecretRegistry } from "./redact.js";
import { type RetryOptions, retry } from "./retry.js";
import { type TimeoutOptions, timeout } from "./timeout.js";

/** A fetch the clients can send with (the global one, or a test's or a proxy's). */
export type FetchLike = (request: Request) => Promise<Response>;

/** Options every provider client takes besides its endpoint and credentials. */
export interface ClientOptions {
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: FetchLike;
  /** Retry settings (idempotent calls only by default), or `false` to send each request once. */
  retry?: RetryOptions | false;
  /** Per-attempt and overall time limits, or `false` for none. */
  timeout?: TimeoutOptions | false;
}

/** The part of an openapi-fetch client this module needs. */
interface UsesMiddleware {
  use(...middleware: import("openapi-fetch").Middleware[]): void;
}

/**
 * Registers the standard chain, outermost first: typed network errors, body reading, time limits,
 * the provider's auth, then retries (innermost, so every attempt is signed afresh). Every answer's
 * body is read in full inside the chain (see read-body.ts); `parseAs: "stream"` calls are not.
 */
export function useStandardMiddleware(
  client: UsesMiddleware,
  options: ClientOptions & {
    provider: string;
    auth: import("openapi-fetch").Middleware[];
    secrets?: SecretRegistry;
    /** Operations that are safe to retry although their method is not idempotent. */
    safe?: RetryOptions["safe"];
    /** A name for each operation in errors (its `operationId`). */
    operation?: (call: { method: string; schemaPath: string }) => string | undefined;
    /** A check of each 2xx body besides the built-in JSON one (e.g. a listing that must be complete). */
    validate?: BodyCheck;
  },
): void {
  const { validate } = options;
  client.use(
    mapNetworkErrors({ provider: options.provider, secrets: options.secrets, operation: options.operation }),
    // Outside the auth middlewares: reads what retry() did not (retries off, or an answer auth fetched again).
    readBody({ validate }),
  );
  if (options.timeout !== false) client.use(timeout(options.timeout));
  client.use(...options.auth);
  if (options.retry !== false) client.use(retry({ safe: options.safe, validate, ...options.retry }));
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

/**
 * Checks one path parameter before it is sent: non-empty, within `maxLength`, matching `pattern`,
 * and never `.`/`..` or containing `/` (a URL parser would resolve those into another resource).
 */
export function checkPathParameter(
  value: unknown,
  field: string,
  rule: { pattern: RegExp; maxLength?: number; hint: string },
): string {
  if (typeof value !== "string" || value === "")
    throw new InvalidInputError(field, `is required (${rule.hint})`);
  if (value === "." || value === ".." || value.includes("/")) {
    throw new InvalidInputError(field, `must not be "." or ".." or contain "/" (${rule.hint})`);
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw new InvalidInputError(
      field,
      `is ${value.length} characters, at most ${rule.maxLength} allowed (${rule.hint})`,
    );
  }
  if (!rule.pattern.test(value)) throw new InvalidInputError(field, `is malformed (${rule.hint})`);
  return value;
}
