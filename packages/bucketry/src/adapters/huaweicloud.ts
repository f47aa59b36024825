/**
 * `bucketry/huaweicloud`: the OBS buckets Huawei Cloud MPC and DBSS see, as {@link Source}s. Neither
 * API pages: each source makes one request. Needs `@bucketry/huaweicloud` (an optional peer
 * dependency, loaded on first use).
 */
import type { DbssBucket, DbssClient, DbssClientOptions } from "@bucketry/huaweicloud/dbss";
import type { MpcBucket, MpcClient, MpcClientOptions } from "@bucketry/huaweicloud/mpc";
import type { Bucket, ProviderSource } from "../model.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

declare module "../model.js" {
  /** An MPC or DBSS bucket's `raw`: the provider's normalised bucket. */
  interface ProviderRecords {
    "huaweicloud-mpc": MpcBucket;
    "huaweicloud-dbss": DbssBucket;
  }
}

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
      for await (const bucket of mpc.listBuckets({ signal })) {
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
      for await (const bucket of dbss.listBuckets({ signal })) {
        const out: Bucket = { provider: "huaweicloud-dbss", source: name, name: bucket.name, raw: bucket };
        if (bucket.region) out.region = bucket.region;
        yield out;
      }
    },
  };
}
