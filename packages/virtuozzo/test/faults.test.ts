/**
 * The fault catalogue against the ostor fake: throttling and server errors are retried with a fresh
 * date and signature per attempt (asserted from the fake's log); bodies that break off or do not
 * parse are retried by the helpers (a GET is safe to repeat) and end in typed errors when they keep
 * failing; time limits, aborts and faults that do not apply to ostor (no tokens to expire).
 */
import {
  AbortedError,
  ApiError,
  ConnectionError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@bucketry/core";
import { collectGarbage } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { createOstorClient, MalformedResponseError, s3Credentials } from "../src/index.js";
import { clientFor, startFake, USER1 } from "./helpers.js";

/** The users of a full list call, for comparing a recovered call with an undisturbed one. */
async function expectedList(fake: Awaited<ReturnType<typeof startFake>>) {
  return fake.users.map((u) => u.UserId);
}

describe("retried statuses, signed afresh", () => {
  it("V2: a 429 burst with Retry-After: 1 recovers; every attempt has its own Date and signature", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 429, retryAfter: 1 }, { times: 2 });
    const users = await clientFor(fake).listUsers().all();
    expect(users.map((u) => u.id)).toEqual(await expectedList(fake));
    expect(fake.log.map((r) => [r.status, r.fault])).toEqual([
      [429, "status"],
      [429, "status"],
      [200, undefined],
    ]);
    const dates = fake.log.map((r) => r.headers.date);
    const signatures = fake.log.map((r) => r.headers.authorization);
    expect(new Set(dates).size).toBe(3);
    expect(new Set(signatures).size).toBe(3);
    // Retry-After was honoured: at least a second between attempts.
    expect(fake.log[1]!.at - fake.log[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.authFailures).toEqual([]);
  });

  it("V4: a 503 with Retry-After: 1 is retried with a new x-amz-date and signature", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503, retryAfter: 1 });
    const user = await clientFor(fake, { signature: "v4" }).getUser({ id: USER1.id, space: true });
    expect(user.id).toBe(USER1.id);
    expect(fake.log.map((r) => r.status)).toEqual([503, 200]);
    expect(fake.log.map((r) => r.target)).toEqual([
      `/?ostor-users&id=${USER1.id}&space`,
      `/?ostor-users&id=${USER1.id}&space`,
    ]);
    expect(fake.log[0]?.headers["x-amz-date"]).not.toBe(fake.log[1]?.headers["x-amz-date"]);
    expect(fake.log[0]?.headers.authorization).not.toBe(fake.log[1]?.headers.authorization);
  });

  it("a 500 and an XML 503 SlowDown are retried", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 500 });
    fake.inject({
      kind: "xml-error",
      status: 503,
      code: "SlowDown",
      message: "Please reduce your request rate.",
    });
    await expect(clientFor(fake).listUsers({ space: true }).all()).resolves.toHaveLength(3);
    expect(fake.log.map((r) => r.status)).toEqual([500, 503, 200]);
  });

  it("a 429 that persists → RateLimitError after 3 attempts, with retryAfterMs", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { times: 5 });
    const error = await clientFor(fake)
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect(fake.log).toHaveLength(3);
  });

  it("a 503 that persists → ServerError; maxAttempts is honoured", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503, retryAfter: 0 }, { times: 5 });
    const error = await clientFor(fake, { retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .getUser({ id: USER1.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503 });
    expect(fake.log).toHaveLength(2);
  });

  it("retry: false sends each request once", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503 });
    await expect(clientFor(fake, { retry: false }).listUsers().all()).rejects.toBeInstanceOf(ServerError);
    expect(fake.log).toHaveLength(1);
  });
});

