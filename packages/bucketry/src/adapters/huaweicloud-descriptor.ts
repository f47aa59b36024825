/**
 * What `bucketry/huaweicloud` says about itself to tools (the CLI, the release checks): its settings and
 * how a source is made from them. Kept out of the adapter's entry, so a bundle of the library
 * carries no help texts.
 */
import { type AdapterDescriptor, definedOnly, type SettingField, type SettingsReader } from "./descriptor.js";
import { type DbssSourceOptions, dbssSource, type MpcSourceOptions, mpcSource } from "./huaweicloud.js";

const ADAPTER = "bucketry/huaweicloud";
const PACKAGE = "@bucketry/huaweicloud";

const HUAWEI_CREDENTIALS: SettingField[] = [
  {
    key: "projectId",
    env: "HUAWEICLOUD_SDK_PROJECT_ID",
    selects: false,
    help: "the project id (32 hex digits)",
  },
  { key: "accessKey", env: "HUAWEICLOUD_SDK_AK", selects: false, help: "the access key id (AK)" },
  {
    key: "secretKey",
    env: "HUAWEICLOUD_SDK_SK",
    secret: true,
    selects: false,
    help: "the secret access key (SK)",
  },
  {
    key: "securityToken",
    env: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    secret: true,
    selects: false,
    help: "the security token of temporary AK/SK (optional)",
  },
];

// MPC documents 100 requests/min per tenant for its transcoding APIs (whether that covers the bucket
// listing is not stated); DBSS documents none. Both sit behind the API Gateway that answers APIG.0308.
const HUAWEI_LIMITS = {
  concurrency: 2,
  rate: 100 / 60,
  burst: 5,
  basis: "MPC's documented flow control, 100 requests/min per tenant (DBSS documents none)",
};

function huaweiOptions(settings: SettingsReader) {
  const region = settings.optional("region");
  const endpoint = settings.optional("endpoint");
  if (region === undefined && endpoint === undefined) {
    settings.fail(`set ${settings.describe("region")} or ${settings.describe("endpoint")}`);
  }
  return {
    ...definedOnly({ region, baseUrl: endpoint }),
    projectId: settings.need("projectId"),
    credentials: {
      type: "aksk" as const,
      accessKey: settings.need("accessKey"),
      secretKey: settings.need("secretKey"),
      ...definedOnly({ securityToken: settings.optional("securityToken") }),
    },
  };
}

function huaweiScope(settings: SettingsReader) {
  return definedOnly({ project: settings.optional("projectId"), region: settings.optional("region") });
}

/** What `bucketry/huaweicloud` says about its MPC source. */
export const mpcDescriptor: AdapterDescriptor<"huaweicloud-mpc"> = {
  provider: "huaweicloud-mpc",
  title: "Huawei Cloud MPC",
  adapter: ADAPTER,
  packageName: PACKAGE,
  lists: "buckets",
  fields: [
    { key: "region", env: "BUCKETRY_MPC_REGION", help: "the MPC region, e.g. cn-north-4" },
    { key: "endpoint", env: "BUCKETRY_MPC_ENDPOINT", help: "the endpoint instead of the region's" },
    ...HUAWEI_CREDENTIALS,
  ],
  limits: HUAWEI_LIMITS,
  // The region is checked against the provider's region table when the client is made.
  build: (settings, options) => mpcSource({ ...options, ...huaweiOptions(settings) } as MpcSourceOptions),
  scope: huaweiScope,
};

/** What `bucketry/huaweicloud` says about its DBSS source. */
export const dbssDescriptor: AdapterDescriptor<"huaweicloud-dbss"> = {
  provider: "huaweicloud-dbss",
  title: "Huawei Cloud DBSS",
  adapter: ADAPTER,
  packageName: PACKAGE,
  lists: "buckets",
  fields: [
    { key: "region", env: "BUCKETRY_DBSS_REGION", help: "the DBSS region, e.g. cn-north-4" },
    { key: "endpoint", env: "BUCKETRY_DBSS_ENDPOINT", help: "the endpoint instead of the region's" },
    ...HUAWEI_CREDENTIALS,
  ],
  limits: HUAWEI_LIMITS,
  build: (settings, options) => dbssSource({ ...options, ...huaweiOptions(settings) } as DbssSourceOptions),
  scope: huaweiScope,
};
