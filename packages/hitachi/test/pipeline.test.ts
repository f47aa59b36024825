/**
 * The request pipeline seen from a real client and its fake: token and CSRF renewals are steps of
 * the attempt loop, under the call's retry policy and deadline, and token-endpoint failures are
 * classified and retried like the call's own.
 */
import { inspect } from "node:util";
import {
  AuthenticationError,
  ConnectionError,
  MalformedResponseError,
  type PipelineEvent,
  RateLimitError,
  ServerError,
} from "@bucketry/core";
import { describe, expect, it } from "vitest";
import { clientFor, conversation, isList, startFake } from "./helpers.js";

const LIST = "POST /mapi/v1/user/list_buckets";
const ALICE = 1042;
const isToken = (r: { target: string }) => r.target.endsWith("/token");
const isCsrf = (r: { target: string }) => r.target === "/mapi/v1/csrf";

describe("renewals inside the retry loop", () => {
  it("a 503 on the attempt after a token renewal is retried: the listing completes", async () => {
    const fake = await startFake({ users: { [ALICE]: 30 } });
    const client = clientFor(fake, { retry: { baseDelayMs: 1, maxAttempts: 10 } });
    await client.listBucketsPage({ userId: ALICE, count: 10 });
    fake.inject({ kind: "expire-tokens" }, { match: isList });
    fake.inject({ kind: "status", status: 503 }, { match: isList });
    const buckets = await client.listBuckets({ userId: ALICE, pageSize: 10 }).all();
    expect(buckets).toHaveLength(30);
    expect(conversation(fake).slice(3, 7)).toEqual([
      `${LIST} 401`,
      "POST …/token refresh_token 200",
      `${LIST} 503`,
      `${LIST} 200`,
    ]);
  });

  it("a reset on the attempt after a CSRF refresh is retried too", async () => {
    const fake = await startFake({ users: { [ALICE]: 5 } });
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: ALICE });
    fake.inject({ kind: "status", status: 403, body: '{"code":"403","message":"CSRF"}' }, { match: isList });
    fake.inject({ kind: "reset" }, { match: isList });
    const page = await client.listBucketsPage({ userId: ALICE });
    expect(page.buckets).toHaveLength(5);
    expect(fake.log.filter(isCsrf)).toHaveLength(2);
  });

  it("a 401 on a late attempt renews the token with that attempt's signal, not the first's", async () => {
    const fake = await startFake({ users: { [ALICE]: 5 } });
    // Retry-After (1 s) outlasts the per-attempt limit (900 ms): the first attempt's signal is long
    // gone. On a loaded machine an attempt may itself time out; it is retried, the order stands.
    const client = clientFor(fake, {
      timeout: { attemptMs: 900 },
      retry: { maxAttempts: 10, baseDelayMs: 1, maxElapsedMs: 120_000 },
    });
    await client.listBucketsPage({ userId: ALICE });
    const before = conversation(fake).length;
    fake.inject({ kind: "status", status: 503, retryAfter: 1 }, { match: isList });
    fake.inject({ kind: "expire-tokens" }, { match: isList });
    const page = await client.listBucketsPage({ userId: ALICE });
    expect(page.buckets).toHaveLength(5);
    const after = conversation(fake).slice(before);
    const expected = [`${LIST} 503`, `${LIST} 401`, "POST …/token refresh_token 200", `${LIST} 200`];
    // In this order, whatever timed-out attempts a loaded machine adds between them.
    let next = 0;
    for (const line of after) if (line === expected[next]) next += 1;
    expect({ after, matched: next }).toEqual({ after, matched: expected.length });
  });
});

describe("token endpoint failures are classified and retried", () => {
  const cases = [
    ["a 503", { kind: "status", status: 503 }, ServerError],
    ["a 429", { kind: "status", status: 429, retryAfter: 0 }, RateLimitError],
    ["a reset connection", { kind: "reset" }, ConnectionError],
    ["a 200 that is not JSON", { kind: "malformed-json" }, MalformedResponseError],
  ] as const;

  for (const [what, fault, Class] of cases) {
    it(`${what} from Keycloak is retried, then the listing succeeds`, async () => {
      const fake = await startFake({ users: { [ALICE]: 3 } });
      fake.inject(fault, { match: isToken });
      const page = await clientFor(fake).listBucketsPage({ userId: ALICE });
      expect(page.buckets).toHaveLength(3);
      expect(fake.log.filter(isToken)).toHaveLength(2);
    });

    it(`${what} from Keycloak on every attempt ends in a ${Class.name}, not an AuthenticationError`, async () => {
      const fake = await startFake({ users: { [ALICE]: 3 } });
      fake.inject(fault, { match: isToken, times: 100 });
      const error = await clientFor(fake)
        .listBucketsPage({ userId: ALICE })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Class);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ retryable: true, attempts: 3 });
      expect(fake.log.filter(isList)).toHaveLength(0);
    });
  }

  it("a refused password is an AuthenticationError, not retried", async () => {
    const fake = await startFake();
    const client = clientFor(fake, {
      credentials: {
        type: "password",
        username: fake.credentials.username,
        password: "wrong",
        clientId: fake.credentials.clientId,
      },
    });
    const error = await client.listBucketsPage({ userId: fake.defaultUserId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ retryable: false });
    expect(fake.log.filter(isToken)).toHaveLength(1);
  });

  it("a secret echoed in a token endpoint's header is scrubbed from the error", async () => {
    const fake = await startFake();
    const { password } = fake.credentials;
    fake.inject(
      {
        kind: "status",
        status: 401,
        body: '{"error":"invalid_grant"}',
        headers: { "x-debug-echo": `pw=${password}` },
      },
      { match: isToken },
    );
    const error = await clientFor(fake)
      .listBucketsPage({ userId: fake.defaultUserId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const shown of [
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      String(error),
    ]) {
      expect(shown).not.toContain(password);
    }
  });
});

describe("events", () => {
  it("reports the token refresh, the retry and each attempt to onEvent", async () => {
    const fake = await startFake({ users: { [ALICE]: 3 } });
    const events: PipelineEvent[] = [];
    const client = clientFor(fake, { onEvent: (event) => events.push(event) });
    await client.listBucketsPage({ userId: ALICE });
    fake.inject({ kind: "expire-tokens" }, { match: isList });
    fake.inject({ kind: "status", status: 502 }, { match: isList });
    events.length = 0;
    await client.listBucketsPage({ userId: ALICE });
    expect(events.map((e) => (e.type === "response" ? `${e.type} ${e.status}` : e.type))).toEqual([
      "request",
      "response 401",
      "refresh",
      "request",
      "response 502",
      "retry",
      "request",
      "response 200",
    ]);
    expect(
      events.every((e) => e.provider === "hitachi-vsp-one-object" && e.operation === "listUserBuckets"),
    ).toBe(true);
    const text = JSON.stringify(events);
    expect(text).not.toContain(fake.credentials.password);
    expect(text).not.toMatch(/Bearer /);
  });
});
