import { staticToken } from "@bucketry/auth";
import type { Paginator } from "@bucketry/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  createVspOneObjectClient,
  type VspOneObjectApi,
  type VspOneObjectBucket,
  type VspOneObjectBucketPage,
} from "../src/index.js";

const client = createVspOneObjectClient({
  baseUrl: "https://admin.us-west-2.cluster.local/mapi",
  credentials: { type: "token", source: staticToken("access-token") },
});

describe("the generated VSP One Object client types", () => {
  it("accept the documented call and type its answer", async () => {
    const { data } = await client.POST("/v1/user/list_buckets", { body: { id: -468170324, count: 100 } });
    expectTypeOf(data).toEqualTypeOf<
      VspOneObjectApi.components["schemas"]["ListUserBucketsResponse"] | undefined
    >();
  });

  it("reject a path the spec does not have", () => {
    // @ts-expect-error: no such path
    client.POST("/v1/user/list_bucket", { body: { id: 1 } });
  });

  it("reject a body without the required id", () => {
    // @ts-expect-error: `id` is required
    client.POST("/v1/user/list_buckets", { body: { count: 10 } });
  });

  it("reject a wrong body field type", () => {
    // @ts-expect-error: `id` is an integer, not a string
    client.POST("/v1/user/list_buckets", { body: { id: "42" } });
  });

  it("reject a query the operation does not take", () => {
    // @ts-expect-error: list_buckets takes no query parameters
    client.POST("/v1/user/list_buckets", { body: { id: 1 }, params: { query: { count: 1 } } });
  });

  it("reject the wrong method", () => {
    // @ts-expect-error: list_buckets is a POST
    client.GET("/v1/user/list_buckets");
  });
});

describe("the VSP One Object helpers' types", () => {
  it("type the listing as a paginator of normalised buckets with a string cursor", () => {
    expectTypeOf(client.listBuckets({ userId: -468170324, pageSize: 100 })).toEqualTypeOf<
      Paginator<VspOneObjectBucket, string>
    >();
    expectTypeOf<VspOneObjectBucket["raw"]>().toEqualTypeOf<
      VspOneObjectApi.components["schemas"]["UserBucket"]
    >();
  });

  it("type one page", () => {
    expectTypeOf(
      client.listBucketsPage({ userId: 1, count: 10, pageToken: "t" }),
    ).resolves.toEqualTypeOf<VspOneObjectBucketPage>();
  });

  it("reject the vendor's field names in the helpers", () => {
    // @ts-expect-error: the helpers take `userId`, not the wire name `id`
    client.listBucketsPage({ id: 1 });
  });

  it("reject a string user id", () => {
    // @ts-expect-error: `userId` is a number
    client.listBuckets({ userId: "42" });
  });

  it("require credentials", () => {
    // @ts-expect-error: `credentials` is required
    createVspOneObjectClient({ baseUrl: "https://admin.us-west-2.cluster.local/mapi" });
  });
});
