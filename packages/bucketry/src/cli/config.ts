/**
 * Where the CLI's endpoints and credentials come from: the documented environment variables (the
 * providers' own names, plus `BUCKETRY_*` for what they do not cover) and an optional JSON file.
 * Both use the same fields; a variable overrides the file's value of its field. Secrets are never
 * command-line flags (they would land in shell history and `ps`).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { ClientOptions } from "@bucketry/core";
import { hitachiSource } from "../adapters/hitachi.js";
import { dbssSource, mpcSource } from "../adapters/huaweicloud.js";
import { ncloudSource } from "../adapters/ncloud.js";
import { type OstorSource, ostorSource } from "../adapters/virtuozzo.js";
import type { ProviderName, Source } from "../model.js";

/** A configuration problem the user must fix before anything is listed (exit code 2). */
export class ConfigError extends Error {
  override name = "ConfigError" as const;
}

/** One configurable field: its key in the config file and its environment variable. */
export interface Field {
  key: string;
  env: string;
  /** Never printed; `bucketry providers` shows only whether it is set. */
  secret?: boolean;
  /** Shown in `--help` and the README. */
  help: string;
}

/** What the CLI knows about each provider. */
export interface ProviderSpec {
  name: ProviderName;
  title: string;
  /** The subpath export that adapts it, e.g. `bucketry/hitachi`. */
  adapter: string;
  /** The provider package the adapter loads. */
  packageName: string;
  /** What it lists. */
  lists: "buckets" | "users";
  fields: Field[];
  /** Keys whose presence in the environment means "this provider is configured" (a file entry always does). */
  selectors: string[];
}

const HUAWEI_CREDENTIALS: Field[] = [
  { key: "projectId", env: "HUAWEICLOUD_SDK_PROJECT_ID", help: "the project id (32 hex digits)" },
  { key: "accessKey", env: "HUAWEICLOUD_SDK_AK", help: "the access key id (AK)" },
  { key: "secretKey", env: "HUAWEICLOUD_SDK_SK", secret: true, help: "the secret access key (SK)" },
  {
    key: "securityToken",
    env: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    secret: true,
    help: "the security token of temporary AK/SK (optional)",
  },
];

