/** The MPC fake, exercised with plain fetch and requests signed with node:crypto. */
import { afterEach, describe, expect, it } from "vitest";
import { type MpcFake, startMpcFake } from "../src/fakes/huaweicloud-mpc.js";
import { bucketNames, compareUtf8 } from "../src/seed.js";
import { call, getToken, NOW, rawRequest, sdkDate, signHuawei } from "./huaweicloud-helpers.js";

let fake: MpcFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Parameters<typeof startMpcFake>[0] = {}): Promise<MpcFake> {
  fake = await startMpcFake({ now: () => NOW, ...options });
  return fake;
}

/** GET the bucket list with AK/SK (the fake's own credentials unless overridden). */
function signedGet(
  f: MpcFake,
  options: {
    projectId?: string;
    projectHeader?: string | null;
    accessKey?: string;
    secretKey?: string;
    date?: number;
    headers?: Record<string, string>;
    unsignedHeaders?: Record<string, string>;
  } = {},
) {
  const projectId = options.projectId ?? f.projectId;
  const url = `${f.url}/v1/${projectId}/buckets`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.projectHeader !== null) headers["x-project-id"] = options.projectHeader ?? projectId;
  return call(url, {
    headers: signHuawei({
      url,
      headers,
      unsignedHeaders: options.unsignedHeaders,
      accessKey: options.accessKey ?? f.credentials.accessKey,
      secretKey: options.secretKey ?? f.credentials.secretKey,
      date: options.date,
    }),
  });
}

describe("MPC fake: listing", () => {
  it("answers the spec's shape: integer creation_date, 0|1 is_authorized, X-Request-Id", async () => {
    const f = await start();
    const answer = await signedGet(f);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    const { buckets } = answer.json;
    expect(buckets).toHaveLength(8);
    for (const b of buckets) {
      expect(Object.keys(b)).toEqual(["bucket", "creation_date", "is_authorized"]);
      expect(Number.isInteger(b.creation_date)).toBe(true);
      expect(String(b.creation_date)).toMatch(/^\d{14}$/);
      expect([0, 1]).toContain(b.is_authorized);
    }
    // The raw text really carries a bare integer (the vendor quirk), not a string.
    expect(answer.text).toMatch(/"creation_date":\d{14}[,}]/);
    expect(buckets.map((b: { bucket: string }) => b.bucket)).toEqual([...bucketNames(8)].sort(compareUtf8));
  });

  it("seeds by names, and add/remove/setAuthorized change the next answer", async () => {
    const f = await start({ buckets: ["zeta", "alpha", "ведро"] });
    f.addBucket("mid", { creationDate: Date.UTC(2023, 4, 6, 7, 8, 9), authorized: true });
    f.setAuthorized("alpha", true);
    expect(f.removeBucket("zeta")).toBe(true);
    expect(f.removeBucket("zeta")).toBe(false);
    expect(() => f.addBucket("mid")).toThrow(/exists/);
    const { json } = await signedGet(f);
    expect(json.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(["alpha", "mid", "ведро"]);
    expect(json.buckets[1]).toEqual({ bucket: "mid", creation_date: 20230506070809, is_authorized: 1 });
    expect(json.buckets[0].is_authorized).toBe(1);
  });

  it("serves 2,500 buckets in one answer (no paging)", async () => {
    const f = await start({ buckets: 2_500 });
    const first = await signedGet(f);
    const second = await signedGet(f);
    expect(first.json.buckets).toHaveLength(2_500);
    expect(second.text).toBe(first.text);
    const names = first.json.buckets.map((b: { bucket: string }) => b.bucket);
    expect(names.some((n: string) => Buffer.byteLength(n) !== n.length)).toBe(true);
    for (let i = 1; i < names.length; i++) expect(compareUtf8(names[i - 1], names[i])).toBeLessThan(0);
  });

  it("unknown paths and other methods are the gateway's 404 APIGW.0101", async () => {
    const f = await start();
    const miss = await call(`${f.url}/v1/${f.projectId}/nope`);
    expect(miss.status).toBe(404);
    expect(miss.json).toMatchObject({ error_code: "APIGW.0101" });
    expect(miss.json.request_id).toBe(miss.headers.get("x-request-id"));
    const post = await call(`${f.url}/v1/${f.projectId}/buckets`, { method: "POST" });
    expect(post.status).toBe(404);
  });

  it("project ids MPC cannot accept are 400 MPC.10202", async () => {
    const f = await start();
    const answer = await signedGet(f, { projectId: "bad_id!" });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error_code: "MPC.10202", error_msg: "Invalid request parameter." });
  });
});

