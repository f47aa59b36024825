/**
 * AWS S3 Signature Version 2 as the Virtuozzo/Acronis "ostor" admin API checks it:
 * `Authorization: AWS <AccessKeyId>:Base64(HMAC-SHA1(secret, StringToSign))`, where
 *
 *   StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource
 *
 * The one ostor twist is the resource of admin calls (`/?ostor-users&id=…&space`): the path `/` plus
 * only the FIRST query token as sent (`/?ostor-users`); the other parameters are not signed. A generic
 * V2 signer drops `ostor-users` (it is not an AWS sub-resource), signs `/`, and is rejected.
 * Bucket and object requests (any other path or first token) use the standard AWS V2 resource: the
 * path as sent plus the AWS sub-resources (`acl`, `uploadId`, `versionId`, …) sorted by name. Path-style
 * addressing is assumed: with virtual-hosted buckets the bucket would have to be prefixed.
 *
 * Browsers forbid setting `Date` (fetch drops it silently), so there, and with `useAmzDate: true`,
 * the time travels in `x-amz-date`, which joins the amz headers, and the Date line of the
 * StringToSign stays empty (the AWS V2 rule).
 */
import { type AttemptStep, CredentialsError, InvalidInputError } from "@bucketry/core/internal";
import { hmacBase64 } from "#crypto";
import { safeDecode } from "../encoding.js";
import { fetchDropsDate } from "../runtime.js";
import { preparedKey } from "./keys.js";
import {
  type CredentialsSource,
  type MaybePromise,
  type RequestParts,
  type RequestSignature,
  settle,
  signedRequest,
  signingStep,
} from "./signing-step.js";

/** The S3 key pair of an ostor system user. */
export interface OstorV2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Static credentials, or a function returning the current ones (called once per attempt). */
export type OstorV2CredentialsSource = CredentialsSource<OstorV2Credentials>;

/** How {@link ostorV2SignatureHeaders} and {@link signOstorV2Request} stamp the time. */
export interface OstorV2Options {
  /** The signing time; now when absent. Ignored when the request already carries `Date` or `x-amz-date`. */
  date?: Date;
  /**
   * Send the time as `x-amz-date` instead of `Date`. Browsers always do: their fetch drops `Date`, so
   * a `Date` the request carries is signed and sent as `x-amz-date` there too.
   */
  useAmzDate?: boolean;
}

// The sub-resources AWS V2 signs for bucket and object requests (botocore's list; values decoded).
const SUB_RESOURCES = new Set([
  "accelerate",
  "acl",
  "analytics",
  "cors",
  "defaultObjectAcl",
  "delete",
  "inventory",
  "lifecycle",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "partNumber",
  "policy",
  "replication",
  "requestPayment",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
  "restore",
  "select",
  "select-type",
  "storageClass",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "website",
]);

/**
 * The headers that sign `parts` with ostor's SigV2: `authorization`, and `date` (or `x-amz-date`)
 * unless the request carries one.
 */
export async function ostorV2SignatureHeaders(
  parts: RequestParts,
  credentials: OstorV2Credentials,
  options: OstorV2Options = {},
): Promise<RequestSignature> {
  return ostorV2Signature(parts, credentials, options, false);
}

/** {@link ostorV2SignatureHeaders}, at once where the HMAC is; `checked` when the step checked the keys. */
function ostorV2Signature(
  parts: RequestParts,
  credentials: OstorV2Credentials,
  options: OstorV2Options,
  checked: boolean,
): MaybePromise<RequestSignature> {
  if (!checked) checkCredentials(credentials);
  const read = readHeaders(parts.headers);
  const headers: Record<string, string> = {};
  if (read.amzDate === null) {
    if (read.date === null) {
      const date = options.date ?? new Date();
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
        throw new InvalidInputError("date", "must be a valid Date");
      }
      headers[options.useAmzDate || fetchDropsDate() ? "x-amz-date" : "date"] = httpDate(date);
    } else if (fetchDropsDate()) {
      // The caller's Date would be dropped on the way: its value travels as x-amz-date.
      headers["x-amz-date"] = read.date;
    }
  }
  const stringToSign = stringToSignOf(parts.method, parts.url, read, headers);
  const key = preparedKey(credentials, "SHA-1", credentials.secretAccessKey);
  return settle(hmacBase64("SHA-1", key, stringToSign), (signature) => {
    headers.authorization = `AWS ${credentials.accessKeyId}:${signature}`;
    return { headers };
  });
}

// Signatures within one second share their Date: kept, so most calls skip formatting it.
let formattedSecond = Number.NaN;
let formatted = "";

/** RFC 1123 in GMT, e.g. `Wed, 24 Mar 2021 15:01:11 GMT`. */
function httpDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== formattedSecond) {
    formatted = date.toUTCString();
    formattedSecond = second;
  }
  return formatted;
}

