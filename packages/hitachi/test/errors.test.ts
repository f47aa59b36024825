/** Every documented status, the fault catalogue, and the quirks of the answer's shape. */
import {
  AbortedError,
  ApiError,
  ConnectionError,
  expectOk,
  NotFoundError,
  PaginationError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@bucketry/core/internal";
import { collectGarbage, type Fault, type HitachiFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { MalformedResponseError } from "../src/index.js";
import { clientFor, conversation, isList, startFake } from "./helpers.js";

const LIST_URL = (fake: HitachiFake) => `${fake.cluster.mapiUrl}/v1/user/list_buckets`;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error as ApiError,
  );
const listStatuses = (fake: HitachiFake) => fake.log.filter(isList).map((r) => r.status);
/** A 200 answer with this JSON body, instead of the fake's. */
const answer = (body: unknown): Fault => ({
  kind: "status",
  status: 200,
  body: typeof body === "string" ? body : JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

describe("documented statuses", () => {
  it("400 (bad parameters) is an ApiError with the MAPI code, message and details, not retried", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    const error = await failure(
      client.listBucketsPage({ userId: fake.defaultUserId, pageToken: "not-a-token!" }),
    );
    expect(error.constructor).toBe(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
      provider: "hitachi-vsp-one-object",
      operation: "listUserBuckets",
      request: { method: "POST", url: LIST_URL(fake) },
      body: {
        code: "BAD_REQUEST",
        message: "The request was missing a user id or parameters are invalid",
        details: "Invalid pageToken",
      },
    });
    expect(error.message).toBe(
      "hitachi-vsp-one-object listUserBuckets failed with HTTP 400 (BAD_REQUEST: The request was missing a user id or parameters are invalid (Invalid pageToken))",
    );
    expect(listStatuses(fake)).toEqual([400]);
  });

  it("a request id the server sends is kept", async () => {
    const fake = await startFake();
    fake.inject(
      {
        kind: "status",
        status: 400,
        body: '{"code":"INVALID","message":"count is invalid","details":"count"}',
        headers: { "content-type": "application/json", "x-request-id": "req-0042" },
      },
      { match: isList },
    );
    const error = await failure(clientFor(fake).listBucketsPage({ userId: 1 }));
    expect(error).toMatchObject({ status: 400, code: "INVALID", requestId: "req-0042" });
    expect(error.message).toContain("count is invalid (count)");
  });

  it("404 (user not found) is a NotFoundError with the MAPI fields, from the page and from the walk", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    const error = await failure(client.listBucketsPage({ userId: 5 }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      body: { code: "NOT_FOUND", message: "User not found", details: "No user with id 5" },
    });
    expect(error.message).toContain("(NOT_FOUND: User not found (No user with id 5))");
    await expect(client.listBuckets({ userId: 5 }).all()).rejects.toBeInstanceOf(NotFoundError);
    expect(listStatuses(fake)).toEqual([404, 404]);
  });

  it("405 (wrong method) is an ApiError with status 405: from a raw GET and from the helper", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    // The types forbid GET on this path (see types.test-d.ts); a JavaScript caller could still send it.
    const rawGet = client.GET as unknown as (path: string) => ReturnType<typeof client.POST>;
    const result = await rawGet("/v1/user/list_buckets");
    expect(result.response.status).toBe(405);
    const raw = await failure(
      expectOk(result, { provider: "hitachi-vsp-one-object", operation: "listUserBuckets" }),
    );
    expect(raw.constructor).toBe(ApiError);
    expect(raw.status).toBe(405);

    fake.inject({ kind: "status", status: 405, body: "" }, { match: isList });
    const error = await failure(client.listBucketsPage({ userId: 1 }));
    expect(error.constructor).toBe(ApiError);
    expect(error).toMatchObject({ status: 405, code: undefined });
    expect(error.message).toBe("hitachi-vsp-one-object listUserBuckets failed with HTTP 405");
    expect(listStatuses(fake).slice(1)).toEqual([405]);
  });

  it("a 403 that persists after one cookie refresh is a PermissionError", async () => {
    const fake = await startFake();
    fake.inject(
      { kind: "status", status: 403, body: '{"code":"FORBIDDEN","message":"no"}' },
      { match: isList, times: 2 },
    );
    const error = await failure(clientFor(fake).listBucketsPage({ userId: 1 }));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(conversation(fake).filter((l) => l.startsWith("GET"))).toHaveLength(2);
  });
});

