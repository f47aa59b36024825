/**
 * What `bucketry/hitachi` says about itself to tools (the CLI, the release checks): its settings and
 * how a source is made from them. Kept out of the adapter's entry, so a bundle of the library
 * carries no help texts.
 */
import { type AdapterDescriptor, definedOnly, hostOf } from "./descriptor.js";
import { hitachiSource } from "./hitachi.js";

/** What `bucketry/hitachi` says about itself: its settings and how a source is made from them. */
export const hitachiDescriptor: AdapterDescriptor<"hitachi-vsp-one-object"> = {
  provider: "hitachi-vsp-one-object",
  title: "Hitachi VSP One Object",
  adapter: "bucketry/hitachi",
  packageName: "@bucketry/hitachi",
  lists: "buckets",
  fields: [
    {
      key: "userIds",
      env: "BUCKETRY_HITACHI_USER_IDS",
      list: true,
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
  limits: {
    concurrency: 4,
    rate: 10,
    burst: 10,
    basis: "Hitachi documents no MAPI rate limit: a conservative default",
  },
  build(settings, options) {
    const userIds = parseUserIds(settings);
    const credentials = {
      type: "password" as const,
      username: settings.need("username"),
      password: settings.need("password"),
      ...definedOnly({
        clientId: settings.optional("clientId"),
        clientSecret: settings.optional("clientSecret"),
      }),
    };
    const endpoint = settings.optional("endpoint");
    if (endpoint !== undefined) {
      const tokenUrl = settings.need("tokenUrl", ` (required with ${settings.describe("endpoint")})`);
      return hitachiSource({ ...options, baseUrl: endpoint, tokenUrl, credentials, userIds });
    }
    const cluster = settings.need("cluster", ` (or set ${settings.describe("endpoint")})`);
    const region = settings.need("region");
    return hitachiSource({ ...options, cluster, region, credentials, userIds });
  },
  scope(settings) {
    return definedOnly({
      account: settings.optional("cluster") ?? hostOf(settings.optional("endpoint")),
      region: settings.optional("region"),
    });
  },
};

/**
 * `-1,2, 3` or `[-1, 2, 3]` → numbers; an error naming the setting when one is not written as an
 * integer. The range (the spec's int64) is the client's to check, as for every caller.
 */
function parseUserIds(settings: Parameters<AdapterDescriptor["build"]>[0]): number[] {
  const items = settings.list("userIds");
  if (items === undefined || items.length === 0) settings.fail(`${settings.describe("userIds")} is not set`);
  const ids = items.map((item) => (typeof item === "string" ? item.trim() : item));
  const bad = ids.find((id) => typeof id !== "number" && (typeof id !== "string" || !/^-?\d+$/.test(id)));
  if (bad !== undefined) {
    settings.fail(
      `${settings.describe("userIds")} must be integer user ids, comma-separated (e.g. -468170324,42)`,
    );
  }
  return ids.map(Number);
}
