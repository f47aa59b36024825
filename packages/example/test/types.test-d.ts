/** Type tests (compiled by vitest's typecheck, never run): the generated types reach the caller. */
import { describe, expectTypeOf, it } from "vitest";
import {
  createSampleStoreClient,
  type Paginator,
  type SampleStoreBucket,
  staticToken,
} from "../src/index.js";

// A short name keeps the assertions below within the line width whatever the service is called.
type Bucket = SampleStoreBucket;
const credentials = { type: "token", source: staticToken("token") } as const;

describe("createSampleStoreClient types", () => {
  const client = createSampleStoreClient({ baseUrl: "http://127.0.0.1:1", credentials });

  it("types listBuckets() from the spec's Bucket schema", () => {
    expectTypeOf(client.listBuckets).returns.toEqualTypeOf<Paginator<Bucket, never>>();
    expectTypeOf<Bucket>().toEqualTypeOf<{ name: string; createdAt?: string }>();
  });

  it("types the query of a raw call from the spec's parameters", () => {
    void client.GET("/v1/buckets", { params: { query: { prefix: "logs" } } });
    // @ts-expect-error: the spec's prefix is a string
    void client.GET("/v1/buckets", { params: { query: { prefix: 5 } } });
  });

  it("rejects a path the spec does not have and missing credentials", () => {
    // @ts-expect-error: the spec has no such path
    void client.GET("/v1/not-in-the-spec");
    // @ts-expect-error: the credentials are required
    createSampleStoreClient({ baseUrl: "http://127.0.0.1:1" });
  });
});
