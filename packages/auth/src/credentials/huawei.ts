/**
 * Huawei Cloud AK/SK credentials: from static values or from the environment variables the official
 * SDKs read. Checked when made, so a bad key fails at client creation, not at the gateway (five
 * signature failures lock an AK for five minutes). The SK and the security token live in private
 * fields: `util.inspect`, `JSON.stringify` and spreading never show them.
 */
import { CredentialsError, type Env, processEnv, REDACTED, readEnvTable } from "@bucketry/core";

/** Huawei Cloud AK/SK credentials, optionally temporary (with a security token) and project-scoped. */
export interface HuaweiCredentials {
  /** The access key id (AK). */
  readonly accessKey: string;
  /** The secret access key (SK). */
  readonly secretKey: string;
  /** The security token of temporary AK/SK, sent and signed as `X-Security-Token`. */
  readonly securityToken?: string | undefined;
  /** The project id, sent and signed as `X-Project-Id`. */
  readonly projectId?: string | undefined;
}

/** The values {@link huaweiCredentials} accepts. */
export interface HuaweiCredentialsInit {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
  projectId?: string | undefined;
}

/** The environment variables {@link huaweiCredentialsFromEnv} reads (the official SDKs' names). */
export const HUAWEI_ENV = {
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
} as const;

type FieldNames = Record<keyof HuaweiCredentialsInit, string>;

const OPTION_NAMES: FieldNames = {
  accessKey: "accessKey",
  secretKey: "secretKey",
  projectId: "projectId",
  securityToken: "securityToken",
};

const PROJECT_ID = /^[0-9A-Za-z-]{1,64}$/;
const WHITESPACE = /\s/;
const INSPECT = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");

// In a pure wrapper, so a bundle that never makes these credentials drops the class (its computed
// `[INSPECT]` key would otherwise keep it).
const SealedHuaweiCredentials = /* @__PURE__ */ (() =>
  class SealedHuaweiCredentials implements HuaweiCredentials {
    readonly accessKey: string;
    readonly projectId: string | undefined;
    readonly #secretKey: string;
    readonly #securityToken: string | undefined;

    constructor(init: HuaweiCredentialsInit) {
      this.accessKey = init.accessKey;
      this.projectId = init.projectId;
      this.#secretKey = init.secretKey;
      this.#securityToken = init.securityToken;
    }

    get secretKey(): string {
      return this.#secretKey;
    }

    get securityToken(): string | undefined {
      return this.#securityToken;
    }

    toJSON(): Record<string, string | undefined> {
      return {
        accessKey: this.accessKey,
        secretKey: REDACTED,
        securityToken: this.#securityToken === undefined ? undefined : REDACTED,
        projectId: this.projectId,
      };
    }

    [INSPECT](): string {
      const fields = Object.entries(this.toJSON()).filter(([, value]) => value !== undefined);
      return `HuaweiCredentials { ${fields.map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(", ")} }`;
    }
  })();

/** Throws a {@link CredentialsError} unless `value` is a usable AK (non-empty, no whitespace). */
export function checkHuaweiAccessKey(value: unknown, field = "accessKey"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the access key (AK) is missing");
  if (WHITESPACE.test(value))
    throw new CredentialsError(field, "the access key (AK) must not contain whitespace");
}

/** Throws a {@link CredentialsError} unless `value` is a usable SK (non-empty, no surrounding whitespace). */
export function checkHuaweiSecretKey(value: unknown, field = "secretKey"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the secret key (SK) is missing");
  // A trailing newline from `$(cat sk.txt)` would sign everything wrong and lock the AK after five tries.
  if (value.trim() !== value) {
    throw new CredentialsError(field, "the secret key (SK) must not start or end with whitespace");
  }
}

/** Throws a {@link CredentialsError} unless `value` is a project id: 1–64 of `0-9 A-Z a-z -`. */
export function checkHuaweiProjectId(value: unknown, field = "projectId"): asserts value is string {
  if (typeof value !== "string" || !PROJECT_ID.test(value)) {
    throw new CredentialsError(field, "a project id is 1 to 64 characters of 0-9, A-Z, a-z and '-'");
  }
}

/** Throws a {@link CredentialsError} unless `value` is a security token that can travel in a header. */
export function checkHuaweiSecurityToken(value: unknown, field = "securityToken"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the security token is empty");
  if (WHITESPACE.test(value))
    throw new CredentialsError(field, "the security token must not contain whitespace");
}

function seal(init: HuaweiCredentialsInit, names: FieldNames): HuaweiCredentials {
  checkHuaweiAccessKey(init.accessKey, names.accessKey);
  checkHuaweiSecretKey(init.secretKey, names.secretKey);
  if (init.projectId !== undefined) checkHuaweiProjectId(init.projectId, names.projectId);
  if (init.securityToken !== undefined) checkHuaweiSecurityToken(init.securityToken, names.securityToken);
  return new SealedHuaweiCredentials(init);
}

/** Static Huawei credentials, validated now; errors name the option (`accessKey`, `projectId`, ...). */
export function huaweiCredentials(init: HuaweiCredentialsInit): HuaweiCredentials {
  return seal(init, OPTION_NAMES);
}

/**
 * Huawei credentials from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and the optional
 * `HUAWEICLOUD_SDK_PROJECT_ID` and `HUAWEICLOUD_SDK_SECURITY_TOKEN`; errors name the variable.
 */
export function huaweiCredentialsFromEnv(env: Env = processEnv()): HuaweiCredentials {
  const { accessKey, secretKey, ...optional } = readEnvTable(HUAWEI_ENV, env);
  if (!accessKey) throw new CredentialsError(HUAWEI_ENV.accessKey, "is not set");
  if (!secretKey) throw new CredentialsError(HUAWEI_ENV.secretKey, "is not set");
  return seal({ accessKey, secretKey, ...optional }, HUAWEI_ENV);
}
