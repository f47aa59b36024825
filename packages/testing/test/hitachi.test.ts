/** The Hitachi VSP One Object fake (Keycloak + MAPI csrf + list_buckets), driven with plain fetch. */
import { afterEach, describe, expect, it } from "vitest";
import { type HitachiFake, type HitachiFakeOptions, startHitachiFake } from "../src/fakes/hitachi.js";
import { bucketNames, compareUtf8 } from "../src/seed.js";

const fakes: HitachiFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function start(options: HitachiFakeOptions = {}): Promise<HitachiFake> {
  const fake = await startHitachiFake(options);
  fakes.push(fake);
  return fake;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  refresh_token: string;
  token_type: string;
  session_state: string;
}

function grant(fake: HitachiFake, fields: Record<string, string>): Promise<Response> {
  return fetch(fake.cluster.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

function passwordFields(fake: HitachiFake): Record<string, string> {
  const { username, password, clientId, clientSecret } = fake.credentials;
  return {
    grant_type: "password",
    client_id: clientId,
    username,
    password,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
  };
}

async function login(fake: HitachiFake): Promise<TokenAnswer> {
  const response = await grant(fake, passwordFields(fake));
  expect(response.status).toBe(200);
  return (await response.json()) as TokenAnswer;
}

interface Session {
  bearer: string;
  xsrf: string;
  session: string;
}

async function csrfCookies(fake: HitachiFake, bearer?: string): Promise<{ xsrf: string; session: string }> {
  const response = await fetch(fake.cluster.csrfUrl, {
    headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
  });
  expect(response.status).toBe(200);
  const cookies = response.headers.getSetCookie();
  const xsrf = /^XSRF-TOKEN=([^;]+); Path=\/$/.exec(cookies[0] ?? "")?.[1];
  const session = /^vertx-web\.session=([^;]+); Path=\/; HttpOnly$/.exec(cookies[1] ?? "")?.[1];
  expect(xsrf).toBeDefined();
  expect(session).toBeDefined();
  return { xsrf: xsrf!, session: session! };
}

async function session(fake: HitachiFake): Promise<Session> {
  const { access_token } = await login(fake);
  return { bearer: access_token, ...(await csrfCookies(fake)) };
}

function listBuckets(
  fake: HitachiFake,
  s: Session,
  body: unknown,
  overrides: { headers?: Record<string, string>; method?: string; raw?: string } = {},
): Promise<Response> {
  return fetch(`${fake.cluster.mapiUrl}/v1/user/list_buckets`, {
    method: overrides.method ?? "POST",
    headers: {
      Authorization: `Bearer ${s.bearer}`,
      "X-XSRF-TOKEN": s.xsrf,
      Cookie: `XSRF-TOKEN=${s.xsrf}; vertx-web.session=${s.session}`,
      "Content-Type": "application/json",
      Accept: "application/json",
      ...overrides.headers,
    },
    ...(overrides.method === "GET" ? {} : { body: overrides.raw ?? JSON.stringify(body) }),
  });
}

interface Page {
  buckets: Array<{ bucketId: number; bucketName: string }>;
  pageToken?: string;
}

describe("Keycloak token endpoint", () => {
  it("grants password logins: Keycloak's JSON, JWT-shaped tokens valid tokenTtlSeconds", async () => {
    const fake = await start();
    const response = await grant(fake, passwordFields(fake));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as TokenAnswer;
    expect(body).toMatchObject({ expires_in: 300, refresh_expires_in: 1800, token_type: "Bearer" });
    expect(body.access_token.split(".")).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1]!, "base64url").toString()) as {
      exp: number;
      iat: number;
      azp: string;
      iss: string;
    };
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.azp).toBe("vsp-object-external-client");
    expect(claims.iss).toBe(`${fake.url}/ui/auth/realms/vsp-object`);
    expect(fake.issuedTokens.get(body.access_token)?.kind).toBe("access");
    expect(fake.issuedTokens.get(body.refresh_token)?.kind).toBe("refresh");
    expect(fake.cluster.tokenUrl).toBe(`${fake.url}/ui/auth/realms/vsp-object/protocol/openid-connect/token`);
  });

  it("refuses bad credentials with 401 invalid_grant, bad clients with 401 invalid_client", async () => {
    const fake = await start();
    const wrongPassword = await grant(fake, { ...passwordFields(fake), password: "nope" });
    expect(wrongPassword.status).toBe(401);
    expect(await wrongPassword.json()).toEqual({
      error: "invalid_grant",
      error_description: "Invalid user credentials",
    });
    const wrongUser = await grant(fake, { ...passwordFields(fake), username: "nobody" });
    expect(wrongUser.status).toBe(401);
    const wrongClient = await grant(fake, { ...passwordFields(fake), client_id: "other" });
    expect(wrongClient.status).toBe(401);
    expect(((await wrongClient.json()) as { error: string }).error).toBe("invalid_client");
    const noGrant = await grant(fake, { client_id: "vsp-object-external-client" });
    expect(noGrant.status).toBe(400);
    expect(((await noGrant.json()) as { error: string }).error).toBe("invalid_request");
    const badGrant = await grant(fake, { ...passwordFields(fake), grant_type: "client_credentials" });
    expect(badGrant.status).toBe(400);
    expect(((await badGrant.json()) as { error: string }).error).toBe("unsupported_grant_type");
    const json = await fetch(fake.cluster.tokenUrl, {
      method: "POST",
      body: JSON.stringify(passwordFields(fake)),
    });
    expect(json.status).toBe(415);
    expect((await fetch(fake.cluster.tokenUrl)).status).toBe(405);
  });

  it("requires the client secret when configured with one", async () => {
    const fake = await start({ clientSecret: "s3cret" });
    expect(fake.credentials.clientSecret).toBe("s3cret");
    const { client_secret: _, ...withoutSecret } = passwordFields(fake);
    expect((await grant(fake, withoutSecret)).status).toBe(401);
    expect((await grant(fake, { ...withoutSecret, client_secret: "wrong" })).status).toBe(401);
    expect((await grant(fake, passwordFields(fake))).status).toBe(200);
  });

  it("refreshes with refresh_token; refuses unknown, expired and other-client refresh tokens", async () => {
    const fake = await start({ refreshTtlSeconds: 600 });
    const first = await login(fake);
    const refreshed = await grant(fake, {
      grant_type: "refresh_token",
      client_id: fake.credentials.clientId,
      refresh_token: first.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as TokenAnswer;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.session_state).toBe(first.session_state);

    const unknown = await grant(fake, {
      grant_type: "refresh_token",
      client_id: "vsp-object-external-client",
      refresh_token: "x.y.z",
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: "invalid_grant",
      error_description: "Invalid refresh token",
    });
    // An access token is not a refresh token.
    const access = await grant(fake, {
      grant_type: "refresh_token",
      client_id: "vsp-object-external-client",
      refresh_token: first.access_token,
    });
    expect(access.status).toBe(400);

    fake.advanceClock(600_000);
    const expired = await grant(fake, {
      grant_type: "refresh_token",
      client_id: fake.credentials.clientId,
      refresh_token: second.refresh_token,
    });
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({
      error: "invalid_grant",
      error_description: "Token is not active",
    });

    const third = await login(fake);
    fake.expireRefreshTokens();
    const afterExpiry = await grant(fake, {
      grant_type: "refresh_token",
      client_id: fake.credentials.clientId,
      refresh_token: third.refresh_token,
    });
    expect(afterExpiry.status).toBe(400);
  });
});

