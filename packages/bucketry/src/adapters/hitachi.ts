/**
 * `bucketry/hitachi`: Hitachi VSP One Object as a {@link Source}. MAPI lists buckets per user, so the
 * source walks each of `userIds` in turn, page by page, and tags every bucket with its owner.
 * Needs `@bucketry/hitachi` (an optional peer dependency, loaded on first use).
 */
import { InvalidInputError } from "@bucketry/core";
import type { VspOneObjectBucket, VspOneObjectClient, VspOneObjectClientOptions } from "@bucketry/hitachi";
import type { Bucket, ProviderSource } from "../model.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

declare module "../model.js" {
  /** A Hitachi bucket's `raw`: the provider's normalised bucket. */
  interface ProviderRecords {
    "hitachi-vsp-one-object": VspOneObjectBucket;
  }
}

/** What the adapter needs from `@bucketry/hitachi`. */
export type HitachiModule = Pick<typeof import("@bucketry/hitachi"), "createVspOneObjectClient">;

/** Options of {@link hitachiSource}: the client's options, the users to list, and the adapter's own. */
export interface HitachiSourceOptions extends VspOneObjectClientOptions, AdapterOptions<HitachiModule> {
  /** The MAPI user ids whose buckets are listed (signed integers, e.g. `-468170324`), in this order. */
  userIds: readonly number[];
  /** Buckets per request; the server's default when absent. */
  pageSize?: number | undefined;
}

/** A Hitachi VSP One Object source; `client()` is the provider's typed client. */
export type HitachiSource = ProviderSource<VspOneObjectClient>;

const load = providerLoader("bucketry/hitachi", "@bucketry/hitachi", () => import("@bucketry/hitachi"));

/**
 * A source over the buckets of `userIds`. Buckets map to `{ id: String(bucketId), name, owner:
 * String(userId) }`, with the provider's normalised bucket in `raw`. The client's options are checked
 * when it is first made (`await source.client()` checks them up front).
 */
export function hitachiSource(options: HitachiSourceOptions): HitachiSource {
  const name = checkAdapterOptions(options, "hitachi-vsp-one-object");
  const { name: _, loader, userIds, pageSize, ...clientOptions } = options;
  // Each id is checked by the client's listBuckets, before anything is sent.
  if (!Array.isArray(userIds) || userIds.length === 0) {
    throw new InvalidInputError("userIds", "is required: the MAPI user ids to list, e.g. [-468170324]");
  }
  const client = lazyClient(
    loader ? providerLoader("bucketry/hitachi", "@bucketry/hitachi", loader) : load,
    (m) => m.createVspOneObjectClient(clientOptions),
  );
  return {
    provider: "hitachi-vsp-one-object",
    name,
    client,
    async *buckets(signal) {
      const vsp = await client();
      for (const userId of [...userIds]) {
        const listing = vsp.listBuckets(
          { userId, ...(pageSize === undefined ? {} : { pageSize }) },
          { signal },
        );
        for await (const bucket of listing) {
          yield {
            provider: "hitachi-vsp-one-object",
            source: name,
            name: bucket.name,
            id: String(bucket.id),
            owner: String(userId),
            raw: bucket,
          } satisfies Bucket;
        }
      }
    },
  };
}
