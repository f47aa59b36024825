// Keystone v3 tokens (the protocol; Huawei IAM and NAVER have their own tests in their packages), against a loopback node:http server
// acting as Keystone (and as the service, for the 401 path through a real openapi-fetch client).
import { inspect } from "node:util";
import {
  AuthenticationError,
  ConnectionError,
  createPipeline,
  InvalidInputError,
  MalformedResponseError,
  SecretRegistry,
  ServerError,
} from "@bucketry/core";
import {
  errorRenderings,
  type HandlerAnswer,
  keystoneTokens,
  type RecordingServer,
  startRecordingServer,
} from "@bucketry/testing";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OAUTH_ERRORS } from "../src/tokens/keycloak.js";
import { KEYSTONE_ERRORS, keystoneV3Token } from "../src/tokens/keystone.js";
import { tokenAuth } from "../src/tokens/token-auth.js";

const PASSWORD = "p@ss-SEKRIT-4f9a&=+ü";
const SECRET_KEY = "sk-SEKRIT-0b7e1c";

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

describe("keystoneV3Token: request shape", () => {
  it("reads the expiry from token.expires_at, microseconds included", async () => {
    const server = await serve(() => ({
      status: 201,
      headers: { "X-Subject-Token": "tok-x" },
      body: JSON.stringify({ token: { expires_at: "2031-06-02T07:36:05.495123Z" } }),
    }));
    const source = keystoneV3Token({
      endpoint: server.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { name: "p" },
    });
    expect((await source.token()).expiresAt?.toISOString()).toBe("2031-06-02T07:36:05.495Z");
  });
});