describe("MPC fake: AK/SK", () => {
  it("accepts the derived vector E byte for byte (Host as signed, fixed X-Sdk-Date)", async () => {
    const f = await start({
      accessKeys: [{ accessKey: "AccessKey", secretKey: "SecretKey" }],
      now: () => Date.UTC(2024, 0, 1, 0, 5, 0),
    });
    const answer = await rawRequest(f.url, {
      path: "/v1/0123456789abcdef0123456789abcdef/buckets",
      headers: {
        Host: "mpc.cn-north-4.myhuaweicloud.com",
        "X-Project-Id": "0123456789abcdef0123456789abcdef",
        "X-Sdk-Date": "20240101T000000Z",
        Authorization:
          "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=a1cbdd89cb316a6aac530b34103948bf9cd84b60212d70628977682db1081e55",
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("a wrong SK is 401 APIGW.0301 with the fake's canonical request, | for newlines", async () => {
    const f = await start();
    const answer = await signedGet(f, { secretKey: "not-the-secret" });
    expect(answer.status).toBe(401);
    expect(answer.json.error_code).toBe("APIGW.0301");
    const host = new URL(f.url).host;
    expect(answer.json.error_msg).toBe(
      `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET|/v1/${f.projectId}/buckets/||host:${host}|x-project-id:${f.projectId}|x-sdk-date:20240101T000000Z||host;x-project-id;x-sdk-date|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    );
    expect(answer.json.request_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("checks the signature against the request as received (a changed signed header fails)", async () => {
    const f = await start();
    const url = `${f.url}/v1/${f.projectId}/buckets`;
    const headers = signHuawei({
      url,
      headers: { "x-project-id": f.projectId, "x-custom": "one" },
      accessKey: f.credentials.accessKey,
      secretKey: f.credentials.secretKey,
    });
    expect((await call(url, { headers })).status).toBe(200);
    expect((await call(url, { headers: { ...headers, "x-custom": "two" } })).status).toBe(401);
    // Unsigned extra headers (the SDKs leave underscore names unsigned) do not matter.
    expect((await call(url, { headers: { ...headers, "x-other": "anything" } })).status).toBe(200);
  });

  it("supports X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD", async () => {
    const f = await start();
    const url = `${f.url}/v1/${f.projectId}/buckets`;
    const headers = signHuawei({
      url,
      headers: { "x-project-id": f.projectId },
      unsignedPayload: true,
      accessKey: f.credentials.accessKey,
      secretKey: f.credentials.secretKey,
    });
    expect((await call(url, { headers })).status).toBe(200);
  });

  it("refuses X-Sdk-Date outside 15 minutes of the fake's clock (signature expired)", async () => {
    const f = await start();
    expect((await signedGet(f, { date: NOW - 14 * 60_000 })).status).toBe(200);
    const late = await signedGet(f, { date: NOW - 16 * 60_000 });
    expect(late.status).toBe(401);
    expect(late.json.error_msg).toBe(
      `Incorrect IAM authentication information: signature expired, signature time:${sdkDate(NOW - 16 * 60_000)},server time:20240101T000000Z`,
    );
    expect((await signedGet(f, { date: NOW + 16 * 60_000 })).status).toBe(401);
  });

  it("needs X-Sdk-Date signed; the optional OBS-style XML 403 when it is missing (issue #23)", async () => {
    const f = await start();
    const url = `${f.url}/v1/${f.projectId}/buckets`;
    const { "x-sdk-date": _date, ...withoutDate } = signHuawei({
      url,
      headers: { "x-project-id": f.projectId },
      accessKey: f.credentials.accessKey,
      secretKey: f.credentials.secretKey,
    });
    const gatewayAnswer = await call(url, { headers: withoutDate });
    expect(gatewayAnswer.status).toBe(401);
    expect(gatewayAnswer.json.error_code).toBe("APIGW.0301");
    await f.close();

    const xmlFake = await start({ xmlErrorWithoutSdkDate: true });
    const xmlUrl = `${xmlFake.url}/v1/${xmlFake.projectId}/buckets`;
    const answer = await call(xmlUrl, { headers: withoutDate });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("content-type")).toBe("application/xml");
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.text).toContain("<Code>AccessDenied</Code>");
    expect(answer.text).toContain("AWS authentication requires a valid Date or x-amz-date header");
  });

  it("needs X-Project-Id equal to the path's project of this account (403 MPC.10208)", async () => {
    const f = await start();
    const tenant = { error_code: "MPC.10208", error_msg: "Failed to verify the tenant ID." };
    const missing = await signedGet(f, { projectHeader: null });
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual(tenant);
    const other = f.projects[1]?.id as string;
    expect((await signedGet(f, { projectHeader: other })).json).toEqual(tenant);
    // Another project of the same account, consistently named in path and header: allowed.
    expect((await signedGet(f, { projectId: other })).status).toBe(200);
    const foreign = "99999999999999999999999999999999";
    expect((await signedGet(f, { projectId: foreign })).status).toBe(403);
  });

  it("unknown AKs are named in the 401", async () => {
    const f = await start();
    const answer = await signedGet(f, { accessKey: "NOSUCHAK" });
    expect(answer.status).toBe(401);
    expect(answer.json.error_msg).toBe(
      "Incorrect IAM authentication information: Get secretKey failed,ak:NOSUCHAK,err:ak not exist",
    );
  });

  it("locks an AK for 5 minutes after 5 consecutive failures; success resets the count", async () => {
    let now = NOW;
    const f = await start({ now: () => now });
    for (let i = 0; i < 4; i++) expect((await signedGet(f, { secretKey: "bad" })).status).toBe(401);
    expect((await signedGet(f)).status).toBe(200); // resets
    for (let i = 0; i < 5; i++) {
      const answer = await signedGet(f, { secretKey: "bad" });
      expect(answer.json.error_msg).toMatch(/verify aksk signature fail/);
    }
    const locked = await signedGet(f);
    expect(locked.status).toBe(401);
    expect(locked.json).toMatchObject({
      error_code: "APIGW.0301",
      error_msg: "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.",
    });
    now = NOW + 4 * 60_000;
    expect((await signedGet(f, { date: now })).status).toBe(401);
    now = NOW + 5 * 60_000 + 1000;
    expect((await signedGet(f, { date: now })).status).toBe(200);
    // resetLocks() lifts a lock at once.
    for (let i = 0; i < 5; i++) await signedGet(f, { secretKey: "bad", date: now });
    expect((await signedGet(f, { date: now })).status).toBe(401);
    f.resetLocks();
    expect((await signedGet(f, { date: now })).status).toBe(200);
  });

  it("temporary AK/SK need their X-Security-Token, sent and signed", async () => {
    const f = await start({
      accessKeys: [{ accessKey: "TEMPAK", secretKey: "TEMPSK", securityToken: "sec-token-1" }],
    });
    const base = { accessKey: "TEMPAK", secretKey: "TEMPSK" };
    expect((await signedGet(f, base)).status).toBe(401);
    expect((await signedGet(f, { ...base, headers: { "x-security-token": "wrong" } })).status).toBe(401);
    expect(
      (await signedGet(f, { ...base, unsignedHeaders: { "x-security-token": "sec-token-1" } })).status,
    ).toBe(401);
    expect((await signedGet(f, { ...base, headers: { "x-security-token": "sec-token-1" } })).status).toBe(
      200,
    );
    // expire-tokens expires temporary credentials too.
    f.inject({ kind: "expire-tokens" });
    const expired = await signedGet(f, { ...base, headers: { "x-security-token": "sec-token-1" } });
    expect(expired.status).toBe(401);
    expect(expired.json.error_code).toBe("APIGW.0307");
  });
});

describe("MPC fake: IAM tokens", () => {
  it("POST /v3/auth/tokens: 201, X-Subject-Token, Keystone-style body", async () => {
    const f = await start();
    const answer = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    expect(answer.status).toBe(201);
    expect(answer.token.length).toBeGreaterThan(1000);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    const { token } = answer.json;
    expect(token.methods).toEqual(["password"]);
    expect(token.project).toEqual({
      domain: { id: f.domainId, name: f.iam.accountName },
      id: f.projectId,
      name: f.region,
    });
    expect(token.issued_at).toBe("2024-01-01T00:00:00.000000Z");
    expect(token.expires_at).toBe("2024-01-02T00:00:00.000000Z");
    expect(token.catalog).toBeUndefined(); // nocatalog
    expect(f.issuedTokens.at(-1)).toMatchObject({ token: answer.token, projectId: f.projectId });
    const listed = await call(`${f.url}/v1/${f.projectId}/buckets`, {
      headers: { "X-Auth-Token": answer.token },
    });
    expect(listed.status).toBe(200);
  });

  it("the catalog points at the fake unless nocatalog", async () => {
    const f = await start();
    const answer = await call(`${f.url}/v3/auth/tokens`, {
      method: "POST",
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: {
              user: { name: f.iam.userName, password: f.iam.password, domain: { name: f.iam.accountName } },
            },
          },
          scope: { project: { name: f.region } },
        },
      }),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.token.catalog[0].endpoints[0]).toMatchObject({ url: f.url, region: f.region });
  });

  it("a wrong password is Keystone's 401; a malformed body 400", async () => {
    const f = await start();
    const answer = await getToken(f.url, { ...f.iam, password: "nope" }, { project: { id: f.projectId } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      error: {
        code: 401,
        message: "The request you have made requires authentication.",
        title: "Unauthorized",
      },
    });
    expect(answer.token).toBe("");
    const unknownProject = await getToken(f.url, f.iam, { project: { name: "eu-nowhere-1" } });
    expect(unknownProject.status).toBe(401);
    const bad = await call(`${f.url}/v3/auth/tokens`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(400);
  });

  it("a token of another project is 403 MPC.10208; a domain token 401 MPC.10203", async () => {
    const f = await start();
    const other = await getToken(f.url, f.iam, { project: { name: "cn-east-3" } });
    const forbidden = await call(`${f.url}/v1/${f.projectId}/buckets`, {
      headers: { "X-Auth-Token": other.token },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual({ error_code: "MPC.10208", error_msg: "Failed to verify the tenant ID." });
    const domain = await getToken(f.url, f.iam, { domain: { name: f.iam.accountName } });
    expect(domain.json.token.domain).toEqual({ id: f.domainId, name: f.iam.accountName });
    const unscoped = await call(`${f.url}/v1/${f.projectId}/buckets`, {
      headers: { "X-Auth-Token": domain.token },
    });
    expect(unscoped.status).toBe(401);
    expect(unscoped.json).toEqual({ error_code: "MPC.10203", error_msg: "Identity authentication failed." });
  });

  it("unknown, missing and expired tokens are the gateway's 401s", async () => {
    let now = NOW;
    const f = await start({ now: () => now, tokenTtlMs: 60_000 });
    const url = `${f.url}/v1/${f.projectId}/buckets`;
    const none = await call(url);
    expect(none.status).toBe(401);
    expect(none.json.error_msg).toBe("Incorrect IAM authentication information: x-auth-token not found");
    const garbage = await call(url, { headers: { "X-Auth-Token": "MIIgarbage" } });
    expect(garbage.json).toMatchObject({
      error_code: "APIGW.0301",
      error_msg: "Incorrect IAM authentication information: decrypt token fail",
    });
    const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    expect((await call(url, { headers: { "X-Auth-Token": token } })).status).toBe(200);
    now += 60_000;
    const expired = await call(url, { headers: { "X-Auth-Token": token } });
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ error_code: "APIGW.0307", error_msg: "The token must be updated." });
  });

  it("the expire-tokens fault expires every issued token", async () => {
    const f = await start();
    const url = `${f.url}/v1/${f.projectId}/buckets`;
    const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    f.inject({ kind: "expire-tokens" });
    const first = await call(url, { headers: { "X-Auth-Token": token } });
    expect(first.status).toBe(401);
    expect(f.log.at(-1)?.fault).toBe("expire-tokens");
    expect(f.issuedTokens.every((t) => t.expired)).toBe(true);
    const fresh = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    expect((await call(url, { headers: { "X-Auth-Token": fresh.token } })).status).toBe(200);
  });

  it("mints temporary AK/SK from a token; they work with their security token", async () => {
    const f = await start();
    const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    const minted = await call(`${f.url}/v3.0/OS-CREDENTIAL/securitytokens`, {
      method: "POST",
      headers: { "X-Auth-Token": token, "content-type": "application/json" },
      body: JSON.stringify({ auth: { identity: { methods: ["token"], token: { duration_seconds: 900 } } } }),
    });
    expect(minted.status).toBe(201);
    const { access, secret, securitytoken, expires_at } = minted.json.credential;
    expect(expires_at).toBe("2024-01-01T00:15:00.000000Z");
    const ok = await signedGet(f, {
      accessKey: access,
      secretKey: secret,
      headers: { "x-security-token": securitytoken },
    });
    expect(ok.status).toBe(200);
    const noToken = await call(`${f.url}/v3.0/OS-CREDENTIAL/securitytokens`, { method: "POST", body: "{}" });
    expect(noToken.status).toBe(401);
  });

  it("GET /v3/projects?name= resolves the region's project id (AK/SK, no project header)", async () => {
    const f = await start();
    const url = `${f.url}/v3/projects?name=${f.region}`;
    const answer = await call(url, {
      headers: signHuawei({ url, accessKey: f.credentials.accessKey, secretKey: f.credentials.secretKey }),
    });
    expect(answer.status).toBe(200);
    expect(answer.json.projects).toHaveLength(1);
    expect(answer.json.projects[0]).toMatchObject({ id: f.projectId, name: f.region, domain_id: f.domainId });
  });
});

describe("MPC fake: faults and the request log", () => {
  it("records the raw target and header lines", async () => {
    const f = await start();
    await signedGet(f);
    const entry = f.log.at(-1);
    expect(entry?.target).toBe(`/v1/${f.projectId}/buckets`);
    expect(entry?.rawHeaders).toContain("x-sdk-date");
    expect(entry?.status).toBe(200);
  });

  it("injects status (with Retry-After), latency, reset, truncate, malformed JSON and XML errors", async () => {
    const f = await start();
    f.inject({ kind: "status", status: 429, retryAfter: 3 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await signedGet(f);
      expect(answer.status).toBe(429);
      expect(answer.headers.get("retry-after")).toBe("3");
    }
    expect((await signedGet(f)).status).toBe(200);

    f.inject({ kind: "latency", ms: 150 });
    const t0 = performance.now();
    expect((await signedGet(f)).status).toBe(200);
    // A lower bound only: load can lengthen the wait, never shorten it.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);

    f.inject({ kind: "reset" });
    await expect(signedGet(f)).rejects.toThrow();
    f.inject({ kind: "truncate" });
    await expect(signedGet(f)).rejects.toThrow();

    f.inject({ kind: "malformed-json" });
    const malformed = await signedGet(f);
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();

    f.inject({ kind: "xml-error", status: 503, code: "ServiceUnavailable", message: "busy" });
    const xml = await signedGet(f);
    expect(xml.status).toBe(503);
    expect(xml.text).toContain("<Code>ServiceUnavailable</Code>");

    // Faults can target requests: only the token endpoint here.
    f.inject({ kind: "status", status: 500 }, { match: (r) => r.target.startsWith("/v3/") });
    expect((await signedGet(f)).status).toBe(200);
    expect((await getToken(f.url, f.iam, { project: { id: f.projectId } })).status).toBe(500);
    expect(f.log.filter((r) => r.fault).map((r) => r.fault)).toEqual([
      "status",
      "status",
      "latency",
      "reset",
      "truncate",
      "malformed-json",
      "xml-error",
      "status",
    ]);
  });

  it("the clock can be moved after start", async () => {
    const f = await start();
    expect(f.now()).toBe(NOW);
    f.setClock(NOW + 3600_000);
    expect((await signedGet(f)).status).toBe(401);
    expect((await signedGet(f, { date: NOW + 3600_000 })).status).toBe(200);
  });
});

describe("MPC fake via startFakeServer, no options (the demo's path)", () => {
  it("starts with defaults on the real clock and hands out working credentials", async () => {
    const { startFakeServer } = await import("../src/index.js");
    const f = await startFakeServer("huaweicloud-mpc");
    try {
      const url = `${f.url}/v1/${f.projectId}/buckets`;
      const headers = signHuawei({
        url,
        headers: { "x-project-id": f.projectId },
        accessKey: f.credentials.accessKey,
        secretKey: f.credentials.secretKey,
        date: Date.now(),
      });
      const answer = await call(url, { headers });
      expect(answer.status).toBe(200);
      expect(answer.json.buckets).toHaveLength(8);
      const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
      expect((await call(url, { headers: { "X-Auth-Token": token } })).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});
