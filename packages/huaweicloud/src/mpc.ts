/**
 * Huawei Cloud Media Processing Center (MPC) "Querying Buckets" (`GET /v1/{project_id}/buckets`,
 * spec specs/huaweicloud/mpc.yaml): the typed openapi-fetch client, authenticated (AK/SK or IAM
 * token), with retries and time limits, plus `listBuckets()` (a one-page `Paginator`), which normalises the vendor's
 * `creation_date` quirk. The API does not page: every bucket of the region comes in one answer.
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
import type { components, paths } from "./generated/mpc.js";
import { listAllBuckets } from "./generated/mpc-rules.js";
import {
  type CallOptions,
  type HuaweiClientOptions,
  type HuaweiService,
  helperContext,
  listOf,
  prepareHuaweiClient,
} from "./huawei.js";

export * from "./exports.js";
export type * as MpcApi from "./generated/mpc.js";

/** MPC's endpoint per region (the regions of Huawei's official Node SDK); cn-north-1 keeps the service's former `mts` host. */
export const MPC_ENDPOINTS = {
  "cn-north-4": "https://mpc.cn-north-4.myhuaweicloud.com",
  "cn-north-1": "https://mts.cn-north-1.myhuaweicloud.com",
  "cn-east-2": "https://mpc.cn-east-2.myhuaweicloud.com",
  "cn-east-3": "https://mpc.cn-east-3.myhuaweicloud.com",
  "cn-south-1": "https://mpc.cn-south-1.myhuaweicloud.com",
  "ap-southeast-3": "https://mpc.ap-southeast-3.myhuaweicloud.com",
} as const;

/** A region MPC is offered in. */
export type MpcRegion = keyof typeof MPC_ENDPOINTS;

/** Options for {@link createMpcClient}. */
export interface MpcClientOptions extends HuaweiClientOptions {
  /** The region; picks `https://mpc.{region}.myhuaweicloud.com` (cn-north-1: `mts.`). Give this or `baseUrl`. */
  region?: MpcRegion | undefined;
  /** The endpoint instead of the region's, e.g. a proxy or a test fake. */
  baseUrl?: string | undefined;
  /** The project id (as the spec's `project_id` allows); defaults to the AK/SK credentials' `projectId`. */
  projectId?: string | undefined;
}

/** The vendor's bucket object, exactly as received. */
export type MpcRawBucket = components["schemas"]["ObsBucket"];

/** One OBS bucket as MPC sees it, normalised; `raw` keeps the vendor's object as received. */
export interface MpcBucket {
  /** The bucket name. */
  name: string;
  /**
   * When the bucket was created, from `creation_date` (`yyyyMMddHHmmss`, a JSON integer or string)
   * read as UTC (Huawei does not document the zone); undefined when absent or not a valid time.
   */
  createdAt: Date | undefined;
  /** Whether MPC has been authorised on the bucket (`is_authorized` 1). */
  authorized: boolean;
  /** The vendor's object, untouched. */
  raw: MpcRawBucket;
}

/** The MPC client: the typed openapi-fetch client (raw calls are authenticated too) plus helpers. */
export type MpcClient = Client<paths> & {
  /** The project id every call uses. */
  readonly projectId: string;
  /**
   * Every OBS bucket of the region, as a one-page {@link Paginator} (the API does not page: one
   * request, sent when the first bucket is asked for); `await listBuckets().all()` for the array.
   */
  listBuckets(options?: CallOptions): Paginator<MpcBucket, never>;
};

const MPC: HuaweiService = {
  provider: "huaweicloud-mpc",
  factory: "createMpcClient",
  operation: "listAllBuckets",
  endpoints: MPC_ENDPOINTS,
  projectId: listAllBuckets.project_id,
};

/**
 * Creates the MPC client. Every option is checked first: a bad region, endpoint, project id or
 * credential throws `InvalidInputError`/`CredentialsError` and nothing is sent.
 */
export function createMpcClient(options: MpcClientOptions): MpcClient {
  const setup = prepareHuaweiClient(options, MPC);
  const client = createApiClient<paths>(setup.fetch, { baseUrl: setup.baseUrl });
  const { projectId } = setup;
  const context = helperContext(setup, `/v1/${projectId}/buckets`);

  return {
    ...client,
    projectId,
    listBuckets(call?: CallOptions): Paginator<MpcBucket, never> {
      const signal = checkCallOptions(call);
      return onePage(
        async (pageSignal) => {
          const result = await client.GET("/v1/{project_id}/buckets", {
            params: { path: { project_id: projectId } },
            signal: pageSignal,
          });
          const data = await expectOk(result, context);
          const items = listOf(data, "buckets", "bucket", result.response, context).map((raw) =>
            toMpcBucket(raw as MpcRawBucket),
          );
          return { items, ...answerMeta(result.response, context.format) };
        },
        { signal, context },
      );
    },
  };
}

function toMpcBucket(raw: MpcRawBucket): MpcBucket {
  return {
    name: raw.bucket,
    createdAt: parseMpcCreationDate(raw.creation_date),
    authorized: isAuthorized(raw.is_authorized),
    raw,
  };
}

// 1 (documented); "1" and true are read the same, anything else is "not authorised".
function isAuthorized(value: unknown): boolean {
  return value === 1 || value === "1" || value === true;
}

/**
 * MPC's `creation_date` (`yyyyMMddHHmmss` as a JSON integer, or a string) as a `Date`, read as UTC:
 * the zone is undocumented (unconfirmed). Undefined when absent or not a real time of day.
 */
export function parseMpcCreationDate(value: unknown): Date | undefined {
  const text = typeof value === "number" ? (Number.isSafeInteger(value) ? String(value) : "") : value;
  if (typeof text !== "string") return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20221399… over into the next year: only a value that reads back the same is real.
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? date : undefined;
}
