/**
 * `bucketry/ncloud`: NAVER Cloud Archive Storage containers as a {@link Source}, paged by Swift
 * marker. Needs `@bucketry/ncloud` (an optional peer dependency, loaded on first use).
 *
 * Swift's `last_modified` is not mapped to `createdAt`: it is the container's last PUT time, which a
 * re-PUT moves, not when it was created. It stays in `raw.lastModified` (a `Date`).
 */
import { CredentialsError } from "@bucketry/core";
import type { ArchiveStorageClient, ArchiveStorageClientOptions } from "@bucketry/ncloud";
import type { Bucket, ProviderSource } from "../model.js";
import { type AdapterDescriptor, definedOnly } from "./descriptor.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

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
    pageSize?: number;
    /** Only containers whose name starts with this. */
    prefix?: string;
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
  const name = checkAdapterOptions(options, "ncloud");
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
    provider: "ncloud",
    name,
    client,
    async *buckets(signal) {
      const swift = await client();
      const params = {
        ...(pageSize === undefined ? {} : { pageSize }),
        ...(prefix === undefined ? {} : { prefix }),
      };
      for await (const entry of swift.listContainers(params, { signal })) {
        // Without a delimiter Swift rolls nothing up; a subdir here would not be a bucket.
        if (entry.kind !== "container") continue;
        yield {
          provider: "ncloud",
          source: name,
          name: entry.name,
          bytes: entry.bytes,
          objectCount: entry.count,
          raw: entry,
        } satisfies Bucket;
      }
    },
  };
}

/** The credentials of a pre-issued token; auth names the token `token`, this adapter's option is `authToken`. */
function preIssued(m: NcloudModule, authToken: string, storageUrl: string) {
  try {
    return m.ncloudCredentials({ token: authToken, storageUrl });
  } catch (error) {
    if (!(error instanceof CredentialsError) || error.field !== "token") throw error;
    throw new CredentialsError("authToken", error.message.slice("token: ".length));
  }
}

/** What `bucketry/ncloud` says about itself: its settings and how a source is made from them. */
export const ncloudDescriptor: AdapterDescriptor = {
  provider: "ncloud",
  title: "NAVER Cloud Archive Storage",
  adapter: "bucketry/ncloud",
  packageName: "@bucketry/ncloud",
  lists: "buckets",
  fields: [
    { key: "zone", env: "BUCKETRY_NCLOUD_ZONE", help: "public (default) or gov" },
    { key: "endpoint", env: "BUCKETRY_NCLOUD_ENDPOINT", help: "the storage endpoint instead of the zone's" },
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
  limits: {
    concurrency: 4,
    rate: 10,
    burst: 20,
    basis: "NAVER documents no limit; Swift's ratelimit middleware is off unless configured",
  },
  build(settings, options) {
    const authToken = settings.optional("authToken");
    if (authToken !== undefined) {
      const why = ` (required with ${settings.describe("authToken")})`;
      return ncloudSource({ ...options, authToken, storageUrl: settings.need("storageUrl", why) });
    }
    const endpoint = settings.optional("endpoint");
    const zone = settings.optional("zone");
    if (zone !== undefined && zone !== "public" && zone !== "gov") {
      settings.fail(`${settings.describe("zone")} must be "public" or "gov"`);
    }
    return ncloudSource({
      ...options,
      ...(endpoint !== undefined
        ? {
            baseUrl: endpoint,
            authUrl: settings.need("authUrl", ` (required with ${settings.describe("endpoint")})`),
          }
        : {
            zone: (zone ?? "public") as "public" | "gov",
            ...definedOnly({ authUrl: settings.optional("authUrl") }),
          }),
      projectId: settings.need("projectId"),
      credentials: {
        accessKeyId: settings.need("accessKeyId"),
        secretKey: settings.need("secretKey"),
        domainId: settings.need("domainId"),
      },
    });
  },
  scope(settings) {
    const fromUrl = /\/AUTH_([^/?#]+)/.exec(settings.optional("storageUrl") ?? "")?.[1];
    return definedOnly({
      project: settings.optional("projectId") ?? fromUrl,
      region: settings.optional("zone"),
    });
  },
};
