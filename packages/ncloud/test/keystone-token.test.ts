// NAVER Archive Storage tokens (Keystone v3 with NAVER's ids and endpoint), against a loopback
// node:http server acting as Keystone (and as the service, for a call through a real openapi-fetch client).
import { tokenAuth } from "@bucketry/auth/tokens";
import {
  AuthenticationError,
  CredentialsError,
  createPipeline,
  InvalidInputError,
  SecretRegistry,
} from "@bucketry/core";
import {
  errorRenderings,
  keystoneTokens,
  type RecordingServer,
  startRecordingServer,
} from "@bucketry/testing";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ncloudKeystoneToken } from "../src/credentials.js";

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

/** A fetch that sends every request to `base` instead, recording the URL it was meant for. */
function redirectTo(base: string, meant: string[]) {
  return (request: Request) => {
    meant.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(base + url.pathname + url.search, request));
  };
}

describe("ncloudKeystoneToken", () => {
  it("NAVER: access key as user name, secret key as password, domain and project by id, endpoint with /v3", async () => {
    const server = await serve(keystoneTokens());
    const source = ncloudKeystoneToken({
      endpoint: `${server.url}/v3`,
      accessKeyId: "AKIDNCLOUD123",
      secretKey: SECRET_KEY,
      domainId: "default",
      projectId: "fedcba9876543210",
    });
    await source.token();
    expect(server.seen[0]!.url).toBe("/v3/auth/tokens");
    expect(JSON.parse(server.seen[0]!.body)).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "AKIDNCLOUD123", password: SECRET_KEY, domain: { id: "default" } } },
        },
        scope: { project: { id: "fedcba9876543210" } },
      },
    });
  });

  it("NAVER: the public-zone Keystone by default", async () => {
    const server = await serve(keystoneTokens());
    const meant: string[] = [];
    await ncloudKeystoneToken({
      accessKeyId: "AKIDNCLOUD123",
      secretKey: SECRET_KEY,
      domainId: "default",
      projectId: "fedcba9876543210",
      fetch: redirectTo(server.url, meant),
    }).token();
    expect(meant).toEqual(["https://kr.archive.ncloudstorage.com:5000/v3/auth/tokens"]);
  });

  it("scrubs the password from errors thrown through a client call, too", async () => {
    const idp = await serve((req) => ({ status: 400, body: `cannot parse ${req.body}` }));
    const secrets = new SecretRegistry();
    const source = ncloudKeystoneToken({
      endpoint: idp.url,
      accessKeyId: "AK",
      secretKey: SECRET_KEY,
      domainId: "d",
      projectId: "p",
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
    expect((error as AuthenticationError).message).toContain("ncloud-archive-storage token request to");
    for (const shown of errorRenderings(error)) expect(shown).not.toContain(SECRET_KEY);
    expect(secrets.scrub(`x ${SECRET_KEY} y`)).toBe("x [REDACTED] y");
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
    const naver = { accessKeyId: "AK", secretKey: SECRET_KEY, domainId: "d", projectId: "p" };
    expect(fieldOf(() => ncloudKeystoneToken({ ...naver, secretKey: "" }))).toBe("secretKey");
    expect(fieldOf(() => ncloudKeystoneToken({ ...naver, domainId: undefined as never }))).toBe("domainId");
    expect(() => ncloudKeystoneToken({ ...naver, projectId: "" })).toThrow(CredentialsError);
    expect(server.seen).toHaveLength(0);
  });
});
