/** The fault catalogue: what is retried and recovers with nothing lost or repeated, and what surfaces as which error. */
import {
  AbortedError,
  ConnectionError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@bucketry/core";
import type { ArchiveStorageFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { MalformedResponseError } from "../src/index.js";
import { clientFor, listingRequests, queryOf, startFake, thrown, tokenRequests } from "./fixtures.js";

const SEED = 50;
const PAGE = 10;

/** Lists everything with page size 10 and checks it is exactly the fake's list. */
async function listsEverything(fake: ArchiveStorageFake, client = clientFor(fake)): Promise<void> {
  const names = (await client.listContainers({ pageSize: PAGE }).all()).map((entry) => entry.name);
  expect(names).toEqual(fake.containers.map((c) => c.name));
}

/** Requests for the second page (the first one carrying a marker). */
const secondPage = (fake: ArchiveStorageFake) => (request: { target: string }) =>
  request.target.startsWith("/v1/") && queryOf(request.target).marker === fake.containers[PAGE - 1]!.name;

/** Only listing requests (not the token request). */
const listing = { match: (request: { target: string }) => request.target.startsWith("/v1/") };

/** The markers the listing requests carried, in order ("" for the first page). */
const markers = (fake: ArchiveStorageFake) =>
  listingRequests(fake).map((r) => queryOf(r.target).marker ?? "");

describe("retried faults recover with nothing lost or repeated", () => {
  it("429 twice with Retry-After: 0", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { times: 2, match: secondPage(fake) });
    await listsEverything(fake);
    expect(listingRequests(fake).map((r) => r.status)).toEqual([200, 429, 429, 200, 200, 200, 200, 200]);
  });

  it("498 (Swift's ratelimit) is throttling: retried as 429 is, within the throttled budget", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "status", status: 498, retryAfter: 0 }, { times: 4, match: secondPage(fake) });
    const client = clientFor(fake, { retry: { maxAttempts: 2, maxThrottledAttempts: 5, baseDelayMs: 1 } });
    await listsEverything(fake, client);
    expect(listingRequests(fake).map((r) => r.status)).toEqual([
      200, 498, 498, 498, 498, 200, 200, 200, 200, 200,
    ]);
  });

  it("429 with Retry-After: 1 waits a second", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "status", status: 429, retryAfter: 1 }, { match: secondPage(fake) });
    await listsEverything(fake);
    // The fake's arrival times: at least a second between the 429 and the retry of that page.
    const [limited, retried] = listingRequests(fake).filter(secondPage(fake));
    expect(limited!.status).toBe(429);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  for (const status of [500, 502, 503, 504]) {
    it(`${status} once`, async () => {
      const fake = await startFake({ containers: SEED });
      fake.inject({ kind: "status", status }, { match: secondPage(fake) });
      await listsEverything(fake);
      const page2 = fake.containers[PAGE - 1]!.name;
      expect(markers(fake).filter((m) => m === page2)).toHaveLength(2);
    });
  }

  for (const kind of ["reset", "truncate", "malformed-json"] as const) {
    it(`${kind} on a GET: the page is fetched again`, async () => {
      const fake = await startFake({ containers: SEED });
      fake.inject({ kind }, { match: secondPage(fake) });
      await listsEverything(fake);
      const page2 = fake.containers[PAGE - 1]!.name;
      expect(markers(fake).filter((m) => m === page2)).toHaveLength(2);
    });
  }

  it("an XML or plain body cut short that the transport did not notice is fetched again", async () => {
    const fake = await startFake({ containers: SEED });
    let cuts = 0;
    // Cuts the first XML and the first plain answer short at an element or line boundary.
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      const type = response.headers.get("content-type") ?? "";
      if (cuts >= 2 || !/xml|plain/.test(type) || response.status !== 200) return response;
      cuts += 1;
      const text = await response.text();
      const cut = type.includes("xml")
        ? text.slice(0, text.lastIndexOf("</container>") + 12)
        : text.slice(0, -1);
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(cut, { status: 200, headers });
    };
    const client = clientFor(fake, { fetch });
    for (const format of ["xml", "plain"] as const) {
      const names = (await client.listContainers({ pageSize: PAGE, format }).all()).map((e) => e.name);
      expect(names).toEqual(fake.containers.map((c) => c.name));
    }
    expect(cuts).toBe(2);
    expect(listingRequests(fake)).toHaveLength(2 * (SEED / PAGE + 1) + 2);
  });

  it("xml-error 503 (an S3-style error body from a gateway) is retried", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject(
      { kind: "xml-error", status: 503, code: "SlowDown", message: "Reduce your request rate." },
      { match: secondPage(fake) },
    );
    await listsEverything(fake);
  });

  it("a walk that failed resumes where it stopped", async () => {
    const fake = await startFake({ containers: SEED });
    const thirdPage = fake.containers[2 * PAGE - 1]!.name;
    fake.inject(
      { kind: "status", status: 503 },
      { times: 3, match: (r) => queryOf(r.target).marker === thirdPage },
    );
    const paginator = clientFor(fake).listContainers({ pageSize: PAGE });
    const seen: string[] = [];
    const error = await thrown(async () => {
      for await (const entry of paginator) seen.push(entry.name);
    });
    expect(error).toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(2 * PAGE);
    expect(paginator.resumePoint).toEqual({ page: thirdPage, offset: 0 });
    for await (const entry of paginator) seen.push(entry.name);
    expect(seen).toEqual(fake.containers.map((c) => c.name));
  });
});

