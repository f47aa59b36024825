/**
 * The token bucket on a fake clock, and the pipeline asking it before every attempt: counts of what
 * was let through and what was throttled, never wall-clock times.
 */
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidInputError, RateLimitError } from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { createRateLimiter, type RequestLimiter } from "../src/limiter.js";
import { attemptsOf, createPipeline, type PipelineEvent } from "../src/pipeline.js";
import { type paths, reply, startServer, type TestServer } from "./helpers.js";

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

describe("the pipeline with a limiter", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("asks the limiter before every attempt and tells it of each throttled answer", async () => {
    server = await startServer((_, i, res) =>
      i < 4 ? reply(res, 429, "", { "retry-after": "0" }) : reply(res, 200, '{"ok":true}'),
    );
    const throttled: number[] = [];
    let taken = 0;
    const limiter: RequestLimiter = {
      take: () => {
        taken += 1;
      },
      throttled: (ms) => throttled.push(ms),
    };
    const events: PipelineEvent[] = [];
    const fetch = createPipeline(
      { provider: "test" },
      {
        limiter,
        retry: { maxAttempts: 2, maxThrottledAttempts: 6, baseDelayMs: 1, random: () => 0 },
        onEvent: (e) => events.push(e),
      },
    );
    const api = createClient<paths>({ baseUrl: server.url, fetch });
    const { data, response } = await api.GET("/things");
    expect(data).toEqual({ ok: true });
    // Four 429s retried although maxAttempts is 2: throttled answers have their own budget.
    expect(attemptsOf(response)).toBe(5);
    expect(taken).toBe(5);
    expect(throttled).toHaveLength(4);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(4);
  });

  it("waits the provider's advice on a 429 without Retry-After, and stops at maxThrottledAttempts", async () => {
    server = await startServer((_, __, res) => reply(res, 429, '{"error_code":"APIG.0308"}'));
    const waits: number[] = [];
    const fetch = createPipeline(
      { provider: "test", throttleDelay: () => 7 },
      {
        limiter: { take() {}, throttled: (ms) => waits.push(ms) },
        retry: { maxThrottledAttempts: 3, baseDelayMs: 1, random: () => 0 },
      },
    );
    const api = createClient<paths>({ baseUrl: server.url, fetch });
    const result = await api.GET("/things");
    expect(server.seen).toHaveLength(3);
    expect(waits).toEqual([7, 7]);
    const error = await expectOk(result, { provider: "test", operation: "things" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
  });

  it("refuses a limiter without take()", () => {
    expect(() => createPipeline({ provider: "test" }, { limiter: {} as RequestLimiter })).toThrow(
      InvalidInputError,
    );
  });
});
