/**
 * `bucketry/huaweicloud`: the OBS buckets Huawei Cloud MPC and DBSS see, as {@link Source}s. Neither
 * API pages: each source makes one request. Needs `@bucketry/huaweicloud` (an optional peer
 * dependency, loaded on first use).
 */
import type { DbssClient, DbssClientOptions } from "@bucketry/huaweicloud/dbss";
import type { MpcClient, MpcClientOptions } from "@bucketry/huaweicloud/mpc";
import type { Bucket, ProviderSource } from "../model.js";
import { type AdapterDescriptor, definedOnly, type SettingField, type SettingsReader } from "./descriptor.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

/** What the adapter needs from `@bucketry/huaweicloud/mpc`. */
export type MpcModule = Pick<typeof import("@bucketry/huaweicloud/mpc"), "createMpcClient">;
/** What the adapter needs from `@bucketry/huaweicloud/dbss`. */
export type DbssModule = Pick<typeof import("@bucketry/huaweicloud/dbss"), "createDbssClient">;

/** Options of {@link mpcSource}: the MPC client's options and the adapter's own. */
export interface MpcSourceOptions extends MpcClientOptions, AdapterOptions<MpcModule> {}
/** Options of {@link dbssSource}: the DBSS client's options and the adapter's own. */
export interface DbssSourceOptions extends DbssClientOptions, AdapterOptions<DbssModule> {}

/** An MPC source; `client()` is the provider's typed client. */
export type MpcSource = ProviderSource<MpcClient>;
/** A DBSS source; `client()` is the provider's typed client. */
export type DbssSource = ProviderSource<DbssClient>;

const ADAPTER = "bucketry/huaweicloud";
const PACKAGE = "@bucketry/huaweicloud";
const loadMpc = providerLoader(ADAPTER, PACKAGE, () => import("@bucketry/huaweicloud/mpc"));
const loadDbss = providerLoader(ADAPTER, PACKAGE, () => import("@bucketry/huaweicloud/dbss"));

/**
 * The buckets MPC (Media Processing Center) sees: `{ name, createdAt, authorized }`, with the
 * provider's normalised bucket in `raw`. Options are checked when the client is first made.
 */
export function mpcSource(options: MpcSourceOptions): MpcSource {
  const name = checkAdapterOptions(options, "huaweicloud-mpc");
  const { name: _, loader, ...clientOptions } = options;
  const client = lazyClient(loader ? providerLoader(ADAPTER, PACKAGE, loader) : loadMpc, (m) =>
    m.createMpcClient(clientOptions),
  );
  return {
    provider: "huaweicloud-mpc",
    name,
    client,
    async *buckets(signal) {
      const mpc = await client();
      for (const bucket of await mpc.listBuckets({ signal })) {
        const out: Bucket = {
          provider: "huaweicloud-mpc",
          source: name,
          name: bucket.name,
          authorized: bucket.authorized,
          raw: bucket,
        };
        if (bucket.createdAt) out.createdAt = bucket.createdAt;
        yield out;
      }
    },
  };
}

/**
 * The buckets DBSS (Database Security Service) can back audits up to: `{ name, region }`, with the
 * provider's normalised bucket in `raw`. Options are checked when the client is first made.
 */
export function dbssSource(options: DbssSourceOptions): DbssSource {
  const name = checkAdapterOptions(options, "huaweicloud-dbss");
  const { name: _, loader, ...clientOptions } = options;
  const client = lazyClient(loader ? providerLoader(ADAPTER, PACKAGE, loader) : loadDbss, (m) =>
    m.createDbssClient(clientOptions),
  );
  return {
    provider: "huaweicloud-dbss",
    name,
    client,
    async *buckets(signal) {
      const dbss = await client();
      for (const bucket of await dbss.listObsBuckets({ signal })) {
        const out: Bucket = { provider: "huaweicloud-dbss", source: name, name: bucket.name, raw: bucket };
        if (bucket.region) out.region = bucket.region;
        yield out;
      }
    },
  };
}

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
export const mpcDescriptor: AdapterDescriptor = {
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
export const dbssDescriptor: AdapterDescriptor = {
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
