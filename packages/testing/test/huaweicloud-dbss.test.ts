/** The DBSS fake, exercised with plain fetch, IAM tokens and requests signed with node:crypto. */
import { afterEach, describe, expect, it } from "vitest";
import { type DbssFake, startDbssFake } from "../src/fakes/huaweicloud-dbss.js";
import { call, getToken, NOW, signHuawei } from "./huaweicloud-helpers.js";

let fake: DbssFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Parameters<typeof startDbssFake>[0] = {}): Promise<DbssFake> {
  fake = await startDbssFake({ now: () => NOW, ...options });
  return fake;
}

const path = (projectId: string) => `/v2/${projectId}/audit/backup/obs-buckets`;

async function tokenGet(f: DbssFake, projectId = f.projectId, scope?: { project: { name: string } }) {
  const { token } = await getToken(f.url, f.iam, scope ?? { project: { id: f.projectId } });
  return call(`${f.url}${path(projectId)}`, { headers: { "X-Auth-Token": token } });
}

function signedGet(f: DbssFake, projectId = f.projectId, secretKey = f.credentials.secretKey) {
  const url = `${f.url}${path(projectId)}`;
  return call(url, {
    headers: signHuawei({
      url,
      headers: { "x-project-id": projectId },
      accessKey: f.credentials.accessKey,
      secretKey,
    }),
  });
}

/** Every DBSS-owned error carries the four documented fields. */
function expectDbssShape(json: Record<string, unknown>, code: string): void {
  expect(Object.keys(json).sort()).toEqual([
    "details",
    "encoded_authorization_message",
    "error_code",
    "error_msg",
  ]);
  expect(json.error_code).toBe(code);
  expect(Array.isArray(json.details)).toBe(true);
  expect(typeof json.encoded_authorization_message).toBe("string");
}

describe("DBSS fake", () => {
  it("lists {obs_list:[{bucket_name, location}]} with a token (the page's mandatory header)", async () => {
    const f = await start({
      buckets: ["1202", "aosblueprints-cn-north-7-7b01ab6853d54b0a86a95a1ca6fb06b2"],
      region: "cn-north-7",
    });
    const answer = await tokenGet(f);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    // The vendor page's example, exactly.
    expect(answer.json).toEqual({
      obs_list: [
        { bucket_name: "1202", location: "cn-north-7" },
        { bucket_name: "aosblueprints-cn-north-7-7b01ab6853d54b0a86a95a1ca6fb06b2", location: "cn-north-7" },
      ],
    });
  });

  it("also accepts AK/SK, and defaults to 8 buckets in the fake's region", async () => {
    const f = await start();
    const answer = await signedGet(f);
    expect(answer.status).toBe(200);
    expect(answer.json.obs_list).toHaveLength(8);
    expect(answer.json.obs_list[0].location).toBe("cn-north-4");
    f.addBucket("another", "cn-east-3");
    f.removeBucket(answer.json.obs_list[0].bucket_name);
    const next = await signedGet(f);
    expect(next.json.obs_list).toContainEqual({ bucket_name: "another", location: "cn-east-3" });
    expect(next.json.obs_list).toHaveLength(8);
  });

  it("2,500 buckets in one answer", async () => {
    const f = await start({ buckets: 2_500 });
    const answer = await signedGet(f);
    expect(answer.json.obs_list).toHaveLength(2_500);
  });

  it("400 DBSS.10000001 when the project id is not 32-64 characters", async () => {
    const f = await start();
    for (const bad of ["short", "x".repeat(65), `${"a".repeat(31)}_`]) {
      const answer = await signedGet(f, bad);
      expect(answer.status).toBe(400);
      expectDbssShape(answer.json, "DBSS.10000001");
      expect(answer.json.error_msg).toBe("Enter a valid request message");
    }
    expect((await signedGet(f, "a".repeat(64))).status).toBe(403); // valid form, not this account's
  });

  it("401: DBSS's own shape for a domain token, the gateway's for a bad signature or token", async () => {
    const f = await start();
    const { token } = await getToken(f.url, f.iam, { domain: { name: f.iam.accountName } });
    const unscoped = await call(`${f.url}${path(f.projectId)}`, { headers: { "X-Auth-Token": token } });
    expect(unscoped.status).toBe(401);
    expectDbssShape(unscoped.json, "DBSS.10020100");
    const badSig = await signedGet(f, f.projectId, "wrong");
    expect(badSig.status).toBe(401);
    expect(Object.keys(badSig.json)).toEqual(["error_msg", "error_code", "request_id"]);
    expect(badSig.json.error_code).toBe("APIGW.0301");
    const badToken = await call(`${f.url}${path(f.projectId)}`, { headers: { "X-Auth-Token": "x" } });
    expect(badToken.json.error_code).toBe("APIGW.0301");
  });

  it("403 in DBSS's shape for a token of another project", async () => {
    const f = await start();
    const answer = await tokenGet(f, f.projectId, { project: { name: "cn-east-3" } });
    expect(answer.status).toBe(403);
    expectDbssShape(answer.json, "DBSS.10020101");
    expect(answer.json.details).toHaveLength(1);
    expect(answer.json.encoded_authorization_message).not.toBe("");
  });

  it("500 DBSS.11000000 on demand, then normal again", async () => {
    const f = await start();
    f.failNextWithInternalError(2);
    for (let i = 0; i < 2; i++) {
      const answer = await signedGet(f);
      expect(answer.status).toBe(500);
      expectDbssShape(answer.json, "DBSS.11000000");
    }
    expect((await signedGet(f)).status).toBe(200);
  });

  it("expire-tokens, and injected statuses, reach DBSS clients too", async () => {
    const f = await start();
    const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
    const url = `${f.url}${path(f.projectId)}`;
    f.inject({ kind: "expire-tokens" });
    expect((await call(url, { headers: { "X-Auth-Token": token } })).json.error_code).toBe("APIGW.0307");
    f.inject({ kind: "status", status: 503, retryAfter: "1" });
    const busy = await signedGet(f);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(f.log.map((r) => r.status)).toEqual([201, 401, 503]);
  });
});

describe("DBSS fake via startFakeServer, no options", () => {
  it("starts with defaults on the real clock", async () => {
    const { startFakeServer } = await import("../src/index.js");
    const f = await startFakeServer("huaweicloud-dbss");
    try {
      const { token } = await getToken(f.url, f.iam, { project: { id: f.projectId } });
      const answer = await call(`${f.url}${path(f.projectId)}`, { headers: { "X-Auth-Token": token } });
      expect(answer.status).toBe(200);
      expect(answer.json.obs_list).toHaveLength(8);
    } finally {
      await f.close();
    }
  });
});
