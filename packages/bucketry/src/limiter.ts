/**
 * A client-side rate limit: a token bucket (`rate` requests per second, up to `burst` at once) that
 * any number of clients share through their `limiter` option (core's pipeline asks it once per
 * attempt, before the attempt is signed). A throttled
 * answer (429) pauses the whole bucket for the wait the server asked for, so every client behind it
 * slows down together instead of each retrying into the same limit (the AWS SDK's adaptive mode
 * does the same with its client-side rate limiter).
 */
import { InvalidInputError, type RequestLimiter } from "@bucketry/core";

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Requests per second, on average (> 0). */
  rate: number;
  /** How many may go at once after a quiet spell (default: one second's worth, at least 1). */
  burst?: number | undefined;
  /** The clock, ms (default `Date.now`); tests pass their own with fake timers. */
  now?: (() => number) | undefined;
}

/** A token bucket with a first-come, first-served queue; also counts what it let through. */
export interface RateLimiter extends RequestLimiter {
  readonly rate: number;
  readonly burst: number;
  /** Requests let through so far, and throttled answers reported. */
  readonly stats: { taken: number; throttled: number };
}

// setTimeout fires at once for delays beyond a signed 32-bit integer.
const MAX_WAIT_MS = 2 ** 31 - 1;

/** A token bucket of `rate` per second and `burst` tokens; share one among the clients it limits. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { rate } = options ?? {};
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
    throw new InvalidInputError("rate", "must be a number of requests per second above 0");
  }
  const burst = options.burst ?? Math.max(1, rate);
  if (typeof burst !== "number" || !Number.isFinite(burst) || burst < 1) {
    throw new InvalidInputError("burst", "must be a number of at least 1");
  }
  const now = options.now ?? Date.now;
  let tokens = burst;
  let last = now();
  let pausedUntil = 0;
  const queue: { resolve: () => void; reject: (reason: unknown) => void; signal: AbortSignal }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stats = { taken: 0, throttled: 0 };

  const refill = (at: number) => {
    tokens = Math.min(burst, tokens + ((at - Math.max(last, pausedUntil)) / 1000) * rate);
    last = Math.max(last, at);
  };
  // Hands tokens to the queue in order; arms one timer for the next token when it runs dry.
  const drain = () => {
    timer = undefined;
    const at = now();
    if (at >= pausedUntil) refill(at);
    while (queue.length > 0 && at >= pausedUntil && tokens >= 1) {
      tokens -= 1;
      stats.taken += 1;
      queue.shift()!.resolve();
    }
    if (queue.length === 0) return;
    const wait = at < pausedUntil ? pausedUntil - at : ((1 - tokens) / rate) * 1000;
    // Not unref'd: someone is waiting for it, and a process must not exit under them.
    timer = setTimeout(drain, Math.min(MAX_WAIT_MS, Math.max(1, Math.ceil(wait))));
  };

  return {
    rate,
    burst,
    stats,
    take(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const at = now();
      if (queue.length === 0 && at >= pausedUntil) {
        refill(at);
        if (tokens >= 1) {
          tokens -= 1;
          stats.taken += 1;
          return;
        }
      }
      return new Promise<void>((resolve, reject) => {
        const entry = {
          signal,
          resolve: () => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          },
          reject,
        };
        const onAbort = () => {
          const index = queue.indexOf(entry);
          if (index >= 0) queue.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
        if (timer === undefined) drain();
      });
    },
    throttled(waitMs) {
      stats.throttled += 1;
      const at = now();
      if (at >= pausedUntil) refill(at);
      // No saved-up burst after a throttle: the burst is what the server just refused.
      tokens = Math.min(tokens, 0);
      pausedUntil = Math.max(pausedUntil, at + Math.max(0, waitMs));
      if (queue.length > 0) {
        if (timer !== undefined) clearTimeout(timer);
        drain();
      }
    },
  };
}