/** Signs `request` with ostor's SigV2; returns a new `Request` and leaves the input usable. */
export function signOstorV2Request(
  request: Request,
  credentials: OstorV2Credentials,
  options: OstorV2Options = {},
): Promise<Request> {
  return signedRequest(request, (parts) => ostorV2SignatureHeaders(parts, credentials, options));
}

/**
 * The V2 StringToSign of a request whose `Date` or `x-amz-date` is already set. Header values are
 * taken as the platform holds them: repeated headers arrive joined by `, ` and are sent as one line,
 * so that joined value is what the server sees and what is signed.
 */
export function ostorV2StringToSign(request: {
  method: string;
  url: string | URL;
  headers: HeadersInit;
}): string {
  const headers = request.headers instanceof Headers ? request.headers : new Headers(request.headers);
  return stringToSignOf(request.method, request.url, readHeaders(headers), {});
}

/** What V2 signs of a request's headers, read in one pass. */
interface SignedHeaderValues {
  contentMd5: string;
  contentType: string;
  date: string | null;
  amzDate: string | null;
  /** The canonicalised amz header lines. */
  amz: string;
  /** Where in `amz` an `x-amz-date` line would go. */
  amzDateAt: number;
}

function readHeaders(headers: Headers): SignedHeaderValues {
  const read: SignedHeaderValues = {
    contentMd5: "",
    contentType: "",
    date: null,
    amzDate: null,
    amz: "",
    amzDateAt: -1,
  };
  // Headers iterate lower-cased and sorted by name, which is the canonical order.
  for (const [name, value] of headers) {
    if (name.startsWith("x-amz-")) {
      if (read.amzDateAt === -1 && name > "x-amz-date") read.amzDateAt = read.amz.length;
      if (name === "x-amz-date") read.amzDate = value;
      read.amz += `${name}:${value.trim()}\n`;
    } else if (name === "content-md5") read.contentMd5 = value;
    else if (name === "content-type") read.contentType = value;
    else if (name === "date") read.date = value;
  }
  if (read.amzDateAt === -1) read.amzDateAt = read.amz.length;
  return read;
}

/** The StringToSign with `added` (a `date` or an `x-amz-date` not on the request yet) as if it were. */
function stringToSignOf(
  method: string,
  url: string | URL,
  read: SignedHeaderValues,
  added: { date?: string; "x-amz-date"?: string },
): string {
  const amzDate = added["x-amz-date"];
  let { amz } = read;
  if (amzDate !== undefined) {
    amz = `${amz.slice(0, read.amzDateAt)}x-amz-date:${amzDate.trim()}\n${amz.slice(read.amzDateAt)}`;
  }
  // With x-amz-date present the Date line is empty and x-amz-date is signed among the amz headers.
  const date = amzDate !== undefined || read.amzDate !== null ? "" : (added.date ?? read.date ?? "");
  return `${method}\n${read.contentMd5}\n${read.contentType}\n${date}\n${amz}${ostorV2Resource(url)}`;
}

/** The CanonicalizedResource: `/?<first token>` for ostor admin calls, the AWS V2 resource otherwise. */
export function ostorV2Resource(url: string | URL): string {
  const parsed = new URL(url);
  const query = parsed.search.slice(1);
  const first = query.split("&")[0] ?? "";
  if (parsed.pathname === "/" && first.startsWith("ostor-")) return `/?${first}`;
  const subResources = query
    .split("&")
    .map((piece) => {
      const eq = piece.indexOf("=");
      const name = safeDecode(eq === -1 ? piece : piece.slice(0, eq));
      return { name, text: eq === -1 ? name : `${name}=${safeDecode(piece.slice(eq + 1))}` };
    })
    .filter(({ name }) => SUB_RESOURCES.has(name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ text }) => text);
  return subResources.length === 0 ? parsed.pathname : `${parsed.pathname}?${subResources.join("&")}`;
}

/** The pipeline step that signs every attempt afresh (new Date, new signature) with ostor's SigV2. */
export function ostorV2(
  credentials: OstorV2CredentialsSource,
  options: Omit<OstorV2Options, "date"> = {},
): AttemptStep {
  // Static credentials are checked once, here; a function's at every signature.
  const checked = typeof credentials !== "function";
  if (checked) checkCredentials(credentials);
  const { useAmzDate } = options;
  return signingStep(credentials, (parts, current, date) =>
    ostorV2Signature(parts, current, { date, useAmzDate }, checked),
  );
}

function checkCredentials(credentials: OstorV2Credentials): void {
  const { accessKeyId, secretAccessKey } = credentials ?? {};
  if (typeof accessKeyId !== "string" || accessKeyId === "") {
    throw new CredentialsError("accessKeyId", "is missing or empty");
  }
  // It is written into the Authorization header, where a space or ':' would corrupt it.
  if (!/^[\x21-\x7e]+$/.test(accessKeyId) || accessKeyId.includes(":")) {
    throw new CredentialsError("accessKeyId", "must be printable ASCII without spaces or ':'");
  }
  if (typeof secretAccessKey !== "string" || secretAccessKey === "") {
    throw new CredentialsError("secretAccessKey", "is missing or empty");
  }
}