describe("retried faults (the listing is a safe POST)", () => {
  it.each([
    { status: 429, retryAfter: 0 },
    { status: 500 },
    { status: 502 },
    { status: 503, retryAfter: 0 },
    { status: 504 },
  ])("a burst of two $status answers is retried to success", async ({ status, retryAfter }) => {
    const fake = await startFake();
    fake.inject(
      { kind: "status", status, ...(retryAfter === undefined ? {} : { retryAfter }) },
      { match: isList, times: 2 },
    );
    const page = await clientFor(fake).listBucketsPage({ userId: fake.defaultUserId });
    expect(page.buckets.map((b) => b.name)).toEqual(
      fake.users.get(fake.defaultUserId)!.map((b) => b.bucketName),
    );
    expect(listStatuses(fake)).toEqual([status, status, 200]);
  });

  it("honours Retry-After: 1", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 429, retryAfter: 1 }, { match: isList });
    await clientFor(fake).listBucketsPage({ userId: fake.defaultUserId });
    expect(listStatuses(fake)).toEqual([429, 200]);
    // The fake's arrival times: at least a second between the 429 and the retry.
    const [limited, retried] = fake.log.filter(isList);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  it("a longer 429 burst is a RateLimitError with the server's Retry-After", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { match: isList, times: 3 });
    const error = await failure(clientFor(fake).listBucketsPage({ userId: 1 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect(listStatuses(fake)).toEqual([429, 429, 429]);
  });

  it("a longer 503 burst is a ServerError; with retry: false the first 503 is", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503 }, { match: isList, times: 4 });
    expect(await failure(clientFor(fake).listBucketsPage({ userId: 1 }))).toBeInstanceOf(ServerError);
    expect(await failure(clientFor(fake, { retry: false }).listBucketsPage({ userId: 1 }))).toMatchObject({
      status: 503,
    });
    expect(listStatuses(fake)).toEqual([503, 503, 503, 503]);
  });

  it("raw openapi-fetch calls of the listing are retried too", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503 }, { match: isList });
    const { response } = await clientFor(fake).POST("/v1/user/list_buckets", {
      body: { id: fake.defaultUserId },
    });
    expect(response.status).toBe(200);
  });

  it("an S3-style XML error body is read too: 503 retried, 400 reported with its code", async () => {
    const fake = await startFake();
    fake.inject({ kind: "xml-error", status: 503, code: "SlowDown", message: "slow" }, { match: isList });
    await clientFor(fake).listBucketsPage({ userId: fake.defaultUserId });
    fake.inject(
      { kind: "xml-error", status: 400, code: "InvalidArgument", message: "bad id" },
      { match: isList },
    );
    const error = await failure(clientFor(fake).listBucketsPage({ userId: 1 }));
    expect(error).toMatchObject({ status: 400, code: "InvalidArgument" });
    expect(error.message).toContain("InvalidArgument: bad id");
  });

  it.each(["reset", "truncate", "malformed-json"] as const)(
    "a %s body is retried by the helper, and a walk sees every bucket once",
    async (kind) => {
      const fake = await startFake({ users: { 9: 100 } });
      fake.inject({ kind }, { match: (r) => isList(r) && r.body.includes("pageToken"), times: 2 });
      const names = (await clientFor(fake).listBuckets({ userId: 9, pageSize: 30 }).all()).map((b) => b.name);
      expect(names).toEqual(fake.users.get(9)!.map((b) => b.bucketName));
      // Page 2 failed twice, then pages 2, 3 and 4 came through.
      expect(fake.log.filter(isList).map((r) => r.fault ?? "ok")).toEqual([
        "ok",
        kind,
        kind,
        "ok",
        "ok",
        "ok",
      ]);
    },
  );

  it.each([
    { kind: "reset", Class: ConnectionError },
    { kind: "truncate", Class: ConnectionError },
    { kind: "malformed-json", Class: MalformedResponseError },
  ] as const)("a $kind body on every attempt ends in a $Class.name", async ({ kind, Class }) => {
    const fake = await startFake();
    fake.inject({ kind }, { match: isList, times: 3 });
    const error = await failure(clientFor(fake).listBucketsPage({ userId: fake.defaultUserId }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ provider: "hitachi-vsp-one-object", operation: "listUserBuckets" });
    expect(error.message).toMatch(
      kind === "malformed-json" ? /HTTP 200 with a body that is not valid JSON/ : /could not be read/,
    );
    expect(listStatuses(fake)).toEqual([200, 200, 200]);
  });

  it("with retry: false a garbled body is reported at once", async () => {
    const fake = await startFake();
    fake.inject({ kind: "malformed-json" }, { match: isList });
    const error = await failure(clientFor(fake, { retry: false }).listBucketsPage({ userId: 1 }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    // Core's check never keeps a body that does not parse: an answer may hold secrets.
    expect(error).toMatchObject({ status: 200, code: "MalformedResponse", body: undefined });
    expect(listStatuses(fake)).toEqual([200]);
  });

  // The limits leave the retry (and the login it starts with) half a second: ample on a loaded machine.
  it("a slow answer past the per-attempt timeout is retried; past the overall timeout it is a TimeoutError", async () => {
    const fake = await startFake();
    fake.inject({ kind: "latency", ms: 5_000 }, { match: isList });
    const client = clientFor(fake, { timeout: { attemptMs: 500 } });
    expect((await client.listBucketsPage({ userId: fake.defaultUserId })).buckets).toHaveLength(8);
    expect(listStatuses(fake)).toHaveLength(2);

    fake.inject({ kind: "latency", ms: 5_000 }, { match: isList, times: 5 });
    const slow = clientFor(fake, { timeout: { attemptMs: 100, totalMs: 250 } });
    expect(await failure(slow.listBucketsPage({ userId: fake.defaultUserId }))).toBeInstanceOf(TimeoutError);
  });

  // Node's fetch loses a Request's abort link when the Request it was made from is collected
  // (nodejs/undici#4068); the CSRF, bearer and timer middlewares must not leave such a link behind.
  it("a listing that hangs while garbage is collected still ends at its timers", async () => {
    const fake = await startFake();
    // Hangs of ten minutes: a call whose timers no longer reach fetch outlasts the test. The deadline
    // leaves the three attempts room under load, so the error must be theirs.
    fake.inject({ kind: "latency", ms: 600_000 }, { match: isList, times: 3 });
    const client = clientFor(fake, { timeout: { attemptMs: 1_000, totalMs: 12_000 } });
    const call = failure(client.listBucketsPage({ userId: fake.defaultUserId }));
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await fake.received(attempt, isList);
      await collectGarbage();
    }
    expect(await call).toMatchObject({
      name: "TimeoutError",
      message: expect.stringContaining("per-attempt"),
    });
    expect(listStatuses(fake)).toHaveLength(3);
  });
});

