/**
 * The bucket listing's parameters and answers, checked and normalised. Why a module of its own:
 * MAPI is RPC style (a read is a `POST` with a JSON body), so nothing in the URL or the HTTP layer
 * checks the body; the spec's rules, checked here, are what stop a `1.5`, `NaN` or `"42"` user id before it is sent.
 *
 * Quirks handled on the way back:
 * - `buckets` is optional in the guide: an absent list is an empty page;
 * - the end of the listing is undocumented: an absent, `null` or empty `pageToken` ends it;
 * - `bucketId` is an int64: sent as a JSON number (precise up to 2^53) or, by int64-wary servers,
 *   as a decimal string; both become a number, and the vendor's object stays in `raw`.
 */
import { checkParam, InvalidInputError, type ResumePoint, UnexpectedShape } from "@bucketry/core/internal";
import type { components } from "./generated/vsp-one-object.js";
import { listUserBuckets } from "./generated/vsp-one-object-rules.js";

type Schemas = components["schemas"];

/** A bucket of a user's listing, normalised; `raw` is the vendor's object exactly as received. */
export interface VspOneObjectBucket {
  /** The bucket id (`bucketId`). */
  id: number;
  /** The bucket name (`bucketName`). */
  name: string;
  /** The vendor's bucket object as received. */
  raw: Schemas["UserBucket"];
}

/** One page of a user's buckets, as {@link VspOneObjectClient.listBucketsPage} returns it. */
export interface VspOneObjectBucketPage {
  buckets: VspOneObjectBucket[];
  /** The token of the next page; undefined on the last page (the server sent none, or an empty one). */
  nextPageToken?: string;
  /** The vendor's response object as received. */
  raw: Schemas["ListUserBucketsResponse"];
  /** The request id of the answer (`X-Request-Id`), when the server sent one. */
  requestId?: string | undefined;
  /** Attempts it took (retries and token or CSRF renewals included). */
  attempts?: number | undefined;
}

/** Parameters of {@link VspOneObjectClient.listBuckets}. */
export interface VspOneObjectListBucketsParams {
  /** The MAPI user id: a signed integer (Hitachi's own playbook uses `-468170324`). */
  userId: number;
  /** Buckets per request (`count`), 1 to 2^31-1; the server's default when absent (1000 in the 3.0.x guide). */
  pageSize?: number;
  /** A `resumePoint` saved from an earlier walk, to continue exactly where it stopped. */
  from?: ResumePoint<string>;
}

/** Parameters of {@link VspOneObjectClient.listBucketsPage}. */
export interface VspOneObjectListBucketsPageParams {
  /** The MAPI user id: a signed integer. */
  userId: number;
  /** Buckets to return, 1 to 2^31-1; the server's default when absent. */
  count?: number;
  /** The `nextPageToken` of the previous page; absent or empty for the first page. */
  pageToken?: string;
}

/** The request body of `POST /v1/user/list_buckets`. */
export type ListBucketsBody = Schemas["ListUserBucketsRequest"];

const USER_ID_NOTE = "the numeric MAPI user id, e.g. -468170324";

/** Checks the parameters of one page request and builds its body; throws `InvalidInputError` naming the field. */
export function listBucketsBody(
  userId: unknown,
  count: unknown,
  countField: string,
  pageToken?: unknown,
): ListBucketsBody {
  // The spec's rules for the body (id int64 required, count int32 >= 1, pageToken a string).
  const body: ListBucketsBody = {
    id: checkParam<number>(userId, listUserBuckets.id, "userId", USER_ID_NOTE),
  };
  if (count !== undefined) body.count = checkParam<number>(count, listUserBuckets.count, countField);
  const token = checkParam<string | undefined>(pageToken, listUserBuckets.pageToken, "pageToken");
  // The guide: "leave it blank or omit it to start from the beginning".
  if (token) body.pageToken = token;
  return body;
}

/** Checks that `params` is an object with only the `known` keys. */
export function checkParams(
  params: unknown,
  known: readonly string[],
  helper: string,
): Record<string, unknown> {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new InvalidInputError("params", `${helper} takes one object { ${known.join(", ")} }`);
  }
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      const hint = key === "id" ? ' (the user id is "userId")' : "";
      throw new InvalidInputError(key, `is not a parameter of ${helper}${hint}; known: ${known.join(", ")}`);
    }
  }
  return params as Record<string, unknown>;
}

/** Checks a saved resume point's cursor (the paginator checks its offset). */
export function checkResumeCursor(from: unknown): void {
  if (from === null || typeof from !== "object") return; // the paginator names the problem
  const page = (from as { page?: unknown }).page;
  if (page !== undefined && (typeof page !== "string" || page === "")) {
    throw new InvalidInputError(
      "from.page",
      `must be undefined (the first page) or a page token string, not ${describe(page)}`,
    );
  }
}

/** Reads a 200 answer's parsed JSON into a normalised page; a wrong shape throws `UnexpectedShape`. */
export function toBucketPage(json: unknown): VspOneObjectBucketPage {
  const error = (problem: string) => new UnexpectedShape(problem);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw error(`expected a JSON object { buckets, pageToken }, got ${describe(json)}`);
  }
  const raw = json as Record<string, unknown>;
  const list = raw.buckets ?? [];
  if (!Array.isArray(list)) throw error(`"buckets" must be an array, got ${describe(list)}`);
  const buckets = list.map((bucket, i) => toBucket(bucket, (problem) => error(`buckets[${i}]: ${problem}`)));
  const token = raw.pageToken;
  if (token !== undefined && token !== null && typeof token !== "string") {
    throw error(`"pageToken" must be a string, got ${describe(token)}`);
  }
  const page: VspOneObjectBucketPage = { buckets, raw: raw as Schemas["ListUserBucketsResponse"] };
  if (token) page.nextPageToken = token;
  return page;
}

function toBucket(value: unknown, error: (problem: string) => UnexpectedShape): VspOneObjectBucket {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw error(`expected a bucket object { bucketId, bucketName }, got ${describe(value)}`);
  }
  const raw = value as Record<string, unknown>;
  const { bucketId, bucketName } = raw;
  if (typeof bucketName !== "string" || bucketName === "") {
    throw error(`"bucketName" must be a non-empty string, got ${describe(bucketName)}`);
  }
  let id: number | undefined;
  if (typeof bucketId === "number" && Number.isSafeInteger(bucketId)) id = bucketId;
  else if (
    typeof bucketId === "string" &&
    /^-?\d{1,16}$/.test(bucketId) &&
    Number.isSafeInteger(Number(bucketId))
  )
    id = Number(bucketId);
  if (id === undefined) {
    throw error(
      `"bucketId" of bucket ${JSON.stringify(bucketName)} must be an integer, got ${describe(bucketId)}`,
    );
  }
  return { id, name: bucketName, raw: raw as Schemas["UserBucket"] };
}

/** A short, secret-free description of a value's type for messages. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  if (typeof value === "bigint") return "a bigint";
  return typeof value === "object" ? "an object" : typeof value;
}