/** Every provider, in the order the CLI lists them. */
export const PROVIDERS: readonly ProviderSpec[] = [
  {
    name: "hitachi",
    title: "Hitachi VSP One Object",
    adapter: "bucketry/hitachi",
    packageName: "@bucketry/hitachi",
    lists: "buckets",
    fields: [
      {
        key: "userIds",
        env: "BUCKETRY_HITACHI_USER_IDS",
        help: "the MAPI user ids to list, comma-separated",
      },
      { key: "cluster", env: "VSP_OBJECT_CLUSTER", help: "the cluster's DNS name, e.g. cluster.example.com" },
      { key: "region", env: "VSP_OBJECT_REGION", help: "the region, e.g. us-west-2" },
      {
        key: "endpoint",
        env: "BUCKETRY_HITACHI_ENDPOINT",
        help: "the Management API base instead of cluster and region, e.g. https://admin.us-west-2.cluster.example.com/mapi",
      },
      {
        key: "tokenUrl",
        env: "BUCKETRY_HITACHI_TOKEN_URL",
        help: "Keycloak's token endpoint (required with BUCKETRY_HITACHI_ENDPOINT)",
      },
      { key: "username", env: "VSP_OBJECT_USERNAME", help: "the Keycloak user" },
      { key: "password", env: "VSP_OBJECT_PASSWORD", secret: true, help: "its password" },
      {
        key: "clientId",
        env: "VSP_OBJECT_CLIENT_ID",
        help: "the OAuth client (default vsp-object-external-client)",
      },
      {
        key: "clientSecret",
        env: "VSP_OBJECT_CLIENT_SECRET",
        secret: true,
        help: "the client secret, for a confidential client (optional)",
      },
    ],
    selectors: [
      "userIds",
      "cluster",
      "region",
      "endpoint",
      "tokenUrl",
      "username",
      "password",
      "clientId",
      "clientSecret",
    ],
  },
  {
    name: "huaweicloud-mpc",
    title: "Huawei Cloud MPC",
    adapter: "bucketry/huaweicloud",
    packageName: "@bucketry/huaweicloud",
    lists: "buckets",
    fields: [
      { key: "region", env: "BUCKETRY_MPC_REGION", help: "the MPC region, e.g. cn-north-4" },
      { key: "endpoint", env: "BUCKETRY_MPC_ENDPOINT", help: "the endpoint instead of the region's" },
      ...HUAWEI_CREDENTIALS,
    ],
    selectors: ["region", "endpoint"],
  },
  {
    name: "huaweicloud-dbss",
    title: "Huawei Cloud DBSS",
    adapter: "bucketry/huaweicloud",
    packageName: "@bucketry/huaweicloud",
    lists: "buckets",
    fields: [
      { key: "region", env: "BUCKETRY_DBSS_REGION", help: "the DBSS region, e.g. cn-north-4" },
      { key: "endpoint", env: "BUCKETRY_DBSS_ENDPOINT", help: "the endpoint instead of the region's" },
      ...HUAWEI_CREDENTIALS,
    ],
    selectors: ["region", "endpoint"],
  },
  {
    name: "ncloud",
    title: "NAVER Cloud Archive Storage",
    adapter: "bucketry/ncloud",
    packageName: "@bucketry/ncloud",
    lists: "buckets",
    fields: [
      { key: "zone", env: "BUCKETRY_NCLOUD_ZONE", help: "public (default) or gov" },
      {
        key: "endpoint",
        env: "BUCKETRY_NCLOUD_ENDPOINT",
        help: "the storage endpoint instead of the zone's",
      },
      {
        key: "authUrl",
        env: "OS_AUTH_URL",
        help: "Keystone (…/v3); the zone's by default, required with an endpoint",
      },
      { key: "accessKeyId", env: "OS_USERNAME", help: "the API key's access key id" },
      { key: "secretKey", env: "OS_PASSWORD", secret: true, help: "the API key's secret key" },
      { key: "domainId", env: "OS_USER_DOMAIN_ID", help: "the domain id from the Archive Storage console" },
      { key: "projectId", env: "OS_PROJECT_ID", help: "the project id from the Archive Storage console" },
      {
        key: "authToken",
        env: "OS_AUTH_TOKEN",
        secret: true,
        help: "a pre-issued token, used instead of the API key (needs OS_STORAGE_URL)",
      },
      {
        key: "storageUrl",
        env: "OS_STORAGE_URL",
        help: "the account URL the token is for (…/v1/AUTH_<project>)",
      },
    ],
    selectors: [
      "zone",
      "endpoint",
      "authUrl",
      "accessKeyId",
      "secretKey",
      "domainId",
      "projectId",
      "authToken",
      "storageUrl",
    ],
  },
  {
    name: "virtuozzo",
    title: "Virtuozzo / Acronis ostor",
    adapter: "bucketry/virtuozzo",
    packageName: "@bucketry/virtuozzo",
    lists: "users",
    fields: [
      {
        key: "endpoint",
        env: "OSTOR_ENDPOINT",
        help: "the cluster's S3 endpoint, e.g. https://s3.example.com",
      },
      { key: "accessKeyId", env: "OSTOR_ACCESS_KEY_ID", help: "a system user's access key id" },
      { key: "secretAccessKey", env: "OSTOR_SECRET_ACCESS_KEY", secret: true, help: "its secret access key" },
      { key: "signature", env: "BUCKETRY_OSTOR_SIGNATURE", help: "v2 (default) or v4" },
    ],
    selectors: ["endpoint", "accessKeyId", "secretAccessKey", "signature"],
  },
];

/** The spec of `name`, or undefined. */
export function providerSpec(name: string): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.name === name);
}

/** Where the config file was looked for and found. */
export interface ConfigLocation {
  /** The file read, if any. */
  path: string | undefined;
  /** How it was chosen: `--config`, `BUCKETRY_CONFIG`, or the default path that existed. */
  via: string | undefined;
  /** The default paths looked at (when neither `--config` nor `BUCKETRY_CONFIG` was given). */
  searched: string[];
}

/** A provider's settings, merged from the file and the environment. */
export interface ProviderConfig {
  spec: ProviderSpec;
  /** Field values (strings from the environment, JSON values from the file). */
  values: Record<string, unknown>;
  /** Where each value came from: an environment variable or `file`. */
  origins: Record<string, string>;
  /** Whether anything configures it (a file entry, or a selector variable). */
  configured: boolean;
}

