/**
 * `bucketry/ncloud`: NAVER Cloud Archive Storage containers as a {@link Source}, paged by Swift
 * marker. Needs `@bucketry/ncloud` (an optional peer dependency, loaded on first use).
 *
 * Swift's `last_modified` is not mapped to `createdAt`: it is the container's last PUT time, which a
 * re-PUT moves, not when it was created. It stays in `raw.lastModified` (a `Date`).
 */
import { CredentialsError } from "@bucketry/core";
import type {
  ArchiveStorageClient,
  ArchiveStorageClientOptions,
  ContainerEntry,
  ContainerItem,
} from "@bucketry/ncloud";
import { type Batch, batched } from "../batches.js";
import type { Bucket, ProviderSource } from "../model.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

declare module "../model.js" {
  /** A NAVER container's `raw`: the provider's normalised container (its `lastModified` included). */
  interface ProviderRecords {
    "ncloud-archive-storage": ContainerItem;
  }
}

/** What the adapter needs from `@bucketry/ncloud`. */
export type NcloudModule = Pick<
  typeof import("@bucketry/ncloud"),
  "createArchiveStorageClient" | "ncloudCredentials"
>;

/** A pre-issued Keystone token and the account URL it is for (OpenStack's `OS_AUTH_TOKEN`, `OS_STORAGE_URL`). */
export interface NcloudPreIssuedToken
  extends Omit<ArchiveStorageClientOptions, "credentials" | "baseUrl" | "zone" | "authUrl" | "projectId"> {
  authToken: string;
  /** `https://kr.archive.ncloudstorage.com/v1/AUTH_{project_id}`: the endpoint and the project in one. */
  storageUrl: string;
}

/**
 * Options of {@link ncloudSource}: the client's options (or a pre-issued token instead of its
 * credentials), listing options and the adapter's own.
 */
export type NcloudSourceOptions = (ArchiveStorageClientOptions | NcloudPreIssuedToken) &
  AdapterOptions<NcloudModule> & {
    /** Containers per request, 1 to 10,000 (the default). */
    pageSize?: number | undefined;
    /** Only containers whose name starts with this. */
    prefix?: string | undefined;
  };

/** A NAVER Archive Storage source; `client()` is the provider's typed client. */
export type NcloudSource = ProviderSource<ArchiveStorageClient>;

const load = providerLoader("bucketry/ncloud", "@bucketry/ncloud", () => import("@bucketry/ncloud"));

/**
 * A source over the account's containers: `{ name, bytes, objectCount }`, with the provider's
 * normalised container (its `lastModified` included) in `raw`. Options are checked when the client
 * is first made.
 */
export function ncloudSource(options: NcloudSourceOptions): NcloudSource {
  const name = checkAdapterOptions(options, "ncloud-archive-storage");
  const { name: _, loader, pageSize, prefix, ...clientOptions } = options;
  const client = lazyClient(
    loader ? providerLoader("bucketry/ncloud", "@bucketry/ncloud", loader) : load,
    (m) => {
      if (!("authToken" in clientOptions)) return m.createArchiveStorageClient(clientOptions);
      const { authToken, storageUrl, ...rest } = clientOptions;
      return m.createArchiveStorageClient({ ...rest, credentials: preIssued(m, authToken, storageUrl) });
    },
  );
  return {
    provider: "ncloud-archive-storage",
    name,
    client,
    buckets: (signal) => batched(() => pages(signal)),
  };

  // Page by page: the merge hands out a page's buckets in a plain loop (see batches.ts).
  async function* pages(signal: AbortSignal): AsyncGenerator<Batch<Bucket>> {
    const swift = await client();
    const params = {
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(prefix === undefined ? {} : { prefix }),
    };
    for await (const entries of swift.listContainers(params, { signal }).views()) {
      yield { length: entries.length, item: (i) => bucket(entries.item(i)) };
    }
  }

  function bucket(entry: ContainerEntry): Bucket | undefined {
    // Without a delimiter Swift rolls nothing up; a subdir here would not be a bucket.
    if (entry.kind !== "container") return undefined;
    return {
      provider: "ncloud-archive-storage",
      source: name,
      name: entry.name,
      bytes: entry.bytes,
      objectCount: entry.count,
      raw: entry,
    };
  }
}

/** The credentials of a pre-issued token; auth names the token `token`, this adapter's option is `authToken`. */
function preIssued(m: NcloudModule, authToken: string, storageUrl: string) {
  try {
    return { type: "token" as const, from: m.ncloudCredentials({ token: authToken, storageUrl }) };
  } catch (error) {
    if (!(error instanceof CredentialsError) || error.field !== "token") throw error;
    throw new CredentialsError("authToken", error.message.slice("token: ".length));
  }
}
