/**
 * The pipeline over a loopback server: what one call does across its attempts. Nothing here asserts
 * wall-clock speed; where a test shows that a call ends at its timer, the server hangs far beyond it.
 */
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { parsedJson } from "../src/buffered-response.js";
import type { ClientOptions } from "../src/client.js";
import {
  AbortedError,
  ApiError,
  ConnectionError,
  InvalidInputError,
  MalformedResponseError,
  ServerError,
  TimeoutError,
} from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import {
  type AttemptStep,
  attemptsOf,
  type BufferedBody,
  createPipeline,
  type FetchLike,
  type PipelineEvent,
  type PipelineSetup,
} from "../src/pipeline.js";
import { SecretRegistry } from "../src/redact.js";
import {
  deadUrl,
  type Handler,
  type paths,
  reply,
  stampDate,
  startServer,
  type TestServer,
} from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = JSON.stringify({ ok: true });
const fast = { random: () => 0.5, baseDelayMs: 2 };

function client(url: string, setup: Partial<PipelineSetup> = {}, options: ClientOptions = {}) {
  const fetch = createPipeline(
    { provider: "test", steps: [stampDate], ...setup },
    { retry: fast, ...options },
  );
  return createClient<paths>({ baseUrl: url, fetch });
}

async function serve(handler: Handler, setup: Partial<PipelineSetup> = {}, options: ClientOptions = {}) {
  server = await startServer(handler);
  return { api: client(server.url, setup, options), seen: server.seen };
}

/** Resolves once the server has seen `count` requests. */
async function seenAtLeast(seen: readonly unknown[], count: number): Promise<void> {
  while (seen.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("retries", () => {
  it("retries 503 and 429, honouring Retry-After, and stamps every attempt afresh", async () => {
    const { api, seen } = await serve((_, i, res) => {
      if (i === 0) reply(res, 503, '{"error_code":"X","error_msg":"busy"}');
      else if (i === 1) reply(res, 429, "", { "retry-after": "1" });
      else reply(res, 200, ok);
    });
    const { data, response } = await api.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(attemptsOf(response)).toBe(3);
    expect(seen.map((s) => String(s.headers["x-test-date"]).split(" ")[0])).toEqual(["1", "2", "3"]);
    // Load only makes the gap longer: a lower bound cannot fail on a busy machine.
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(990);
  });

  it("does not retry a POST unless the operation is marked safe", async () => {
    const plain = await serve((_, __, res) => reply(res, 503, ""));
    const first = await plain.api.POST("/things", { body: { name: "a" } });
    expect(first.response.status).toBe(503);
    expect(plain.seen).toHaveLength(1);
    await server!.close();

    const safe = await serve((_, i, res) => (i === 0 ? reply(res, 503, "") : reply(res, 200, ok)), {
      describe: (_method, path) =>
        path === "/v1/user/list_buckets" ? { operation: "list", safe: true } : undefined,
    });
    const { data } = await safe.api.POST("/v1/user/list_buckets", { body: { id: 1 } });
    expect(data).toEqual({ ok: true });
    // The body is sent again, whole, on the retry.
    expect(safe.seen.map((s) => s.body)).toEqual(['{"id":1}', '{"id":1}']);
  });

  it("retries a provider's own throttling status as 429, within the throttled budget", async () => {
    const throttle = (_: unknown, i: number, res: Parameters<Handler>[2]) =>
      i < 3 ? reply(res, 498, "", { "retry-after": "0" }) : reply(res, 200, ok);
    const retry = { ...fast, maxAttempts: 2, maxThrottledAttempts: 4 };
    const plain = await serve(throttle, {}, { retry });
    expect((await plain.api.GET("/things")).response.status).toBe(498);
    expect(plain.seen).toHaveLength(1);
    await server!.close();
    const swift = await serve(throttle, { throttleStatuses: [498] }, { retry });
    expect((await swift.api.GET("/things")).data).toEqual({ ok: true });
    expect(swift.seen).toHaveLength(4);
  });

  it("gives up after maxAttempts with the last answer, and sends once with retry: false", async () => {
    const { api, seen } = await serve(
      (_, __, res) => reply(res, 502, ""),
      {},
      { retry: { ...fast, maxAttempts: 2 } },
    );
    const result = await api.GET("/things");
    expect(result.response.status).toBe(502);
    expect(seen).toHaveLength(2);
    const error = await expectOk(result, { provider: "test", operation: "things" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ attempts: 2, retryable: true, name: "ServerError" });

    const once = client(server!.url, {}, { retry: false });
    await once.GET("/things");
    expect(seen).toHaveLength(3);
  });

  it("retries a refused connection, then throws a ConnectionError with attempts and retryable", async () => {
    const url = await deadUrl();
    const error = await client(url)
      .GET("/things")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 3, retryable: true, provider: "test", operation: "GET /things" });
  });

  it("types any rejection of fetch without an answer as a ConnectionError (workerd rejects with a plain Error)", async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      throw new Error("Network connection lost.");
    };
    const error = await client("http://127.0.0.1:9", {}, { fetch })
      .GET("/things")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toBe(3);
  });

  it("retries a 2xx body that breaks off, and one labelled JSON that does not parse", async () => {
    const { api, seen } = await serve((_, i, res) => {
      if (i === 0) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"ok":');
        setTimeout(() => res.socket?.destroy(), 10);
      } else if (i === 1) reply(res, 200, "{not json");
      else reply(res, 200, ok);
    });
    expect((await api.GET("/things")).data).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it("reads a JSON body with the operation's own parser, for its helpers; its throw is retried", async () => {
    const read: number[] = [];
    const parse = (body: BufferedBody) => {
      read.push(body.bytes.length);
      return { made: JSON.parse(new TextDecoder().decode(body.bytes)) as unknown };
    };
    const body = (i: number) => (i === 0 ? "{not json" : ok);
    // With a length, openapi-fetch reads the answer's json() rather than parsing its text.
    const { api, seen } = await serve(
      (_, i, res) => reply(res, 200, body(i), { "content-length": String(body(i).length) }),
      { describe: (_method, path) => (path === "/things" ? { operation: "things", parse } : undefined) },
    );
    const { data, response } = await api.GET("/things");
    // The helpers' reading is theirs: json() of the answer is the body's own JSON.
    expect(parsedJson(response)).toEqual({ value: { made: { ok: true } } });
    expect(data).toEqual({ ok: true });
    expect(read).toEqual([9, ok.length]);
    expect(seen).toHaveLength(2);
  });

  it("ends with a MalformedResponseError when no attempt gave a usable body, never quoting it", async () => {
    const { api } = await serve((_, __, res) => reply(res, 200, '{"secret_key":"hunter2"'));
    const error = await api.GET("/things").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(String((error as Error).message)).not.toContain("hunter2");
    expect(error).toMatchObject({ attempts: 3, status: 200 });
  });
});

