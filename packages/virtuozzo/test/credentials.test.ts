/**
 * S3 credential sources for ostor: static values and the `OSTOR_*` environment variables. A missing or
 * malformed value is a CredentialsError naming the option or variable; the secret and session token
 * never show in errors, `util.inspect`, `JSON.stringify` or a spread copy.
 */
import { inspect } from "node:util";
import { signAwsV4Request, signOstorV2Request } from "@bucketry/auth/signers";
import { CredentialsError } from "@bucketry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OSTOR_ENV, type S3Credentials, s3Credentials, s3CredentialsFromEnv } from "../src/credentials.js";

const SECRET = "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA";
const TOKEN = "FwoGZXIvYXdzEXAMPLEtoken0123456789";
const KEY_ID = "b09693b73b3c7686A1B2";

function errorOf(run: () => unknown): CredentialsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    return error as CredentialsError;
  }
  throw new Error("expected a CredentialsError");
}

function expectHidden(value: unknown, ...secrets: string[]): void {
  const views = [
    JSON.stringify(value),
    inspect(value, { showHidden: true, depth: 5 }),
    JSON.stringify({ ...(value as object) }),
  ];
  for (const view of views) for (const secret of secrets) expect(view).not.toContain(secret);
}

describe("s3CredentialsFromEnv", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reads OSTOR_ACCESS_KEY_ID and OSTOR_SECRET_ACCESS_KEY", () => {
    const credentials = s3CredentialsFromEnv({
      OSTOR_ACCESS_KEY_ID: KEY_ID,
      OSTOR_SECRET_ACCESS_KEY: SECRET,
    });
    expect(credentials.accessKeyId).toBe(KEY_ID);
    expect(credentials.secretAccessKey).toBe(SECRET);
    expect(credentials.sessionToken).toBeUndefined();
    expect(OSTOR_ENV).toEqual({
      accessKeyId: "OSTOR_ACCESS_KEY_ID",
      secretAccessKey: "OSTOR_SECRET_ACCESS_KEY",
      endpoint: "OSTOR_ENDPOINT",
    });
  });

  it("reads process.env when no record is given", () => {
    vi.stubEnv("OSTOR_ACCESS_KEY_ID", KEY_ID);
    vi.stubEnv("OSTOR_SECRET_ACCESS_KEY", SECRET);
    expect(s3CredentialsFromEnv().accessKeyId).toBe(KEY_ID);
  });

  it("leaves OSTOR_ENDPOINT to the client factory (not read or checked here)", () => {
    const env = { OSTOR_ACCESS_KEY_ID: KEY_ID, OSTOR_SECRET_ACCESS_KEY: SECRET, OSTOR_ENDPOINT: "not a url" };
    expect(s3CredentialsFromEnv(env).accessKeyId).toBe(KEY_ID);
  });

  it("names the missing or empty variable", () => {
    expect(errorOf(() => s3CredentialsFromEnv({ OSTOR_SECRET_ACCESS_KEY: SECRET })).field).toBe(
      "OSTOR_ACCESS_KEY_ID",
    );
    expect(errorOf(() => s3CredentialsFromEnv({ OSTOR_ACCESS_KEY_ID: KEY_ID })).field).toBe(
      "OSTOR_SECRET_ACCESS_KEY",
    );
    const empty = errorOf(() =>
      s3CredentialsFromEnv({ OSTOR_ACCESS_KEY_ID: KEY_ID, OSTOR_SECRET_ACCESS_KEY: "" }),
    );
    expect(empty.field).toBe("OSTOR_SECRET_ACCESS_KEY");
    expect(empty.message).toBe("OSTOR_SECRET_ACCESS_KEY: is not set");
  });

  it("names the malformed variable without echoing the secret", () => {
    const spaced = errorOf(() =>
      s3CredentialsFromEnv({ OSTOR_ACCESS_KEY_ID: "b0969 3b7", OSTOR_SECRET_ACCESS_KEY: SECRET }),
    );
    expect(spaced.field).toBe("OSTOR_ACCESS_KEY_ID");
    const newline = errorOf(() =>
      s3CredentialsFromEnv({ OSTOR_ACCESS_KEY_ID: KEY_ID, OSTOR_SECRET_ACCESS_KEY: `${SECRET}\n` }),
    );
    expect(newline.field).toBe("OSTOR_SECRET_ACCESS_KEY");
    expect(newline.message).toMatch(/whitespace/);
    for (const view of [newline.message, newline.stack ?? "", JSON.stringify(newline), inspect(newline)]) {
      expect(view).not.toContain(SECRET);
    }
  });

  it("reads other variable names when given, the optional token included", () => {
    const names = { accessKeyId: "MY_KEY", secretAccessKey: "MY_SECRET", sessionToken: "MY_TOKEN" };
    const credentials = s3CredentialsFromEnv({ MY_KEY: KEY_ID, MY_SECRET: SECRET, MY_TOKEN: TOKEN }, names);
    expect(credentials.sessionToken).toBe(TOKEN);
    expect(
      s3CredentialsFromEnv({ MY_KEY: KEY_ID, MY_SECRET: SECRET, MY_TOKEN: "" }, names).sessionToken,
    ).toBeUndefined();
    expect(
      errorOf(() => s3CredentialsFromEnv({ MY_KEY: KEY_ID, MY_SECRET: SECRET, MY_TOKEN: "a b" }, names))
        .field,
    ).toBe("MY_TOKEN");
  });
});

describe("s3Credentials (static)", () => {
  it("validates now, naming the option", () => {
    expect(errorOf(() => s3Credentials({ accessKeyId: "", secretAccessKey: SECRET })).field).toBe(
      "accessKeyId",
    );
    expect(errorOf(() => s3Credentials({ accessKeyId: "a/b", secretAccessKey: SECRET })).field).toBe(
      "accessKeyId",
    );
    expect(errorOf(() => s3Credentials({ accessKeyId: KEY_ID, secretAccessKey: " x" })).field).toBe(
      "secretAccessKey",
    );
    expect(
      errorOf(() => s3Credentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: "" })).field,
    ).toBe("sessionToken");
  });

  it("hides the secret and the token from inspect, JSON and spreading", () => {
    const credentials = s3Credentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN });
    expectHidden(credentials, SECRET, TOKEN);
    expect(inspect(credentials)).toContain(KEY_ID);
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({
      accessKeyId: KEY_ID,
      secretAccessKey: "[REDACTED]",
      sessionToken: "[REDACTED]",
    });
    expect(Object.keys(credentials)).toEqual(["accessKeyId"]);
  });

  it("signs exactly as the plain values do (V2 and V4)", async () => {
    const sealed = s3Credentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN });
    const plain = { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN };
    const date = new Date("2021-03-24T15:01:11Z");
    const request = () => new Request("https://s3.example.com/?ostor-users");
    const v2 = async (c: S3Credentials) =>
      (await signOstorV2Request(request(), c, { date })).headers.get("authorization");
    const v4 = async (c: S3Credentials) =>
      (await signAwsV4Request(request(), c, { region: "ostor", service: "s3", date })).headers.get(
        "authorization",
      );
    expect(await v2(sealed)).toBe(await v2(plain));
    expect(await v2(sealed)).toBe(`AWS ${KEY_ID}:q0et3l+jpwhSPeceastRcLEdohU=`);
    expect(await v4(sealed)).toBe(await v4(plain));
  });
});
