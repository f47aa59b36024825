/** Every public export of @bucketry/hitachi exists (type-only exports are checked by tsc). */
import { ApiError } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import * as hitachi from "../src/index.js";

describe("@bucketry/hitachi exports", () => {
  it("has exactly the runtime exports it documents", () => {
    expect(Object.keys(hitachi).sort()).toEqual([
      "MalformedResponseError",
      "VSP_OBJECT_DEFAULT_CLIENT_ID",
      "VSP_OBJECT_ENV",
      "VSP_ONE_OBJECT_ERRORS",
      "createVspOneObjectClient",
      "staticToken",
      "vspOneObjectCredentials",
      "vspOneObjectCredentialsFromEnv",
      "vspOneObjectTokenUrl",
    ]);
    expect(typeof hitachi.createVspOneObjectClient).toBe("function");
    expect(new hitachi.MalformedResponseError("m", { provider: "p", operation: "o" })).toBeInstanceOf(
      ApiError,
    );
  });

  it("returns the openapi-fetch client with the helpers", () => {
    const client = hitachi.createVspOneObjectClient({
      baseUrl: "https://admin.us-west-2.cluster.example.com/mapi",
      credentials: { type: "password", username: "admin", password: "pw-1234" },
      tokenUrl:
        "https://admin.gms.cluster.example.com/ui/auth/realms/vsp-object/protocol/openid-connect/token",
    });
    for (const method of [
      "GET",
      "POST",
      "PUT",
      "DELETE",
      "request",
      "use",
      "eject",
      "listBuckets",
      "listBucketsPage",
    ]) {
      expect(typeof (client as unknown as Record<string, unknown>)[method]).toBe("function");
    }
  });

  it("exports the types", () => {
    const page: hitachi.VspOneObjectBucketPage = { buckets: [], raw: {} };
    const params: hitachi.VspOneObjectListBucketsParams = { userId: 1 };
    const options: Partial<hitachi.VspOneObjectClientOptions> = {};
    const credentials: hitachi.VspOneObjectPasswordCredentials = {
      type: "password",
      username: "u",
      password: "p",
    };
    expect([page, params, options, credentials]).toHaveLength(4);
  });
});