/** The whole configuration the CLI runs with. */
export interface Config {
  location: ConfigLocation;
  providers: ProviderConfig[];
}

type Env = Record<string, string | undefined>;

/** Finds and reads the config file, then lays the environment over it. Throws {@link ConfigError}. */
export function loadConfig(options: { configPath?: string; env: Env; cwd: string }): Config {
  const location = locate(options);
  const file = location.path ? readConfigFile(location.path) : {};
  const providers = PROVIDERS.map((spec): ProviderConfig => {
    const fromFile = file[spec.name];
    const values: Record<string, unknown> = {};
    const origins: Record<string, string> = {};
    for (const [key, value] of Object.entries(fromFile ?? {})) {
      values[key] = value;
      origins[key] = "file";
    }
    let selected = false;
    for (const field of spec.fields) {
      const value = options.env[field.env];
      // `export VAR=` leaves an empty string: that means "not set".
      if (value === undefined || value === "") continue;
      values[field.key] = value;
      origins[field.key] = field.env;
      if (spec.selectors.includes(field.key)) selected = true;
    }
    return { spec, values, origins, configured: fromFile !== undefined || selected };
  });
  return { location, providers };
}

function locate(options: { configPath?: string; env: Env; cwd: string }): ConfigLocation {
  const explicit = (path: string, via: string): ConfigLocation => {
    const full = isAbsolute(path) ? path : resolve(options.cwd, path);
    if (!existsSync(full)) throw new ConfigError(`the config file ${full} (from ${via}) does not exist`);
    return { path: full, via, searched: [] };
  };
  if (options.configPath !== undefined) return explicit(options.configPath, "--config");
  if (options.env.BUCKETRY_CONFIG) return explicit(options.env.BUCKETRY_CONFIG, "BUCKETRY_CONFIG");
  const xdg = options.env.XDG_CONFIG_HOME || join(options.env.HOME || homedir(), ".config");
  const searched = [resolve(options.cwd, "bucketry.config.json"), join(xdg, "bucketry", "config.json")];
  const found = searched.find((path) => existsSync(path));
  return { path: found, via: found ? "default location" : undefined, searched };
}

