/**
 * AWS Signature Version 4, header form (`Authorization: AWS4-HMAC-SHA256 Credential=…`), for S3 and
 * S3-compatible stores (ostor offers it beside V2) and for any other SigV4 service.
 *
 * What is signed is exactly what is sent: the path and query are rewritten into one canonical
 * percent-encoding (every byte but `A-Z a-z 0-9 - . _ ~` escaped, upper-case hex) before signing, so a
 * server that signs the raw request line and one that decodes and re-encodes agree with us. Headers the
 * platform or a proxy may change after signing (`user-agent`, `connection`, …) are not signed.
 */
import { type AttemptStep, CredentialsError, InvalidInputError } from "@bucketry/core/internal";
import { type HmacKey, hmac, hmacHex, hmacKey, sha256Hex, sha256HexSync, toBytes } from "#crypto";
import { rfc3986 } from "../encoding.js";
import {
  basicIsoDate,
  type CredentialsSource,
  type MaybePromise,
  type RequestParts,
  type RequestSignature,
  settle,
  signedRequest,
  signingStep,
} from "./signing-step.js";

/** The key pair (and STS session token) a SigV4 signature is made with. */
export interface AwsV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Static credentials, or a function returning the current ones (called once per attempt). */
export type AwsV4CredentialsSource = CredentialsSource<AwsV4Credentials>;

/** How {@link awsV4SignatureHeaders} and {@link signAwsV4Request} sign. */
export interface AwsV4Options {
  /** The credential-scope region, e.g. `us-east-1` (ostor accepts any; its docs use `ostor`). */
  region: string;
  /** The credential-scope service, e.g. `s3` or `execute-api`. */
  service: string;
  /** The signing time; now when absent. */
  date?: Date;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body's SHA-256 (S3 allows this; the body is then not read). */
  unsignedPayload?: boolean;
  /** Drop `.`, `..` and empty path segments in the signed path. Default: every service but `s3`. */
  normalizePath?: boolean;
  /** Send and sign `x-amz-content-sha256`. Default: `s3` only, which requires it. */
  contentSha256Header?: boolean;
}

/** The parts of a request a canonical request is built from. */
export interface AwsV4CanonicalParts {
  method: string;
  /** The path as sent (percent-encoded), e.g. `/my-bucket/a%20b`. */
  path: string;
  /** The query as sent, without the `?`. */
  query: string;
  /** The headers to sign, names in any case; a repeated name's values are joined with `,` in order. */
  headers: Iterable<readonly [string, string]>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

// Headers that hops, proxies or the fetch implementation may add, drop or rewrite after we sign
// (the same list the AWS SDKs leave unsigned); signing them would break the signature in transit.
const UNSIGNABLE = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "host",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

/**
 * The headers that sign `parts` with SigV4 (`x-amz-date`, `authorization`, and `x-amz-security-token`
 * and `x-amz-content-sha256` when they apply), and `url`, the canonical spelling to send, when it
 * differs from `parts.url`. The signed `host` is the URL's.
 */
export async function awsV4SignatureHeaders(
  parts: RequestParts,
  credentials: AwsV4Credentials,
  options: AwsV4Options,
): Promise<RequestSignature> {
  checkOptions(options);
  return signV4(parts, credentials, options, false);
}

/** {@link awsV4SignatureHeaders} with checked options, at once where the digests are; `checked` when the step checked the keys. */
function signV4(
  parts: RequestParts,
  credentials: AwsV4Credentials,
  options: AwsV4Options,
  checked: boolean,
): MaybePromise<RequestSignature> {
  if (!checked) checkCredentials(credentials);
  const { region, service } = options;
  const date = options.date ?? new Date();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new InvalidInputError("date", "must be a valid Date");
  }
  const amzDate = basicIsoDate(date);
  const day = amzDate.slice(0, 8);

  // The URL as sent: path and query in the canonical spelling, no fragment.
  const url = new URL(parts.url);
  const path = canonicalPath(url.pathname);
  const pairs = escapedQuery(url.search.slice(1));
  const query = wireQuery(pairs);
  const href = `${url.origin}${path}${query === "" ? "" : `?${query}`}`;

