/**
 * Loopback fake of the Virtuozzo / Acronis "ostor" admin API `GET /?ostor-users` (spec
 * specs/virtuozzo/ostor.yaml), served on the fake "S3 endpoint" like the real one.
 *
 * Auth is checked first, as the S3 layer does: AWS Signature V2 with the ostor canonical resource
 * (`/` + only the first query token, i.e. `/?ostor-users`) or Signature V4 (service `s3`, any
 * region), each implemented here independently with node:crypto; the signing key must belong to
 * an enabled S3 *system* user. Errors are S3-style XML with only `Code` and `Message` inside
 * `Error` (as Virtuozzo documents) plus an `X-Amz-Err-Message` header.
 *
 * Decisions where the vendor is silent (all unconfirmed against a real cluster):
 * - The query must be exactly the documented forms: `ostor-users` bare and first, then `id=…`,
 *   `emailAddress=…` and a bare `space`. `ostor-users=` (or any other `ostor-*` token we do not
 *   know) is an unknown admin call → 400 InvalidRequest; `space=…` or an unknown parameter →
 *   400 InvalidArgument; known-but-unimplemented calls (`ostor-buckets`, other methods) → 501.
 * - An unknown `id`/`emailAddress` → 404 `NoSuchUser`.
 * - `space` combined with `id`/`emailAddress` adds `SpaceStat` to the single user too.
 * - The list holds every user (sample #3 happens to omit the disabled one; we do not copy that).
 * - The body is sent with `Content-Length`, not chunked like the vendor samples (the shared shell
 *   always sets a length).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import {
  type FakeHttpServer,
  type FakeResponse,
  type FakeServerOptions,
  type RecordedRequest,
  startHttpFake,
} from "../server.js";

/** An S3 access key pair as ostor prints it (secret in clear text). */
export interface OstorAccessKey {
  AWSAccessKeyId: string;
  AWSSecretAccessKey: string;
}

/** An account under a user, with its own keys. */
export interface OstorAccount {
  Name: string;
  AWSAccessKeys: OstorAccessKey[];
}

/** A user's space usage (`&space`). */
export interface OstorSpaceStat {
  LastTs: number;
  SizeCurr: number;
  SizeHMax: number;
  SizeHInt: number;
}

/** A user of the fake, with every field any `ostor-users` answer can show. */
export interface OstorUser {
  UserEmail: string;
  UserId: string;
  State: "enabled" | "disabled";
  OwnerId: string;
  Flags: string[];
  AWSAccessKeys: OstorAccessKey[];
  Accounts: OstorAccount[];
  SpaceStat: OstorSpaceStat;
}

/** What `addUser` takes; everything but the email has a default. */
export interface OstorUserInput {
  email: string;
  /** 16 lower-case hex characters (default: derived from the email). */
  id?: string;
  state?: "enabled" | "disabled";
  /** Adds the `system` flag: the user's keys may call the admin API. */
  system?: boolean;
  ownerId?: string;
  flags?: string[];
  /** Default: one generated pair (`<id><4 chars>` / 40-char secret). */
  accessKeys?: OstorAccessKey[];
  accounts?: OstorAccount[];
  spaceStat?: Partial<OstorSpaceStat>;
}

/** Options of the ostor fake. */
export interface OstorFakeOptions extends FakeServerOptions {
  /** Generate this many extra users besides the vendor-sample ones (default 0). */
  users?: number;
  /** Seed the three users of the vendor page's samples (default true). */
  sampleUsers?: boolean;
  /** The system user's key pair that signs admin requests (default: see `fake.credentials`). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The fake's clock (ms since epoch; default `Date.now`), for the 15-minute request-time window. */
  now?: () => number;
}

/** Why a request was refused by the S3 layer (kept for debugging signature mismatches). */
export interface OstorAuthFailure {
  at: number;
  code: string;
  message: string;
  accessKeyId?: string;
  /** What the fake signed (V2), or the V4 string to sign. */
  stringToSign?: string;
  /** V4 only. */
  canonicalRequest?: string;
}