describe("faults that surface", () => {
  it("503 on every attempt: ServerError after 3 attempts", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "status", status: 503, body: "Service Unavailable" }, { ...listing, times: 10 });
    const error = (await thrown(() => clientFor(fake).getAccount())) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(503);
    expect(listingRequests(fake)).toHaveLength(3);
  });

  it("429 on every attempt: RateLimitError with the server's Retry-After", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { ...listing, times: 10 });
    const error = (await thrown(() => clientFor(fake).getAccount())) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(0);
  });

  it("a body cut off on every attempt: ConnectionError after 3 attempts", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "truncate" }, { ...listing, times: 10 });
    const error = (await thrown(() => clientFor(fake).getAccount())) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/ncloud-archive-storage getAccount: the response body could not be read/);
    expect(listingRequests(fake)).toHaveLength(3);
  });

  it("malformed JSON with retries off: MalformedResponseError, sent once", async () => {
    const fake = await startFake();
    fake.inject({ kind: "malformed-json" }, { ...listing, times: 10 });
    const error = (await thrown(() =>
      clientFor(fake, { retry: false }).getAccount(),
    )) as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.status).toBe(200);
    expect(error.code).toBe("MalformedResponse");
    expect(error.message).toContain("answered HTTP 200 with a body that is not valid JSON");
    expect(listingRequests(fake)).toHaveLength(1);
  });

  it("valid JSON that is not a listing: MalformedResponseError at once (no retry)", async () => {
    const fake = await startFake();
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      if (!request.url.includes("/v1/")) return response;
      return new Response('{"containers": []}', { status: 200, headers: response.headers });
    };
    const error = await thrown(() => clientFor(fake, { fetch }).getAccount());
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain("not an array");
    expect(listingRequests(fake)).toHaveLength(1);
  });

  it("an account header that is missing: MalformedResponseError naming it", async () => {
    const fake = await startFake();
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      if (!request.url.includes("/v1/")) return response;
      const headers = new Headers(response.headers);
      headers.delete("x-account-bytes-used");
      return new Response(await response.text(), { status: response.status, headers });
    };
    const error = await thrown(() => clientFor(fake, { fetch }).getAccount());
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain("x-account-bytes-used is missing");
  });

  it("xml-error 403: PermissionError with the code and message of the body", async () => {
    const fake = await startFake();
    fake.inject({ kind: "xml-error", status: 403, code: "AccessDenied", message: "Access Denied." }, listing);
    const error = (await thrown(() => clientFor(fake).getAccount())) as PermissionError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.code).toBe("AccessDenied");
    expect(error.message).toContain("AccessDenied: Access Denied.");
  });

  it("the Keystone endpoint failing: a ServerError from the token request, retried, no listing sent", async () => {
    const fake = await startFake();
    fake.inject(
      { kind: "status", status: 500, body: "down" },
      { match: (r) => r.target.startsWith("/v3/"), times: 100 },
    );
    const error = (await thrown(() => clientFor(fake).getAccount())) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain("token request");
    expect(tokenRequests(fake)).toHaveLength(3);
    expect(listingRequests(fake)).toHaveLength(0);
  });
});

