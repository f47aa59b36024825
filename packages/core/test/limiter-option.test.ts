/**
 * The pipeline asking a limiter before every attempt and telling it of throttled answers: counts,
 * never wall-clock times. (The token bucket itself is bucketry's `createRateLimiter`.)
 */
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { RequestLimiter } from "../src/client.js";
import { InvalidInputError, RateLimitError } from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { attemptsOf, createPipeline, type PipelineEvent } from "../src/pipeline.js";
import { type paths, reply, startServer, type TestServer } from "./helpers.js";

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