/** A running ostor fake. */
export type OstorFake = FakeHttpServer & {
  /** The system user's key pair: sign admin requests with it. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every user, sorted by `UserId` (live). */
  readonly users: readonly OstorUser[];
  /** Auth refusals, oldest first (live). */
  readonly authFailures: readonly OstorAuthFailure[];
  /** Adds a user (throws on a duplicate id or email). */
  addUser(input: OstorUserInput): OstorUser;
  /** Removes a user by id or email; false when there was none. */
  removeUser(idOrEmail: string): boolean;
  /** A user by id or email. */
  findUser(idOrEmail: string): OstorUser | undefined;
  /** The fake's current time (ms since epoch). */
  now(): number;
  /** Replaces the clock: a fixed time, a function, or undefined for `Date.now`. */
  setClock(clock?: number | (() => number)): void;
};

/** Requests dated further than this from the fake's clock are refused (S3's 15 minutes). */
export const OSTOR_MAX_SKEW_MS = 15 * 60_000;

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// ---------------------------------------------------------------------------------------------
// Signature V2 and V4, as pure functions (exported so tests can feed them published vectors).
// ---------------------------------------------------------------------------------------------

/** The parts of a request a signature covers, exactly as received. */
export interface S3SignableRequest {
  method: string;
  /** Raw request target, e.g. `/?ostor-users&id=b09693b73b3c7686`. */
  target: string;
  /** Header lines as received: `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  body?: Buffer | string;
}

/** The outcome of a signature check; on failure, the S3 status, code and message to answer. */
export type S3AuthResult =
  | { ok: true; accessKeyId: string; stringToSign: string; canonicalRequest?: string }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      accessKeyId?: string;
      stringToSign?: string;
      canonicalRequest?: string;
    };

function headerLists(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const list = map.get(name);
    if (list) list.push(rawHeaders[i + 1] as string);
    else map.set(name, [rawHeaders[i + 1] as string]);
  }
  return map;
}

