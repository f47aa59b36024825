// tokenAuth / bearerAuth as steps of core's pipeline under a real openapi-fetch client, against a
// loopback node:http service: the header on every attempt, one renewal and repeat on a 401 (body
// intact, later steps redone), no loop on a second 401, no pointless repeat for a token that cannot change.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AbortedError,
  type AttemptStep,
  AuthenticationError,
  createPipeline,
  ServerError,
} from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { cachedTokenSource, staticToken, Token, type TokenSource } from "../src/tokens/token.js";
import { bearerAuth, tokenAuth } from "../src/tokens/token-auth.js";

interface Paths {
  "/things": {
    get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } };
    post: {
      requestBody: { content: { "application/json": { name: string } } };
      responses: { 200: { content: { "application/json": { ok: boolean } } } };
    };
  };
}

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A service that accepts the calls `accept` approves, and records them all. */
async function service(accept: (seen: Seen) => boolean) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = { method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString() };
    seen.push(entry);
    if (accept(entry)) res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    else
      res
        .writeHead(401, { "Content-Type": "application/json" })
        .end('{"code":"401","message":"token expired"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => server.close();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (...steps: AttemptStep[]) =>
    createClient<Paths>({
      baseUrl: url,
      fetch: createPipeline({ provider: "test", steps }, { retry: { baseDelayMs: 1 } }),
    });
  return { seen, client };
}

/** A source issuing tok-1, tok-2, … (no expiry), counting its fetches. */
function counting(): TokenSource & { fetches: number } {
  let fetches = 0;
  const source = cachedTokenSource(async () => new Token(`tok-${++fetches}`));
  return Object.defineProperty(source, "fetches", { get: () => fetches }) as TokenSource & {
    fetches: number;
  };
}

describe("bearerAuth", () => {
  it("sends Authorization: Bearer on every call, fetching the token once", async () => {
    const { seen, client: make } = await service(() => true);
    const source = counting();
    const client = make(bearerAuth(source));
    for (let i = 0; i < 3; i++) expect((await client.GET("/things")).data).toEqual({ ok: true });
    expect(seen.map((s) => s.headers.authorization)).toEqual([
      "Bearer tok-1",
      "Bearer tok-1",
      "Bearer tok-1",
    ]);
    expect(source.fetches).toBe(1);
  });

  it("on a 401 renews the token and resends the call once, body intact", async () => {
    const { seen, client: make } = await service((s) => s.headers.authorization === "Bearer tok-2");
    const source = counting();
    const client = make(bearerAuth(source));
    const { data, response } = await client.POST("/things", { body: { name: "résumé ✓" } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(seen.map((s) => [s.method, s.headers.authorization, s.body])).toEqual([
      ["POST", "Bearer tok-1", '{"name":"résumé ✓"}'],
      ["POST", "Bearer tok-2", '{"name":"résumé ✓"}'],
    ]);
    expect(source.fetches).toBe(2);
  });

  it("returns a second 401 as it is: one renewal, no loop", async () => {
    const { seen, client: make } = await service(() => false);
    const source = counting();
    const client = make(bearerAuth(source));
    const { error, response } = await client.GET("/things");
    expect(response.status).toBe(401);
    expect(error).toEqual({ code: "401", message: "token expired" });
    expect(seen.map((s) => s.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(source.fetches).toBe(2);
  });

  it("does not resend when the source cannot give another token (a static one)", async () => {
    const { seen, client: make } = await service(() => false);
    const client = make(bearerAuth(staticToken("pre-issued")));
    const { response } = await client.GET("/things");
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it("redoes later steps' work on the repeat", async () => {
    const { seen, client: make } = await service((s) => s.headers.authorization === "Bearer tok-2");
    let stamps = 0;
    // Stands in for a signer after the token step: a fresh stamp per attempt.
    const stamper: AttemptStep = {
      prepare({ headers }) {
        headers.set("X-Stamp", String(++stamps));
      },
    };
    const client = make(bearerAuth(counting()), stamper);
    expect((await client.GET("/things")).response.status).toBe(200);
    expect(seen.map((s) => [s.headers.authorization, s.headers["x-stamp"]])).toEqual([
      ["Bearer tok-1", "1"],
      ["Bearer tok-2", "2"],
    ]);
  });

  it("lets a refused token request surface from the call, unretried", async () => {
    const { seen, client: make } = await service(() => true);
    let tries = 0;
    const failing = cachedTokenSource(async () => {
      tries += 1;
      throw new AuthenticationError("idp token request to https://idp.example/token failed with HTTP 401", {
        provider: "idp",
        operation: "token request",
        status: 401,
      });
    });
    const client = make(bearerAuth(failing));
    await expect(client.GET("/things")).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(0);
    expect(tries).toBe(1);
  });

  it("retries a token request that failed transiently (503), then sends the call", async () => {
    const { seen, client: make } = await service(() => true);
    let tries = 0;
    const flaky = cachedTokenSource(async () => {
      tries += 1;
      if (tries === 1) {
        throw new ServerError("idp token request failed with HTTP 503", {
          provider: "idp",
          operation: "token request",
          status: 503,
        });
      }
      return new Token("tok-ok");
    });
    const client = make(bearerAuth(flaky));
    expect((await client.GET("/things")).data).toEqual({ ok: true });
    expect(seen.map((s) => s.headers.authorization)).toEqual(["Bearer tok-ok"]);
    expect(tries).toBe(2);
  });
});

describe("tokenAuth", () => {
  it("uses X-Auth-Token by default, and any header asked for", async () => {
    const { seen, client: make } = await service(() => true);
    const client = make(tokenAuth(staticToken("swift-token")));
    await client.GET("/things");
    expect(seen[0]!.headers["x-auth-token"]).toBe("swift-token");
    expect(seen[0]!.headers.authorization).toBeUndefined();

    const other = await service(() => true);
    await other
      .client(tokenAuth(staticToken("abc"), { header: "X-Api-Token", scheme: "Token" }))
      .GET("/things");
    expect(other.seen[0]!.headers["x-api-token"]).toBe("Token abc");
  });

  it("stamps a ready token synchronously, and waits for the source otherwise", async () => {
    const attempt = { number: 1, signal: new AbortController().signal, emit() {} };
    const request = () => ({ method: "GET", url: "http://127.0.0.1/", headers: new Headers(), body: null });
    const ready = request();
    // No promise: the pipeline sends at once, without an async hop.
    expect(tokenAuth(staticToken("ready-token")).prepare?.(ready, attempt)).toBeUndefined();
    expect(ready.headers.get("x-auth-token")).toBe("ready-token");

    const waiting = request();
    const later = tokenAuth({ token: async () => new Token("later-token"), invalidate() {} });
    const stamped = later.prepare?.(waiting, attempt);
    expect(stamped).toBeInstanceOf(Promise);
    expect(waiting.headers.get("x-auth-token")).toBeNull();
    await stamped;
    expect(waiting.headers.get("x-auth-token")).toBe("later-token");
  });

  it("passes the attempt's signal to the token source", async () => {
    const { client: make } = await service(() => true);
    const controller = new AbortController();
    const hanging = cachedTokenSource(() => new Promise<Token>(() => {}));
    const call = make(tokenAuth(hanging)).GET("/things", { signal: controller.signal });
    controller.abort(new Error("caller gave up"));
    await expect(call).rejects.toBeInstanceOf(AbortedError);
  });
});
