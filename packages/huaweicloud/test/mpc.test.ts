/** MPC-only behaviour: the `creation_date` quirk, endpoints, MPC.10208 and the OBS-style XML 403. */
import { type ApiError, PermissionError } from "@bucketry/core";
import type { MpcFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import {
  createMpcClient,
  MPC_ENDPOINTS,
  type MpcRegion,
  parseMpcCreationDate,
  staticToken,
} from "../src/mpc.js";
import { akskOf, listingRequests, MPC, passwordOf, rejection } from "./harness.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const JSON_HEADERS = { "content-type": "application/json;charset=UTF-8", "x-request-id": "req-200" };

describe("parseMpcCreationDate", () => {
  it.each([
    [20221026152511, "2022-10-26T15:25:11.000Z"],
    ["20221026152511", "2022-10-26T15:25:11.000Z"],
    [" 20240229235959 ", "2024-02-29T23:59:59.000Z"],
    [19700101000000, "1970-01-01T00:00:00.000Z"],
  ])("reads %j as UTC", (value, iso) => {
    expect(parseMpcCreationDate(value)?.toISOString()).toBe(iso);
  });

  it.each([
    undefined,
    null,
    "",
    "2022-10-26 15:25:11",
    "2022102615251",
    "202210261525110",
    20221026152511.5,
    20221399000000,
    20230229000000,
    20221026246000,
    "20221026152560",
    true,
    {},
  ])("gives undefined for %j", (value) => {
    expect(parseMpcCreationDate(value)).toBeUndefined();
  });
});

describe("MPC listBuckets", () => {
  it("normalises the fake's integer creation_date and is_authorized, keeping raw", async () => {
    const fake = (await MPC.start({ buckets: ["alpha", "beta", "gamma", "ведро"] })) as MpcFake;
    fake.addBucket("delta", { creationDate: Date.UTC(2023, 4, 6, 7, 8, 9), authorized: true });
    const client = createMpcClient({
      baseUrl: fake.url,
      projectId: fake.projectId,
      credentials: akskOf(fake),
    });
    const buckets = await client.listBuckets().all();
    const delta = buckets.find((b) => b.name === "delta");
    expect(delta).toEqual({
      name: "delta",
      createdAt: new Date("2023-05-06T07:08:09Z"),
      authorized: true,
      raw: { bucket: "delta", creation_date: 20230506070809, is_authorized: 1 },
    });
    expect(buckets.map((b) => b.name)).toEqual(fake.buckets.map((b) => b.bucket));
    for (const [i, bucket] of buckets.entries()) {
      expect(bucket.raw).toEqual(fake.buckets[i]);
      expect(bucket.authorized).toBe(fake.buckets[i]?.is_authorized === 1);
      expect(bucket.createdAt).toBeInstanceOf(Date);
    }
  });

  it("accepts every documented and observed creation_date form, raw kept exactly", async () => {
    const fake = await MPC.start();
    const raw = [
      { bucket: "int", creation_date: 20221026152511, is_authorized: 1 },
      { bucket: "string", creation_date: "20221026104736", is_authorized: 0 },
      { bucket: "missing" },
      { bucket: "invalid", creation_date: 20221399000000, is_authorized: "1" },
      { bucket: "extra", creation_date: "20200101000000", is_authorized: 1, vendor_field: { x: 1 } },
    ];
    fake.inject({
      kind: "status",
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({ buckets: raw }),
    });
    const buckets = await createMpcClient({
      baseUrl: fake.url,
      projectId: fake.projectId,
      credentials: akskOf(fake),
    })
      .listBuckets()
      .all();
    expect(buckets).toEqual([
      { name: "int", createdAt: new Date("2022-10-26T15:25:11Z"), authorized: true, raw: raw[0] },
      { name: "string", createdAt: new Date("2022-10-26T10:47:36Z"), authorized: false, raw: raw[1] },
      { name: "missing", createdAt: undefined, authorized: false, raw: raw[2] },
      { name: "invalid", createdAt: undefined, authorized: true, raw: raw[3] },
      { name: "extra", createdAt: new Date("2020-01-01T00:00:00Z"), authorized: true, raw: raw[4] },
    ]);
  });

  it("answers an empty list", async () => {
    const fake = await MPC.start({ buckets: [] });
    expect(await MPC.create(fake).list()).toEqual([]);
  });

  it("maps a project the account does not have to 403 MPC.10208 (AK/SK and token), never retried", async () => {
    const fake = await MPC.start();
    const stranger = "ffffffffffffffffffffffffffffffff";
    const error = (await rejection(MPC.create(fake, { projectId: stranger }).list())) as ApiError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({
      status: 403,
      code: "MPC.10208",
      operation: "listAllBuckets",
      request: { method: "GET", url: `${fake.url}/v1/${stranger}/buckets` },
    });
    expect(error.message).toBe(
      "huaweicloud-mpc listAllBuckets failed with HTTP 403 (MPC.10208: Failed to verify the tenant ID.)",
    );
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(error.requestId).toBe(error.headers["x-request-id"]);
    expect(fake.log).toHaveLength(1);

    // A token scoped to the account's other project (cn-east-3) used on this one.
    const other = fake.projects[1]!;
    const east = MPC.create(fake, { projectId: other.id, credentials: passwordOf(fake) });
    expect(await east.list()).toHaveLength(8);
    const token = fake.issuedTokens[0]!.token;
    const wrong = MPC.create(fake, { credentials: { type: "token", source: staticToken(token) } });
    expect(await rejection(wrong.list())).toMatchObject({ status: 403, code: "MPC.10208" });
  });

  it("maps the OBS-style XML 403 of a request without X-Sdk-Date (huaweicloud-sdk-python-v3#23)", async () => {
    const fake = await MPC.start({ xmlErrorWithoutSdkDate: true });
    // A proxy that drops X-Sdk-Date reproduces the reported request.
    const dropDate = (request: Request) => {
      const headers = new Headers(request.headers);
      headers.delete("x-sdk-date");
      return fetch(new Request(request, { headers }));
    };
    const client = MPC.create(fake, { fetch: dropDate });
    const error = (await rejection(client.list())) as ApiError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(error.message).toMatch(/AWS authentication requires a valid Date or x-amz-date header/);
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof error.body).toBe("string");
    expect(fake.log).toHaveLength(1);
    // Our own requests always carry X-Sdk-Date, so the same fake answers them.
    expect(await MPC.create(fake).list()).toHaveLength(8);
  });
});