/** The providers of a config file, checked: known providers and fields only, values of the right type. */
function readConfigFile(path: string): Record<string, Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON (${(error as Error).message})`);
  }
  const where = (key: string) => `${key} in ${path}`;
  if (!isRecord(parsed))
    throw new ConfigError(`the config file ${path} must hold a JSON object { "providers": … }`);
  for (const key of Object.keys(parsed)) {
    if (key !== "providers" && key !== "$schema")
      throw new ConfigError(`unknown key ${where(key)}; expected "providers"`);
  }
  const providers = parsed.providers ?? {};
  if (!isRecord(providers))
    throw new ConfigError(`${where("providers")} must be an object keyed by provider`);
  for (const [name, entry] of Object.entries(providers)) {
    const spec = providerSpec(name);
    if (!spec) {
      throw new ConfigError(
        `unknown provider ${where(`providers.${name}`)}; known: ${PROVIDERS.map((p) => p.name).join(", ")}`,
      );
    }
    if (!isRecord(entry)) throw new ConfigError(`${where(`providers.${name}`)} must be an object`);
    for (const [key, value] of Object.entries(entry)) {
      if (!spec.fields.some((f) => f.key === key)) {
        throw new ConfigError(
          `unknown field ${where(`providers.${name}.${key}`)}; known: ${spec.fields.map((f) => f.key).join(", ")}`,
        );
      }
      const ok =
        key === "userIds" ? typeof value === "string" || Array.isArray(value) : typeof value === "string";
      if (!ok) throw new ConfigError(`${where(`providers.${name}.${key}`)} must be a string`);
    }
  }
  return providers as Record<string, Record<string, unknown>>;
}

/**
 * Makes the provider's source from its settings (and the client options every source shares, e.g.
 * `onEvent`); throws {@link ConfigError} naming what is missing.
 */
export function buildSource(config: ProviderConfig, client: Pick<ClientOptions, "onEvent"> = {}): Source {
  const { spec, values } = config;
  const field = (key: string) => spec.fields.find((f) => f.key === key) as Field;
  const describe = (key: string) => `${field(key).env} (or "${key}" in the config file)`;
  const optional = (key: string): string | undefined => {
    const value = values[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw new ConfigError(`${describe(key)} must be a string`);
    return value.trim() === "" ? undefined : value;
  };
  const need = (key: string, why = ""): string => {
    const value = optional(key);
    if (value === undefined) throw new ConfigError(`${describe(key)} is not set${why}`);
    return value;
  };

  switch (spec.name) {
    case "hitachi": {
      const userIds = parseUserIds(values.userIds, describe("userIds"));
      const credentials = {
        username: need("username"),
        password: need("password"),
        ...definedOnly({ clientId: optional("clientId"), clientSecret: optional("clientSecret") }),
      };
      const endpoint = optional("endpoint");
      if (endpoint !== undefined) {
        const tokenUrl = need("tokenUrl", ` (required with ${field("endpoint").env})`);
        return hitachiSource({ baseUrl: endpoint, tokenUrl, credentials, userIds, ...client });
      }
      const cluster = need("cluster", ` (or set ${field("endpoint").env})`);
      const region = need("region");
      return hitachiSource({ credentials: { cluster, region, ...credentials }, userIds, ...client });
    }
    case "huaweicloud-mpc":
    case "huaweicloud-dbss": {
      const region = optional("region");
      const endpoint = optional("endpoint");
      if (region === undefined && endpoint === undefined) {
        throw new ConfigError(`set ${describe("region")} or ${describe("endpoint")}`);
      }
      const options = {
        ...client,
        ...definedOnly({ region, baseUrl: endpoint }),
        projectId: need("projectId"),
        credentials: {
          type: "aksk" as const,
          accessKey: need("accessKey"),
          secretKey: need("secretKey"),
          ...definedOnly({ securityToken: optional("securityToken") }),
        },
      };
      // The region is checked against the provider's region table when the client is made.
      return spec.name === "huaweicloud-mpc"
        ? mpcSource(options as Parameters<typeof mpcSource>[0])
        : dbssSource(options as Parameters<typeof dbssSource>[0]);
    }
    case "ncloud": {
      const authToken = optional("authToken");
      if (authToken !== undefined) {
        return ncloudSource({
          ...client,
          authToken,
          storageUrl: need("storageUrl", ` (required with ${field("authToken").env})`),
        });
      }
      const endpoint = optional("endpoint");
      const zone = optional("zone");
      if (zone !== undefined && zone !== "public" && zone !== "gov") {
        throw new ConfigError(`${describe("zone")} must be "public" or "gov"`);
      }
      return ncloudSource({
        ...client,
        ...(endpoint !== undefined
          ? { baseUrl: endpoint, authUrl: need("authUrl", ` (required with ${field("endpoint").env})`) }
          : {
              zone: (zone ?? "public") as "public" | "gov",
              ...definedOnly({ authUrl: optional("authUrl") }),
            }),
        projectId: need("projectId"),
        credentials: {
          accessKeyId: need("accessKeyId"),
          secretKey: need("secretKey"),
          domainId: need("domainId"),
        },
      });
    }
    case "virtuozzo": {
      const signature = optional("signature");
      if (signature !== undefined && signature !== "v2" && signature !== "v4") {
        throw new ConfigError(`${describe("signature")} must be "v2" or "v4"`);
      }
      return ostorSource({
        ...client,
        baseUrl: need("endpoint"),
        credentials: { accessKeyId: need("accessKeyId"), secretAccessKey: need("secretAccessKey") },
        ...definedOnly({ signature: signature as "v2" | "v4" | undefined }),
      }) satisfies OstorSource;
    }
  }
}

/** `-1,2, 3` or `[-1, 2, 3]` → integers; a ConfigError naming the setting otherwise. */
function parseUserIds(value: unknown, describe: string): number[] {
  if (value === undefined || value === "") throw new ConfigError(`${describe} is not set`);
  const items = Array.isArray(value) ? value : String(value).split(",");
  const ids = items.map((item) => (typeof item === "string" ? item.trim() : item));
  const bad = ids.find((id) =>
    typeof id === "number" ? !Number.isSafeInteger(id) : typeof id !== "string" || !/^-?\d{1,16}$/.test(id),
  );
  if (bad !== undefined || ids.length === 0) {
    throw new ConfigError(`${describe} must be integer user ids, comma-separated (e.g. -468170324,42)`);
  }
  return ids.map(Number);
}

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