describe("time limits and cancellation", () => {
  it("retries an attempt that hit its own timer, then reports the per-attempt timeout", async () => {
    // The server never answers: without the timer the call would hang until the test's own timeout.
    const { api, seen } = await serve(() => {}, {}, { timeout: { attemptMs: 150 } });
    const error = await api.GET("/things").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: "attempt", retryable: true, attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  it("stops at the overall deadline and does not retry past it", async () => {
    const { api } = await serve(() => {}, {}, { timeout: { attemptMs: 60_000, totalMs: 200 } });
    const error = await api.GET("/things").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: "total", retryable: false, attempts: 1 });
  });

  it("ends with an AbortedError when the caller aborts, mid-attempt or before the call", async () => {
    const { api, seen } = await serve(() => {});
    const controller = new AbortController();
    const call = api.GET("/things", { signal: controller.signal }).catch((e: unknown) => e);
    await seenAtLeast(seen, 1);
    controller.abort();
    expect(await call).toBeInstanceOf(AbortedError);
    const early = await api.GET("/things", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(1);
  });

  it("ends when the caller aborts during a retry's wait", async () => {
    const { api, seen } = await serve(
      (_, __, res) => reply(res, 503, "", { "retry-after": "3600" }),
      {},
      {
        retry: { ...fast, maxElapsedMs: 10_000_000 },
        timeout: { totalMs: 10_000_000 },
      },
    );
    const controller = new AbortController();
    const call = api.GET("/things", { signal: controller.signal }).catch((e: unknown) => e);
    await seenAtLeast(seen, 1);
    controller.abort();
    expect(await call).toMatchObject({ name: "AbortedError", attempts: 1 });
  });

  it("types a caller's AbortSignal.timeout as a TimeoutError of scope caller", async () => {
    const { api } = await serve(() => {});
    const error = await api.GET("/things", { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError", scope: "caller", retryable: false });
  });

  it("refuses bad retry and timeout options before anything is sent, naming the full path", () => {
    const make = (options: ClientOptions) => () => createPipeline({ provider: "test" }, options);
    expect(make({ retry: { maxAttempts: 0 } })).toThrow(InvalidInputError);
    expect(make({ retry: { maxAttempts: 1.5 } })).toThrow(/retry\.maxAttempts/);
    expect(make({ timeout: { attemptMs: -1 } })).toThrow(/timeout\.attemptMs/);
    expect(make({ fetch: "nope" as never })).toThrow(/^fetch: must be a function/);
    expect(make({ headers: { "X-A": 1 as never } })).toThrow(/headers\.X-A/);
  });
});

describe("steps that renew what they stamp", () => {
  /** A token step whose tokens are "t1", "t2", …; the server accepts only tokens from `valid` on. */
  function tokens(options: { fail?: (n: number) => Error | undefined } = {}) {
    let issued = 0;
    let current: string | undefined;
    const step: AttemptStep = {
      async prepare(request, attempt) {
        if (current === undefined) {
          const failure = options.fail?.(issued + 1);
          if (failure) {
            issued += 1;
            throw failure;
          }
          issued += 1;
          current = `t${issued}`;
        }
        expect(attempt.signal.aborted).toBe(false);
        request.headers.set("x-token", current);
      },
      answered(request, response, attempt) {
        if (response.status !== 401) return false;
        if (request.headers.get("x-token") === current) current = undefined;
        attempt.emit({ type: "refresh", what: "token", status: 401 });
        return true;
      },
    };
    return { step, issued: () => issued };
  }

  it("repeats a 401 once with a new token, and a 503 on that repeat is retried under the policy", async () => {
    const auth = tokens();
    const { api, seen } = await serve(
      (s, _i, res) => {
        if (s.headers["x-token"] === "t1") reply(res, 401, "");
        else if (seen.filter((x) => x.headers["x-token"] === "t2").length === 1) reply(res, 503, "");
        else reply(res, 200, ok);
      },
      { steps: [auth.step] },
      { retry: { ...fast, maxAttempts: 2 } },
    );
    const { data, response } = await api.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(seen.map((s) => s.headers["x-token"])).toEqual(["t1", "t2", "t2"]);
    expect(attemptsOf(response)).toBe(3);
  });

  it("renews a token even when retries are off, and only once per call", async () => {
    const auth = tokens();
    const { api, seen } = await serve(
      (_, __, res) => reply(res, 401, ""),
      { steps: [auth.step] },
      { retry: false },
    );
    const { response } = await api.GET("/things");
    expect(response.status).toBe(401);
    expect(seen.map((s) => s.headers["x-token"])).toEqual(["t1", "t2"]);
  });

  it("retries a token request that failed transiently, with the attempt's own signal", async () => {
    const transient = new ServerError("token endpoint busy", {
      provider: "idp",
      operation: "token",
      status: 503,
    });
    const auth = tokens({ fail: (n) => (n === 1 ? transient : undefined) });
    const { api, seen } = await serve((_, __, res) => reply(res, 200, ok), { steps: [auth.step] });
    // A POST: the request was never sent while its token failed, so it may be tried again.
    const { data } = await api.POST("/things", { body: { name: "x" } });
    expect(data).toEqual({ ok: true });
    expect(seen.map((s) => s.headers["x-token"])).toEqual(["t2"]);
  });

  it("does not retry a refusal of the credentials", async () => {
    const refused = new ApiError("bad password", { provider: "idp", operation: "token", status: 401 });
    const auth = tokens({ fail: () => refused });
    const { api, seen } = await serve((_, __, res) => reply(res, 200, ok), { steps: [auth.step] });
    expect(await api.GET("/things").catch((e: unknown) => e)).toBe(refused);
    expect(seen).toHaveLength(0);
    expect(auth.issued()).toBe(1);
  });
});

describe("headers, events and user middleware", () => {
  it("sends the client's headers and a default User-Agent on every attempt; the call's own win", async () => {
    const { api, seen } = await serve(
      (_, i, res) => (i === 0 ? reply(res, 503, "") : reply(res, 200, ok)),
      { userAgent: "bucketry-test/1.0.0" },
      { headers: { "X-Team": "storage" } },
    );
    await api.GET("/things");
    await api.GET("/things", { headers: { "User-Agent": "mine/2", "X-Team": "other" } });
    expect(seen.map((s) => [s.headers["user-agent"], s.headers["x-team"]])).toEqual([
      ["bucketry-test/1.0.0", "storage"],
      ["bucketry-test/1.0.0", "storage"],
      ["mine/2", "other"],
    ]);
  });

  it("runs client.use() middleware once per call: its header is on every attempt, its onResponse sees the final answer", async () => {
    const { api, seen } = await serve((_, i, res) => (i === 0 ? reply(res, 503, "") : reply(res, 200, ok)));
    const statuses: number[] = [];
    api.use({
      onRequest: ({ request }) => {
        request.headers.set("X-Trace-Id", "abc");
      },
      onResponse: ({ response }) => {
        statuses.push(response.status);
      },
    });
    await api.GET("/things");
    expect(seen.map((s) => s.headers["x-trace-id"])).toEqual(["abc", "abc"]);
    expect(statuses).toEqual([200]);
  });

  it("reports request, response, retry and refresh events, with secrets scrubbed", async () => {
    const secrets = new SecretRegistry();
    secrets.add("s3cr3t-token-value");
    const events: PipelineEvent[] = [];
    let refreshed = false;
    const step: AttemptStep = {
      answered(_request, response, attempt) {
        if (response.status !== 401 || refreshed) return false;
        refreshed = true;
        attempt.emit({ type: "refresh", what: "token", status: 401 });
        return true;
      },
    };
    const { api } = await serve(
      (_, i, res) => {
        if (i === 0) reply(res, 401, "");
        else if (i === 1) reply(res, 503, "", { "x-request-id": "req-s3cr3t-token-value" });
        else reply(res, 200, ok, { "x-request-id": "req-3" });
      },
      { steps: [step], secrets },
      { onEvent: (event) => events.push(event) },
    );
    await api.GET("/things", { params: { query: { key: "s3cr3t-token-value" } } as never });
    expect(events.map((e) => `${e.type}:${e.attempt}`)).toEqual([
      "request:1",
      "response:1",
      "refresh:1",
      "request:2",
      "response:2",
      "retry:2",
      "request:3",
      "response:3",
    ]);
    expect(JSON.stringify(events)).not.toContain("s3cr3t-token-value");
    expect(events.find((e) => e.type === "retry")).toMatchObject({
      reason: "HTTP 503",
      delayMs: expect.any(Number),
    });
    expect(events.at(-1)).toMatchObject({
      type: "response",
      status: 200,
      requestId: "req-3",
      ms: expect.any(Number),
    });
  });

  it("ignores an event hook that throws", async () => {
    const { api } = await serve(
      (_, __, res) => reply(res, 200, ok),
      {},
      {
        onEvent: () => {
          throw new Error("logger down");
        },
      },
    );
    expect((await api.GET("/things")).data).toEqual({ ok: true });
  });
});

describe("garbage collection", () => {
  // Node's fetch loses the abort link of a Request made from a collected Request (nodejs/node#55428).
  // The pipeline builds every Request from plain parts, so collection mid-call changes nothing.
  it("a hanging call still ends at its timers and on the caller's abort after collection", async () => {
    const { collectGarbage } = await import("@bucketry/testing");
    const { api, seen } = await serve(
      (_, i, res) => {
        if (i === 0) res.socket?.destroy();
      },
      {},
      { timeout: { attemptMs: 300, totalMs: 60_000 } },
    );
    const call = api.GET("/things").catch((e: unknown) => e);
    await seenAtLeast(seen, 2);
    await collectGarbage();
    expect(await call).toMatchObject({ name: "TimeoutError", scope: "attempt" });

    // How many attempts the first call made depends on the machine's load; the next one is what counts.
    const sent = seen.length;
    const controller = new AbortController();
    const slow = client(server!.url, {}, { timeout: false }).GET("/things", { signal: controller.signal });
    const caught = slow.catch((e: unknown) => e);
    await seenAtLeast(seen, sent + 1);
    await collectGarbage();
    controller.abort();
    expect(await caught).toBeInstanceOf(AbortedError);
  });
});
