/**
 * What `bucketry/virtuozzo` says about itself to tools (the CLI, the release checks): its settings and
 * how a source is made from them. Kept out of the adapter's entry, so a bundle of the library
 * carries no help texts.
 */
import { type AdapterDescriptor, definedOnly, hostOf } from "./descriptor.js";
import { ostorSource } from "./virtuozzo.js";

/** What `bucketry/virtuozzo` says about itself: its settings and how a source is made from them. */
export const ostorDescriptor: AdapterDescriptor<"virtuozzo-ostor"> = {
  provider: "virtuozzo-ostor",
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
  limits: {
    concurrency: 4,
    rate: 10,
    burst: 10,
    basis: "ostor's per-user operation limits (ostor-limits) are off by default: a conservative default",
  },
  build(settings, options) {
    const signature = settings.optional("signature");
    if (signature !== undefined && signature !== "v2" && signature !== "v4") {
      settings.fail(`${settings.describe("signature")} must be "v2" or "v4"`);
    }
    return ostorSource({
      ...options,
      baseUrl: settings.need("endpoint"),
      credentials: {
        type: "aksk",
        accessKeyId: settings.need("accessKeyId"),
        secretAccessKey: settings.need("secretAccessKey"),
      },
      ...definedOnly({ signature: signature as "v2" | "v4" | undefined }),
    });
  },
  scope: (settings) => definedOnly({ account: hostOf(settings.optional("endpoint")) }),
};