function splitTarget(target: string): { path: string; query: string } {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) || "/" : target;
  const q = rest.indexOf("?");
  return q === -1 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** RFC 3986 encoding of the UTF-8 bytes (AWS's UriEncode): only `A-Z a-z 0-9 - _ . ~` stay. */
function uriEncode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e ||
      byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const MISSING_DATE = "AWS authentication requires a valid Date or x-amz-date header";
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
const SKEWED = "The difference between the request time and the current time is too large.";
const UNKNOWN_KEY = "The AWS Access Key Id you provided does not exist in our records.";

/** Parses an HTTP date (RFC 1123, numeric offsets too) or an ISO 8601 basic time; undefined if neither. */
function parseRequestTime(value: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (basic) {
    const [y, mo, d, h, mi, s] = basic.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The ostor CanonicalizedResource: the raw path plus `?` and ONLY the first query token as
 * received (`/?ostor-users`); `id`, `emailAddress`, `space` are not signed (Virtuozzo's STaaS guide signs `/` plus the query up to the first `&`).
 */
export function ostorCanonicalResource(target: string): string {
  const { path, query } = splitTarget(target);
  const first = query.split("&")[0] ?? "";
  return first === "" ? path : `${path}?${first}`;
}

/**
 * The V2 StringToSign of a request as received: `VERB\nContent-MD5\nContent-Type\nDate\n`, the
 * canonical `x-amz-*` header lines (lower-cased, sorted, values trimmed, repeats joined by `,`),
 * and the ostor CanonicalizedResource. With `x-amz-date` present the Date line is empty.
 */
export function ostorStringToSignV2(request: S3SignableRequest): string {
  const headers = headerLists(request.rawHeaders);
  const first = (name: string) => headers.get(name)?.[0]?.trim() ?? "";
  const amzLines = [...headers.keys()]
    .filter((name) => name.startsWith("x-amz-"))
    .sort()
    .map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim()).join(",")}\n`)
    .join("");
  const date = headers.has("x-amz-date") ? "" : first("date");
  return `${request.method.toUpperCase()}\n${first("content-md5")}\n${first("content-type")}\n${date}\n${amzLines}${ostorCanonicalResource(request.target)}`;
}

/**
 * Verifies `Authorization: AWS <key id>:<base64 HMAC-SHA1>` with the ostor canonical resource;
 * the request time (`x-amz-date`, else `Date`) must be within `maxSkewMs` of `now`.
 */
export function verifyOstorSigV2(
  request: S3SignableRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  options: { now: number; maxSkewMs?: number },
): S3AuthResult {
  const headers = headerLists(request.rawHeaders);
  const match = /^AWS ([^:\s]+):(\S+)$/.exec(headers.get("authorization")?.[0]?.trim() ?? "");
  if (!match) return { ok: false, status: 403, code: "SignatureDoesNotMatch", message: MISMATCH };
  const accessKeyId = match[1] as string;
  const secret = secretOf(accessKeyId);
  if (secret === undefined)
    return { ok: false, status: 403, code: "InvalidAccessKeyId", message: UNKNOWN_KEY, accessKeyId };
  const dateValue = headers.get("x-amz-date")?.[0] ?? headers.get("date")?.[0];
  const at = dateValue === undefined ? undefined : parseRequestTime(dateValue);
  if (at === undefined)
    return { ok: false, status: 403, code: "AccessDenied", message: MISSING_DATE, accessKeyId };
  if (Math.abs(options.now - at) > (options.maxSkewMs ?? OSTOR_MAX_SKEW_MS)) {
    return { ok: false, status: 403, code: "RequestTimeTooSkewed", message: SKEWED, accessKeyId };
  }
  const stringToSign = ostorStringToSignV2(request);
  const expected = createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
  if (!safeEqual(expected, match[2] as string)) {
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: MISMATCH,
      accessKeyId,
      stringToSign,
    };
  }
  return { ok: true, accessKeyId, stringToSign };
}

/** Removes `.`/`..` segments and empty segments (AWS's path normalisation; not used for S3). */
function normalizePath(path: string): string {
  const out: string[] = [];
  const segments = path.split("/").slice(1);
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  const last = segments[segments.length - 1];
  const trailing = out.length > 0 && (last === "" || last === "." || last === "..");
  return `/${out.join("/")}${trailing ? "/" : ""}`;
}

/**
 * V4 canonical URI: the path as sent, each segment decoded then UriEncoded once (S3: no
 * double encoding); with `normalize`, dot and empty segments are removed first (non-S3 services).
 */
export function sigV4CanonicalUri(rawPath: string, normalize = false): string {
  const path = normalize ? normalizePath(rawPath) : rawPath;
  if (path === "") return "/";
  return path
    .split("/")
    .map((segment) => uriEncode(safeDecode(segment)))
    .join("/");
}

/**
 * V4 canonical query from the raw query: each name and value decoded then UriEncoded, a
 * value-less parameter written `name=` (so `ostor-users` → `ostor-users=`), sorted by name then
 * value, joined with `&`.
 */
export function sigV4CanonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([uriEncode(safeDecode(name)), uriEncode(safeDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Options of `verifySigV4`. */
export interface SigV4VerifyOptions {
  /** The verifier's clock (ms since epoch). */
  now: number;
  /** The service the credential scope must name (default `s3`). */
  service?: string;
  /** S3 requires `x-amz-content-sha256` (default true); the generic AWS suite does not send it. */
  requireContentSha256?: boolean;
  /** Normalise the path (true for non-S3 services; default false, as S3 never normalises). */
  normalizePath?: boolean;
  maxSkewMs?: number;
}

/**
 * Verifies an `AWS4-HMAC-SHA256` Authorization header against the request as received. The
 * region is taken from the credential scope and not checked (ostor ignores it).
 */
export function verifySigV4(
  request: S3SignableRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  options: SigV4VerifyOptions,
): S3AuthResult {
  const headers = headerLists(request.rawHeaders);
  const match = /^AWS4-HMAC-SHA256\s+(.+)$/.exec(headers.get("authorization")?.[0]?.trim() ?? "");
  const fields = new Map<string, string>();
  for (const part of match?.[1]?.split(",") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const scope = fields.get("Credential")?.split("/") ?? [];
  const signedHeaders = fields.get("SignedHeaders")?.split(";") ?? [];
  const signature = fields.get("Signature");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || signedHeaders.length === 0 || !signature) {
    return { ok: false, status: 403, code: "SignatureDoesNotMatch", message: MISMATCH };
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string];
  const secret = secretOf(accessKeyId);
  if (secret === undefined)
    return { ok: false, status: 403, code: "InvalidAccessKeyId", message: UNKNOWN_KEY, accessKeyId };
  if (service !== (options.service ?? "s3")) {
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: `Credential should be scoped to correct service: '${options.service ?? "s3"}'.`,
      accessKeyId,
    };
  }
  // X-Amz-Date, else the Date header (then its ISO basic form is what was signed).
  const amzDateHeader = headers.get("x-amz-date")?.[0]?.trim();
  const at = parseRequestTime(amzDateHeader ?? headers.get("date")?.[0] ?? "");
  if (at === undefined)
    return { ok: false, status: 403, code: "AccessDenied", message: MISSING_DATE, accessKeyId };
  const amzDate =
    amzDateHeader ??
    new Date(at)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
  if (scopeDate !== amzDate.slice(0, 8)) {
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: "The credential scope date does not match the request date.",
      accessKeyId,
    };
  }
  if (Math.abs(options.now - at) > (options.maxSkewMs ?? OSTOR_MAX_SKEW_MS)) {
    return { ok: false, status: 403, code: "RequestTimeTooSkewed", message: SKEWED, accessKeyId };
  }
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const bodyHash = body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
  const contentSha = headers.get("x-amz-content-sha256")?.[0]?.trim();
  if (contentSha === undefined && (options.requireContentSha256 ?? true)) {
    // S3's answer to a V4 request without the payload-hash header.
    return {
      ok: false,
      status: 400,
      code: "InvalidRequest",
      message: "Missing required header for this request: x-amz-content-sha256",
      accessKeyId,
    };
  }
  if (
    contentSha !== undefined &&
    contentSha !== "UNSIGNED-PAYLOAD" &&
    !contentSha.startsWith("STREAMING-") &&
    contentSha !== bodyHash
  ) {
    // S3's answer when the declared payload hash is not the body's.
    return {
      ok: false,
      status: 400,
      code: "XAmzContentSHA256Mismatch",
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      accessKeyId,
    };
  }
  const { path, query } = splitTarget(request.target);
  const headerLines = signedHeaders
    .map((name) => {
      const values = (headers.get(name) ?? []).map((v) => v.trim().replace(/\s+/g, " "));
      return `${name}:${values.join(",")}\n`;
    })
    .join("");
  const canonicalRequest = [
    request.method.toUpperCase(),
    sigV4CanonicalUri(path, options.normalizePath ?? false),
    sigV4CanonicalQuery(query),
    headerLines,
    signedHeaders.join(";"),
    contentSha ?? bodyHash,
  ].join("\n");
  const credentialScope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  let key = createHmac("sha256", `AWS4${secret}`).update(scopeDate).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  if (!signedHeaders.includes("host") || !safeEqual(expected, signature.toLowerCase())) {
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: MISMATCH,
      accessKeyId,
      stringToSign,
      canonicalRequest,
    };
  }
  return { ok: true, accessKeyId, stringToSign, canonicalRequest };
}

// ---------------------------------------------------------------------------------------------
// Users.
// ---------------------------------------------------------------------------------------------

const NO_OWNER = "0000000000000000";
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Deterministic characters from a seed (same users, keys and secrets on every run). */
function derived(seed: string, alphabet: string, length: number): string {
  let out = "";
  let block = 0;
  while (out.length < length) {
    for (const byte of createHash("sha256").update(`${seed}#${block}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
    block += 1;
  }
  return out;
}

/** The system user of the samples (`user@example.com`); its key pair is the fake's credentials. */
const SYSTEM_USER_ID = "f373d5175d1f3b63";
/** Default system key: the id, 4 chars; the secret is the example one printed in Virtuozzo's STaaS guide. */
const DEFAULT_CREDENTIALS = {
  accessKeyId: `${SYSTEM_USER_ID}S7SX`,
  secretAccessKey: "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA",
};

/** The vendor page's sample users (seed-ostor samples #1–#3). */
function sampleUsers(credentials: { accessKeyId: string; secretAccessKey: string }): OstorUserInput[] {
  return [
    {
      // Sample #2 prints this user's email as "user@email.com"; sample #1 (same id) says user1@email.com.
      email: "user1@email.com",
      id: "b09693b73b3c7686",
      state: "disabled",
      accessKeys: [
        {
          AWSAccessKeyId: "b09693b73b3c7686FIGH",
          AWSSecretAccessKey: "jO2p4JBN1tWc4FEGxwZ8qW2jPCJBYp8RJ4KgBcZP",
        },
      ],
      accounts: [
        {
          Name: "account1",
          AWSAccessKeys: [
            {
              AWSAccessKeyId: "b09693b73b3c768613NV",
              AWSSecretAccessKey: "CBUpFmnpUGlXskTivgDQu4qjYksWpceGZeH6Qyct",
            },
          ],
        },
        {
          Name: "account2",
          AWSAccessKeys: [
            {
              AWSAccessKeyId: "b09693b73b3c7686LCZ5",
              AWSSecretAccessKey: "xLpUDFJMFMO5rR9acAbUDplrPqIO6fneKNFjEB5c",
            },
            {
              AWSAccessKeyId: "b09693b73b3c76866NI2",
              AWSSecretAccessKey: "ajowU8pWSGW5ZJhA7AR9OjTrt11HmHPCJsMd247W",
            },
          ],
        },
        {
          Name: "account3",
          AWSAccessKeys: [
            {
              AWSAccessKeyId: "b09693b73b3c7686OVV1",
              AWSSecretAccessKey: "EOT652BDvByLwy2qPt0VsQ6s3I0pTrfPXKDw9i75",
            },
            {
              AWSAccessKeyId: "b09693b73b3c7686Z8BU",
              AWSSecretAccessKey: "m8PgWFLXPeJVSWojCE3DxWDoRk80g7CMyB7xK3Hd",
            },
          ],
        },
      ],
      spaceStat: { LastTs: 0, SizeCurr: 0, SizeHMax: 0, SizeHInt: 0 },
    },
    {
      email: "user2@email.com",
      id: "bc6265392b818465",
      spaceStat: { LastTs: 471425, SizeCurr: 9323413504, SizeHMax: 9323413504, SizeHInt: 2414764097536 },
    },
    {
      email: "user@example.com",
      id: SYSTEM_USER_ID,
      system: true,
      accessKeys: [
        { AWSAccessKeyId: credentials.accessKeyId, AWSSecretAccessKey: credentials.secretAccessKey },
      ],
      spaceStat: { LastTs: 0, SizeCurr: 0, SizeHMax: 0, SizeHInt: 0 },
    },
  ];
}

/** Generated user number `n` (1-based): deterministic id, keys and usage; every 10th disabled. */
function generatedUser(n: number): OstorUserInput {
  const size = ((n * 7919) % 1000) * 1_048_576;
  return {
    email: `s3user-${String(n).padStart(6, "0")}@example.com`,
    id: createHash("sha256").update(`ostor-user:${n}`).digest("hex").slice(0, 16),
    state: n % 10 === 0 ? "disabled" : "enabled",
    spaceStat: { LastTs: 471425, SizeCurr: size, SizeHMax: size, SizeHInt: size * 24 },
  };
}

function buildUser(input: OstorUserInput): OstorUser {
  const id = input.id ?? createHash("sha256").update(`ostor-email:${input.email}`).digest("hex").slice(0, 16);
  if (!/^[0-9a-f]{16}$/.test(id))
    throw new Error(`ostor user id must be 16 lower-case hex characters: "${id}"`);
  const state = input.state ?? "enabled";
  const flags = [...(input.flags ?? [])];
  if (state === "disabled" && !flags.includes("disabled")) flags.push("disabled");
  if (input.system && !flags.includes("system")) flags.push("system");
  return {
    UserEmail: input.email,
    UserId: id,
    State: state,
    OwnerId: input.ownerId ?? NO_OWNER,
    Flags: flags,
    AWSAccessKeys: input.accessKeys ?? [
      {
        AWSAccessKeyId: `${id}${derived(`key:${id}`, KEY_ALPHABET, 4)}`,
        AWSSecretAccessKey: derived(`secret:${id}`, SECRET_ALPHABET, 40),
      },
    ],
    Accounts: input.accounts ?? [],
    SpaceStat: { LastTs: 0, SizeCurr: 0, SizeHMax: 0, SizeHInt: 0, ...input.spaceStat },
  };
}

/** A list entry: field order as in the vendor samples (`SpaceStat` before `Flags`). */
function listEntry(user: OstorUser, space: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    UserEmail: user.UserEmail,
    UserId: user.UserId,
    State: user.State,
    OwnerId: user.OwnerId,
  };
  if (space) entry.SpaceStat = user.SpaceStat;
  entry.Flags = user.Flags;
  return entry;
}

