// The CSRF double-submit session of VSP One Object's MAPI, with bearerAuth, through a real
// openapi-fetch client against a loopback node:http server that behaves like the Vert.x-web MAPI:
// GET /mapi/v1/csrf sets XSRF-TOKEN and vertx-web.session; a call is accepted only when the
// X-XSRF-TOKEN header, the XSRF-TOKEN cookie and the session agree, and the bearer token is valid.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
  type AttemptStep,
  createPipeline,
  InvalidInputError,
  MalformedResponseError,
  ServerError,
} from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { xsrfSession } from "../src/session/xsrf.js";
import { cachedTokenSource, staticToken, Token, type TokenSource } from "../src/tokens/token.js";
import { bearerAuth } from "../src/tokens/token-auth.js";

interface Paths {
  "/v1/user/list_buckets": {
    post: {
      requestBody: { content: { "application/json": { id: number; count?: number } } };
      responses: {
        200: { content: { "application/json": { buckets: unknown[]; pageToken: string } } };
        403: { content: { "application/json": { code: string; message: string } } };
      };
    };
  };
}

interface Call {
  authorization: string | undefined;
  xsrf: string | undefined;
  cookie: string | undefined;
  body: string;
  status: number;
}

interface MapiOptions {
  /** Bearer tokens the server accepts. */
  bearers?: Set<string>;
  /** Answer for the CSRF endpoint instead of the normal one. */
  csrfAnswer?: { status: number; headers?: Record<string, string | string[]>; body?: string };
  /** Every accepted call rotates XSRF-TOKEN. */
  rotate?: boolean;
  /** Every call is refused with 403. */
  alwaysForbidden?: boolean;
}

let close: (() => void) | undefined;
afterEach(() => close?.());

