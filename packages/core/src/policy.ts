/**
 * The retry and time-limit options every client takes, checked once and resolved to what the
 * pipeline needs. Backoff is exponential with full jitter (anywhere in [0, ceiling)), so clients
 * that failed together do not retry together; a server's `Retry-After` may ask for more.
 */
import { InvalidInputError } from "./errors.js";

/** Retry settings. 429, 500, 502, 503, 504 and network failures are retried for idempotent calls. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 3 by default. */
  maxAttempts?: number | undefined;
  /** Attempts in all when the answers are throttled (429), if more than `maxAttempts`; `maxAttempts` by default. */
  maxThrottledAttempts?: number | undefined;
  /** No wait starts that would end later than this after the first attempt began; 60 s by default. */
  maxElapsedMs?: number | undefined;
  /** The backoff ceiling before the first retry, doubled for each later one; 250 ms by default. */
  baseDelayMs?: number | undefined;
  /** The largest backoff ceiling (a server's `Retry-After` may ask for more); 20 s by default. */
  maxDelayMs?: number | undefined;
  /** A source of numbers in [0, 1) for the jitter; `Math.random` by default (tests pass their own). */
  random?: (() => number) | undefined;
}

/** Time limits in milliseconds; `Infinity` turns one off. */
export interface TimeLimits {
  /** The longest one attempt may take, to the end of its body; 30 s by default. */
  attemptMs?: number | undefined;
  /** The longest the whole call may take, retries and their waits included; 120 s by default. */
  totalMs?: number | undefined;
}

/** A checked {@link RetryPolicy}. */
export interface ResolvedRetry {
  maxAttempts: number;
  maxThrottledAttempts: number;
  maxElapsedMs: number;
  /** The wait after `failures` failed attempts, at least `askedMs`. */
  delay(failures: number, askedMs: number): number;
}

// setTimeout fires at once for delays beyond a signed 32-bit integer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks retry options (`retry.*` in errors) and resolves the defaults. */
export function resolveRetry(options: RetryPolicy = {}): ResolvedRetry {
  if (options === null || typeof options !== "object") {
    throw new InvalidInputError("retry", "must be an object like { maxAttempts: 3 }, or false");
  }
  const maxAttempts = count("retry.maxAttempts", options.maxAttempts, 3, 1);
  if (!Number.isInteger(maxAttempts))
    throw new InvalidInputError("retry.maxAttempts", "must be a whole number");
  const maxThrottledAttempts = count(
    "retry.maxThrottledAttempts",
    options.maxThrottledAttempts,
    maxAttempts,
    1,
  );
  if (!Number.isInteger(maxThrottledAttempts))
    throw new InvalidInputError("retry.maxThrottledAttempts", "must be a whole number");
  const maxElapsedMs = count("retry.maxElapsedMs", options.maxElapsedMs, 60_000, 0);
  const baseDelayMs = count("retry.baseDelayMs", options.baseDelayMs, 250, 0);
  const maxDelayMs = count("retry.maxDelayMs", options.maxDelayMs, 20_000, 0);
  const random = options.random ?? Math.random;
  if (typeof random !== "function") throw new InvalidInputError("retry.random", "must be a function");
  return {
    maxAttempts,
    maxThrottledAttempts,
    maxElapsedMs,
    delay: (failures, askedMs) =>
      Math.max(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1)), askedMs),
  };
}

/** Checks time limits (`timeout.*` in errors) and resolves the defaults. */
export function resolveTimeout(options: TimeLimits = {}): { attemptMs: number; totalMs: number } {
  if (options === null || typeof options !== "object") {
    throw new InvalidInputError("timeout", "must be an object like { attemptMs: 30000 }, or false");
  }
  return {
    attemptMs: limit("timeout.attemptMs", options.attemptMs, 30_000),
    totalMs: limit("timeout.totalMs", options.totalMs, 120_000),
  };
}

function count(field: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new InvalidInputError(field, `must be a finite number of at least ${min}`);
  }
  return value;
}

function limit(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new InvalidInputError(
      field,
      `must be a number of milliseconds in (0, ${MAX_TIMER_MS}] or Infinity`,
    );
  }
  return value;
}