describe("tokens", () => {
  it("expired tokens (expire-tokens fault): one 401, a new token, the walk goes on", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "expire-tokens" }, { match: secondPage(fake) });
    await listsEverything(fake);
    expect(tokenRequests(fake)).toHaveLength(2);
    expect(listingRequests(fake).map((r) => r.status)).toEqual([200, 401, 200, 200, 200, 200, 200]);
    const [first, refused, renewed] = listingRequests(fake);
    expect(refused!.headers["x-auth-token"]).toBe(first!.headers["x-auth-token"]);
    expect(renewed!.headers["x-auth-token"]).not.toBe(first!.headers["x-auth-token"]);
  });

  it("a token past its 24 hours (the fake's clock moved on): renewed, also for raw calls", async () => {
    const fake = await startFake({ containers: 3 });
    const client = clientFor(fake);
    await client.getAccount();
    fake.advanceClock(25 * 60 * 60 * 1000);
    const { response } = await client.GET("/v1/AUTH_{project_id}", {
      params: { path: { project_id: client.projectId }, query: { format: "json" } },
    });
    expect(response.status).toBe(200);
    expect(tokenRequests(fake)).toHaveLength(2);
  });

  it("many concurrent calls refused with the same token renew it once", async () => {
    const fake = await startFake({ containers: 3 });
    const client = clientFor(fake);
    await client.getAccount();
    fake.expireTokens();
    await Promise.all(Array.from({ length: 20 }, () => client.getAccount()));
    expect(tokenRequests(fake)).toHaveLength(2);
  });
});

describe("time limits and cancellation", () => {
  it("a slow first attempt times out and the retry answers", async () => {
    const fake = await startFake({ containers: SEED });
    fake.inject({ kind: "latency", ms: 5_000 }, { match: secondPage(fake) });
    // Half a second for each attempt: ample on a loaded machine.
    await listsEverything(fake, clientFor(fake, { timeout: { attemptMs: 500 } }));
  });

  it("slow on every attempt: TimeoutError", async () => {
    const fake = await startFake();
    fake.inject({ kind: "latency", ms: 5_000 }, { times: 10, match: (r) => r.target.startsWith("/v1/") });
    const client = clientFor(fake, { timeout: { attemptMs: 100, totalMs: 500 } });
    const error = await thrown(() => client.getAccount());
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("the caller's signal: AbortedError, and the paginator can resume", async () => {
    const fake = await startFake({ containers: SEED });
    const controller = new AbortController();
    const client = clientFor(fake);
    const paginator = client.listContainers({ pageSize: PAGE }, { signal: controller.signal });
    const seen: string[] = [];
    const error = await thrown(async () => {
      for await (const entry of paginator) {
        seen.push(entry.name);
        if (seen.length === 15) controller.abort();
      }
    });
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(15);
    const rest = await client.listContainers({ pageSize: PAGE, from: paginator.resumePoint }).all();
    expect([...seen, ...rest.map((e) => e.name)]).toEqual(fake.containers.map((c) => c.name));

    const aborted = new AbortController();
    aborted.abort();
    expect(await thrown(() => client.getAccount({}, { signal: aborted.signal }))).toBeInstanceOf(
      AbortedError,
    );
  });
});
