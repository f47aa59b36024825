/**
 * Huawei Cloud AK/SK credentials: from static values or from the environment variables the official
 * SDKs read. Checked when made, so a bad key fails at client creation, not at the gateway (five
 * signature failures lock an AK for five minutes). The SK and the security token live in private
 * fields: `util.inspect`, `JSON.stringify` and spreading never show them.
 */
import {
  checkHuaweiAccessKey,
  checkHuaweiProjectId,
  checkHuaweiSecretKey,
  checkHuaweiSecurityToken,
  type HuaweiCredentials,
} from "@bucketry/auth/signers";
import { keystoneV3Token, type TokenSource } from "@bucketry/auth/tokens";
import {
  CredentialsError,
  type Env,
  InvalidInputError,
  processEnv,
  REDACTED,
  readEnvTable,
  requiredText,
  type SecretRegistry,
} from "@bucketry/core/internal";
import { HUAWEI_ERRORS } from "./errors.js";

export type { HuaweiCredentials };

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

/** Options of {@link huaweiIamToken}. */
export interface HuaweiIamTokenOptions {
  /** The region, e.g. `ap-southeast-1`: IAM at `https://iam.{region}.myhuaweicloud.com`, and the scope when no `projectId`. */
  region?: string;
  /** The IAM endpoint, instead of the regional one. */
  endpoint?: string;
  /** The account name (the IAM user's domain). */
  accountName: string;
  /** The IAM user name. */
  userName: string;
  /** The IAM user's password. */
  password: string;
  /** The project id to scope the token to; the project named after `region` when absent. */
  projectId?: string;
  fetch?: (request: Request) => Promise<Response>;
  marginMs?: number;
  secrets?: SecretRegistry;
}

/** Huawei Cloud IAM project-scoped tokens (for `X-Auth-Token`), through {@link keystoneV3Token}. */
export function huaweiIamToken(options: HuaweiIamTokenOptions): TokenSource {
  const region = options.region === undefined ? undefined : regionName(options.region);
  if (!region && !options.endpoint) throw new InvalidInputError("region", "give a region or an IAM endpoint");
  const projectId =
    options.projectId === undefined ? undefined : requiredText("projectId", options.projectId);
  if (!projectId && !region)
    throw new InvalidInputError("projectId", "give a project id or a region to scope to");
  return keystoneV3Token({
    endpoint: options.endpoint ?? `https://iam.${region}.myhuaweicloud.com`,
    username: requiredText("userName", options.userName),
    password: requiredText("password", options.password, false),
    domain: { name: requiredText("accountName", options.accountName) },
    project: projectId ? { id: projectId } : { name: region! },
    noCatalog: true,
    fetch: options.fetch,
    marginMs: options.marginMs,
    secrets: options.secrets,
    provider: "huaweicloud-iam",
    errors: HUAWEI_ERRORS,
  });
}

function regionName(region: string): string {
  if (typeof region !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    throw new InvalidInputError("region", "must be a region id such as ap-southeast-1");
  }
  return region;
}
