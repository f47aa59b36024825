// Huawei IAM tokens (Keystone v3 with Huawei's scope, endpoint and error format), against a loopback
// node:http server acting as IAM.
import { AuthenticationError, InvalidInputError } from "@bucketry/core";
import {
  errorRenderings,
  keystoneTokens,
  type RecordingServer,
  startRecordingServer,
} from "@bucketry/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { huaweiIamToken } from "../src/credentials.js";

const PASSWORD = "p@ss-SEKRIT-4f9a&=+ü";

const servers: RecordingServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  vi.useRealTimers();
});

/** A recording loopback server, closed after each test. */
async function serve(handler: Parameters<typeof startRecordingServer>[0]) {
  const server = await startRecordingServer(handler);
  servers.push(server);
  return server;
}

/** A fetch that sends every request to `base` instead, recording the URL it was meant for. */
function redirectTo(base: string, meant: string[]) {
  return (request: Request) => {
    meant.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(base + url.pathname + url.search, request));
  };
}

describe("huaweiIamToken", () => {
  it("Huawei IAM: nocatalog, domain by account name, project scope by id", async () => {
    const server = await serve(keystoneTokens());
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
    const server = await serve(keystoneTokens());
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
    for (const shown of errorRenderings(error)) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(encodeURIComponent(PASSWORD));
      expect(shown).not.toContain("SEKRIT");
    }
  });

  it("rejects bad options before sending anything", async () => {
    const server = await serve(keystoneTokens());
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
