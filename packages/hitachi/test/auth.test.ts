/** The wire conversation: Keycloak tokens, the CSRF double submit, the documented request, and recovery. */
import { inspect } from "node:util";
import { staticToken } from "@bucketry/auth";
import { ApiError, AuthenticationError, ServerError } from "@bucketry/core";
import type { HitachiFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import {
  createVspOneObjectClient,
  vspOneObjectCredentials,
  vspOneObjectCredentialsFromEnv,
} from "../src/index.js";
import { clientFor, conversation, isList, listBodies, startFake } from "./helpers.js";

const LOGIN = "POST …/token password 200";
const CSRF = "GET /mapi/v1/csrf 200";
const LIST = "POST /mapi/v1/user/list_buckets";

/** A fetch that sends `https://admin.*.cluster.example.com/...` to the fake and records the URL asked for. */
function rerouted(fake: HitachiFake, seen: string[]) {
  return async (request: Request): Promise<Response> => {
    seen.push(`${request.method} ${request.url}`);
    const url = new URL(request.url);
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    return fetch(`${fake.url}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
    });
  };
}

async function accessToken(fake: HitachiFake): Promise<string> {
  const { username, password, clientId } = fake.credentials;
  const response = await fetch(fake.cluster.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: clientId, username, password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("the documented request", () => {
  it("logs in, fetches the CSRF cookies with the bearer token, and sends bearer, double submit and JSON", async () => {
    const fake = await startFake({ users: { 7: 5 } });
    const client = clientFor(fake);
    const page = await client.listBucketsPage({ userId: 7, count: 2 });
    expect(page.buckets).toHaveLength(2);
    expect(conversation(fake)).toEqual([LOGIN, CSRF, `${LIST} 200`]);

    const [login, csrf, list] = fake.log;
    expect(login!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(login!.body.toString()))).toEqual({
      grant_type: "password",
      username: fake.credentials.username,
      password: fake.credentials.password,
      client_id: "vsp-object-external-client",
    });
    const [token] = [...fake.issuedTokens.values()].filter((t) => t.kind === "access");
    const [session] = [...fake.csrfSessions.values()];
    expect(csrf!.headers.authorization).toBe(`Bearer ${token!.token}`);
    expect(list!.headers).toMatchObject({
      authorization: `Bearer ${token!.token}`,
      "x-xsrf-token": session!.xsrfToken,
      cookie: `XSRF-TOKEN=${session!.xsrfToken}; vertx-web.session=${session!.session}`,
      "content-type": "application/json",
      accept: "application/json",
    });
    expect(list!.body.toString()).toBe('{"id":7,"count":2}');
  });

  it("sends every documented body field: id, count and pageToken (omitted when absent or empty)", async () => {
    const fake = await startFake({ users: { [-468170324]: 5 } });
    const client = clientFor(fake);
    const first = await client.listBucketsPage({ userId: -468170324, count: 2, pageToken: "" });
    await client.listBucketsPage({ userId: -468170324, pageToken: first.nextPageToken! });
    await client.listBucketsPage({ userId: -468170324 });
    expect(listBodies(fake)).toEqual([
      { id: -468170324, count: 2 },
      { id: -468170324, pageToken: first.nextPageToken },
      { id: -468170324 },
    ]);
  });

  it("authenticates raw openapi-fetch calls too", async () => {
    const fake = await startFake({ users: { 3: 4 } });
    const client = clientFor(fake);
    const { data, response } = await client.POST("/v1/user/list_buckets", { body: { id: 3, count: 10 } });
    expect(response.status).toBe(200);
    expect(data?.buckets?.map((b) => b.bucketName)).toEqual(fake.users.get(3)!.map((b) => b.bucketName));
    expect(conversation(fake)).toEqual([LOGIN, CSRF, `${LIST} 200`]);
  });

  it("makes one token request and one CSRF request for many concurrent first calls", async () => {
    const fake = await startFake({ users: { 1: 3 } });
    const client = clientFor(fake);
    const pages = await Promise.all(Array.from({ length: 20 }, () => client.listBucketsPage({ userId: 1 })));
    expect(pages.every((p) => p.buckets.length === 3)).toBe(true);
    expect(conversation(fake).filter((line) => !line.startsWith(LIST))).toEqual([LOGIN, CSRF]);
  });

  it("sends the client secret of a confidential client", async () => {
    const fake = await startFake({ clientSecret: "cs-SEKRIT-1234" });
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(new URLSearchParams(fake.log[0]!.body.toString()).get("client_secret")).toBe("cs-SEKRIT-1234");
  });
});

describe("endpoints and credential forms", () => {
  const cluster = "cluster.example.com";
  const tokenUrl = `https://admin.gms.${cluster}/ui/auth/realms/vsp-object/protocol/openid-connect/token`;
  const mapi = `https://admin.us-west-2.${cluster}/mapi`;
  const expected = [`POST ${tokenUrl}`, `GET ${mapi}/v1/csrf`, `POST ${mapi}/v1/user/list_buckets`];

  it("region + cluster: MAPI at admin.{region}.{cluster}/mapi, Keycloak at admin.gms.{cluster}", async () => {
    const fake = await startFake();
    const seen: string[] = [];
    const { username, password } = fake.credentials;
    const client = createVspOneObjectClient({
      region: "us-west-2",
      cluster: "Cluster.Example.com",
      credentials: { type: "password", username, password },
      fetch: rerouted(fake, seen),
    });
    expect((await client.listBuckets({ userId: fake.defaultUserId }).all()).length).toBe(8);
    expect(seen).toEqual(expected);
  });

  it("vspOneObjectCredentials(...) gives the endpoint and the token URL", async () => {
    const fake = await startFake();
    const seen: string[] = [];
    const { username, password } = fake.credentials;
    const credentials = vspOneObjectCredentials({ cluster, region: "us-west-2", username, password });
    const client = createVspOneObjectClient({
      credentials: { type: "password", from: credentials },
      fetch: rerouted(fake, seen),
    });
    await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(seen).toEqual(expected);
  });

  it("the cluster as an option with plain password credentials, another region of the same cluster", async () => {
    const fake = await startFake();
    const seen: string[] = [];
    const { username, password } = fake.credentials;
    const client = createVspOneObjectClient({
      region: "eu-1",
      cluster,
      credentials: { type: "password", username, password },
      fetch: rerouted(fake, seen),
    });
    await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(seen).toEqual([
      `POST ${tokenUrl}`,
      `GET https://admin.eu-1.${cluster}/mapi/v1/csrf`,
      `POST https://admin.eu-1.${cluster}/mapi/v1/user/list_buckets`,
    ]);
  });

  it("vspOneObjectCredentialsFromEnv()", async () => {
    const fake = await startFake();
    const seen: string[] = [];
    const credentials = vspOneObjectCredentialsFromEnv({
      VSP_OBJECT_CLUSTER: cluster,
      VSP_OBJECT_REGION: "us-west-2",
      VSP_OBJECT_USERNAME: fake.credentials.username,
      VSP_OBJECT_PASSWORD: fake.credentials.password,
    });
    const client = createVspOneObjectClient({
      credentials: { type: "password", from: credentials },
      fetch: rerouted(fake, seen),
    });
    await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(seen).toEqual(expected);
  });

  it("a ready TokenSource (staticToken) for the bearer token: no Keycloak call", async () => {
    const fake = await startFake();
    const token = await accessToken(fake);
    fake.log.length = 0;
    const client = createVspOneObjectClient({
      baseUrl: fake.cluster.mapiUrl,
      credentials: { type: "token", source: staticToken(token) },
    });
    expect(await client.listBuckets({ userId: fake.defaultUserId }).all()).toHaveLength(8);
    expect(conversation(fake)).toEqual([CSRF, `${LIST} 200`]);
    expect(fake.log[1]!.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe("recovery", () => {
  it("an access token that expired (expire-tokens) is renewed with the refresh token, and the call resent", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    fake.inject({ kind: "expire-tokens" }, { match: isList });
    const page = await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(page.buckets).toHaveLength(8);
    expect(conversation(fake).slice(3)).toEqual([
      `${LIST} 401`,
      "POST …/token refresh_token 200",
      `${LIST} 200`,
    ]);
  });

  it("with the refresh token expired as well, logs in again with the password", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    fake.expireTokens();
    fake.expireRefreshTokens();
    await client.listBucketsPage({ userId: fake.defaultUserId });
    expect(conversation(fake).slice(3)).toEqual([
      `${LIST} 401`,
      "POST …/token refresh_token 400",
      LOGIN,
      `${LIST} 200`,
    ]);
  });

  it("expired CSRF sessions: one cookie refresh, then success", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    fake.expireCsrfSessions();
    expect((await client.listBucketsPage({ userId: fake.defaultUserId })).buckets).toHaveLength(8);
    expect(conversation(fake).slice(3)).toEqual([`${LIST} 403`, CSRF, `${LIST} 200`]);
    const [session] = [...fake.csrfSessions.values()];
    expect(fake.log.at(-1)!.headers["x-xsrf-token"]).toBe(session!.xsrfToken);
  });

  it("token and CSRF session both expired: the token is renewed, then the cookies, and the call succeeds", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    fake.expireTokens();
    fake.expireCsrfSessions();
    expect((await client.listBucketsPage({ userId: fake.defaultUserId })).buckets).toHaveLength(8);
    expect(conversation(fake).slice(3)).toEqual([
      `${LIST} 401`,
      "POST …/token refresh_token 200",
      `${LIST} 403`,
      CSRF,
      `${LIST} 200`,
    ]);
  });

  it("a listing walk survives both expiries in the middle, every bucket once", async () => {
    const fake = await startFake({ users: { 5: 50 } });
    const client = clientFor(fake);
    const names: string[] = [];
    for await (const bucket of client.listBuckets({ userId: 5, pageSize: 10 })) {
      names.push(bucket.name);
      if (names.length === 15) fake.expireTokens();
      if (names.length === 35) fake.expireCsrfSessions();
    }
    expect(names).toEqual(fake.users.get(5)!.map((b) => b.bucketName));
  });
});

describe("authentication failures", () => {
  it("a static token the server no longer accepts is an AuthenticationError (401), sent once", async () => {
    const fake = await startFake();
    const client = createVspOneObjectClient({
      baseUrl: fake.cluster.mapiUrl,
      credentials: { type: "token", source: staticToken(await accessToken(fake)) },
    });
    await client.listBucketsPage({ userId: fake.defaultUserId });
    fake.expireTokens();
    const error = await client.listBucketsPage({ userId: fake.defaultUserId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      provider: "hitachi-vsp-one-object",
      operation: "listUserBuckets",
      code: undefined,
      request: { method: "POST", url: `${fake.cluster.mapiUrl}/v1/user/list_buckets` },
    });
    expect((error as Error).message).toBe("hitachi-vsp-one-object listUserBuckets failed with HTTP 401");
    expect(fake.log.filter(isList).map((r) => r.status)).toEqual([200, 401]);
  });

  it("a wrong password is Keycloak's invalid_grant, and nothing reaches MAPI", async () => {
    const fake = await startFake();
    const client = clientFor(fake, {
      credentials: { type: "password", username: fake.credentials.username, password: "wrong-SEKRIT" },
    });
    const error = (await client
      .listBucketsPage({ userId: 1 })
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_grant", operation: "token request" });
    expect(error.message).toContain("Invalid user credentials");
    expect(conversation(fake)).toEqual(["POST …/token password 401"]);
  });

  it("a confidential client without its secret is invalid_client", async () => {
    const fake = await startFake({ clientSecret: "cs-SEKRIT-1234" });
    const { username, password } = fake.credentials;
    const client = clientFor(fake, { credentials: { type: "password", username, password } });
    const error = (await client
      .listBucketsPage({ userId: 1 })
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_client");
  });

  it("a CSRF endpoint that keeps failing is a ServerError naming it, retried; nothing reaches the listing", async () => {
    const fake = await startFake();
    fake.inject(
      { kind: "status", status: 500, body: '{"code":"E","message":"boom"}' },
      { match: (r) => r.method === "GET", times: 100 },
    );
    const error = (await clientFor(fake)
      .listBucketsPage({ userId: 1 })
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, attempts: 3 });
    expect(error.message).toContain(`CSRF cookie request to ${fake.cluster.csrfUrl} failed with HTTP 500`);
    expect(fake.log.filter((r) => r.method === "GET")).toHaveLength(3);
    expect(fake.log.filter(isList)).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("the password, client secret, tokens and cookies never appear in errors, even when echoed back", async () => {
    const fake = await startFake({ clientSecret: "cs-SEKRIT-1234" });
    const client = clientFor(fake);
    await client.listBucketsPage({ userId: fake.defaultUserId });
    const secrets = [
      fake.credentials.password,
      "cs-SEKRIT-1234",
      ...fake.issuedTokens.keys(),
      ...[...fake.csrfSessions.values()].flatMap((s) => [s.xsrfToken, s.session]),
    ];
    expect(secrets).toHaveLength(6);
    const echo = JSON.stringify({
      code: "ECHO",
      message: `you sent ${secrets.join(" and ")}`,
      details: secrets.join(","),
    });
    fake.inject(
      {
        kind: "status",
        status: 400,
        body: echo,
        headers: { "content-type": "application/json", "x-echo": secrets[2]! },
      },
      { match: isList },
    );
    const error = await client.listBucketsPage({ userId: fake.defaultUserId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const shown = [
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
    ].join("\n");
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect((error as ApiError).message).toContain("[REDACTED]");
  });
});
