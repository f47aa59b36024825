/** The token bucket on a fake clock: counts of what was let through and what was throttled, never wall-clock times. */
import { InvalidInputError } from "@bucketry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../src/index.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("createRateLimiter", () => {
  it("lets a burst through at once, then one request per 1/rate seconds, first come first served", async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ rate: 2, burst: 3 });
    const signal = new AbortController().signal;
    const order: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) =>
      Promise.resolve(limiter.take(signal)).then(() => order.push(i)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(500);
    expect(order).toEqual([0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await Promise.all(all);
    expect(limiter.stats).toEqual({ taken: 7, throttled: 0 });
  });

  it("holds everyone back for the wait a throttled answer asked for, without a saved-up burst after it", async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ rate: 10, burst: 10 });
    const signal = new AbortController().signal;
    let done = 0;
    limiter.throttled?.(3000);
    for (let i = 0; i < 3; i++) void Promise.resolve(limiter.take(signal)).then(() => done++);
    await vi.advanceTimersByTimeAsync(2999);
    expect(done).toBe(0);
    await vi.advanceTimersByTimeAsync(101);
    expect(done).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(done).toBe(3);
    expect(limiter.stats.throttled).toBe(1);
  });

  it("drops a waiter whose signal aborts, rejecting with its reason", async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ rate: 1, burst: 1 });
    await limiter.take(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.take(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    await vi.advanceTimersByTimeAsync(1000);
    expect(limiter.stats.taken).toBe(1);
  });

  it("refuses a rate or burst that is not a positive number", () => {
    expect(() => createRateLimiter({ rate: 0 })).toThrow(InvalidInputError);
    expect(() => createRateLimiter({ rate: 1, burst: 0 })).toThrow(InvalidInputError);
  });
});
