/**
 * A value (a token, a pair of CSRF cookies) cached until it is due for renewal and loaded by at
 * most one request at a time: however many callers arrive while it is missing or stale, they all
 * wait for the same load. A failed load is not cached, so the next caller tries again.
 */

/** A cached value with single-flight loading. */
export interface SingleFlightCache<T> {
  /** The cached value, or the result of the one load in flight (started if none is). */
  get(signal?: AbortSignal): Promise<T>;
  /** The cached value while it is fresh, without waiting; undefined when a load is due. */
  peek(): T | undefined;
  /** Drops the cached value; with `value`, only if the cache still holds that value. */
  invalidate(value?: T): void;
  /** Replaces the cached value (e.g. with cookies a response has rotated). */
  set(value: T): void;
}

/** How {@link singleFlightCache} decides freshness and identity. */
export interface SingleFlightOptions<T> {
  /** When (epoch ms) a value loaded at `loadedAt` is due for renewal; never, by default. */
  renewAt?: (value: T, loadedAt: number) => number;
  /** Whether two values are the same one (for `invalidate(value)`); `===` by default. */
  same?: (a: T, b: T) => boolean;
  /** The clock, for tests. */
  now?: () => number;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/** Makes a {@link SingleFlightCache} around `load`. */
export function singleFlightCache<T>(
  load: (signal: AbortSignal) => Promise<T>,
  options: SingleFlightOptions<T> = {},
): SingleFlightCache<T> {
  const now = options.now ?? (() => Date.now());
  const renewAt = options.renewAt ?? (() => Number.POSITIVE_INFINITY);
  const same = options.same ?? ((a, b) => a === b);
  let cached: { value: T; renewAt: number } | undefined;
  let flight: Flight<T> | undefined;

  function start(): Flight<T> {
    const controller = new AbortController();
    const loadedAt = now();
    const current: Flight<T> = { controller, waiters: 0, promise: undefined as unknown as Promise<T> };
    current.promise = (async () => {
      try {
        const value = await load(controller.signal);
        if (flight === current) cached = { value, renewAt: renewAt(value, loadedAt) };
        return value;
      } finally {
        // Cleared before the promise settles, so a waiter that retries after a failure starts afresh.
        if (flight === current) flight = undefined;
      }
    })();
    current.promise.catch(() => {}); // every waiter may have gone: never an unhandled rejection
    flight = current;
    return current;
  }

  function wait(current: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    current.waiters++;
    if (!signal) return current.promise;
    return new Promise<T>((resolve, reject) => {
      // One caller giving up must not fail the others; the load is cancelled only when all have gone.
      const onAbort = () => {
        reject(signal.reason);
        if (--current.waiters === 0) {
          if (flight === current) flight = undefined;
          current.controller.abort(signal.reason);
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      current.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  return {
    async get(signal) {
      signal?.throwIfAborted();
      if (cached && now() < cached.renewAt) return cached.value;
      return wait(flight ?? start(), signal);
    },
    peek() {
      return cached && now() < cached.renewAt ? cached.value : undefined;
    },
    invalidate(value) {
      if (cached && (value === undefined || same(cached.value, value))) cached = undefined;
    },
    set(value) {
      cached = { value, renewAt: renewAt(value, now()) };
    },
  };
}
