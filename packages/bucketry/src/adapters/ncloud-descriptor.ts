/**
 * What `bucketry/ncloud` says about itself to tools (the CLI, the release checks): its settings and
 * how a source is made from them. Kept out of the adapter's entry, so a bundle of the library
 * carries no help texts.
 */
import { type AdapterDescriptor, definedOnly } from "./descriptor.js";
import { ncloudSource } from "./ncloud.js";

/** What `bucketry/ncloud` says about itself: its settings and how a source is made from them. */
export const ncloudDescriptor: AdapterDescriptor<"ncloud-archive-storage"> = {
  provider: "ncloud-archive-storage",
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
        type: "keystone",
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
