/**
 * Shared pieces of the Huawei Cloud fakes (MPC, DBSS): an independent `SDK-HMAC-SHA256` verifier
 * (Huawei API Request Signing Guide), and a small "API Gateway + IAM" that both
 * fakes put in front of their service: AK/SK and IAM-token checks with the gateway's error bodies,
 * the AK lock-out, Keystone-style `POST /v3/auth/tokens`, temporary AK/SK, and the fake clock.
 *
 * Written from the documentation only (no Huawei SDK code): it is the oracle our clients are
 * tested against, so it recomputes everything from the request exactly as it was received.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  type FakeHttpServer,
  type FakeResponse,
  type FakeServerOptions,
  type Fault,
  type RecordedRequest,
  startHttpFake,
} from "../server.js";

/** The literal payload hash used when `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` is sent. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** The gateway rejects an `X-Sdk-Date` further than this from its clock (15 minutes, §1.3 step 11). */
export const HUAWEI_MAX_SKEW_MS = 15 * 60_000;
/** Consecutive AK/SK failures after which the AK is locked (§1.3 step 14). */
export const HUAWEI_LOCK_AFTER_FAILURES = 5;
/** How long a locked AK stays locked. */
export const HUAWEI_LOCK_MS = 5 * 60_000;

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// ---------------------------------------------------------------------------------------------
// The signature algorithm, as pure functions (exported so tests can feed them published vectors).
// ---------------------------------------------------------------------------------------------

