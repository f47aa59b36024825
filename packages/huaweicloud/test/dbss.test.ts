/** DBSS-only behaviour: normalisation, endpoints, and DBSS's own 400/401/403/500 bodies with details. */
import { type ApiError, PermissionError, ServerError } from "@bucketry/core";
import type { DbssFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { createDbssClient, DBSS_ENDPOINTS, type DbssRegion } from "../src/dbss.js";
import { akskOf, DBSS, rejection } from "./harness.js";

const PROJECT = "0123456789abcdef0123456789abcdef";

function dbssFake(fake: unknown): DbssFake {
  return fake as DbssFake;
}

describe("DBSS listBuckets", () => {
  it("normalises bucket_name and location, keeping raw", async () => {
    const fake = dbssFake(await DBSS.start({ buckets: ["audit-logs", "risk-export"] }));
    fake.addBucket("elsewhere", "cn-north-7");
    const client = createDbssClient({
      baseUrl: fake.url,
      projectId: fake.projectId,
      credentials: akskOf(fake),
    });
    expect(await client.listBuckets().all()).toEqual([
      {
        name: "audit-logs",
        region: "cn-north-4",
        raw: { bucket_name: "audit-logs", location: "cn-north-4" },
      },
      { name: "elsewhere", region: "cn-north-7", raw: { bucket_name: "elsewhere", location: "cn-north-7" } },
      {
        name: "risk-export",
        region: "cn-north-4",
        raw: { bucket_name: "risk-export", location: "cn-north-4" },
      },
    ]);
  });

  it("keeps a bucket without location (region undefined) and unknown fields in raw", async () => {
    const fake = await DBSS.start();
    const raw = [{ bucket_name: "1202" }, { bucket_name: "b", location: "cn-north-7", tag: "x" }];
    fake.inject({
      kind: "status",
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ obs_list: raw }),
    });
    expect(await DBSS.create(fake).list()).toEqual([
      { name: "1202", region: undefined, raw: raw[0] },
      { name: "b", region: "cn-north-7", raw: raw[1] },
    ]);
  });

  it("maps DBSS's 403 with PDP details (project of another account), never retried", async () => {
    const fake = await DBSS.start();
    const stranger = "f".repeat(64);
    const error = (await rejection(DBSS.create(fake, { projectId: stranger }).list())) as ApiError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({
      status: 403,
      code: "DBSS.10020101",
      provider: "huaweicloud-dbss",
      operation: "listAuditObsBuckets",
      request: { method: "GET", url: `${fake.url}/v2/${stranger}/audit/backup/obs-buckets` },
    });
    expect(error.message).toBe(
      "huaweicloud-dbss listAuditObsBuckets failed with HTTP 403 (DBSS.10020101: Unauthorized)",
    );
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect((error.body as { details: unknown }).details).toEqual([
      { error_code: "DBSS.10020101", error_msg: `Not authorized for project ${stranger}` },
    ]);
    expect(fake.log).toHaveLength(1);
  });

  it("retries DBSS's 500 (DBSS.11000000) and recovers", async () => {
    const fake = dbssFake(await DBSS.start());
    fake.failNextWithInternalError(2);
    expect(await DBSS.create(fake).list()).toHaveLength(8);
    expect(fake.log.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("gives ServerError with DBSS's code when the 500s outlast the attempts", async () => {
    const fake = dbssFake(await DBSS.start());
    fake.failNextWithInternalError(3);
    const error = (await rejection(DBSS.create(fake).list())) as ApiError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, code: "DBSS.11000000" });
    expect(error.message).toMatch(/Internal system exception/);
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.log).toHaveLength(3);
  });

  it("sends a 64-character project id as is", async () => {
    const fake = await DBSS.start();
    const long = `${"A".repeat(32)}-${"b".repeat(31)}`;
    await rejection(DBSS.create(fake, { projectId: long }).list());
    expect(fake.log[0]?.target).toBe(`/v2/${long}/audit/backup/obs-buckets`);
  });
});

describe("DBSS endpoints", () => {
  it("knows the 30 regions of providers.md §3.1", () => {
    expect(Object.keys(DBSS_ENDPOINTS)).toHaveLength(30);
    expect(Object.isFrozen(DBSS_ENDPOINTS)).toBe(true);
  });

  it.each(Object.entries(DBSS_ENDPOINTS))("sends %s to %s", async (region, url) => {
    const urls: string[] = [];
    const client = createDbssClient({
      region: region as DbssRegion,
      projectId: PROJECT,
      credentials: { type: "aksk", accessKey: "AK", secretKey: "SK" },
      fetch: async (request) => {
        urls.push(request.url);
        return new Response('{"obs_list":[]}', { headers: { "content-type": "application/json" } });
      },
    });
    expect(await client.listBuckets().all()).toEqual([]);
    expect(url).toBe(`https://dbss.${region}.myhuaweicloud.com`);
    expect(urls).toEqual([`${url}/v2/${PROJECT}/audit/backup/obs-buckets`]);
  });
});
