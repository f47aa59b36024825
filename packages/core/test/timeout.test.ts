import type { ServerResponse } from "node:http";
import createClient, { type Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, InvalidInputError, TimeoutError } from "../src/errors.js";
import { mapNetworkErrors } from "../src/network-errors.js";
import { attemptsOf, retry } from "../src/retry.js";
import { timeout } from "../src/timeout.js";
import { type Handler, reply, startServer, type TestServer } from "./helpers.js";

interface paths {
  "/slow": { get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, ...middleware: Middleware[]) {
  server = await startServer(handler);
  const client = createClient<paths>({ baseUrl: server.url });
  client.use(...middleware);
  return { client, seen: server.seen };
}

const ok = JSON.stringify({ ok: true });
const later = (ms: number, res: ServerResponse, status = 200, headers: Record<string, string> = {}) =>
  setTimeout(() => reply(res, status, status === 200 ? ok : "", headers), ms);
const never = () => {};

describe("timeout()", () => {
  it("aborts an attempt that takes too long with a TimeoutError naming the limit and the endpoint", async () => {
    const { client } = await clientFor(
      never,
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 150 }),
    );
    const started = performance.now();
    const error = await client.GET("/slow").catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    const { message, provider, operation, request } = error as TimeoutError;
    expect(message).toContain("150 ms (per-attempt timeout)");
    expect(message).toContain(`${server!.url}/slow`);
    expect(provider).toBe("test");
    expect(operation).toBe("GET /slow");
    expect(request).toEqual({ method: "GET", url: `${server!.url}/slow` });
  });

  it("raises a TimeoutError even without mapNetworkErrors(), naming the host", async () => {
    const { client } = await clientFor(never, timeout({ attemptMs: 100 }));
    const error = await client.GET("/slow").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).provider).toBe(new URL(server!.url).host);
  });

  it("retries an attempt that timed out, with a fresh timer", async () => {
    const { client, seen } = await clientFor(
      (_, i, res) => (i === 0 ? never() : later(50, res)),
      timeout({ attemptMs: 1_000 }),
      retry({ random: () => 0 }),
    );
    const { data, response } = await client.GET("/slow");
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(attemptsOf(response)).toBe(2);
  });

  it("renews the attempt timer on every attempt, and an old timer never cuts a backoff short", async () => {
    // Each attempt takes 200 ms of a 700 ms limit; the wait between them (1 s) outlasts the first timer.
    const { client, seen } = await clientFor(
      (_, i, res) => (i === 0 ? later(200, res, 503, { "retry-after": "1" }) : later(200, res)),
      timeout({ attemptMs: 700 }),
      retry(),
    );
    const { data } = await client.GET("/slow");
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it("ends the whole call at the overall deadline, and retry() does not retry it", async () => {
    const { client, seen } = await clientFor(
      never,
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 5000, totalMs: 200 }),
      retry({ random: () => 0 }),
    );
    const started = performance.now();
    const error = await client.GET("/slow").catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("200 ms (overall timeout)");
    expect(seen).toHaveLength(1);
  });

  it("ends the call at the deadline even in the middle of attempts that keep timing out", async () => {
    const { client, seen } = await clientFor(
      never,
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 150, totalMs: 1_000 }),
      retry({ random: () => 0, maxAttempts: 20 }),
    );
    const error = await client.GET("/slow").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("overall timeout");
    // Attempts every 150 ms or so (later on a loaded machine); the deadline ends the call at 1 s.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(7);
  });

  it("respects the caller's signal: an abort is an AbortedError and is not retried", async () => {
    // Aborted once the server holds the request.
    const controller = new AbortController();
    const { client, seen } = await clientFor(
      () => controller.abort(),
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 5000 }),
      retry(),
    );
    const error = await client.GET("/slow", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("cancelled by the caller");
    expect(seen).toHaveLength(1);
  });

  it("maps a caller's AbortSignal.timeout() to TimeoutError", async () => {
    const { client } = await clientFor(never, mapNetworkErrors({ provider: "test" }), timeout());
    const error = await client.GET("/slow", { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("the caller's signal timed out");
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const { client, seen } = await clientFor(
      never,
      mapNetworkErrors({ provider: "test" }),
      timeout(),
      retry(),
    );
    const error = await client.GET("/slow", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(0);
  });

  it("turns a limit off with Infinity", async () => {
    const { client } = await clientFor(
      (_, __, res) => later(150, res),
      timeout({ attemptMs: Number.POSITIVE_INFINITY, totalMs: Number.POSITIVE_INFINITY }),
    );
    const { data } = await client.GET("/slow");
    expect(data).toEqual({ ok: true });
  });

  it("stops the call's timers once the answer's body is in memory, and keeps them while it is not", async () => {
    // The call's timers are the ones set for the limits given here (other code uses other delays).
    const armed: unknown[] = [];
    const cleared = new Set<unknown>();
    const { setTimeout: set, clearTimeout: clear } = globalThis;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      const handle = set(fn, ms);
      if (ms === 4321 || ms === 54321) armed.push(handle);
      return handle;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
      cleared.add(handle);
      clear(handle);
    }) as typeof clearTimeout;
    try {
      const limits = { attemptMs: 4321, totalMs: 54321 };
      const { client } = await clientFor((_, __, res) => later(0, res), timeout(limits), retry());
      expect((await client.GET("/slow")).data).toEqual({ ok: true });
      expect(armed).toHaveLength(2); // the overall deadline and the one attempt's timer
      expect(armed.every((handle) => cleared.has(handle))).toBe(true);
      armed.length = 0;
      await server?.close();
      const streamed = await clientFor((_, __, res) => later(0, res), timeout(limits));
      const { data } = await streamed.client.GET("/slow", { parseAs: "stream" });
      expect(armed).toHaveLength(2);
      // A streamed body may still be cut off by its timers.
      expect(armed.some((handle) => cleared.has(handle))).toBe(false);
      await new Response(data as ReadableStream).text();
    } finally {
      globalThis.setTimeout = set;
      globalThis.clearTimeout = clear;
    }
  });

  it.each([0, -5, Number.NaN, 2 ** 31])("rejects a limit of %d ms", (value) => {
    expect(() => timeout({ attemptMs: value })).toThrow(InvalidInputError);
    expect(() => timeout({ totalMs: value })).toThrow("totalMs");
  });
});