describe("keystoneV3Token: caching", () => {
  it("reuses the token until expires_at less 5 minutes, then asks once for a new one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const server = await serve(keystoneTokens(60 * 60_000));
    const source = keystoneV3Token({
      endpoint: server.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    expect((await source.token()).reveal()).toBe("tok-1");
    vi.setSystemTime(new Date("2030-01-01T00:54:59Z"));
    const same = await Promise.all([source.token(), source.token()]);
    expect(same.map((t) => t.reveal())).toEqual(["tok-1", "tok-1"]);
    vi.setSystemTime(new Date("2030-01-01T00:55:01Z"));
    const renewed = await Promise.all([source.token(), source.token(), source.token()]);
    expect(renewed.map((t) => t.reveal())).toEqual(["tok-2", "tok-2", "tok-2"]);
    expect(server.seen).toHaveLength(2);
  });
});

describe("keystoneV3Token with tokenAuth: a 401 from the service", () => {
  interface Paths {
    "/v1/AUTH_{project_id}": {
      get: {
        parameters: { path: { project_id: string } };
        responses: {
          200: { content: { "application/json": unknown[] } };
          401: { content: { "text/plain": string } };
        };
      };
    };
  }

  it("invalidates the token and retries that request once with a new one", async () => {
    const idp = await serve(keystoneTokens());
    const service = await serve((req) =>
      req.headers["x-auth-token"] === "tok-2"
        ? { status: 200, headers: { "Content-Type": "application/json" }, body: "[]" }
        : { status: 401, body: "<h1>Unauthorized</h1>" },
    );
    const source = keystoneV3Token({
      endpoint: idp.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    const client = createClient<Paths>({
      baseUrl: service.url,
      fetch: createPipeline({ provider: "test", steps: [tokenAuth(source)] }),
    });
    const { data, response } = await client.GET("/v1/AUTH_{project_id}", {
      params: { path: { project_id: "p" } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual([]);
    expect(service.seen.map((r) => r.headers["x-auth-token"])).toEqual(["tok-1", "tok-2"]);
    expect(idp.seen).toHaveLength(2);
  });

  it("returns a second 401 as it is, without looping", async () => {
    const idp = await serve(keystoneTokens());
    const service = await serve(() => ({ status: 401, body: "<h1>Unauthorized</h1>" }));
    const source = keystoneV3Token({
      endpoint: idp.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    const client = createClient<Paths>({
      baseUrl: service.url,
      fetch: createPipeline({ provider: "test", steps: [tokenAuth(source)] }),
    });
    const { error, response } = await client.GET("/v1/AUTH_{project_id}", {
      params: { path: { project_id: "p" } },
    });
    expect(response.status).toBe(401);
    expect(error).toBe("<h1>Unauthorized</h1>");
    expect(service.seen.map((r) => r.headers["x-auth-token"])).toEqual(["tok-1", "tok-2"]);
    expect(idp.seen).toHaveLength(2);
  });
});

describe("keystoneV3Token: failures", () => {
  it("a refused login is an AuthenticationError naming the endpoint and status, never the password", async () => {
    const server = await serve((req) => ({
      status: 401,
      headers: { "Content-Type": "application/json", "X-Openstack-Request-Id": "req-42" },
      // A careless server echoing the request back.
      body: JSON.stringify({
        error: { code: 401, title: "Unauthorized", message: `bad credentials in ${req.body}` },
        echo: JSON.parse(req.body),
      }),
    }));
    const source = keystoneV3Token({
      endpoint: server.url,
      username: "alice",
      password: PASSWORD,
      domain: { name: "acme" },
      project: { id: "p1" },
    });
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.status).toBe(401);
    expect(auth.requestId).toBe("req-42");
    expect(auth.message).toContain(`${server.url}/v3/auth/tokens`);
    expect(auth.message).toContain("HTTP 401 (Unauthorized: bad credentials in");
    expect(auth.message).toContain("keystone token request");
    for (const shown of errorRenderings(error)) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(encodeURIComponent(PASSWORD));
      expect(shown).not.toContain("SEKRIT");
    }
  });

  it("scrubs the password from errors thrown through a client call, too", async () => {
    const idp = await serve((req) => ({ status: 400, body: `cannot parse ${req.body}` }));
    const secrets = new SecretRegistry();
    const source = keystoneV3Token({
      endpoint: idp.url,
      username: "AK",
      password: SECRET_KEY,
      domain: { id: "d" },
      project: { id: "p" },
      secrets,
    });
    const client = createClient<{
      "/x": { get: { responses: { 200: { content: { "text/plain": string } } } } };
    }>({
      baseUrl: "http://127.0.0.1:9",
      fetch: createPipeline({ provider: "test", steps: [tokenAuth(source)] }),
    });
    const error = await client.GET("/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain("keystone token request to");
    for (const shown of errorRenderings(error)) expect(shown).not.toContain(SECRET_KEY);
    expect(secrets.scrub(`x ${SECRET_KEY} y`)).toBe("x [REDACTED] y");
  });

  it("a non-201 success or a 201 without X-Subject-Token is a MalformedResponseError", async () => {
    let answer: HandlerAnswer = { status: 200, headers: { "X-Subject-Token": "tok" }, body: "{}" };
    const server = await serve(() => answer);
    const source = keystoneV3Token({
      endpoint: server.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    await expect(source.token()).rejects.toThrow(/HTTP 200/);
    answer = { status: 201, body: "{}" };
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/HTTP 201 \(no X-Subject-Token header/);
  });

  it("a 5xx from Keystone is a retryable ServerError carrying the status, and is not cached", async () => {
    let fail = true;
    const ok = keystoneTokens();
    const server = await serve(() => (fail ? { status: 503, body: "Service Unavailable" } : ok()));
    const source = keystoneV3Token({
      endpoint: server.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    const error = (await source.token().catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    fail = false;
    expect((await source.token()).reveal()).toBe("tok-1");
  });

  it("an unreachable Keystone is a ConnectionError naming the endpoint, with the cause", async () => {
    const server = await serve(keystoneTokens());
    const url = server.url;
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const source = keystoneV3Token({
      endpoint: url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    const error = (await source.token().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain(`keystone token request to ${url}/v3/auth/tokens failed`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.cause).toBeInstanceOf(TypeError);
    for (const shown of errorRenderings(error)) expect(shown).not.toContain(PASSWORD);
  });

  it("rejects bad options before sending anything", async () => {
    const server = await serve(keystoneTokens());
    const base = {
      endpoint: server.url,
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    };
    const fieldOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).field;
      }
      throw new Error("no error");
    };
    expect(fieldOf(() => keystoneV3Token({ ...base, endpoint: "iam.example.com" }))).toBe("endpoint");
    expect(fieldOf(() => keystoneV3Token({ ...base, endpoint: "ftp://iam.example.com" }))).toBe("endpoint");
    expect(fieldOf(() => keystoneV3Token({ ...base, password: "" }))).toBe("password");
    expect(fieldOf(() => keystoneV3Token({ ...base, username: " " }))).toBe("username");
    expect(fieldOf(() => keystoneV3Token({ ...base, domain: { id: "d", name: "n" } as never }))).toBe(
      "domain",
    );
    expect(fieldOf(() => keystoneV3Token({ ...base, project: {} as never }))).toBe("project");
    expect(fieldOf(() => keystoneV3Token({ ...base, project: { id: "" } }))).toBe("project.id");
    expect(server.seen).toHaveLength(0);
  });

  it("keeps the password out of inspect and JSON of the source", () => {
    const source = keystoneV3Token({
      endpoint: "https://iam.example.com",
      username: "u",
      password: PASSWORD,
      domain: { id: "d" },
      project: { id: "p" },
    });
    expect(inspect(source, { showHidden: true, depth: 10 })).not.toContain("SEKRIT");
    expect(JSON.stringify(source)).not.toContain("SEKRIT");
  });
});

describe("KEYSTONE_ERRORS and OAUTH_ERRORS", () => {
  it("read Keystone's and OAuth's error bodies", () => {
    const keystone =
      '{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}';
    expect(KEYSTONE_ERRORS.parse!(keystone, new Headers())).toMatchObject({
      code: "Unauthorized",
      message: "The request you have made requires authentication.",
    });
    expect(KEYSTONE_ERRORS.requestId).toBe("x-openstack-request-id");
    const keycloak = '{"error":"invalid_grant","error_description":"Invalid user credentials"}';
    expect(OAUTH_ERRORS.parse!(keycloak, new Headers())).toMatchObject({
      code: "invalid_grant",
      message: "Invalid user credentials",
    });
  });
});
