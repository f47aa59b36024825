/** Huawei credential sources: validation with the offending option or variable named, and hidden secrets. */
import { inspect } from "node:util";
import { huaweiAkSk } from "@bucketry/auth/signers";
import { CredentialsError } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import { huaweiCredentials, huaweiCredentialsFromEnv } from "../src/credentials.js";

const SK = "Sk-SEEDED-SECRET-4711";
const TOKEN = "SEEDED-SECURITY-TOKEN-0815";

function errorOf(run: () => unknown): CredentialsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    return error as CredentialsError;
  }
  throw new Error("expected a CredentialsError");
}

describe("huaweiCredentials (static)", () => {
  it("keeps the values and exposes them to the signer", () => {
    const c = huaweiCredentials({ accessKey: "AK1", secretKey: SK, securityToken: TOKEN, projectId: "p-1" });
    expect([c.accessKey, c.secretKey, c.securityToken, c.projectId]).toEqual(["AK1", SK, TOKEN, "p-1"]);
  });

  it("never shows the secret key or the token in util.inspect, JSON or a spread", () => {
    const c = huaweiCredentials({ accessKey: "AK1", secretKey: SK, securityToken: TOKEN, projectId: "p-1" });
    for (const shown of [
      inspect(c),
      inspect(c, { showHidden: true, depth: 5, getters: true }),
      JSON.stringify(c),
      JSON.stringify({ ...c }),
      String(c),
      `${Object.values(c)}`,
    ]) {
      expect(shown).not.toContain(SK);
      expect(shown).not.toContain(TOKEN);
    }
    expect(inspect(c)).toContain("AK1");
    expect(JSON.parse(JSON.stringify(c))).toEqual({
      accessKey: "AK1",
      secretKey: "[REDACTED]",
      securityToken: "[REDACTED]",
      projectId: "p-1",
    });
  });

  it.each([
    [{ accessKey: "", secretKey: SK }, "accessKey"],
    [{ accessKey: "AK 1", secretKey: SK }, "accessKey"],
    [{ accessKey: "AK1\n", secretKey: SK }, "accessKey"],
    [{ accessKey: "AK1", secretKey: "" }, "secretKey"],
    [{ accessKey: "AK1", secretKey: `${SK}\n` }, "secretKey"],
    [{ accessKey: "AK1", secretKey: SK, projectId: "" }, "projectId"],
    [{ accessKey: "AK1", secretKey: SK, projectId: "a".repeat(65) }, "projectId"],
    [{ accessKey: "AK1", secretKey: SK, projectId: "abc_def" }, "projectId"],
    [{ accessKey: "AK1", secretKey: SK, securityToken: "" }, "securityToken"],
    [{ accessKey: "AK1", secretKey: SK, securityToken: `${TOKEN}\r\nX-Evil: 1` }, "securityToken"],
  ])("rejects %j naming %s, without echoing secrets", (init, field) => {
    const error = errorOf(() => huaweiCredentials(init));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}${inspect(error)}`).not.toContain(SK);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}${inspect(error)}`).not.toContain(TOKEN);
  });

  it("accepts a 64-character project id of letters, digits and '-'", () => {
    expect(
      huaweiCredentials({ accessKey: "AK1", secretKey: SK, projectId: `${"aZ0-".repeat(16)}` }).projectId,
    ).toHaveLength(64);
  });
});

describe("huaweiCredentialsFromEnv", () => {
  const env = {
    HUAWEICLOUD_SDK_AK: "AKENV",
    HUAWEICLOUD_SDK_SK: SK,
    HUAWEICLOUD_SDK_PROJECT_ID: "0123456789abcdef0123456789abcdef",
    HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN,
  };

  it("reads the four variables the official SDKs use", () => {
    const c = huaweiCredentialsFromEnv(env);
    expect([c.accessKey, c.secretKey, c.projectId, c.securityToken]).toEqual([
      "AKENV",
      SK,
      "0123456789abcdef0123456789abcdef",
      TOKEN,
    ]);
    expect(inspect(c)).not.toContain(SK);
  });

  it("treats empty optional variables as unset", () => {
    const c = huaweiCredentialsFromEnv({
      ...env,
      HUAWEICLOUD_SDK_PROJECT_ID: "",
      HUAWEICLOUD_SDK_SECURITY_TOKEN: "",
    });
    expect(c.projectId).toBeUndefined();
    expect(c.securityToken).toBeUndefined();
  });

  it.each([
    [{ HUAWEICLOUD_SDK_AK: undefined }, "HUAWEICLOUD_SDK_AK", "is not set"],
    [{ HUAWEICLOUD_SDK_AK: "" }, "HUAWEICLOUD_SDK_AK", "is not set"],
    [{ HUAWEICLOUD_SDK_AK: "AK ENV" }, "HUAWEICLOUD_SDK_AK", "whitespace"],
    [{ HUAWEICLOUD_SDK_SK: undefined }, "HUAWEICLOUD_SDK_SK", "is not set"],
    [{ HUAWEICLOUD_SDK_SK: ` ${SK}` }, "HUAWEICLOUD_SDK_SK", "whitespace"],
    [{ HUAWEICLOUD_SDK_PROJECT_ID: "region/project" }, "HUAWEICLOUD_SDK_PROJECT_ID", "project id"],
    [{ HUAWEICLOUD_SDK_SECURITY_TOKEN: "a b" }, "HUAWEICLOUD_SDK_SECURITY_TOKEN", "whitespace"],
  ])("%j fails naming %s", (change, field, words) => {
    const error = errorOf(() => huaweiCredentialsFromEnv({ ...env, ...change }));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain(SK);
  });

  it("reads process.env by default", () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env);
      expect(huaweiCredentialsFromEnv().accessKey).toBe("AKENV");
      delete process.env.HUAWEICLOUD_SDK_AK;
      expect(errorOf(() => huaweiCredentialsFromEnv()).field).toBe("HUAWEICLOUD_SDK_AK");
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});

describe("huaweiAkSk creation", () => {
  it("rejects bad static credentials and a bad project id when the middleware is made", () => {
    expect(errorOf(() => huaweiAkSk({ accessKey: "", secretKey: SK })).field).toBe("accessKey");
    expect(errorOf(() => huaweiAkSk({ accessKey: "AK", secretKey: "" })).field).toBe("secretKey");
    expect(
      errorOf(() => huaweiAkSk({ accessKey: "AK", secretKey: SK }, { projectId: "no spaces" })).field,
    ).toBe("projectId");
  });
});