describe("bodies that break off or do not parse", () => {
  it("a connection reset mid-body is retried and nothing is lost or repeated", async () => {
    const fake = await startFake({ users: 2_000 });
    fake.inject({ kind: "reset" });
    const users = await clientFor(fake).listUsers().all();
    expect(users.map((u) => u.id)).toEqual(await expectedList(fake));
    expect(fake.log.map((r) => r.fault)).toEqual(["reset", undefined]);
  });

  it("a truncated body (full Content-Length, half the bytes) is retried", async () => {
    const fake = await startFake();
    fake.inject({ kind: "truncate" });
    const user = await clientFor(fake, { signature: "v4" }).getUser({ emailAddress: USER1.email });
    expect(user.accountCount).toBe(3);
    expect(fake.log.map((r) => r.fault)).toEqual(["truncate", undefined]);
    // A new call through the whole chain: signed again (same second, so possibly the same signature).
    expect(fake.log[1]?.status).toBe(200);
    expect(fake.authFailures).toEqual([]);
  });

  it("malformed JSON on a 200 is retried", async () => {
    const fake = await startFake();
    fake.inject({ kind: "malformed-json" });
    await expect(clientFor(fake).listUsers().all()).resolves.toHaveLength(3);
    expect(fake.log.map((r) => r.fault)).toEqual(["malformed-json", undefined]);
  });

  it("resets that persist → ConnectionError after the retry budget", async () => {
    const fake = await startFake();
    fake.inject({ kind: "reset" }, { times: 5 });
    const error = await clientFor(fake)
      .getUser({ id: USER1.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("could not be read");
    expect(fake.log).toHaveLength(3);
  });

  it("truncations that persist → ConnectionError; with retry: false after one attempt", async () => {
    const fake = await startFake();
    fake.inject({ kind: "truncate" }, { times: 5 });
    await expect(clientFor(fake, { retry: false }).listUsers().all()).rejects.toBeInstanceOf(ConnectionError);
    expect(fake.log).toHaveLength(1);
  });

  it("malformed JSON that persists → ApiError MalformedResponse without the body", async () => {
    const fake = await startFake();
    fake.inject({ kind: "malformed-json" }, { times: 5 });
    const error = await clientFor(fake)
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, code: "MalformedResponse", body: undefined });
    expect((error as Error).message).toContain("not valid JSON");
    expect(fake.log).toHaveLength(3);
  });

  it("a body retry whose wait would overrun maxElapsedMs is not started", async () => {
    const fake = await startFake();
    fake.inject({ kind: "malformed-json" }, { times: 5 });
    const client = clientFor(fake, {
      retry: { maxAttempts: 5, baseDelayMs: 1_000, maxElapsedMs: 100, random: () => 1 },
    });
    await expect(client.listUsers().all()).rejects.toMatchObject({ code: "MalformedResponse" });
    expect(fake.log).toHaveLength(1);
  });

  it("aborting during the wait before a body retry → AbortedError", async () => {
    const fake = await startFake();
    fake.inject({ kind: "truncate" }, { times: 5 });
    const controller = new AbortController();
    const client = clientFor(fake, { retry: { baseDelayMs: 5_000, random: () => 1 } });
    const call = client.getUser({ id: USER1.id }, { signal: controller.signal }).catch((e: unknown) => e);
    // The broken answer arrives at once; the 5 s wait is under way 200 ms later.
    await fake.received(1);
    setTimeout(() => controller.abort(), 200);
    const error = await call;
    expect(error).toBeInstanceOf(AbortedError);
    expect(fake.log).toHaveLength(1);
  });

  it("a parseable body of the wrong shape → MalformedResponse naming the field, not retried", async () => {
    const bodies = [
      ['{"Users": {}}', "Users: expected an array"],
      ['{"Users": [{"UserEmail": "a@b.c", "UserId": "0123456789abcdef", "State": "on"}]}', "Users[0].State"],
      ["[]", "body: expected an object"],
    ] as const;
    for (const [body, detail] of bodies) {
      let calls = 0;
      const client = createOstorClient({
        baseUrl: "http://127.0.0.1:9",
        credentials: {
          type: "aksk",
          from: s3Credentials({
            accessKeyId: "f373d5175d1f3b63S7SX",
            secretAccessKey: "example-secret",
          }),
        },
        fetch: async () => {
          calls += 1;
          return new Response(body, { headers: { "content-type": "application/json" } });
        },
      });
      const error = await client
        .listUsers()
        .all()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect(error).toMatchObject({ code: "MalformedResponse", status: 200 });
      expect((error as Error).message).toContain(detail);
      expect(calls).toBe(1);
    }
  });

  it("a detail with an unreadable AccountCount → MalformedResponse that never shows a secret", async () => {
    const secret = "jO2p4JBN1tWc4FEGxwZ8qW2jPCJBYp8RJ4KgBcZP";
    const body = JSON.stringify({
      UserEmail: "a@b.c",
      UserId: "0123456789abcdef",
      State: "enabled",
      OwnerId: "0000000000000000",
      Flags: [],
      AWSAccessKeys: [{ AWSAccessKeyId: "0123456789abcdefAAAA", AWSSecretAccessKey: secret }],
      AccountCount: "three",
      Accounts: [],
    });
    const client = createOstorClient({
      baseUrl: "http://127.0.0.1:9",
      credentials: {
        type: "aksk",
        from: s3Credentials({ accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "example-secret" }),
      },
      fetch: async () => new Response(body, { headers: { "content-type": "application/json" } }),
    });
    const error = await client.getUser({ id: "0123456789abcdef" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MalformedResponse" });
    expect((error as Error).message).toContain("AccountCount");
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(secret);
  });

  it("tolerates an AccountCount sent as a number, or absent (then the accounts are counted)", async () => {
    const detail = (extra: Record<string, unknown>) =>
      JSON.stringify({
        UserEmail: "a@b.c",
        UserId: "0123456789abcdef",
        State: "enabled",
        OwnerId: "0000000000000000",
        Flags: [],
        AWSAccessKeys: [],
        Accounts: [{ Name: "x", AWSAccessKeys: [] }],
        ...extra,
      });
    for (const [body, count] of [
      [detail({ AccountCount: 1 }), 1],
      [detail({}), 1],
      [detail({ AccountCount: " 7 " }), 7],
    ] as const) {
      const client = createOstorClient({
        baseUrl: "http://127.0.0.1:9",
        credentials: {
          type: "aksk",
          from: s3Credentials({
            accessKeyId: "f373d5175d1f3b63S7SX",
            secretAccessKey: "example-secret",
          }),
        },
        fetch: async () => new Response(body),
      });
      expect((await client.getUser({ id: "0123456789abcdef" })).accountCount).toBe(count);
    }
  });
});

describe("time limits, aborts and faults that do not apply", () => {
  it("an attempt slower than attemptMs is retried and the call recovers", async () => {
    const fake = await startFake();
    fake.inject({ kind: "latency", ms: 5_000 });
    // Half a second for the retry: ample on a loaded machine.
    const client = clientFor(fake, { timeout: { attemptMs: 500 } });
    await expect(client.listUsers().all()).resolves.toHaveLength(3);
    expect(fake.log).toHaveLength(2);
  });

  it("a slow answer without retries → TimeoutError", async () => {
    const fake = await startFake();
    fake.inject({ kind: "latency", ms: 5_000 });
    const error = await clientFor(fake, { timeout: { attemptMs: 300 }, retry: false })
      .getUser({ id: USER1.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // One attempt at most (on a loaded machine the timer may even fire before it arrives).
    expect(fake.log.length).toBeLessThanOrEqual(1);
  });

  it("an already aborted signal → AbortedError and nothing is sent", async () => {
    const fake = await startFake();
    const error = await clientFor(fake)
      .listUsers({}, { signal: AbortSignal.abort() })
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(fake.log).toEqual([]);
  });

  it("aborting while waiting for the answer → AbortedError, not retried", async () => {
    const fake = await startFake();
    fake.inject({ kind: "latency", ms: 10_000 });
    const controller = new AbortController();
    const call = clientFor(fake)
      .getUser({ id: USER1.id }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await fake.received(1);
    // Node's fetch loses an abort link whose Request was collected (nodejs/undici#4068); ours must not.
    await collectGarbage();
    controller.abort();
    expect(await call).toBeInstanceOf(AbortedError);
    expect(fake.log).toHaveLength(1);
  });

  it("expire-tokens changes nothing: ostor signs every request, there is no token", async () => {
    const fake = await startFake();
    fake.inject({ kind: "expire-tokens" });
    await expect(clientFor(fake, { signature: "v4" }).listUsers().all()).resolves.toHaveLength(3);
    expect(fake.log).toHaveLength(1);
  });
});
