// Huawei IAM tokens (Keystone v3 with Huawei's scope, endpoint and error format), against a loopback
// node:http server acting as IAM.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { AuthenticationError, InvalidInputError } from "@bucketry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { huaweiIamToken } from "../src/credentials.js";

const PASSWORD = "p@ss-SEKRIT-4f9a&=+ü";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; body?: string };

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
  vi.useRealTimers();
});

/** A loopback server that records every request and answers with `handler`. */
async function serve(handler: (seen: Seen) => Answer | Promise<Answer>) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    const answer = await handler(entry);
    res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ close: () => server.close() });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

/** Keystone issuing tok-1, tok-2, … that expire `lifetimeMs` after issue (Keystone's microsecond format). */
function keystone(lifetimeMs = 24 * 3600_000) {
  let issued = 0;
  return () => {
    issued++;
    const expires = new Date(Date.now() + lifetimeMs).toISOString().replace("Z", "000Z");
    return {
      status: 201,
      headers: { "X-Subject-Token": `tok-${issued}`, "Content-Type": "application/json" },
      body: JSON.stringify({ token: { expires_at: expires, methods: ["password"] } }),
    };
  };
}

/** A fetch that sends every request to `base` instead, recording the URL it was meant for. */
function redirectTo(base: string, meant: string[]) {
  return (request: Request) => {
    meant.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(base + url.pathname + url.search, request));
  };
}

/** Every way an error could be shown. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
}

describe("huaweiIamToken", () => {
  it("Huawei IAM: nocatalog, domain by account name, project scope by id", async () => {
    const server = await serve(keystone());
    const source = huaweiIamToken({
      endpoint: server.url,
      accountName: "acme-account",
      userName: "alice",
      password: PASSWORD,
      projectId: "0123456789abcdef0123456789abcdef",
    });
    const token = await source.token();
    expect(token.reveal()).toBe("tok-1");
    const [request] = server.seen;
    expect(request).toMatchObject({ method: "POST", url: "/v3/auth/tokens?nocatalog=true" });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "alice", password: PASSWORD, domain: { name: "acme-account" } } },
        },
        scope: { project: { id: "0123456789abcdef0123456789abcdef" } },
      },
    });
  });

  it("Huawei IAM: the regional endpoint, and the region name as scope without a project id", async () => {
    const server = await serve(keystone());
    const meant: string[] = [];
    const source = huaweiIamToken({
      region: "ap-southeast-1",
      accountName: "acme-account",
      userName: "alice",
      password: PASSWORD,
      fetch: redirectTo(server.url, meant),
    });
    await source.token();
    expect(meant).toEqual(["https://iam.ap-southeast-1.myhuaweicloud.com/v3/auth/tokens?nocatalog=true"]);
    expect(JSON.parse(server.seen[0]!.body).auth.scope).toEqual({ project: { name: "ap-southeast-1" } });
  });

  it("a refused login is an AuthenticationError naming the endpoint and status, never the password", async () => {
    const server = await serve((req) => ({
      status: 401,
      headers: { "Content-Type": "application/json", "X-Request-Id": "req-42" },
      // A careless server echoing the request back.
      body: JSON.stringify({
        error: { code: 401, title: "Unauthorized", message: `bad credentials in ${req.body}` },
        echo: JSON.parse(req.body),
      }),
    }));
    const source = huaweiIamToken({
      endpoint: server.url,
      accountName: "acme",
      userName: "alice",
      password: PASSWORD,
      projectId: "p1",
    });
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.status).toBe(401);
    expect(auth.requestId).toBe("req-42");
    expect(auth.message).toContain(`${server.url}/v3/auth/tokens?nocatalog=true`);
    expect(auth.message).toContain("HTTP 401");
    expect(auth.message).toContain("huaweicloud-iam");
    for (const shown of renderings(error)) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(encodeURIComponent(PASSWORD));
      expect(shown).not.toContain("SEKRIT");
    }
  });

  it("rejects bad options before sending anything", async () => {
    const server = await serve(keystone());
    const fieldOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).field;
      }
      throw new Error("no error");
    };
    const huawei = { accountName: "a", userName: "u", password: PASSWORD };
    expect(fieldOf(() => huaweiIamToken(huawei))).toBe("region");
    expect(fieldOf(() => huaweiIamToken({ ...huawei, region: "Not A Region" }))).toBe("region");
    expect(fieldOf(() => huaweiIamToken({ ...huawei, endpoint: server.url }))).toBe("projectId");
    expect(fieldOf(() => huaweiIamToken({ ...huawei, region: "eu-west-101", accountName: "" }))).toBe(
      "accountName",
    );
    expect(server.seen).toHaveLength(0);
  });
});
