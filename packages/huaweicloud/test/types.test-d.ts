import type { Paginator } from "@bucketry/core";
import { describe, expectTypeOf, it } from "vitest";
import { createDbssClient, type DbssApi, type DbssBucket } from "../src/dbss.js";
import { createMpcClient, type MpcApi, type MpcBucket, staticToken } from "../src/mpc.js";

const project_id = "0123456789abcdef0123456789abcdef";
const credentials = { type: "aksk", accessKey: "AK", secretKey: "SK" } as const;
const mpc = createMpcClient({
  baseUrl: "https://mpc.cn-north-4.myhuaweicloud.com",
  projectId: project_id,
  credentials,
});
const dbss = createDbssClient({
  baseUrl: "https://dbss.cn-north-4.myhuaweicloud.com",
  projectId: project_id,
  credentials,
});

describe("the generated MPC client types", () => {
  it("accept the documented call and type its answer", async () => {
    const { data } = await mpc.GET("/v1/{project_id}/buckets", { params: { path: { project_id } } });
    expectTypeOf(data).toEqualTypeOf<MpcApi.components["schemas"]["ListAllBucketsResponse"] | undefined>();
    expectTypeOf<MpcApi.components["schemas"]["ObsBucket"]["creation_date"]>().toEqualTypeOf<
      number | string | undefined
    >();
  });

  it("reject a path the spec does not have", () => {
    // @ts-expect-error: no such path
    mpc.GET("/v1/{project_id}/bucket", { params: { path: { project_id } } });
  });

  it("reject a call without the path parameter", () => {
    // @ts-expect-error: `project_id` is required
    mpc.GET("/v1/{project_id}/buckets", { params: { path: {} } });
  });

  it("reject a body the operation does not take", () => {
    // @ts-expect-error: a GET without a request body
    mpc.GET("/v1/{project_id}/buckets", { params: { path: { project_id } }, body: { bucket: "b" } });
  });

  it("reject a query the operation does not take", () => {
    // @ts-expect-error: no query parameters
    mpc.GET("/v1/{project_id}/buckets", { params: { path: { project_id }, query: { limit: 1 } } });
  });
});

describe("the generated DBSS client types", () => {
  it("accept the documented call and type its answer", async () => {
    const { data, error } = await dbss.GET("/v2/{project_id}/audit/backup/obs-buckets", {
      params: { path: { project_id } },
    });
    expectTypeOf(data).toEqualTypeOf<
      DbssApi.components["schemas"]["ListAuditObsBucketsResponse"] | undefined
    >();
    expectTypeOf(error).toEqualTypeOf<DbssApi.components["schemas"]["DbssErrorResponse"] | undefined>();
  });

  it("reject a path the spec does not have", () => {
    // @ts-expect-error: no such path
    dbss.GET("/v2/{project_id}/audit/backup/buckets", { params: { path: { project_id } } });
  });

  it("reject a call without the path parameter", () => {
    // @ts-expect-error: `params.path.project_id` is required
    dbss.GET("/v2/{project_id}/audit/backup/obs-buckets", {});
  });

  it("reject a wrong path parameter type", () => {
    // @ts-expect-error: `project_id` is a string
    dbss.GET("/v2/{project_id}/audit/backup/obs-buckets", { params: { path: { project_id: 42 } } });
  });

  it("reject a body the operation does not take", () => {
    // @ts-expect-error: a GET without a request body
    dbss.GET("/v2/{project_id}/audit/backup/obs-buckets", { params: { path: { project_id } }, body: {} });
  });

  it("reject a query the operation does not take", () => {
    const params = { path: { project_id }, query: { x: "1" } };
    // @ts-expect-error: no query parameters
    dbss.GET("/v2/{project_id}/audit/backup/obs-buckets", { params });
  });
});

describe("the factories and helpers", () => {
  it("type the helpers' answers", () => {
    expectTypeOf(mpc.listBuckets).returns.toEqualTypeOf<Paginator<MpcBucket, never>>();
    expectTypeOf(dbss.listBuckets).returns.toEqualTypeOf<Paginator<DbssBucket, never>>();
    expectTypeOf<MpcBucket["raw"]>().toEqualTypeOf<MpcApi.components["schemas"]["ObsBucket"]>();
    expectTypeOf<DbssBucket["raw"]>().toEqualTypeOf<DbssApi.components["schemas"]["ObsBucketObject"]>();
    expectTypeOf(mpc.projectId).toEqualTypeOf<string>();
  });

  it("accept each credentials form", () => {
    createMpcClient({
      region: "cn-north-1",
      projectId: project_id,
      credentials: { type: "token", source: staticToken("t") },
    });
    createDbssClient({
      region: "me-east-1",
      projectId: project_id,
      credentials: { type: "password", accountName: "a", userName: "u", password: "p" },
    });
  });

  it("reject an unknown region, a credentials mix and a missing credentials option", () => {
    // @ts-expect-error: MPC is not offered in me-east-1
    createMpcClient({ region: "me-east-1", projectId: project_id, credentials });
    createMpcClient({
      region: "cn-north-4",
      credentials: {
        type: "aksk",
        accessKey: "AK",
        secretKey: "SK",
        // @ts-expect-error: inline keys and `from` are exclusive
        from: async () => ({ accessKey: "", secretKey: "" }),
      },
    });
    // @ts-expect-error: credentials are required
    createDbssClient({ region: "cn-north-4", projectId: project_id });
  });
});
