/**
 * Huawei Cloud Database Security Service (DBSS) "List OBS buckets for audit backup"
 * (`GET /v2/{project_id}/audit/backup/obs-buckets`, spec specs/huaweicloud/dbss.yaml): the typed
 * openapi-fetch client, authenticated (AK/SK or IAM token), with retries and time limits, plus
 * `listBuckets()` (a one-page `Paginator`). The API does not page: every bucket comes in one answer.
 */
import {
  answerMeta,
  checkCallOptions,
  createApiClient,
  expectOk,
  onePage,
  type Paginator,
} from "@bucketry/core/internal";
import type { Client } from "openapi-fetch";
import type { components, paths } from "./generated/dbss.js";
import { listAuditObsBuckets } from "./generated/dbss-rules.js";
import {
  type CallOptions,
  type HuaweiClientOptions,
  type HuaweiService,
  helperContext,
  listOf,
  prepareHuaweiClient,
} from "./huawei.js";

export * from "./exports.js";
export type * as DbssApi from "./generated/dbss.js";

const DBSS_REGIONS = [
  "cn-north-4",
  "cn-north-1",
  "cn-north-2",
  "cn-north-9",
  "cn-north-11",
  "cn-north-12",
  "cn-east-2",
  "cn-east-3",
  "cn-east-4",
  "cn-east-5",
  "cn-south-1",
  "cn-south-2",
  "cn-south-4",
  "cn-southwest-2",
  "cn-southwest-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ru-northwest-2",
  "ru-moscow-1",
  "af-south-1",
  "af-north-1",
  "sa-brazil-1",
  "la-north-2",
  "la-south-2",
  "me-east-1",
  "tr-west-1",
  "my-kualalumpur-1",
] as const;

/** A region DBSS is offered in (the regions of Huawei's official Node SDK). */
export type DbssRegion = (typeof DBSS_REGIONS)[number];

/** DBSS's endpoint per region: `https://dbss.{region}.myhuaweicloud.com`. */
export const DBSS_ENDPOINTS: Readonly<Record<DbssRegion, string>> = Object.freeze(
  Object.fromEntries(
    DBSS_REGIONS.map((region) => [region, `https://dbss.${region}.myhuaweicloud.com`]),
  ) as Record<DbssRegion, string>,
);

/** Options for {@link createDbssClient}. */
export interface DbssClientOptions extends HuaweiClientOptions {
  /** The region; picks `https://dbss.{region}.myhuaweicloud.com`. Give this or `baseUrl`. */
  region?: DbssRegion | undefined;
  /** The endpoint instead of the region's, e.g. a proxy or a test fake. */
  baseUrl?: string | undefined;
  /** The project id (as the spec's `project_id` allows); defaults to the AK/SK credentials' `projectId`. */
  projectId?: string | undefined;
}

/** The vendor's bucket object, exactly as received. */
export type DbssRawBucket = components["schemas"]["ObsBucketObject"];

/** One OBS bucket DBSS can back up to, normalised; `raw` keeps the vendor's object as received. */
export interface DbssBucket {
  /** The bucket name (`bucket_name`). */
  name: string;
  /** The region the bucket is in (`location`), when DBSS said. */
  region: string | undefined;
  /** The vendor's object, untouched. */
  raw: DbssRawBucket;
}

/** The DBSS client: the typed openapi-fetch client (raw calls are authenticated too) plus helpers. */
export type DbssClient = Client<paths> & {
  /** The project id every call uses. */
  readonly projectId: string;
  /**
   * The OBS buckets available for audit backup or risk export, as a one-page {@link Paginator} (the
   * API does not page: one request, sent when the first bucket is asked for).
   */
  listBuckets(options?: CallOptions): Paginator<DbssBucket, never>;
};

const DBSS: HuaweiService = {
  provider: "huaweicloud-dbss",
  factory: "createDbssClient",
  operation: "listAuditObsBuckets",
  endpoints: DBSS_ENDPOINTS,
  projectId: listAuditObsBuckets.project_id,
};

/**
 * Creates the DBSS client. Every option is checked first: a bad region, endpoint, project id or
 * credential throws `InvalidInputError`/`CredentialsError` and nothing is sent.
 */
export function createDbssClient(options: DbssClientOptions): DbssClient {
  const setup = prepareHuaweiClient(options, DBSS);
  const client = createApiClient<paths>(setup.fetch, { baseUrl: setup.baseUrl });
  const { projectId } = setup;
  const context = helperContext(setup, `/v2/${projectId}/audit/backup/obs-buckets`);

  return {
    ...client,
    projectId,
    listBuckets(call?: CallOptions): Paginator<DbssBucket, never> {
      const signal = checkCallOptions(call);
      return onePage(
        async (pageSignal) => {
          const result = await client.GET("/v2/{project_id}/audit/backup/obs-buckets", {
            params: { path: { project_id: projectId } },
            signal: pageSignal,
          });
          const data = await expectOk(result, context);
          const items = listOf(data, "obs_list", "bucket_name", result.response, context).map((item) => {
            const raw = item as DbssRawBucket;
            return {
              name: raw.bucket_name,
              region: typeof raw.location === "string" ? raw.location : undefined,
              raw,
            };
          });
          return { items, ...answerMeta(result.response, context.format) };
        },
        { signal, context },
      );
    },
  };
}