describe("GET /mapi/v1/csrf", () => {
  it("sets XSRF-TOKEN and vertx-web.session, with or without a bearer token; a bad bearer is 401", async () => {
    const fake = await start();
    const anonymous = await fetch(fake.cluster.csrfUrl);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe("");
    expect(anonymous.headers.getSetCookie()).toHaveLength(2);
    const { access_token } = await login(fake);
    const { xsrf, session: id } = await csrfCookies(fake, access_token);
    expect(fake.csrfSessions.get(id)?.xsrfToken).toBe(xsrf);
    const bad = await fetch(fake.cluster.csrfUrl, { headers: { Authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    expect((await fetch(fake.cluster.csrfUrl, { method: "POST" })).status).toBe(405);
  });
});

describe("POST /mapi/v1/user/list_buckets: auth", () => {
  it("lists the default user's buckets with bearer token + double-submit cookies", async () => {
    const fake = await start();
    const s = await session(fake);
    const response = await listBuckets(fake, s, { id: -468170324 });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const page = (await response.json()) as Page;
    expect(page.pageToken).toBeUndefined();
    expect(page.buckets.map((b) => b.bucketName)).toEqual([...bucketNames(8)].sort(compareUtf8));
    expect(page.buckets.every((b) => Number.isInteger(b.bucketId))).toBe(true);
    expect(fake.defaultUserId).toBe(-468170324);
  });

  it("answers 401 with an empty body for a missing, unknown or expired bearer token", async () => {
    const fake = await start({ tokenTtlSeconds: 60 });
    const s = await session(fake);
    const cases: Array<Record<string, string>> = [
      { Authorization: "" },
      { Authorization: "Bearer not-a-token" },
      { Authorization: `Basic ${s.bearer}` },
    ];
    for (const headers of cases) {
      const response = await listBuckets(fake, s, { id: fake.defaultUserId }, { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe("");
    }
    fake.advanceClock(59_000);
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(200);
    fake.advanceClock(1_000);
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(401);
  });

  it("expires access tokens (not CSRF sessions) on expireTokens() and the expire-tokens fault", async () => {
    const fake = await start();
    const s = await session(fake);
    fake.expireTokens();
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(401);
    const fresh = { ...s, bearer: (await login(fake)).access_token };
    expect((await listBuckets(fake, fresh, { id: fake.defaultUserId })).status).toBe(200);
    fake.inject({ kind: "expire-tokens" });
    const faulted = await listBuckets(fake, fresh, { id: fake.defaultUserId });
    expect(faulted.status).toBe(401);
    expect(fake.log.at(-1)?.fault).toBe("expire-tokens");
    // The refresh token survives, and the CSRF session too.
    const { refresh_token } = await login(fake);
    fake.expireTokens();
    const refreshed = await grant(fake, {
      grant_type: "refresh_token",
      client_id: fake.credentials.clientId,
      refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const again = { ...s, bearer: ((await refreshed.json()) as TokenAnswer).access_token };
    expect((await listBuckets(fake, again, { id: fake.defaultUserId })).status).toBe(200);
  });

  it("answers 403 when the CSRF double submit fails", async () => {
    const fake = await start({ csrfTtlSeconds: 100 });
    const s = await session(fake);
    const other = await csrfCookies(fake);
    const cases: Array<Record<string, string>> = [
      { "X-XSRF-TOKEN": "" },
      { "X-XSRF-TOKEN": "forged" },
      { Cookie: `vertx-web.session=${s.session}` },
      { Cookie: `XSRF-TOKEN=${s.xsrf}` },
      { Cookie: `XSRF-TOKEN=${s.xsrf}; vertx-web.session=unknown` },
      // Header and cookie agree, but the token belongs to another session.
      { Cookie: `XSRF-TOKEN=${s.xsrf}; vertx-web.session=${other.session}` },
    ];
    for (const headers of cases) {
      const response = await listBuckets(fake, s, { id: fake.defaultUserId }, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      const body = (await response.json()) as { code: string; message: string; details: string };
      expect(Object.keys(body).sort()).toEqual(["code", "details", "message"]);
    }
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(200);
    fake.advanceClock(100_000);
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(403);

    const renewed = { ...s, ...(await csrfCookies(fake)) };
    expect((await listBuckets(fake, renewed, { id: fake.defaultUserId })).status).toBe(200);
    fake.expireCsrfSessions();
    expect(fake.csrfSessions.size).toBe(0);
    expect((await listBuckets(fake, renewed, { id: fake.defaultUserId })).status).toBe(403);
  });

  it("answers 405 with an empty body to other methods", async () => {
    const fake = await start();
    const s = await session(fake);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await listBuckets(fake, s, { id: fake.defaultUserId }, { method });
      expect(response.status).toBe(405);
      expect(await response.text()).toBe("");
    }
  });
});

describe("POST /mapi/v1/user/list_buckets: body and pagination", () => {
  it("answers 400 {code, message, details} for a bad body, 404 for an unknown user", async () => {
    const fake = await start();
    const s = await session(fake);
    const bad: unknown[] = [
      {},
      { id: "-468170324" },
      { id: 1.5 },
      { id: null },
      { id: fake.defaultUserId, count: 0 },
      { id: fake.defaultUserId, count: -1 },
      { id: fake.defaultUserId, count: 2.5 },
      { id: fake.defaultUserId, count: "10" },
      { id: fake.defaultUserId, pageToken: 5 },
      { id: fake.defaultUserId, pageToken: "not-a-token" },
      { id: fake.defaultUserId, startingAfter: "bucket-000001" },
      [],
    ];
    for (const body of bad) {
      const response = await listBuckets(fake, s, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(error).sort()).toEqual(["code", "details", "message"]);
      expect(typeof error.code).toBe("string");
    }
    const notJson = await listBuckets(fake, s, undefined, { raw: "{id: 1" });
    expect(notJson.status).toBe(400);
    const unknown = await listBuckets(fake, s, { id: 42 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe("NOT_FOUND");
    // The 3.0.x guide's answer instead, on request.
    const lenient = await start({ unknownUser: "empty" });
    const answer = await listBuckets(lenient, await session(lenient), { id: 42 });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ buckets: [] });
  });

  it("pages with count and an opaque pageToken; the last page has no pageToken", async () => {
    const fake = await start({ users: { 7: ["zeta", "alpha", "버킷", "beta", "Émile"], [-1]: 0 } });
    const s = await session(fake);
    const first = (await (await listBuckets(fake, s, { id: 7, count: 2 })).json()) as Page;
    expect(first.buckets.map((b) => b.bucketName)).toEqual(["alpha", "beta"]);
    expect(first.pageToken).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = (await (
      await listBuckets(fake, s, { id: 7, count: 2, pageToken: first.pageToken })
    ).json()) as Page;
    expect(second.buckets.map((b) => b.bucketName)).toEqual(["zeta", "Émile"]);
    const third = (await (
      await listBuckets(fake, s, { id: 7, count: 2, pageToken: second.pageToken })
    ).json()) as Page;
    expect(third).toEqual({ buckets: [{ bucketId: expect.any(Number), bucketName: "버킷" }] });
    // Exactly filling the last page: no token either.
    const exact = (await (await listBuckets(fake, s, { id: 7, count: 5 })).json()) as Page;
    expect(exact.pageToken).toBeUndefined();
    // A blank token starts over; another user's token is refused.
    const blank = (await (await listBuckets(fake, s, { id: 7, count: 1, pageToken: "" })).json()) as Page;
    expect(blank.buckets[0]?.bucketName).toBe("alpha");
    expect((await listBuckets(fake, s, { id: -1, pageToken: first.pageToken })).status).toBe(400);
    // A user without buckets.
    expect(await (await listBuckets(fake, s, { id: -1 })).json()).toEqual({ buckets: [] });
  });

  it("pages 2,500 buckets at the default count of 1000", async () => {
    const fake = await start({ users: { 123456789012: 2_500 } });
    const s = await session(fake);
    const seen: Page["buckets"] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const response = await listBuckets(fake, s, { id: 123456789012, ...(pageToken ? { pageToken } : {}) });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.buckets.length).toBeLessThanOrEqual(1000);
      seen.push(...page.buckets);
      pageToken = page.pageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen.map((b) => b.bucketName)).toEqual(bucketNames(2_500).sort(compareUtf8));
    expect(new Set(seen.map((b) => b.bucketId)).size).toBe(2_500);
  });

  it("adds and removes users and buckets; a page token survives the removal of its last bucket", async () => {
    const fake = await start({ users: { 1: ["a", "b", "c", "d"] } });
    const s = await session(fake);
    const first = (await (await listBuckets(fake, s, { id: 1, count: 2 })).json()) as Page;
    expect(fake.removeBucket(1, "b")).toBe(true);
    expect(fake.removeBucket(1, "b")).toBe(false);
    fake.addBucket(1, "bb");
    const next = (await (
      await listBuckets(fake, s, { id: 1, count: 2, pageToken: first.pageToken })
    ).json()) as Page;
    expect(next.buckets.map((b) => b.bucketName)).toEqual(["bb", "c"]);
    fake.addUser(2, ["x"]);
    expect(fake.users.get(2)?.map((b) => b.bucketName)).toEqual(["x"]);
    expect(fake.addBucket(3, "new").bucketName).toBe("new");
    expect(fake.users.get(3)).toHaveLength(1);
    expect(fake.removeUser(2)).toBe(true);
    expect((await listBuckets(fake, s, { id: 2 })).status).toBe(404);
  });
});

describe("log and faults", () => {
  it("logs requests as received, with raw header lines", async () => {
    const fake = await start();
    const s = await session(fake);
    await listBuckets(fake, s, { id: fake.defaultUserId, count: 3 });
    const entry = fake.log.at(-1)!;
    expect(entry.method).toBe("POST");
    expect(entry.target).toBe("/mapi/v1/user/list_buckets");
    expect(entry.headers["x-xsrf-token"]).toBe(s.xsrf);
    expect(entry.rawHeaders).toContain("X-XSRF-TOKEN");
    expect(JSON.parse(entry.body.toString())).toEqual({ id: fake.defaultUserId, count: 3 });
    expect(entry.status).toBe(200);
    expect(fake.log.map((r) => r.target.split("?")[0])).toEqual([
      "/ui/auth/realms/vsp-object/protocol/openid-connect/token",
      "/mapi/v1/csrf",
      "/mapi/v1/user/list_buckets",
    ]);
  });

  it("applies injected faults to matching requests only", async () => {
    const fake = await start();
    const s = await session(fake);
    const onList = { match: (r: { target: string }) => r.target.endsWith("/list_buckets") };
    fake.inject({ kind: "status", status: 429, retryAfter: 1 }, { ...onList, times: 2 });
    expect((await fetch(fake.cluster.csrfUrl)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const response = await listBuckets(fake, s, { id: fake.defaultUserId });
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("1");
    }
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(200);
    fake.inject({ kind: "malformed-json" }, onList);
    await expect((await listBuckets(fake, s, { id: fake.defaultUserId })).json()).rejects.toThrow();
    fake.inject({ kind: "reset" }, onList);
    await expect(listBuckets(fake, s, { id: fake.defaultUserId }).then((r) => r.text())).rejects.toThrow();
    fake.inject({ kind: "truncate" }, onList);
    await expect(listBuckets(fake, s, { id: fake.defaultUserId }).then((r) => r.text())).rejects.toThrow();
    fake.inject({ kind: "latency", ms: 120 }, onList);
    const started = performance.now();
    expect((await listBuckets(fake, s, { id: fake.defaultUserId })).status).toBe(200);
    // A lower bound only: load can lengthen the wait, never shorten it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
