import type { Secret } from "@bucketry/core";
import { describe, expectTypeOf, it } from "vitest";
import { createOstorClient, type OstorApi, s3Credentials } from "../src/index.js";
import type { Sealed } from "../src/ostor-model.js";

const credentials = {
  type: "aksk",
  from: s3Credentials({ accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "example-secret" }),
} as const;
const client = createOstorClient({ baseUrl: "https://s3.ostor.local", credentials });

describe("the generated ostor client types", () => {
  it("accept the documented calls and type their answer", async () => {
    const { data } = await client.GET("/?ostor-users", {
      params: { query: { id: "b09693b73b3c7686", space: true } },
    });
    // openapi-fetch wraps data in `Readable<>`, so compare by assignability both ways; secret keys are sealed.
    type Users = Sealed<OstorApi.components["schemas"]["OstorUsersResponse"]>;
    expectTypeOf(data).toExtend<Users | undefined>();
    expectTypeOf<Users>().toExtend<NonNullable<typeof data>>();
    client.GET("/?ostor-users");
  });

  it("type every secret key of the raw answer as a Secret, and offer no unparsed body", async () => {
    const { data } = await client.GET("/?ostor-users", { params: { query: { id: "b09693b73b3c7686" } } });
    if (data && "AWSAccessKeys" in data) {
      expectTypeOf(data.AWSAccessKeys[0]!.AWSSecretAccessKey).toEqualTypeOf<Secret>();
    }
    // @ts-expect-error: a raw body would hand the secret keys out in clear text
    client.GET("/?ostor-users", { parseAs: "text" });
  });

  it("reject a path the spec does not have", () => {
    // @ts-expect-error: no such admin call
    client.GET("/?ostor-user");
  });

  it("reject a wrong query type", () => {
    // @ts-expect-error: `space` is a flag (boolean)
    client.GET("/?ostor-users", { params: { query: { space: "yes" } } });
  });

  it("reject an unknown query parameter", () => {
    // @ts-expect-error: no `email` parameter (it is `emailAddress`)
    client.GET("/?ostor-users", { params: { query: { email: "user@example.com" } } });
  });

  it("reject a body the operation does not take", () => {
    // @ts-expect-error: a GET without a request body
    client.GET("/?ostor-users", { body: { id: "b09693b73b3c7686" } });
  });

  it("reject a path parameter the operation does not take", () => {
    // @ts-expect-error: no path parameters
    client.GET("/?ostor-users", { params: { path: { id: "x" } } });
  });
});
