import createClient, { type Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, InvalidInputError, ServerError } from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { mapNetworkErrors } from "../src/network-errors.js";
import { attemptsOf, type RetryOptions, retry } from "../src/retry.js";
import { timeout } from "../src/timeout.js";
import { type Handler, type paths, reply, stampDate, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, options: RetryOptions = {}, extra: Middleware[] = []) {
  server = await startServer(handler);
  const client = createClient<paths>({ baseUrl: server.url });
  client.use(
    mapNetworkErrors({ provider: "test" }),
    timeout(),
    stampDate,
    ...extra,
    retry({ random: () => 0.5, baseDelayMs: 20, ...options }),
  );
  return { client, seen: server.seen };
}

const ok = JSON.stringify({ ok: true });

describe("retry() over a loopback server", () => {
  it("retries 503, then honours 429 Retry-After: 1, then succeeds; every attempt is stamped afresh", async () => {
    const { client, seen } = await clientFor((_, i, res) => {
      if (i === 0) reply(res, 503, '{"error_code":"X","error_msg":"busy"}');
      else if (i === 1) reply(res, 429, "", { "retry-after": "1" });
      else reply(res, 200, ok);
    });
    const { data, response } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    expect(attemptsOf(response)).toBe(3);
    // The server asked for one second before the third attempt; the first retry only backs off.
    const gap = seen[2]!.at - seen[1]!.at;
    expect(gap).toBeGreaterThanOrEqual(995);
    expect(gap).toBeLessThan(1500);
    const dates = seen.map((s) => s.headers["x-test-date"]);
    expect(new Set(dates).size).toBe(3);
    expect(dates.every((d) => typeof d === "string")).toBe(true);
    const times = dates.map((d) => Date.parse(String(d).split(" ")[0]!));
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(990);
  });

  it("does not retry a POST that is not marked safe", async () => {
    const { client, seen } = await clientFor((_, __, res) => reply(res, 503, ""));
    const { response } = await client.POST("/things", { body: { name: "a" } });
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(1);
    expect(attemptsOf(response)).toBe(1);
  });

  it("does not retry a POST after a network failure either", async () => {
    const { client, seen } = await clientFor((_, __, res) => res.socket?.destroy());
    await expect(client.POST("/things", { body: { name: "a" } })).rejects.toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(1);
  });

  it("retries a POST marked safe, sending the same body every time", async () => {
    const { client, seen } = await clientFor(
      (_, i, res) => (i < 2 ? reply(res, 502, "") : reply(res, 200, ok)),
      {
        safe: ({ method, schemaPath }) => method === "POST" && schemaPath === "/v1/user/list_buckets",
      },
    );
    const { data } = await client.POST("/v1/user/list_buckets", { body: { id: -468170324 } });
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    for (const s of seen) {
      expect(s.body).toBe('{"id":-468170324}');
      expect(s.headers["content-length"]).toBe("17");
    }
  });

  it("retries after the server drops the connection", async () => {
    const { client, seen } = await clientFor((_, i, res) =>
      i === 0 ? res.socket?.destroy() : reply(res, 200, ok),
    );
    const { data, response } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(attemptsOf(response)).toBe(2);
  });

  it("throws a ConnectionError once every attempt failed on the network", async () => {
    const { client, seen } = await clientFor((_, __, res) => res.socket?.destroy());
    const error = await client.GET("/things").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain(`${server!.url}/things`);
    expect(seen).toHaveLength(3);
  });

  it("throws a ConnectionError when a retry after a 503 fails on the network", async () => {
    const { client, seen } = await clientFor((_, i, res) =>
      i === 0 ? reply(res, 503, "") : res.socket?.destroy(),
    );
    await expect(client.GET("/things")).rejects.toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(3);
  });

  it("counts attempts once across onError and onResponse", async () => {
    // Network failure (onError), then two 503s (reached through onError's recovery): 3 attempts, no more.
    const { client, seen } = await clientFor((_, i, res) =>
      i === 0 ? res.socket?.destroy() : reply(res, 503, ""),
    );
    const { response } = await client.GET("/things");
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(3);
    expect(attemptsOf(response)).toBe(3);
  });

  it.each([400, 401, 403, 404, 409, 501])("never retries HTTP %i", async (status) => {
    const { client, seen } = await clientFor((_, __, res) =>
      reply(res, status, '{"error_code":"APIGW.0301"}'),
    );
    const { response } = await client.GET("/things");
    expect(response.status).toBe(status);
    expect(seen).toHaveLength(1);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const { client, seen } = await clientFor((_, i, res) => {
      if (i === 0) reply(res, 503, "", { "retry-after": new Date(Date.now() + 2000).toUTCString() });
      else reply(res, 200, ok);
    });
    await client.GET("/things");
    expect(seen).toHaveLength(2);
    // The date has whole seconds: the wait is between one and two seconds.
    const gap = seen[1]!.at - seen[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(2500);
  });

  it("returns the last response instead of waiting beyond the time budget", async () => {
    const { client, seen } = await clientFor((_, __, res) => reply(res, 503, "", { "retry-after": "5" }), {
      maxElapsedMs: 1000,
    });
    const started = performance.now();
    const result = await client.GET("/things");
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.response.status).toBe(503);
    expect(seen).toHaveLength(1);
    // The response handed back is whole: its error can still be read and thrown.
    await expect(expectOk(result, { provider: "test", operation: "getThings" })).rejects.toBeInstanceOf(
      ServerError,
    );
  });

  it("does not start a wait that would end after the overall deadline of timeout()", async () => {
    server = await startServer((_, __, res) => reply(res, 503, "", { "retry-after": "1" }));
    const client = createClient<paths>({ baseUrl: server.url });
    client.use(timeout({ totalMs: 500 }), retry());
    const { response } = await client.GET("/things");
    expect(response.status).toBe(503);
    expect(server.seen).toHaveLength(1);
  });

  it("stops after maxAttempts and returns the last answer", async () => {
    const { client, seen } = await clientFor((_, i, res) => reply(res, 500, `{"message":"attempt ${i}"}`), {
      maxAttempts: 4,
    });
    const { error, response } = await client.GET("/things");
    expect(response.status).toBe(500);
    expect(error).toEqual({ message: "attempt 3" });
    expect(seen).toHaveLength(4);
  });

  it("backs off with full jitter: random() times base * 2^n, capped", async () => {
    const gaps = async (random: () => number, options: RetryOptions) => {
      const { client, seen } = await clientFor((_, __, res) => reply(res, 503, ""), {
        random,
        maxAttempts: 4,
        ...options,
      });
      await client.GET("/things");
      await server?.close();
      server = undefined;
      return [1, 2, 3].map((i) => seen[i]!.at - seen[i - 1]!.at);
    };
    // random() = 0.999: ~100, ~200, ~400 ms.
    const [a, b, c] = await gaps(() => 0.999, { baseDelayMs: 100, maxDelayMs: 10_000 });
    expect(a).toBeGreaterThanOrEqual(95);
    expect(b).toBeGreaterThanOrEqual(195);
    expect(c).toBeGreaterThanOrEqual(395);
    expect(c).toBeLessThan(900);
    // The cap holds the ceiling at 150 ms from the second retry on.
    const capped = await gaps(() => 0.999, { baseDelayMs: 100, maxDelayMs: 150 });
    expect(capped[2]).toBeLessThan(400);
    // random() = 0: no wait at all, whatever the attempt.
    const none = await gaps(() => 0, { baseDelayMs: 5_000 });
    expect(Math.max(...none)).toBeLessThan(500);
  });

  it("throws AbortedError when the caller aborts during the backoff", async () => {
    const { client, seen } = await clientFor((_, __, res) => reply(res, 503, "", { "retry-after": "10" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await client.GET("/things", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(seen).toHaveLength(1);
  });

  it("rejects with the caller's own reason during the backoff when no error mapping is registered", async () => {
    server = await startServer((_, __, res) => reply(res, 503, "", { "retry-after": "10" }));
    const client = createClient<paths>({ baseUrl: server.url });
    client.use(retry());
    const controller = new AbortController();
    const reason = new Error("user pressed stop");
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.GET("/things", { signal: controller.signal })).rejects.toBe(reason);
  });

  it("retries a GET with no other middleware, copying the request itself", async () => {
    server = await startServer((_, i, res) => (i === 0 ? reply(res, 503, "") : reply(res, 200, ok)));
    const client = createClient<paths>({ baseUrl: server.url });
    client.use(retry({ random: () => 0 }));
    const { data } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(server.seen).toHaveLength(2);
  });

  it.each<[keyof RetryOptions, number]>([
    ["maxAttempts", 0],
    ["maxAttempts", 1.5],
    ["maxElapsedMs", -1],
    ["baseDelayMs", Number.NaN],
    ["maxDelayMs", Number.POSITIVE_INFINITY],
  ])("rejects %s = %d", (field, value) => {
    expect(() => retry({ [field]: value })).toThrow(InvalidInputError);
    expect(() => retry({ [field]: value })).toThrow(field);
  });
});
