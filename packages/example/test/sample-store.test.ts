/**
 * The Sample Store API client over real HTTP: a loopback server answers as the spec documents, and the
 * tests check what the client sends (method, path, query, headers) and what it makes of each answer,
 * with the options every Bucketry client shares (retry, timeout, headers, onEvent).
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AuthenticationError,
  CredentialsError,
  InvalidInputError,
  type PipelineEvent,
  TimeoutError,
} from "@bucketry/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSampleStoreClient, SAMPLE_STORE_PROVIDER, staticToken } from "../src/index.js";

const TOKEN = "scaffold-token-0123456789";
const token = (value: string) => ({ type: "token", source: staticToken(value) }) as const;
/** The spec's example answer. */
const BUCKETS = {
  buckets: [
    { name: "backups", createdAt: "2024-05-01T12:00:00Z" },
    { name: "logs", createdAt: "2024-06-15T08:30:00Z" },
  ],
};

interface Seen {
  method: string | undefined;
  url: string | undefined;
  token: string | string[] | undefined;
  trace?: string | string[] | undefined;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
/** Answers the next requests get instead of the listing: a status, or "hang" to never answer. */
const faults: (number | "hang")[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const token = request.headers["x-auth-token"];
    seen.push({ method: request.method, url: request.url, token, trace: request.headers["x-trace-id"] });
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "x-request-id": `req-${seen.length}`,
      });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? "/", "http://loopback");
    const fault = faults.shift();
    if (fault === "hang") return;
    if (fault !== undefined) reply(fault, { code: "Unavailable", message: "Try again." });
    else if (request.method !== "GET" || url.pathname !== "/v1/buckets") {
      reply(404, { code: "NotFound", message: "No such resource." });
    } else if (token !== TOKEN) {
      reply(401, { code: "Unauthorized", message: `The token ${String(token)} is not valid.` });
    } else {
      const prefix = url.searchParams.get("prefix") ?? "";
      reply(200, { buckets: BUCKETS.buckets.filter((bucket) => bucket.name.startsWith(prefix)) });
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  seen.length = 0;
  faults.length = 0;
});

describe("createSampleStoreClient", () => {
  it("sends GET /v1/buckets with the token in X-Auth-Token and returns the typed body", async () => {
    const client = createSampleStoreClient({ baseUrl, credentials: token(TOKEN) });
    const { data, error, response } = await client.GET("/v1/buckets");
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(BUCKETS);
    expect(seen).toEqual([{ method: "GET", url: "/v1/buckets", token: TOKEN, trace: undefined }]);
  });

  it("lists the buckets with listBuckets(), a Paginator (for await and .all())", async () => {
    const client = createSampleStoreClient({ baseUrl: `${baseUrl}/`, credentials: token(TOKEN) });
    await expect(client.listBuckets().all()).resolves.toEqual(BUCKETS.buckets);
    const names: string[] = [];
    for await (const bucket of client.listBuckets({ prefix: "lo" })) names.push(bucket.name);
    expect(names).toEqual(["logs"]);
    expect(seen.map((s) => s.url)).toEqual(["/v1/buckets", "/v1/buckets?prefix=lo"]);
  });

  it("throws AuthenticationError on 401, once, without the token in the error", async () => {
    const wrong = "wrong-token-9876543210";
    const client = createSampleStoreClient({ baseUrl, credentials: token(wrong) });
    const error = await client
      .listBuckets()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, provider: SAMPLE_STORE_PROVIDER, operation: "listBuckets" });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(wrong);
    expect(seen).toHaveLength(1);
  });

  it("retries a 503 as core's retry option says, and reports every step to onEvent", async () => {
    const events: PipelineEvent[] = [];
    const client = createSampleStoreClient({
      baseUrl,
      credentials: token(TOKEN),
      retry: { maxAttempts: 2, baseDelayMs: 1, random: () => 0 },
      headers: { "X-Trace-Id": "trace-1" },
      onEvent: (event) => events.push(event),
    });
    faults.push(503);
    await expect(client.listBuckets().all()).resolves.toHaveLength(2);
    expect(seen.map((s) => s.trace)).toEqual(["trace-1", "trace-1"]);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "retry", "request", "response"]);
    expect(events.every((e) => e.provider === SAMPLE_STORE_PROVIDER && e.operation === "listBuckets")).toBe(
      true,
    );
    expect(JSON.stringify(events)).not.toContain(TOKEN);

    faults.push(503);
    const once = createSampleStoreClient({ baseUrl, credentials: token(TOKEN), retry: false });
    await expect(once.listBuckets().all()).rejects.toMatchObject({ status: 503 });
  });

  it("gives up on an attempt that outlasts timeout.attemptMs", async () => {
    faults.push("hang");
    const client = createSampleStoreClient({
      baseUrl,
      credentials: token(TOKEN),
      retry: false,
      timeout: { attemptMs: 200 },
    });
    await expect(client.listBuckets().all()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("checks its options before anything is sent", () => {
    const invalid = [
      [{ baseUrl: "ftp://127.0.0.1", credentials: token(TOKEN) }, InvalidInputError, "baseUrl"],
      [{ baseUrl: `${baseUrl}?x=1`, credentials: token(TOKEN) }, InvalidInputError, "baseUrl"],
      [{ baseUrl, credentials: token(TOKEN), baseURL: baseUrl }, InvalidInputError, "baseURL"],
      [
        { baseUrl, credentials: token(TOKEN), retry: { maxAttempts: 0 } },
        InvalidInputError,
        "retry.maxAttempts",
      ],
      [{ baseUrl, credentials: token(TOKEN), onEvent: "log" }, InvalidInputError, "onEvent"],
      [{ baseUrl, credentials: { type: "token", source: TOKEN } }, CredentialsError, "credentials.source"],
      [{ baseUrl, credentials: { source: staticToken(TOKEN) } }, CredentialsError, "credentials.type"],
    ] as const;
    for (const [options, error, field] of invalid) {
      expect(() => createSampleStoreClient(options as never)).toThrow(error);
      expect(() => createSampleStoreClient(options as never)).toThrow(
        new RegExp(`^${field.replace(".", "\\.")}: `),
      );
    }
    expect(seen).toEqual([]);
  });

  it.each([
    [
      "a prefix longer than the spec's maxLength",
      { prefix: "a".repeat(64) },
      "prefix",
      /\(spec: maxLength 63\)/,
    ],
    ["a prefix off the spec's pattern", { prefix: "Logs" }, "prefix", /must match .*\(spec: pattern\)/],
    [
      "a prefix that is not a string",
      { prefix: 5 },
      "prefix",
      /must be of type string, not 5 \(spec: type string\)/,
    ],
    ["an unknown parameter", { prefx: "lo" }, "prefx", /is not a parameter of listBuckets; known: prefix/],
  ])("refuses %s before anything is sent", (_, params, field, message) => {
    const client = createSampleStoreClient({ baseUrl, credentials: token(TOKEN) });
    let thrown: unknown;
    try {
      client.listBuckets(params as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field });
    expect((thrown as Error).message).toMatch(message);
    expect(seen).toEqual([]);
  });
});