/** The parts of a request the signature covers, exactly as received. */
export interface SignableRequest {
  method: string;
  /** Raw request target: path and query as on the request line. */
  target: string;
  /** Header lines as received: `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  body: Buffer | string;
}

/** RFC 3986 percent-encoding of the UTF-8 bytes: only `A-Z a-z 0-9 - _ . ~` stay as they are. */
export function huaweiEncode(value: string): string {
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

/** Decodes percent-escapes; a malformed escape is kept as received (the gateway cannot decode it either). */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Splits a raw request target into its raw path and raw query (without the `?`). */
export function splitTarget(target: string): { path: string; query: string } {
  // An absolute-form target (`http://host/path`) is reduced to its path and query.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) || "/" : target;
  const hash = rest.indexOf("#");
  const clean = hash === -1 ? rest : rest.slice(0, hash);
  const q = clean.indexOf("?");
  return q === -1 ? { path: clean, query: "" } : { path: clean.slice(0, q), query: clean.slice(q + 1) };
}

/**
 * Canonical URI (§1.3 step 2): each `/`-separated segment of the raw path is decoded, then
 * re-encoded with RFC 3986 (no double encoding), and a trailing `/` is appended if missing.
 */
export function huaweiCanonicalUri(rawPath: string): string {
  const joined = rawPath
    .split("/")
    .map((segment) => huaweiEncode(safeDecode(segment)))
    .join("/");
  if (joined === "") return "/";
  return joined.endsWith("/") ? joined : `${joined}/`;
}

/**
 * Canonical query string (§1.3 step 3) from the raw query: names and values decoded then
 * RFC 3986 re-encoded, a value-less parameter written `name=`, sorted by name then value in
 * character-code order, joined with `&`. A `+` is kept as a literal plus (the SDKs encode spaces
 * as `%20`, never `+`).
 */
export function huaweiCanonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([huaweiEncode(safeDecode(name)), huaweiEncode(safeDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Header values by lower-cased name, in the order received. */
export function headerLists(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const list = map.get(name);
    if (list) list.push(rawHeaders[i + 1] as string);
    else map.set(name, [rawHeaders[i + 1] as string]);
  }
  return map;
}

function firstHeader(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Whether the request asks for the unsigned-payload form (`X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`). */
function isUnsignedPayload(headers: Map<string, string[]>): boolean {
  return firstHeader(headers, "x-sdk-content-sha256")?.trim().toUpperCase() === UNSIGNED_PAYLOAD;
}

/**
 * The canonical request (§1.3 step 7) of a request as received, for the given signed headers:
 * method, canonical URI, canonical query, `name:trimmed value` lines, the signed-header list, and
 * the payload hash (SHA-256 hex of the received bytes, or `UNSIGNED-PAYLOAD`).
 */
export function huaweiCanonicalRequest(request: SignableRequest, signedHeaders: readonly string[]): string {
  const { path, query } = splitTarget(request.target);
  const headers = headerLists(request.rawHeaders);
  // A repeated header is joined with "," (no vendor statement; the SDKs never repeat one).
  const lines = signedHeaders
    .map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim()).join(",")}\n`)
    .join("");
  const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  const payload = isUnsignedPayload(headers)
    ? UNSIGNED_PAYLOAD
    : body.length === 0
      ? EMPTY_SHA256
      : sha256Hex(body);
  return [
    request.method.toUpperCase(),
    huaweiCanonicalUri(path),
    huaweiCanonicalQuery(query),
    lines,
    signedHeaders.join(";"),
    payload,
  ].join("\n");
}

/** The parsed `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` header. */
export interface HuaweiAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses an `SDK-HMAC-SHA256` Authorization header; undefined when it is not one. */
export function parseHuaweiAuthorization(value: string): HuaweiAuthorization | undefined {
  const match = /^SDK-HMAC-SHA256\s+(.+)$/.exec(value.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of (match[1] as string).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKey || !signedHeaders || !signature) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()), signature };
}

/** `YYYYMMDDTHHMMSSZ` (the X-Sdk-Date form) of a time. */
export function formatSdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Parses an `X-Sdk-Date` value; undefined unless it is exactly `YYYYMMDDTHHMMSSZ`. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Why an AK/SK signature was refused. */
export type HuaweiSignatureFailure =
  | "malformed-authorization"
  | "unknown-access-key"
  | "date-missing"
  | "date-invalid"
  | "signature-expired"
  | "signature-mismatch";

/** The outcome of `verifyHuaweiSignature`; `message` is the gateway's `error_msg`. */
export type HuaweiSignatureResult =
  | { ok: true; accessKey: string; signedHeaders: string[]; canonicalRequest: string; stringToSign: string }
  | {
      ok: false;
      reason: HuaweiSignatureFailure;
      message: string;
      accessKey?: string;
      signedHeaders?: string[];
      canonicalRequest?: string;
    };

/**
 * Verifies an `SDK-HMAC-SHA256` signed request as received: the SK is looked up by the AK named in
 * `Access=`, `x-sdk-date` must be signed and within `maxSkewMs` of `now`, and the signature is
 * recomputed from the raw request line, headers and body bytes. Pure: no lock-out, no state.
 */
export function verifyHuaweiSignature(
  request: SignableRequest,
  secretOf: (accessKey: string) => string | undefined,
  options: { now: number; maxSkewMs?: number },
): HuaweiSignatureResult {
  const headers = headerLists(request.rawHeaders);
  const parsed = parseHuaweiAuthorization(firstHeader(headers, "authorization") ?? "");
  if (!parsed) {
    // Fake's wording: the gateway's text for an unparsable header is not documented.
    return {
      ok: false,
      reason: "malformed-authorization",
      message: "Incorrect IAM authentication information: Authorization header format error",
    };
  }
  const { accessKey, signedHeaders, signature } = parsed;
  const secret = secretOf(accessKey);
  if (secret === undefined) {
    // Wording from Huawei's "Common Errors Related to IAM Authentication Information" page.
    return {
      ok: false,
      reason: "unknown-access-key",
      accessKey,
      signedHeaders,
      message: `Incorrect IAM authentication information: Get secretKey failed,ak:${accessKey},err:ak not exist`,
    };
  }
  const sdkDate = firstHeader(headers, "x-sdk-date")?.trim();
  if (sdkDate === undefined || !signedHeaders.includes("x-sdk-date")) {
    // x-sdk-date must be present and signed (§1.3 step 5); the exact gateway wording is unconfirmed.
    return {
      ok: false,
      reason: "date-missing",
      accessKey,
      signedHeaders,
      message:
        "Incorrect IAM authentication information: verify aksk signature fail, x-sdk-date must be sent and signed",
    };
  }
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) {
    return {
      ok: false,
      reason: "date-invalid",
      accessKey,
      signedHeaders,
      message: `Incorrect IAM authentication information: verify aksk signature fail, invalid x-sdk-date:${sdkDate}`,
    };
  }
  if (Math.abs(options.now - signedAt) > (options.maxSkewMs ?? HUAWEI_MAX_SKEW_MS)) {
    // Wording of the documented "signature expired" error (signing guide FAQ).
    return {
      ok: false,
      reason: "signature-expired",
      accessKey,
      signedHeaders,
      message: `Incorrect IAM authentication information: signature expired, signature time:${sdkDate},server time:${formatSdkDate(options.now)}`,
    };
  }
  const canonicalRequest = huaweiCanonicalRequest(request, signedHeaders);
  const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(stringToSign).digest("hex");
  const given = signature.toLowerCase();
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    // The documented debugging aid: the gateway's own canonical request, newlines replaced by "|".
    return {
      ok: false,
      reason: "signature-mismatch",
      accessKey,
      signedHeaders,
      canonicalRequest,
      message: `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:${canonicalRequest.replaceAll("\n", "|")}`,
    };
  }
  return { ok: true, accessKey, signedHeaders, canonicalRequest, stringToSign };
}

// ---------------------------------------------------------------------------------------------
// The gateway + IAM the MPC and DBSS fakes share.
// ---------------------------------------------------------------------------------------------

/** A project of the fake account (one per region, plus any others). */
export interface HuaweiProject {
  id: string;
  /** The region id, e.g. `cn-north-4` (what `scope.project.name` names). */
  name: string;
}

/** An AK/SK pair the gateway accepts; with `securityToken` it is temporary and needs `X-Security-Token`. */
export interface HuaweiAccessKey {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials only: the security token that must be sent (and signed) with the AK. */
  securityToken?: string;
  /** Temporary credentials only: when they stop working (ms since epoch, on the fake's clock). */
  expiresAt?: number;
  /** Set by the `expire-tokens` fault. */
  expired?: boolean;
}

/** An IAM token the fake issued. */
export interface IssuedToken {
  token: string;
  userName: string;
  /** The project it is scoped to; undefined for a domain-scoped (or unscoped) token. */
  projectId?: string;
  issuedAt: number;
  expiresAt: number;
  /** Set by the `expire-tokens` fault (the token then fails like an expired one). */
  expired: boolean;
}

/** The IAM user the fake knows (password sign-in). */
export interface HuaweiIamUser {
  accountName: string;
  userName: string;
  password: string;
}

/** Options shared by the Huawei fakes. */
export interface HuaweiFakeOptions extends FakeServerOptions {
  /** Project id of the region the fake serves (default `0123456789abcdef0123456789abcdef`). */
  projectId?: string;
  /** Region id, the project's name (default `cn-north-4`). */
  region?: string;
  /** Further projects of the same account (default one: `cn-east-3`, id `fedcba9876543210fedcba9876543210`). */
  otherProjects?: HuaweiProject[];
  /** The permanent AK/SK the fake hands out as `fake.credentials`. */
  credentials?: { accessKey: string; secretKey: string };
  /** More AK/SK pairs to accept; entries with a `securityToken` are temporary credentials. */
  accessKeys?: HuaweiAccessKey[];
  /** The IAM user for `POST /v3/auth/tokens`. */
  iam?: Partial<HuaweiIamUser>;
  /** Lifetime of issued IAM tokens (default 24 h). */
  tokenTtlMs?: number;
  /** The fake's clock (ms since epoch; default `Date.now`): signature skew, token and lock expiry. */
  now?: () => number;
}

/** What every Huawei fake exposes besides the HTTP shell. */
export interface HuaweiFakeExtras {
  /** The permanent AK/SK the fake accepts. */
  readonly credentials: { accessKey: string; secretKey: string };
  /** The project id of the region served (use it in the path and in `X-Project-Id`). */
  readonly projectId: string;
  /** The region id (the project's name). */
  readonly region: string;
  /** Every project of the fake account. */
  readonly projects: readonly HuaweiProject[];
  /** The IAM user that can obtain tokens. */
  readonly iam: HuaweiIamUser;
  /** Id of the fake account (domain). */
  readonly domainId: string;
  /** Every IAM token issued so far (live). */
  readonly issuedTokens: readonly IssuedToken[];
  /** Every AK/SK accepted, permanent and temporary (live). */
  readonly accessKeys: readonly HuaweiAccessKey[];
  /** Registers another AK/SK (temporary when it has a `securityToken`). */
  addAccessKey(key: HuaweiAccessKey): void;
  /** The fake's current time (ms since epoch). */
  now(): number;
  /** Replaces the clock: a fixed time, a function, or undefined for `Date.now`. */
  setClock(clock?: number | (() => number)): void;
  /** Lifts every AK lock and forgets the failure counts. */
  resetLocks(): void;
}

/** Who a request authenticated as. */
export type HuaweiCaller =
  | { kind: "token"; token: IssuedToken }
  | { kind: "aksk"; accessKey: string; projectHeader: string | undefined };

/** How a caller relates to the project named in the path. */
export type ProjectAccess = "ok" | "unscoped" | "forbidden";

const JSON_TYPE = "application/json;charset=UTF-8";

/** A fresh 32-hex request id (the form the gateway's `X-Request-Id` takes). */
export function newRequestId(): string {
  return randomBytes(16).toString("hex");
}

/** A JSON answer with `X-Request-Id`. */
export function huaweiJson(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return {
    status,
    headers: { "content-type": JSON_TYPE, "x-request-id": requestId, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/** An API Gateway error: `{error_msg, error_code: "APIGW.xxxx", request_id}`. */
export function gatewayError(status: number, code: string, message: string, requestId: string): FakeResponse {
  return huaweiJson(status, { error_msg: message, error_code: code, request_id: requestId }, requestId);
}

/** Keystone's error body, as IAM answers `POST /v3/auth/tokens` failures. */
function keystoneError(status: number, title: string, message: string, requestId: string): FakeResponse {
  return huaweiJson(status, { error: { code: status, message, title } }, requestId);
}

const UNAUTHORIZED = "The request you have made requires authentication.";

/** Huawei IAM's timestamp form, e.g. `2024-01-02T00:00:00.000000Z`. */
function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function deterministicHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

const ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The API Gateway and IAM in front of a Huawei fake: authenticates service calls (AK/SK or
 * token), answers the IAM calls a client needs, and owns the credentials, tokens and clock.
 */
export class HuaweiGateway {
  readonly credentials: { accessKey: string; secretKey: string };
  readonly projectId: string;
  readonly region: string;
  readonly projects: HuaweiProject[];
  readonly iam: HuaweiIamUser;
  readonly domainId: string;
  readonly userId: string;
  readonly issuedTokens: IssuedToken[] = [];
  readonly accessKeys: HuaweiAccessKey[] = [];
  /** Set by the fake once it listens: catalog entries point here. */
  url = "";
  private readonly tokenTtlMs: number;
  private clock: () => number;
  private readonly keysById = new Map<string, HuaweiAccessKey>();
  private readonly tokensByValue = new Map<string, IssuedToken>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    options: HuaweiFakeOptions,
    private readonly service: { name: string; type: string },
  ) {
    this.projectId = options.projectId ?? "0123456789abcdef0123456789abcdef";
    this.region = options.region ?? "cn-north-4";
    this.projects = [
      { id: this.projectId, name: this.region },
      ...(options.otherProjects ?? [{ id: "fedcba9876543210fedcba9876543210", name: "cn-east-3" }]),
    ];
    this.iam = {
      accountName: options.iam?.accountName ?? "fake-account",
      userName: options.iam?.userName ?? "fake-user",
      password: options.iam?.password ?? "Fake-Passw0rd!",
    };
    this.domainId = deterministicHex(`domain:${this.iam.accountName}`, 32);
    this.userId = deterministicHex(`user:${this.iam.userName}`, 32);
    this.credentials = options.credentials ?? {
      accessKey: "FAKEHUAWEIACCESSKEY1",
      secretKey: "FakeHuaweiSecretKey0000000000000000000000",
    };
    this.addAccessKey({ ...this.credentials });
    for (const key of options.accessKeys ?? []) this.addAccessKey({ ...key });
    this.tokenTtlMs = options.tokenTtlMs ?? 24 * 3600_000;
    this.clock = options.now ?? Date.now;
  }

  now(): number {
    return this.clock();
  }

  setClock(clock?: number | (() => number)): void {
    this.clock = clock === undefined ? Date.now : typeof clock === "number" ? () => clock : clock;
  }

  addAccessKey(key: HuaweiAccessKey): void {
    const existing = this.keysById.get(key.accessKey);
    if (existing) this.accessKeys.splice(this.accessKeys.indexOf(existing), 1);
    this.accessKeys.push(key);
    this.keysById.set(key.accessKey, key);
  }

  resetLocks(): void {
    this.failures.clear();
  }

  /** The `expire-tokens` fault: every issued IAM token and temporary security token stops working. */
  onFault(fault: Fault): void {
    if (fault.kind !== "expire-tokens") return;
    for (const token of this.issuedTokens) token.expired = true;
    for (const key of this.accessKeys) if (key.securityToken) key.expired = true;
  }

  /** Starts a service's HTTP server behind this gateway: its faults reach the gateway, its URL the catalog. */
  async serve(
    handle: (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>,
    options: FakeServerOptions,
  ): Promise<FakeHttpServer & HuaweiFakeExtras> {
    const server = await startHttpFake(handle, {
      port: options.port,
      latencyMs: options.latencyMs,
      tls: options.tls,
      cors: options.cors,
      // The gateway's throttling: 429 APIG.0308, no Retry-After (Huawei advises 2 to 5 s).
      throttle: options.throttle && {
        answer: () =>
          gatewayError(
            429,
            "APIG.0308",
            "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second",
            newRequestId(),
          ),
        ...options.throttle,
      },
      onFault: (fault) => this.onFault(fault),
    });
    this.url = server.url;
    return Object.assign(server, this.extras());
  }

  /** The extras every Huawei fake returns (live views of the gateway's state). */
  extras(): HuaweiFakeExtras {
    return {
      credentials: this.credentials,
      projectId: this.projectId,
      region: this.region,
      projects: this.projects,
      iam: this.iam,
      domainId: this.domainId,
      issuedTokens: this.issuedTokens,
      accessKeys: this.accessKeys,
      addAccessKey: (key) => this.addAccessKey(key),
      now: () => this.now(),
      setClock: (clock) => this.setClock(clock),
      resetLocks: () => this.resetLocks(),
    };
  }

  /** Answers the IAM calls (`/v3/...`, `/v3.0/...`); undefined when the request is not one. */
  handleIam(request: RecordedRequest, requestId: string): FakeResponse | undefined {
    const { path, query } = splitTarget(request.target);
    if (path === "/v3/auth/tokens") {
      if (request.method !== "POST") return keystoneError(405, "Method Not Allowed", "Use POST.", requestId);
      return this.issueToken(request, query, requestId);
    }
    if (path === "/v3.0/OS-CREDENTIAL/securitytokens") {
      if (request.method !== "POST") return keystoneError(405, "Method Not Allowed", "Use POST.", requestId);
      return this.issueSecurityToken(request, requestId);
    }
    if (path === "/v3/projects") {
      if (request.method !== "GET") return keystoneError(405, "Method Not Allowed", "Use GET.", requestId);
      return this.listProjects(request, query, requestId);
    }
    return undefined;
  }

  /**
   * Authenticates a service call like the API Gateway: AK/SK (`Authorization: SDK-HMAC-SHA256 …`)
   * or an IAM token (`X-Auth-Token`). Failures are the gateway's 401 bodies.
   */
  authenticate(
    request: RecordedRequest,
    requestId: string,
  ): { ok: true; caller: HuaweiCaller } | { ok: false; response: FakeResponse } {
    const authorization = request.headers.authorization;
    const token = request.headers["x-auth-token"];
    // AK/SK when the header is an SDK-HMAC-SHA256 one, else the token; any other Authorization alone
    // is refused as a malformed signature.
    if (authorization?.trim().startsWith("SDK-HMAC-SHA256")) return this.authenticateAksk(request, requestId);
    if (token !== undefined) return this.authenticateToken(token, requestId);
    if (authorization !== undefined) return this.authenticateAksk(request, requestId);
    // Documented wording when neither credential is present.
    return {
      ok: false,
      response: gatewayError(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: x-auth-token not found",
        requestId,
      ),
    };
  }

  /** Whether the caller may act on `projectId` (the id in the request path). */
  projectAccess(caller: HuaweiCaller, projectId: string): ProjectAccess {
    if (caller.kind === "token") {
      if (caller.token.projectId === undefined) return "unscoped";
      return caller.token.projectId === projectId ? "ok" : "forbidden";
    }
    // AK/SK: X-Project-Id is mandatory, must equal the path's id, and must be a project of the account.
    if (caller.projectHeader === undefined || caller.projectHeader.trim() !== projectId) return "forbidden";
    return this.projects.some((p) => p.id === projectId) ? "ok" : "forbidden";
  }

  private authenticateAksk(
    request: RecordedRequest,
    requestId: string,
  ): { ok: true; caller: HuaweiCaller } | { ok: false; response: FakeResponse } {
    const now = this.now();
    const parsed = parseHuaweiAuthorization(request.headers.authorization ?? "");
    if (parsed) {
      const lock = this.failures.get(parsed.accessKey);
      if (lock && lock.lockedUntil > now) {
        // Huawei's "Common Errors Related to IAM Authentication Information" page shows this message
        // under APIGW.0301 (not a separate code), so the fake uses APIGW.0301 for the lock too.
        return {
          ok: false,
          response: gatewayError(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.",
            requestId,
          ),
        };
      }
    }
    const result = verifyHuaweiSignature(request, (ak) => this.keysById.get(ak)?.secretKey, { now });
    if (!result.ok) {
      if (result.accessKey !== undefined && result.reason !== "unknown-access-key") {
        this.recordFailure(result.accessKey, now);
      }
      return { ok: false, response: gatewayError(401, "APIGW.0301", result.message, requestId) };
    }
    const key = this.keysById.get(result.accessKey) as HuaweiAccessKey;
    if (key.securityToken !== undefined) {
      const sent = request.headers["x-security-token"];
      if (sent !== key.securityToken || !result.signedHeaders.includes("x-security-token")) {
        this.recordFailure(key.accessKey, now);
        // Fake's wording (unconfirmed): temporary AK/SK need X-Security-Token, sent and signed.
        return {
          ok: false,
          response: gatewayError(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail, x-security-token missing, unsigned or wrong",
            requestId,
          ),
        };
      }
      if (key.expired || (key.expiresAt !== undefined && key.expiresAt <= now)) {
        return {
          ok: false,
          response: gatewayError(401, "APIGW.0307", "The token must be updated.", requestId),
        };
      }
    }
    this.failures.delete(key.accessKey);
    return {
      ok: true,
      caller: { kind: "aksk", accessKey: key.accessKey, projectHeader: request.headers["x-project-id"] },
    };
  }

  private recordFailure(accessKey: string, now: number): void {
    const entry = this.failures.get(accessKey) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= HUAWEI_LOCK_AFTER_FAILURES) {
      entry.count = 0;
      entry.lockedUntil = now + HUAWEI_LOCK_MS;
    }
    this.failures.set(accessKey, entry);
  }

  private authenticateToken(
    value: string,
    requestId: string,
  ): { ok: true; caller: HuaweiCaller } | { ok: false; response: FakeResponse } {
    const token = this.tokensByValue.get(value.trim());
    if (!token) {
      // Documented wording for a token the gateway cannot decrypt (garbled, foreign, truncated).
      return {
        ok: false,
        response: gatewayError(
          401,
          "APIGW.0301",
          "Incorrect IAM authentication information: decrypt token fail",
          requestId,
        ),
      };
    }
    if (token.expired || token.expiresAt <= this.now()) {
      // Huawei IAM docs: an expired/invalidated token answers "The token must be updated"; the fake
      // uses the gateway's APIGW.0307 code for it (the docs also show an APIGW.0301 "token expires" form).
      return {
        ok: false,
        response: gatewayError(401, "APIGW.0307", "The token must be updated.", requestId),
      };
    }
    return { ok: true, caller: { kind: "token", token } };
  }

  /** `POST /v3/auth/tokens`, password method. */
  private issueToken(request: RecordedRequest, query: string, requestId: string): FakeResponse {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return keystoneError(400, "Bad Request", "The request body is not valid JSON.", requestId);
    }
    const auth = isRecord(body) && isRecord(body.auth) ? body.auth : undefined;
    const identity = auth && isRecord(auth.identity) ? auth.identity : undefined;
    const methods = identity && Array.isArray(identity.methods) ? identity.methods : [];
    const password = identity && isRecord(identity.password) ? identity.password : undefined;
    const user = password && isRecord(password.user) ? password.user : undefined;
    if (!auth || !identity || !methods.includes("password") || !user) {
      return keystoneError(
        400,
        "Bad Request",
        'Expecting auth.identity with methods ["password"] and password.user.',
        requestId,
      );
    }
    const domain = isRecord(user.domain) ? user.domain : undefined;
    const domainMatches =
      domain !== undefined && (domain.name === this.iam.accountName || domain.id === this.domainId);
    if (
      !domainMatches ||
      (user.name !== this.iam.userName && user.id !== this.userId) ||
      user.password !== this.iam.password
    ) {
      return keystoneError(401, "Unauthorized", UNAUTHORIZED, requestId);
    }
    const scope = isRecord(auth.scope) ? auth.scope : undefined;
    let project: HuaweiProject | undefined;
    if (scope && isRecord(scope.project)) {
      const wanted = scope.project;
      project = this.projects.find((p) =>
        wanted.id !== undefined ? p.id === wanted.id : wanted.name !== undefined && p.name === wanted.name,
      );
      // Keystone refuses a scope the user has no role on with 401.
      if (!project) return keystoneError(401, "Unauthorized", UNAUTHORIZED, requestId);
    } else if (scope && isRecord(scope.domain)) {
      const wanted = scope.domain;
      if (wanted.name !== this.iam.accountName && wanted.id !== this.domainId) {
        return keystoneError(401, "Unauthorized", UNAUTHORIZED, requestId);
      }
    }
    const issuedAt = this.now();
    const token: IssuedToken = {
      // Opaque, and long like the real (PKI) tokens, so clients meet multi-kilobyte headers.
      token: `MII${randomBytes(1536).toString("base64url")}`,
      userName: this.iam.userName,
      projectId: project?.id,
      issuedAt,
      expiresAt: issuedAt + this.tokenTtlMs,
      expired: false,
    };
    this.issuedTokens.push(token);
    this.tokensByValue.set(token.token, token);
    const domainRef = { id: this.domainId, name: this.iam.accountName };
    const nocatalog = new URLSearchParams(query).get("nocatalog");
    const tokenBody: Record<string, unknown> = {
      expires_at: iamTime(token.expiresAt),
      issued_at: iamTime(issuedAt),
      methods: ["password"],
      user: { domain: domainRef, id: this.userId, name: this.iam.userName, password_expires_at: "" },
      roles: [{ id: deterministicHex("role:te_admin", 32), name: "te_admin" }],
    };
    if (project) tokenBody.project = { domain: domainRef, id: project.id, name: project.name };
    else if (scope && isRecord(scope.domain)) tokenBody.domain = domainRef;
    if (!nocatalog) {
      tokenBody.catalog = [
        {
          type: this.service.type,
          id: deterministicHex(`service:${this.service.name}`, 32),
          name: this.service.name,
          endpoints: [
            {
              url: this.url,
              region: this.region,
              region_id: this.region,
              interface: "public",
              id: deterministicHex(`endpoint:${this.service.name}`, 32),
            },
          ],
        },
      ];
    }
    return huaweiJson(201, { token: tokenBody }, requestId, { "x-subject-token": token.token });
  }

  /** `POST /v3.0/OS-CREDENTIAL/securitytokens` with a token: temporary AK/SK and security token. */
  private issueSecurityToken(request: RecordedRequest, requestId: string): FakeResponse {
    const value = request.headers["x-auth-token"];
    const token = value === undefined ? undefined : this.tokensByValue.get(value.trim());
    if (!token || token.expired || token.expiresAt <= this.now()) {
      return keystoneError(401, "Unauthorized", UNAUTHORIZED, requestId);
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return keystoneError(400, "Bad Request", "The request body is not valid JSON.", requestId);
    }
    const identity = isRecord(body) && isRecord(body.auth) ? body.auth.identity : undefined;
    const methods = isRecord(identity) && Array.isArray(identity.methods) ? identity.methods : [];
    if (!isRecord(identity) || !methods.includes("token")) {
      return keystoneError(400, "Bad Request", 'Expecting auth.identity with methods ["token"].', requestId);
    }
    const tokenField = isRecord(identity.token) ? identity.token : {};
    const duration = tokenField.duration_seconds ?? 900;
    if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 900 || duration > 86_400) {
      return keystoneError(
        400,
        "Bad Request",
        "duration_seconds must be an integer from 900 to 86400.",
        requestId,
      );
    }
    const expiresAt = this.now() + duration * 1000;
    const key: HuaweiAccessKey = {
      accessKey: randomString(ALNUM_UPPER, 20),
      secretKey: randomString(ALNUM, 40),
      securityToken: `gQ${randomBytes(768).toString("base64")}`,
      expiresAt,
    };
    this.addAccessKey(key);
    return huaweiJson(
      201,
      {
        credential: {
          access: key.accessKey,
          expires_at: iamTime(expiresAt),
          secret: key.secretKey,
          securitytoken: key.securityToken,
        },
      },
      requestId,
    );
  }

  /** `GET /v3/projects[?name=<region>]`: how SDKs turn a region into a project id. */
  private listProjects(request: RecordedRequest, query: string, requestId: string): FakeResponse {
    const outcome = this.authenticate(request, requestId);
    if (!outcome.ok) return outcome.response;
    const name = new URLSearchParams(query).get("name");
    const projects = this.projects
      .filter((p) => name === null || p.name === name)
      .map((p) => ({
        id: p.id,
        name: p.name,
        domain_id: this.domainId,
        parent_id: this.domainId,
        enabled: true,
        is_domain: false,
        description: "",
        links: { self: `${this.url}/v3/projects/${p.id}` },
      }));
    return huaweiJson(
      200,
      { projects, links: { self: `${this.url}${request.target}`, next: null, previous: null } },
      requestId,
    );
  }
}

/** Seeds `count` or the given names into a deduplicated list (names kept as given). */
export function seedNames(
  seed: number | string[] | undefined,
  fallback: number,
  make: (count: number) => string[],
): string[] {
  const names = Array.isArray(seed) ? seed : make(seed ?? fallback);
  return [...new Set(names)];
}

/** Decodes a path segment; a malformed escape is kept as received. */
export function decodeSegment(segment: string): string {
  return safeDecode(segment);
}

/**
 * The seeded buckets of a fake, kept sorted by the UTF-8 bytes of their names (binary-search
 * insert and delete), with the JSON body rendered once and reused until the list changes — so a
 * 25,000-bucket listing costs one `JSON.stringify`, not one per request.
 */
export class BucketStore<T> {
  /** Live, sorted: the same array for the life of the store. */
  readonly items: T[] = [];
  private cached: string | undefined;

  constructor(
    private readonly nameOf: (item: T) => string,
    private readonly render: (items: readonly T[]) => unknown,
    initial: T[],
  ) {
    const keyed = initial.map((item) => ({ item, key: Buffer.from(nameOf(item)) }));
    keyed.sort((a, b) => Buffer.compare(a.key, b.key));
    for (const { item } of keyed) this.items.push(item);
  }

  /** Index of `name`, or `-(insertion point) - 1` when absent. */
  private search(name: string): number {
    const key = Buffer.from(name);
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = Buffer.compare(Buffer.from(this.nameOf(this.items[mid] as T)), key);
      if (cmp === 0) return mid;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  find(name: string): T | undefined {
    const at = this.search(name);
    return at >= 0 ? this.items[at] : undefined;
  }

  /** Adds an item; throws if one of that name exists. */
  add(item: T): T {
    const at = this.search(this.nameOf(item));
    if (at >= 0) throw new Error(`bucket "${this.nameOf(item)}" already exists`);
    this.items.splice(-at - 1, 0, item);
    this.cached = undefined;
    return item;
  }

  /** Removes the item named `name`; false when there is none. */
  remove(name: string): boolean {
    const at = this.search(name);
    if (at < 0) return false;
    this.items.splice(at, 1);
    this.cached = undefined;
    return true;
  }

  /** Call after changing an item in place. */
  touch(): void {
    this.cached = undefined;
  }

  /** The JSON body of the whole listing. */
  body(): string {
    this.cached ??= JSON.stringify(this.render(this.items));
    return this.cached;
  }
}