async function mapi(options: MapiOptions = {}) {
  const bearers = options.bearers ?? new Set(["at-1"]);
  const sessions = new Map<string, string>(); // vertx-web.session -> its XSRF token
  const csrfGets: IncomingHttpHeaders[] = [];
  const calls: Call[] = [];
  let issued = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bearerOk = bearers.has(String(req.headers.authorization).replace(/^Bearer /, ""));
    if (req.method === "GET" && req.url === "/mapi/v1/csrf") {
      csrfGets.push(req.headers);
      if (options.csrfAnswer) {
        const { status, headers, body } = options.csrfAnswer;
        res.writeHead(status, headers).end(body ?? "");
        return;
      }
      if (!bearerOk) return void res.writeHead(401).end();
      issued++;
      sessions.set(`s-${issued}`, `x-${issued}`);
      res.setHeader("Set-Cookie", [
        `XSRF-TOKEN=x-${issued}; Path=/`,
        `vertx-web.session=s-${issued}; Path=/; HttpOnly; SameSite=Strict`,
      ]);
      return void res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    }
    const cookies = Object.fromEntries(
      String(req.headers.cookie ?? "")
        .split("; ")
        .map((pair) => pair.split("=") as [string, string]),
    );
    const xsrf = req.headers["x-xsrf-token"] as string | undefined;
    const csrfOk =
      !options.alwaysForbidden &&
      xsrf !== undefined &&
      xsrf === cookies["XSRF-TOKEN"] &&
      sessions.get(cookies["vertx-web.session"] ?? "") === xsrf;
    const status = !bearerOk ? 401 : csrfOk ? 200 : 403;
    calls.push({
      authorization: req.headers.authorization,
      xsrf,
      cookie: req.headers.cookie,
      body: Buffer.concat(chunks).toString(),
      status,
    });
    if (status === 200 && options.rotate) {
      issued++;
      sessions.set(cookies["vertx-web.session"]!, `x-${issued}`);
      res.setHeader("Set-Cookie", `XSRF-TOKEN=x-${issued}; Path=/`);
    }
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(status === 200 ? '{"buckets":[],"pageToken":""}' : '{"code":"FORBIDDEN","message":"denied"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => server.close();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connect = (tokens: TokenSource = staticToken("at-1")) =>
    clientOf(url, bearerAuth(tokens), xsrfSession({ csrfUrl: `${url}/mapi/v1/csrf`, bearer: tokens }));
  return { url, sessions, csrfGets, calls, connect };
}

/** An openapi-fetch client sending through core's pipeline with `steps`. */
function clientOf(url: string, ...steps: AttemptStep[]) {
  const fetch = createPipeline({ provider: "hitachi-vsp-one-object", steps }, { retry: { baseDelayMs: 1 } });
  return createClient<Paths>({ baseUrl: `${url}/mapi`, fetch });
}

const listBuckets = (client: ReturnType<typeof clientOf>, id = -468170324) =>
  client.POST("/v1/user/list_buckets", { body: { id, count: 1000 } });

describe("xsrfSession", () => {
  it("fetches the cookies once, with the bearer token, and sends header, cookies and bearer on every call", async () => {
    const server = await mapi();
    const client = server.connect();
    for (let i = 0; i < 3; i++) {
      const { data, response } = await listBuckets(client);
      expect(response.status).toBe(200);
      expect(data).toEqual({ buckets: [], pageToken: "" });
    }
    expect(server.csrfGets).toHaveLength(1);
    expect(server.csrfGets[0]!.authorization).toBe("Bearer at-1");
    for (const call of server.calls) {
      expect(call).toMatchObject({
        authorization: "Bearer at-1",
        xsrf: "x-1",
        cookie: "XSRF-TOKEN=x-1; vertx-web.session=s-1",
        body: '{"id":-468170324,"count":1000}',
      });
    }
  });

  it("on a 403 fetches new cookies once and resends the call", async () => {
    const server = await mapi();
    const client = server.connect();
    await listBuckets(client);
    server.sessions.delete("s-1"); // the server forgot the session
    const { response } = await listBuckets(client, 7);
    expect(response.status).toBe(200);
    expect(server.csrfGets).toHaveLength(2);
    expect(server.calls.map((c) => [c.status, c.xsrf, c.cookie, c.body])).toEqual([
      [200, "x-1", "XSRF-TOKEN=x-1; vertx-web.session=s-1", '{"id":-468170324,"count":1000}'],
      [403, "x-1", "XSRF-TOKEN=x-1; vertx-web.session=s-1", '{"id":7,"count":1000}'],
      [200, "x-2", "XSRF-TOKEN=x-2; vertx-web.session=s-2", '{"id":7,"count":1000}'],
    ]);
  });

  it("returns a second 403 as it is: one cookie refresh, no loop", async () => {
    const server = await mapi({ alwaysForbidden: true });
    const { error, response } = await listBuckets(server.connect());
    expect(response.status).toBe(403);
    expect(error).toEqual({ code: "FORBIDDEN", message: "denied" });
    expect(server.csrfGets).toHaveLength(2);
    expect(server.calls).toHaveLength(2);
  });

  it("makes one CSRF request for many concurrent first calls, and one for a burst of 403s", async () => {
    const server = await mapi();
    const client = server.connect();
    const first = await Promise.all(Array.from({ length: 25 }, () => listBuckets(client)));
    expect(first.every((r) => r.response.status === 200)).toBe(true);
    expect(server.csrfGets).toHaveLength(1);
    server.sessions.clear();
    const again = await Promise.all(Array.from({ length: 25 }, () => listBuckets(client)));
    expect(again.every((r) => r.response.status === 200)).toBe(true);
    expect(server.csrfGets).toHaveLength(2);
  });

  it("keeps a token the server rotates in a response", async () => {
    const server = await mapi({ rotate: true });
    const client = server.connect();
    for (let i = 0; i < 3; i++) expect((await listBuckets(client)).response.status).toBe(200);
    expect(server.calls.map((c) => [c.status, c.xsrf, c.cookie])).toEqual([
      [200, "x-1", "XSRF-TOKEN=x-1; vertx-web.session=s-1"],
      [200, "x-2", "XSRF-TOKEN=x-2; vertx-web.session=s-1"],
      [200, "x-3", "XSRF-TOKEN=x-3; vertx-web.session=s-1"],
    ]);
    expect(server.csrfGets).toHaveLength(1);
  });

  it("renews a bearer token the CSRF endpoint refuses, once", async () => {
    const server = await mapi({ bearers: new Set(["at-2"]) });
    let n = 0;
    const tokens = cachedTokenSource(async () => new Token(`at-${++n}`));
    const { response } = await listBuckets(server.connect(tokens));
    expect(response.status).toBe(200);
    expect(server.csrfGets.map((h) => h.authorization)).toEqual(["Bearer at-1", "Bearer at-2"]);
    // bearerAuth ran first and stamped at-1; its 401 renewal repeats the call with at-2.
    expect(server.calls.map((c) => [c.authorization, c.status])).toEqual([
      ["Bearer at-1", 401],
      ["Bearer at-2", 200],
    ]);
  });

  it("a failing CSRF endpoint is a ServerError naming it, retried; the call itself is never sent", async () => {
    const server = await mapi({ csrfAnswer: { status: 500, body: '{"code":"E500","message":"boom"}' } });
    const error = (await listBuckets(server.connect()).catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, attempts: 3, retryable: true });
    expect(server.csrfGets).toHaveLength(3);
    expect(error.message).toContain(`CSRF cookie request to ${server.url}/mapi/v1/csrf failed with HTTP 500`);
    expect(server.calls).toHaveLength(0);
  });

  it("an answer without the XSRF-TOKEN cookie is a MalformedResponseError, and other cookies stay secret", async () => {
    const server = await mapi({
      csrfAnswer: {
        status: 200,
        headers: { "Set-Cookie": ["vertx-web.session=s-SEKRIT-9; Path=/"] },
        body: "{}",
      },
    });
    const error = (await listBuckets(server.connect()).catch((e: unknown) => e)) as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toMatch(/HTTP 200 \(no XSRF-TOKEN cookie/);
    expect(error.headers["set-cookie"]).toBe("[REDACTED]");
    for (const shown of [error.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(shown).not.toContain("SEKRIT");
    }
  });

  it("keeps the cookies out of inspect and JSON of the step", async () => {
    const server = await mapi();
    const step = xsrfSession({ csrfUrl: `${server.url}/mapi/v1/csrf`, bearer: staticToken("at-1") });
    await listBuckets(clientOf(server.url, bearerAuth(staticToken("at-1")), step));
    expect(inspect(step, { showHidden: true, depth: 10 })).not.toContain("x-1");
    expect(JSON.stringify(step)).not.toContain("x-1");
  });

  it("rejects a bad CSRF URL when it is created", () => {
    expect(() => xsrfSession({ csrfUrl: "/mapi/v1/csrf" })).toThrow(InvalidInputError);
  });
});