/** The single-user answer: keys in clear text, `AccountCount` as a string (vendor quirk). */
function detailEntry(user: OstorUser, space: boolean): Record<string, unknown> {
  return {
    ...listEntry(user, space),
    AWSAccessKeys: user.AWSAccessKeys,
    AccountCount: String(user.Accounts.length),
    Accounts: user.Accounts,
  };
}

/** Users sorted by id, with id/email/key indexes and cached list bodies. */
class UserStore {
  readonly items: OstorUser[] = [];
  private readonly byId = new Map<string, OstorUser>();
  private readonly byEmail = new Map<string, OstorUser>();
  private readonly byKey = new Map<string, { user: OstorUser; secret: string; own: boolean }>();
  private cache: { plain?: string; space?: string } = {};

  add(user: OstorUser): OstorUser {
    if (this.byId.has(user.UserId)) throw new Error(`ostor user id "${user.UserId}" exists`);
    if (this.byEmail.has(user.UserEmail)) throw new Error(`ostor user "${user.UserEmail}" exists`);
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as OstorUser).UserId < user.UserId) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, user);
    this.index(user);
    this.cache = {};
    return user;
  }

  /** Bulk load (seeding): one sort instead of n splices. */
  load(users: OstorUser[]): void {
    for (const user of users) {
      if (this.byId.has(user.UserId) || this.byEmail.has(user.UserEmail)) continue;
      this.items.push(user);
      this.index(user);
    }
    this.items.sort((a, b) => (a.UserId < b.UserId ? -1 : a.UserId > b.UserId ? 1 : 0));
    this.cache = {};
  }

  private index(user: OstorUser): void {
    this.byId.set(user.UserId, user);
    this.byEmail.set(user.UserEmail, user);
    for (const key of user.AWSAccessKeys) {
      this.byKey.set(key.AWSAccessKeyId, { user, secret: key.AWSSecretAccessKey, own: true });
    }
    for (const account of user.Accounts) {
      for (const key of account.AWSAccessKeys) {
        this.byKey.set(key.AWSAccessKeyId, { user, secret: key.AWSSecretAccessKey, own: false });
      }
    }
  }

  find(idOrEmail: string): OstorUser | undefined {
    return this.byId.get(idOrEmail) ?? this.byEmail.get(idOrEmail);
  }

  key(accessKeyId: string): { user: OstorUser; secret: string; own: boolean } | undefined {
    return this.byKey.get(accessKeyId);
  }

  remove(idOrEmail: string): boolean {
    const user = this.find(idOrEmail);
    if (!user) return false;
    this.items.splice(this.items.indexOf(user), 1);
    this.byId.delete(user.UserId);
    this.byEmail.delete(user.UserEmail);
    for (const [keyId, entry] of this.byKey) if (entry.user === user) this.byKey.delete(keyId);
    this.cache = {};
    return true;
  }

  /** `{"Users":[...]}`, rendered once per state of the list. */
  listBody(space: boolean): string {
    const slot = space ? "space" : "plain";
    this.cache[slot] ??= JSON.stringify({ Users: this.items.map((u) => listEntry(u, space)) });
    return this.cache[slot];
  }
}