describe("MPC endpoints", () => {
  /** A fetch that records URLs and answers like IAM and MPC would. */
  function recorder() {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      if (request.url.includes("/v3/auth/tokens")) {
        return new Response("{}", { status: 201, headers: { "x-subject-token": "T".repeat(40) } });
      }
      return new Response(JSON.stringify({ buckets: [] }), {
        headers: { "content-type": "application/json" },
      });
    };
    return { urls, fetch };
  }

  it.each(Object.entries(MPC_ENDPOINTS))(
    "sends %s to %s (the legacy mts host for cn-north-1)",
    async (region, url) => {
      const { urls, fetch } = recorder();
      const client = createMpcClient({
        region: region as MpcRegion,
        projectId: PROJECT,
        credentials: { type: "aksk", accessKey: "AK", secretKey: "SK" },
        fetch,
      });
      await client.listBuckets().all();
      expect(urls).toEqual([`${url}/v1/${PROJECT}/buckets`]);
      expect(url).toBe(
        region === "cn-north-1"
          ? "https://mts.cn-north-1.myhuaweicloud.com"
          : `https://mpc.${region}.myhuaweicloud.com`,
      );
    },
  );

  it("logs in at iam.{region}.myhuaweicloud.com, or at iamEndpoint", async () => {
    const first = recorder();
    const login = { type: "password", accountName: "acct", userName: "user", password: "pw-123456" } as const;
    await createMpcClient({
      region: "ap-southeast-3",
      projectId: PROJECT,
      credentials: login,
      fetch: first.fetch,
    })
      .listBuckets()
      .all();
    expect(first.urls).toEqual([
      "https://iam.ap-southeast-3.myhuaweicloud.com/v3/auth/tokens?nocatalog=true",
      `https://mpc.ap-southeast-3.myhuaweicloud.com/v1/${PROJECT}/buckets`,
    ]);
    const second = recorder();
    await createMpcClient({
      baseUrl: "https://proxy.example/mpc/",
      projectId: PROJECT,
      credentials: { ...login, iamEndpoint: "https://iam.example/v3" },
      fetch: second.fetch,
    })
      .listBuckets()
      .all();
    expect(second.urls).toEqual([
      "https://iam.example/v3/auth/tokens?nocatalog=true",
      `https://proxy.example/mpc/v1/${PROJECT}/buckets`,
    ]);
  });

  it("lets baseUrl override the region's endpoint", async () => {
    const fake = await MPC.start();
    const client = MPC.create(fake, { region: "cn-east-3" });
    expect(await client.list()).toHaveLength(8);
    expect(listingRequests(fake)).toHaveLength(1);
  });
});
