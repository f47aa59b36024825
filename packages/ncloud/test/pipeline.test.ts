/**
 * The request pipeline under a token client: a Keystone renewal is a step of the attempt loop (so a
 * fault on the repeat is retried), Keystone's own failures are classified and retried, and a listing
 * under a storm of random faults, token expiry included, loses and repeats nothing.
 */
import { inspect } from "node:util";
import type { PipelineEvent } from "@bucketry/core";
import { AuthenticationError, MalformedResponseError, RateLimitError, ServerError } from "@bucketry/core";
import type { Fault } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { clientFor, listingRequests, startFake, tokenRequests } from "./fixtures.js";

const isListing = (r: { target: string }) => r.target.startsWith("/v1/");
const isToken = (r: { target: string }) => r.target.startsWith("/v3/");

describe("a token renewal inside the retry loop", () => {
  it("a 503 on the request sent with the renewed token is retried: the listing completes", async () => {
    const fake = await startFake({ containers: 30 });
    const client = clientFor(fake);
    await client.getAccount({ limit: 1 });
    fake.inject({ kind: "expire-tokens" }, { match: isListing });
    fake.inject({ kind: "status", status: 503 }, { match: isListing });
    const names = (await client.listContainers({ pageSize: 10 }).all()).map((c) => c.name);
    expect(names).toEqual(fake.containers.map((c) => c.name));
    expect(listingRequests(fake).map((r) => r.status)).toEqual([200, 401, 503, 200, 200, 200, 200]);
    expect(tokenRequests(fake)).toHaveLength(2);
  });
});

describe("what a listing records of its pages", () => {
  it("each page's request id and attempts, as the server and the pipeline saw them", async () => {
    const fake = await startFake({ containers: 25 });
    const events: PipelineEvent[] = [];
    const client = clientFor(fake, { onEvent: (event) => events.push(event) });
    let listings = 0; // the second page's first attempt gets a 503
    fake.inject({ kind: "status", status: 503 }, { match: (r) => isListing(r) && listings++ === 1 });
    const paginator = client.listContainers({ pageSize: 10 });
    const pages: { requestId: string | undefined; attempts: number | undefined }[] = [];
    for await (const _ of paginator) pages.push(...paginator.fetched.slice(pages.length));
    // The ids the server sent with each 200, in order.
    const answered = events.flatMap((e) =>
      e.type === "response" && e.operation !== "keystone" && e.status === 200 ? [e.requestId] : [],
    );
    expect(answered).toHaveLength(3);
    expect(answered.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(
      paginator.fetched.map(({ page, items, requestId, attempts }) => ({ page, items, requestId, attempts })),
    ).toEqual([
      { page: undefined, items: 10, requestId: answered[0], attempts: 1 },
      { page: fake.containers[9]!.name, items: 10, requestId: answered[1], attempts: 2 },
      { page: fake.containers[19]!.name, items: 5, requestId: answered[2], attempts: 1 },
    ]);
    expect(pages).toEqual(paginator.fetched);
  });
});

describe("Keystone failures are classified and retried", () => {
  const cases: [string, Fault, new (...args: never[]) => Error][] = [
    ["a 503", { kind: "status", status: 503 }, ServerError],
    ["a 429", { kind: "status", status: 429, retryAfter: 0 }, RateLimitError],
    ["a 200 instead of 201", { kind: "status", status: 200, body: "{}" }, MalformedResponseError],
  ];
  for (const [what, fault, Class] of cases) {
    it(`${what} is retried, then the listing succeeds; on every attempt it ends in a ${Class.name}`, async () => {
      const once = await startFake({ containers: 3 });
      once.inject(fault, { match: isToken });
      expect(await clientFor(once).listContainers().all()).toHaveLength(3);
      expect(tokenRequests(once)).toHaveLength(2);

      const always = await startFake({ containers: 3 });
      always.inject(fault, { match: isToken, times: 100 });
      const error = await clientFor(always)
        .listContainers()
        .all()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Class);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(listingRequests(always)).toHaveLength(0);
    });
  }

  it("a 201 without X-Subject-Token is a MalformedResponseError, after retries", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 201, body: "{}" }, { match: isToken, times: 100 });
    const error = await clientFor(fake)
      .getAccount()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
  });

  it("a secret echoed in a Keystone answer's header is scrubbed from the error", async () => {
    const fake = await startFake();
    const { secretKey } = fake.credentials;
    fake.inject(
      { kind: "status", status: 401, body: "{}", headers: { "x-debug": `echo ${secretKey}` } },
      { match: isToken },
    );
    const error = await clientFor(fake)
      .getAccount()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const shown of [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(shown).not.toContain(secretKey);
    }
  });
});

describe("a listing under random faults", () => {
  /** A deterministic generator (mulberry32), so a failure can be replayed from its seed. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 35-45% of requests fail, tokens expire mid-listing; nothing is lost or repeated`, async () => {
      const fake = await startFake({ containers: 400 });
      const next = random(seed);
      const rate = 0.35 + next() * 0.1;
      const faults: Fault[] = [
        { kind: "status", status: 503 },
        { kind: "status", status: 429, retryAfter: 0 },
        { kind: "status", status: 500 },
        { kind: "reset" },
        { kind: "truncate" },
      ];
      let requests = 0;
      let faulted = 0;
      let pending: Fault | undefined;
      // The first rule only decides, for every request (listing or token), which fault answers it;
      // every 13th listing request also finds its token expired (at most once per call).
      fake.inject(
        { kind: "latency", ms: 0 },
        {
          times: Number.MAX_SAFE_INTEGER,
          match: (request) => {
            requests += 1;
            const listing = isListing(request);
            const expire = listing && listingRequests(fake).length % 13 === 5;
            pending = expire
              ? { kind: "expire-tokens" }
              : next() < rate
                ? faults[Math.floor(next() * faults.length)]
                : undefined;
            if (pending) faulted += 1;
            return false;
          },
        },
      );
      fake.inject(
        { kind: "expire-tokens" },
        { times: Number.MAX_SAFE_INTEGER, match: () => pending?.kind === "expire-tokens" },
      );
      for (const fault of faults) {
        fake.inject(fault, { times: Number.MAX_SAFE_INTEGER, match: () => pending === fault });
      }
      const client = clientFor(fake, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 12 } });
      const names = (await client.listContainers({ pageSize: 7 }).all()).map((c) => c.name);
      expect(names).toEqual(fake.containers.map((c) => c.name));
      expect(new Set(names).size).toBe(400);
      expect(faulted / requests).toBeGreaterThan(0.25);
      expect(fake.log.some((r) => r.fault === "expire-tokens")).toBe(true);
    });
  }
});