describe("cancellation and unreachable servers", () => {
  it("an aborted signal is an AbortedError, before or during the call", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    const error = await failure(client.listBucketsPage({ userId: 1 }, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(fake.log).toHaveLength(0);

    fake.inject({ kind: "latency", ms: 10_000 }, { match: isList });
    const controller = new AbortController();
    const during = failure(client.listBucketsPage({ userId: 1 }, { signal: controller.signal }));
    await fake.received(1, isList);
    await collectGarbage();
    controller.abort();
    expect(await during).toBeInstanceOf(AbortedError);
    expect(listStatuses(fake)).toHaveLength(1);
  });

  it("a walk stops when its signal aborts", async () => {
    const fake = await startFake({ users: { 9: 20 } });
    const controller = new AbortController();
    const walk = clientFor(fake).listBuckets({ userId: 9, pageSize: 5 }, { signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const bucket of walk) {
          seen.push(bucket.name);
          if (seen.length === 7) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({
      name: "AbortedError",
      provider: "hitachi-vsp-one-object",
      operation: "listUserBuckets",
    });
    expect(seen).toHaveLength(7);
    expect(fake.log.filter(isList)).toHaveLength(2);
  });

  it("a server that is gone: the first request (the token request) fails with a typed error", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await fake.close();
    const error = await failure(client.listBucketsPage({ userId: 1 }));
    // A Keycloak that is down is not a wrong password: a ConnectionError, retried.
    expect(error.name).toBe("ConnectionError");
    expect(error).toMatchObject({ attempts: 3, retryable: true });
    expect(error.message).toMatch(/token request to .* failed: fetch failed \(ECONNREFUSED\)/);
  });
});

describe("the answer's shape", () => {
  it("normalises a string bucketId and an empty pageToken, and keeps the vendor's objects as raw", async () => {
    const fake = await startFake();
    const body = { buckets: [{ bucketId: "12", bucketName: "a", owner: "u" }], pageToken: "", extra: true };
    fake.inject(answer(body), { match: isList });
    const page = await clientFor(fake).listBucketsPage({ userId: 1 });
    expect(page).toEqual({
      buckets: [{ id: 12, name: "a", raw: body.buckets[0] }],
      raw: body,
      requestId: undefined,
      attempts: 1,
    });
  });

  it.each([{}, { buckets: null, pageToken: null }, { buckets: [] }])(
    "reads %j as an empty last page",
    async (body) => {
      const fake = await startFake();
      fake.inject(answer(body), { match: isList });
      expect(await clientFor(fake).listBucketsPage({ userId: 1 })).toMatchObject({ buckets: [], raw: body });
    },
  );

  it.each([
    [[], "expected a JSON object { buckets, pageToken }, got an array"],
    [{ buckets: "b" }, '"buckets" must be an array, got a string'],
    [{ buckets: [{ bucketId: 1 }] }, 'buckets[0]: "bucketName" must be a non-empty string, got undefined'],
    [
      { buckets: [{ bucketId: 2 ** 60, bucketName: "b" }] },
      'buckets[0]: "bucketId" of bucket "b" must be an integer',
    ],
    [
      { buckets: [{ bucketId: "x1", bucketName: "b" }] },
      'buckets[0]: "bucketId" of bucket "b" must be an integer, got a string',
    ],
    [{ buckets: [], pageToken: 5 }, '"pageToken" must be a string, got 5'],
  ])("%j is a MalformedResponseError, not retried", async (body, problem) => {
    const fake = await startFake();
    fake.inject(answer(body), { match: isList });
    const error = await failure(clientFor(fake).listBucketsPage({ userId: 1 }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toContain(
      `hitachi-vsp-one-object listUserBuckets answered HTTP 200 with an unexpected body: ${problem}`,
    );
    expect(listStatuses(fake)).toEqual([200]);
  });

  it("a server that sends the same page token again stops the walk instead of looping", async () => {
    const fake = await startFake();
    fake.inject(answer({ buckets: [{ bucketId: 1, bucketName: "a" }], pageToken: "T" }), {
      match: isList,
      times: 3,
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const bucket of clientFor(fake).listBuckets({ userId: 1 })) seen.push(bucket.name);
      })(),
    ).rejects.toBeInstanceOf(PaginationError);
    expect(seen).toEqual(["a"]);
    expect(fake.log.filter(isList)).toHaveLength(2);
  });
});
