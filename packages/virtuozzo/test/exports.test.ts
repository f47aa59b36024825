/** Smoke test: every public runtime export of the package exists and is what it says. */
import { ApiError, Secret } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import * as virtuozzo from "../src/index.js";

describe("@bucketry/virtuozzo exports", () => {
  it("has exactly the documented runtime exports", () => {
    expect(Object.keys(virtuozzo).sort()).toEqual([
      "MalformedResponseError",
      "OSTOR_ENV",
      "OSTOR_ERRORS",
      "Secret",
      "createOstorClient",
      "ostorOptionsFromEnv",
      "ostorQuery",
      "s3Credentials",
      "s3CredentialsFromEnv",
      "serializeOstorQuery",
    ]);
  });

  it("exports functions, the query step and core's Secret", () => {
    expect(typeof virtuozzo.createOstorClient).toBe("function");
    expect(typeof virtuozzo.ostorOptionsFromEnv).toBe("function");
    expect(typeof virtuozzo.serializeOstorQuery).toBe("function");
    expect(typeof virtuozzo.ostorQuery.prepare).toBe("function");
    expect(typeof virtuozzo.s3Credentials).toBe("function");
    expect(typeof virtuozzo.s3CredentialsFromEnv).toBe("function");
    expect(virtuozzo.Secret).toBe(Secret);
    expect(new virtuozzo.MalformedResponseError("m", { provider: "p", operation: "o" })).toBeInstanceOf(
      ApiError,
    );
  });

  it("returns the typed client with its helpers", () => {
    const client = virtuozzo.createOstorClient({
      baseUrl: "https://s3.example.com",
      credentials: {
        type: "aksk",
        from: virtuozzo.s3Credentials({
          accessKeyId: "f373d5175d1f3b63S7SX",
          secretAccessKey: "x-secret",
        }),
      },
    });
    for (const name of ["GET", "PUT", "POST", "DELETE", "use", "eject", "listUsers", "getUser"]) {
      expect(typeof (client as unknown as Record<string, unknown>)[name]).toBe("function");
    }
    // The untyped verb is not offered: its answers could not be sealed by type.
    expect((client as unknown as Record<string, unknown>).request).toBeUndefined();
  });
});
