// ACCEPTANCE: "200 concurrent requests on an expired token cause exactly one token request, and all
// 200 succeed." A real openapi-fetch client with tokenAuth(keystoneV3Token) against a loopback
// node:http server that is both Keystone (POST /v3/auth/tokens) and a Swift account (GET /v1/AUTH_p),
// which accepts a token only while the server itself holds it valid.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPipeline } from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { keystoneV3Token } from "../src/tokens/keystone.js";
import { tokenAuth } from "../src/tokens/token-auth.js";

const CONCURRENT = 200;

interface Paths {
  "/v1/AUTH_{project_id}": {
    get: {
      parameters: { path: { project_id: string } };
      responses: {
        200: { content: { "application/json": { name: string }[] } };
        401: { content: { "text/html": string } };
      };
    };
  };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

/** Keystone + Swift in one server. `lifetimes[n]` is the n-th token's lifetime (the last one repeats). */
async function cloud(lifetimes: number[]) {
  const valid = new Map<string, number>(); // token -> expiry (epoch ms)
  const log = { tokenRequests: 0, serviceCalls: [] as { token: string; status: number }[] };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v3/auth/tokens") {
        const n = ++log.tokenRequests;
        const token = `tok-${n}`;
        const expiresAt = Date.now() + lifetimes[Math.min(n, lifetimes.length) - 1]!;
        valid.set(token, expiresAt);
        res.writeHead(201, { "X-Subject-Token": token, "Content-Type": "application/json" });
        res.end(JSON.stringify({ token: { expires_at: new Date(expiresAt).toISOString() } }));
        return;
      }
      const token = String(req.headers["x-auth-token"]);
      const ok = (valid.get(token) ?? 0) > Date.now();
      log.serviceCalls.push({ token, status: ok ? 200 : 401 });
      if (ok) res.writeHead(200, { "Content-Type": "application/json" }).end('[{"name":"c1"}]');
      else res.writeHead(401, { "Content-Type": "text/html" }).end("<h1>Unauthorized</h1>");
    });
  });
  server.maxConnections = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 1024, resolve));
  close = () => {
    server.closeAllConnections();
    server.close();
  };
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = tokenAuth(
    keystoneV3Token({
      endpoint: url,
      username: "AKID",
      password: "p@ss-SEKRIT-acceptance",
      domain: { id: "default" },
      project: { id: "p" },
    }),
  );
  const client = createClient<Paths>({
    baseUrl: url,
    fetch: createPipeline({ provider: "test", steps: [auth] }),
  });
  const get = () => client.GET("/v1/AUTH_{project_id}", { params: { path: { project_id: "p" } } });
  return { log, valid, get };
}

describe(`${CONCURRENT} concurrent requests on an expired token`, () => {
  it("expired by its expires_at: exactly one token request, and all succeed", async () => {
    // The first token lives 1 s (renewed after half of it); the next one a day, so the burst cannot outlive it.
    const { log, get } = await cloud([1000, 24 * 3600_000]);
    const primed = await get();
    expect(primed.response.status).toBe(200);
    expect(log.tokenRequests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // tok-1 is now expired on both sides

    const results = await Promise.all(Array.from({ length: CONCURRENT }, get));

    expect(log.tokenRequests).toBe(2); // exactly one new token request
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(CONCURRENT);
    expect(results.every((r) => r.data?.[0]?.name === "c1")).toBe(true);
    const burst = log.serviceCalls.slice(1);
    expect(burst).toHaveLength(CONCURRENT); // nobody needed a second try
    expect(burst.every((call) => call.token === "tok-2")).toBe(true);
  });

  it("expired by the server (401 to all of them): exactly one token request, and all succeed", async () => {
    const { log, valid, get } = await cloud([24 * 3600_000]);
    expect((await get()).response.status).toBe(200);
    valid.delete("tok-1"); // revoked or expired early: only the service knows

    const results = await Promise.all(Array.from({ length: CONCURRENT }, get));

    expect(log.tokenRequests).toBe(2); // exactly one new token request
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(CONCURRENT);
    const burst = log.serviceCalls.slice(1);
    const refused = burst.filter((call) => call.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((call) => call.token === "tok-1")).toBe(true);
    // Each of the 200 ended with one accepted call on the new token; each refused one was resent once.
    expect(burst.filter((call) => call.token === "tok-2" && call.status === 200)).toHaveLength(CONCURRENT);
    expect(burst).toHaveLength(CONCURRENT + refused.length);
  });
});