  const headers: Record<string, string> = { "x-amz-date": amzDate };
  const { sessionToken } = credentials;
  if (sessionToken) headers["x-amz-security-token"] = sessionToken;
  // A caller-set x-amz-content-sha256 (e.g. a STREAMING-… mode) names the payload hash itself.
  let payloadHash: MaybePromise<string> | null = parts.headers.get("x-amz-content-sha256");
  const sendHash = payloadHash === null && (options.contentSha256Header ?? service === "s3");
  if (payloadHash === null) {
    const { body } = parts;
    if (options.unsignedPayload) payloadHash = UNSIGNED_PAYLOAD;
    else if (body === null || body.length === 0) payloadHash = EMPTY_SHA256;
    else payloadHash = sha256Hex(body);
  }
  return settle(payloadHash, (hash) => {
    if (sendHash) headers["x-amz-content-sha256"] = hash;
    return finish(hash);
  });

  /** The rest, once the payload hash is known. */
  function finish(payloadHash: string): MaybePromise<RequestSignature> {
    const signable: [string, string][] = [["host", url.host]];
    for (const [name, value] of parts.headers) {
      if (!Object.hasOwn(headers, name) && isSignable(name)) signable.push([name, value]);
    }
    for (const name in headers) signable.push([name, headers[name]!]);
    // What awsV4CanonicalRequest computes, from the pieces already in the canonical spelling.
    const canonical = canonicalHeaders(signable);
    const canonicalRequest = `${parts.method}\n${canonicalUri(path, service, options.normalizePath)}\n${canonicalQuery(pairs)}\n${canonical.lines}\n${canonical.names}\n${payloadHash}`;
    const scope = `${day}/${region}/${service}/aws4_request`;
    const stringToSign = stringToSignOf(canonicalRequest, amzDate, scope);
    const key = credentialsKey(credentials, day, region, service);
    const signed = settle(key, (ready) => hmacHex("SHA-256", ready, stringToSign));
    return settle(signed, (signature) => {
      headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${canonical.names}, Signature=${signature}`;
      return { headers, url: href === parts.url ? undefined : href };
    });
  }
}

/** Signs `request` with SigV4 headers; returns a new, canonically encoded `Request`; the input stays usable. */
export function signAwsV4Request(
  request: Request,
  credentials: AwsV4Credentials,
  options: AwsV4Options,
): Promise<Request> {
  return signedRequest(request, (parts) => awsV4SignatureHeaders(parts, credentials, options));
}

function isSignable(name: string): boolean {
  return !UNSIGNABLE.has(name) && !name.startsWith("proxy-") && !name.startsWith("sec-");
}

/**
 * The SigV4 canonical request of `parts` and its signed-header list. For `s3` the path is encoded once
 * (as sent); for every other service the sent path is normalised and encoded again, as AWS does.
 */
export function awsV4CanonicalRequest(
  parts: AwsV4CanonicalParts,
  options: { service: string; normalizePath?: boolean | undefined },
): { canonicalRequest: string; signedHeaders: string } {
  const uri = canonicalUri(parts.path, options.service, options.normalizePath);
  const { lines, names } = canonicalHeaders(parts.headers);
  const query = canonicalQuery(escapedQuery(parts.query));
  const canonicalRequest = `${parts.method}\n${uri}\n${query}\n${lines}\n${names}\n${parts.payloadHash}`;
  return { canonicalRequest, signedHeaders: names };
}

/** The canonical URI of a path as sent: S3 encodes it once, every other service normalises and encodes it again. */
function canonicalUri(path: string, service: string, normalize: boolean | undefined): string {
  const s3 = service === "s3";
  const segments = ((normalize ?? !s3) ? normalizePath(path) : path).split("/");
  return segments.map(s3 ? canonicalEscape : rfc3986).join("/");
}

/** The name:value lines (names lower-case and sorted, a repeated name's values joined with `,`) and the name list. */
function canonicalHeaders(headers: Iterable<readonly [string, string]>): { lines: string; names: string } {
  const entries: [string, string][] = [];
  for (const [name, value] of headers) entries.push([name.trim().toLowerCase(), foldValue(value)]);
  // A stable sort: a repeated name's values stay in order.
  entries.sort(([a], [b]) => compare(a, b));
  let lines = "";
  let names = "";
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i]!;
    let values = value;
    while (entries[i + 1]?.[0] === name) values += `,${entries[++i]![1]}`;
    lines += `${name}:${values}\n`;
    names += names === "" ? name : `;${name}`;
  }
  return { lines, names };
}

// What the replace and trim below would change (`\s` is the set `trim` removes).
const FOLDABLE = /[\t\r\n]| {2}|^\s|\s$/;

/** Folded (multi-line) values and runs of spaces become one space; ends are trimmed. */
function foldValue(value: string): string {
  return FOLDABLE.test(value) ? value.replace(/[ \t\r\n]+/g, " ").trim() : value;
}

/** The SigV4 string to sign: algorithm, `YYYYMMDDTHHMMSSZ` date, credential scope, hash of the canonical request. */
export async function awsV4StringToSign(
  canonicalRequest: string,
  amzDate: string,
  scope: string,
): Promise<string> {
  return stringToSignOf(canonicalRequest, amzDate, scope);
}

// Synchronous in both #crypto builds: the canonical request is short public data.
function stringToSignOf(canonicalRequest: string, amzDate: string, scope: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256HexSync(canonicalRequest)}`;
}

/** Hex HMAC-SHA256 of a string to sign, under the key derived from the secret and the scope the string names. */
export async function awsV4Signature(secretAccessKey: string, stringToSign: string): Promise<string> {
  const [day = "", region = "", service = ""] = (stringToSign.split("\n")[2] ?? "").split("/");
  return hmacHex("SHA-256", await signingKey(secretAccessKey, day, region, service), stringToSign);
}

/** The pipeline step that signs every attempt afresh (new date, new signature) with SigV4. */
export function awsV4(credentials: AwsV4CredentialsSource, options: Omit<AwsV4Options, "date">): AttemptStep {
  checkOptions(options);
  // Static credentials are checked once, here; a function's at every signature.
  const checked = typeof credentials !== "function";
  if (checked) checkCredentials(credentials);
  return signingStep(credentials, (parts, current, date) =>
    signV4(parts, current, { ...options, date }, checked),
  );
}

// Derived keys change once a day per secret/region/service and cost four HMACs, so they are kept:
// per credentials object (a WeakMap: a key lives no longer than the credentials it came from), and
// for bare secrets in a small map keyed by a digest, so that the cache never holds a secret itself.
// What is kept is the prepared key (an imported CryptoKey on Web Crypto), so a signature is one HMAC.
const KEY_CACHE_SIZE = 32;
const keyCache = new Map<string, MaybePromise<HmacKey>>();
const keysByCredentials = new WeakMap<
  object,
  { secret: string; scope: string; key: MaybePromise<HmacKey> }
>();

function credentialsKey(
  credentials: AwsV4Credentials,
  day: string,
  region: string,
  service: string,
): MaybePromise<HmacKey> {
  const secret = credentials.secretAccessKey;
  const scope = `${day}/${region}/${service}`;
  const kept = keysByCredentials.get(credentials);
  if (kept !== undefined && kept.secret === secret && kept.scope === scope) return kept.key;
  const entry = { secret, scope, key: signingKey(secret, day, region, service) };
  if (entry.key instanceof Promise) {
    entry.key.then(
      (ready) => {
        entry.key = ready;
      },
      () => {},
    );
  }
  keysByCredentials.set(credentials, entry);
  return entry.key;
}

function signingKey(secret: string, day: string, region: string, service: string): MaybePromise<HmacKey> {
  const id = `${sha256HexSync(secret)}/${day}/${region}/${service}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    key = deriveKey(secret, day, region, service);
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
    if (key instanceof Promise) {
      // Once derived, the key itself is kept, so later signatures await nothing; a failure is not kept.
      const pending = key;
      pending.then(
        (ready) => keyCache.get(id) === pending && keyCache.set(id, ready),
        () => keyCache.get(id) === pending && keyCache.delete(id),
      );
    }
  }
  return key;
}

function deriveKey(secret: string, day: string, region: string, service: string): MaybePromise<HmacKey> {
  let key = hmac("SHA-256", `AWS4${secret}`, day);
  for (const part of [region, service, "aws4_request"])
    key = settle(key, (bytes) => hmac("SHA-256", bytes, part));
  return settle(key, (bytes) => hmacKey("SHA-256", bytes));
}

/** The path in the canonical spelling, segment by segment. */
function canonicalPath(pathname: string): string {
  return isCanonical(pathname, true) ? pathname : pathname.split("/").map(canonicalEscape).join("/");
}

/**
 * Decodes `%XY` escapes at byte level and escapes every byte but the RFC 3986 unreserved ones:
 * one spelling for any spelling of the same bytes (`(`, `%28` → `%28`; `+` → `%2B`; `%7E` → `~`).
 */
function canonicalEscape(text: string): string {
  if (isCanonical(text, false)) return text;
  const bytes = toBytes(text);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i]!;
    if (byte === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      byte = Number.parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      i += 2;
    }
    out += isUnreserved(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Already canonical: only unreserved characters (and `/` if allowed) and upper-case escapes of other bytes. */
function isCanonical(text: string, slash: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isUnreserved(code) || (slash && code === 0x2f)) continue;
    if (code !== 0x25) return false;
    const byte = upperHex(text.charCodeAt(i + 1)) * 16 + upperHex(text.charCodeAt(i + 2));
    if (!(byte >= 0) || isUnreserved(byte)) return false;
    i += 2;
  }
  return true;
}

/** The value of an upper-case hex digit, NaN for anything else. */
function upperHex(code: number): number {
  return code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : Number.NaN;
}

function isHex(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
  );
}

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d ||
    byte === 0x2e ||
    byte === 0x5f ||
    byte === 0x7e
  );
}

/**
 * Query parameters as sent, each name and value canonically escaped: `[name, value]`, value
 * `undefined` for a flag without `=`; empty pieces dropped.
 */
function escapedQuery(query: string): [string, string | undefined][] {
  const pairs: [string, string | undefined][] = [];
  if (query === "") return pairs;
  for (const piece of query.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    pairs.push(
      eq === -1
        ? [canonicalEscape(piece), undefined]
        : [canonicalEscape(piece.slice(0, eq)), canonicalEscape(piece.slice(eq + 1))],
    );
  }
  return pairs;
}

/** The query to send: same order, flags kept as flags. */
function wireQuery(pairs: readonly [string, string | undefined][]): string {
  let query = "";
  for (const [name, value] of pairs) {
    if (query !== "") query += "&";
    query += value === undefined ? name : `${name}=${value}`;
  }
  return query;
}

/** The canonical query: every parameter as `name=value` (a flag's value empty), sorted by name, then value. */
function canonicalQuery(pairs: readonly [string, string | undefined][]): string {
  const sorted =
    pairs.length < 2
      ? pairs
      : pairs.slice().sort(([n1, v1], [n2, v2]) => compare(n1, n2) || compare(v1 ?? "", v2 ?? ""));
  let query = "";
  for (const [name, value] of sorted) query += `${query === "" ? "" : "&"}${name}=${value ?? ""}`;
  return query;
}

/** Removes empty, `.` and `..` segments, keeping a leading and (for a non-empty path) a trailing slash. */
function normalizePath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith("/") ? "/" : "";
  const trail = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return `${lead}${segments.join("/")}${trail}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TOKEN = /^[\x21-\x7e]+$/;

function checkCredentials(credentials: AwsV4Credentials): void {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials ?? {};
  if (typeof accessKeyId !== "string" || accessKeyId === "") {
    throw new CredentialsError("accessKeyId", "is missing or empty");
  }
  // It is written into the credential scope, where `/`, `,` or a space would corrupt the header.
  if (!TOKEN.test(accessKeyId) || /[/,]/.test(accessKeyId)) {
    throw new CredentialsError("accessKeyId", "must be printable ASCII without spaces, '/' or ','");
  }
  if (typeof secretAccessKey !== "string" || secretAccessKey === "") {
    throw new CredentialsError("secretAccessKey", "is missing or empty");
  }
  if (sessionToken !== undefined && (typeof sessionToken !== "string" || !TOKEN.test(sessionToken))) {
    throw new CredentialsError("sessionToken", "must be a non-empty printable ASCII string");
  }
}

function checkOptions(options: Pick<AwsV4Options, "region" | "service">): void {
  for (const field of ["region", "service"] as const) {
    const value = options?.[field];
    if (typeof value !== "string" || !/^[A-Za-z0-9._-]+$/.test(value)) {
      throw new InvalidInputError(field, "must be a non-empty name of letters, digits, '.', '_' or '-'");
    }
  }
}