// ---------------------------------------------------------------------------------------------
// The server.
// ---------------------------------------------------------------------------------------------

/** Admin calls ostor has but this fake does not serve (answered 501, not "unknown"). */
const KNOWN_CALLS = new Set([
  "ostor-buckets",
  "ostor-limits",
  "ostor-quotas",
  "ostor-usage",
  "ostor-accounts",
  "ostor-replication",
]);

function xmlEscape(value: string): string {
  return value.replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

/** Starts the ostor fake. */
export async function startOstorFake(options: OstorFakeOptions = {}): Promise<OstorFake> {
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  let clock = options.now ?? Date.now;
  const store = new UserStore();
  const seeds: OstorUserInput[] = [];
  const systemKey = {
    AWSAccessKeyId: credentials.accessKeyId,
    AWSSecretAccessKey: credentials.secretAccessKey,
  };
  if (options.sampleUsers ?? true) {
    seeds.push(...sampleUsers(credentials));
  } else {
    // Without the samples there must still be a system user to sign admin requests with.
    seeds.push({ email: "admin@example.com", id: SYSTEM_USER_ID, system: true, accessKeys: [systemKey] });
  }
  for (let n = 1; n <= (options.users ?? 0); n++) seeds.push(generatedUser(n));
  store.load(seeds.map(buildUser));
  const authFailures: OstorAuthFailure[] = [];
  let requestCount = 0;

  const handle = (request: RecordedRequest): FakeResponse => {
    const started = process.hrtime.bigint();
    requestCount += 1;
    // The vendor samples' form: node prefix, zeros, epoch seconds, counter (32 hex characters).
    const requestId = `80000000000000160000${Math.floor(clock() / 1000)
      .toString(16)
      .padStart(8, "0")
      .slice(-8)}${(requestCount & 0xffff).toString(16).padStart(4, "0")}`;
    const common = (): Record<string, string> => ({
      server: "nginx",
      "x-amz-request-id": requestId,
      "x-amz-req-time-micros": String(Math.max(1, Number((process.hrtime.bigint() - started) / 1000n))),
    });
    const json = (body: string): FakeResponse => ({
      status: 200,
      headers: { ...common(), "content-type": "application/json" },
      body,
    });
    const error = (status: number, code: string, message: string): FakeResponse => ({
      status,
      headers: {
        ...common(),
        "content-type": "application/xml",
        // Header values must be Latin-1 printable; anything else from the request becomes "?".
        "x-amz-err-message": message.replace(/[^\x20-\x7e]/g, "?"),
      },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`,
    });

    // 1. The S3 layer: signature first.
    const authorization = request.headers.authorization?.trim();
    if (authorization === undefined || authorization === "")
      return error(403, "AccessDenied", "Access Denied");
    const secretOf = (keyId: string) => store.key(keyId)?.secret;
    const now = clock();
    let result: S3AuthResult;
    if (authorization.startsWith("AWS4-HMAC-SHA256")) result = verifySigV4(request, secretOf, { now });
    else if (authorization.startsWith("AWS ")) result = verifyOstorSigV2(request, secretOf, { now });
    else return error(400, "InvalidArgument", "Unsupported Authorization Type");
    if (!result.ok) {
      authFailures.push({
        at: now,
        code: result.code,
        message: result.message,
        accessKeyId: result.accessKeyId,
        stringToSign: result.stringToSign,
        canonicalRequest: result.canonicalRequest,
      });
      return error(result.status, result.code, result.message);
    }
    // 2. Admin calls need an enabled system user's own key (not an account key).
    const key = store.key(result.accessKeyId);
    if (!key?.own || !key.user.Flags.includes("system") || key.user.State !== "enabled") {
      return error(403, "AccessDenied", "Access Denied");
    }

    // 3. Routing on the raw target.
    const { path, query } = splitTarget(request.target);
    const tokens = query === "" ? [] : query.split("&");
    const call = tokens[0] ?? "";
    if (path !== "/" || !call.startsWith("ostor-")) {
      return error(501, "NotImplemented", "This fake serves only the ostor admin API: GET /?ostor-users");
    }
    if (call !== "ostor-users") {
      if (KNOWN_CALLS.has(call))
        return error(501, "NotImplemented", `${call} is not implemented by this fake`);
      return error(400, "InvalidRequest", `Unknown ostor admin call "${call}"`);
    }
    if (request.method !== "GET") {
      if (["PUT", "POST", "DELETE"].includes(request.method)) {
        return error(501, "NotImplemented", `${request.method} ostor-users is not implemented by this fake`);
      }
      return error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }
    let id: string | undefined;
    let email: string | undefined;
    let space = false;
    for (const token of tokens.slice(1)) {
      if (token === "") continue;
      const eq = token.indexOf("=");
      const name = eq === -1 ? token : token.slice(0, eq);
      const value = eq === -1 ? undefined : safeDecode(token.slice(eq + 1));
      if (name === "id" || name === "emailAddress") {
        if (value === undefined || value === "")
          return error(400, "InvalidArgument", `${name} needs a value`);
        if ((name === "id" ? id : email) !== undefined) {
          return error(400, "InvalidArgument", `${name} is set more than once`);
        }
        if (name === "id") id = value;
        else email = value;
      } else if (name === "space") {
        if (value !== undefined)
          return error(400, "InvalidArgument", "space is a flag: send it bare (&space)");
        space = true;
      } else {
        return error(400, "InvalidArgument", `Unknown parameter "${safeDecode(name)}"`);
      }
    }
    if (id !== undefined && email !== undefined) {
      return error(400, "InvalidArgument", "Only one of id and emailAddress may be set.");
    }
    if (id === undefined && email === undefined) return json(store.listBody(space));
    const user = id !== undefined ? store.find(id) : store.find(email as string);
    // Only match the selector's own field (an email is not an id).
    if (
      !user ||
      (id !== undefined && user.UserId !== id) ||
      (email !== undefined && user.UserEmail !== email)
    ) {
      return error(404, "NoSuchUser", "The specified user does not exist.");
    }
    return json(JSON.stringify(detailEntry(user, space)));
  };

  // There are no tokens to expire: `expire-tokens` leaves the (key-based) state alone.
  const server = await startHttpFake(handle, {
    port: options.port,
    latencyMs: options.latencyMs,
    tls: options.tls,
    cors: options.cors,
    throttle: options.throttle,
  });

  return Object.assign(server, {
    credentials,
    users: store.items,
    authFailures,
    addUser: (input: OstorUserInput) => store.add(buildUser(input)),
    removeUser: (idOrEmail: string) => store.remove(idOrEmail),
    findUser: (idOrEmail: string) => store.find(idOrEmail),
    now: () => clock(),
    setClock(next?: number | (() => number)): void {
      clock = next === undefined ? Date.now : typeof next === "number" ? () => next : next;
    },
  });
}
