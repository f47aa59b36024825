/**
 * A fake of Hitachi VSP One Object's Management API (MAPI) and of its Keycloak, on one server so a
 * client can point both its token URL and its MAPI base at it:
 *
 * - `POST /ui/auth/realms/vsp-object/protocol/openid-connect/token`: Keycloak's password and
 *   refresh-token grants (form body), JWT-shaped tokens, Keycloak's `{error, error_description}` bodies;
 * - `GET /mapi/v1/csrf`: the Vert.x CSRF cookies `XSRF-TOKEN` and `vertx-web.session`;
 * - `POST /mapi/v1/user/list_buckets`: a user's buckets in pages, behind the bearer token (401) and
 *   the double-submit CSRF check (403).
 *
 * What the vendor leaves undocumented is decided here and marked "fake's choice": the 403 body, the
 * error `code` strings, the page token's format, the last page's missing `pageToken` (the spec's
 * assumption), and the checks' order (method, bearer, CSRF, body, user).
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { bucketNames } from "../seed.js";
import {
  type FakeHttpServer,
  type FakeResponse,
  type FakeServerOptions,
  type RecordedRequest,
  startHttpFake,
} from "../server.js";
import { byteString, lowerBound, upperBound } from "../sorted.js";

/** A bucket in a user's listing. */
export interface HitachiBucket {
  bucketId: number;
  bucketName: string;
}

/** A token the fake's Keycloak issued. */
export interface HitachiToken {
  /** The token itself (JWT-shaped). */
  token: string;
  kind: "access" | "refresh";
  username: string;
  clientId: string;
  /** Keycloak's `session_state`, shared by the tokens of one login. */
  sessionState: string;
  /** Fake-clock ms. */
  issuedAt: number;
  /** Fake-clock ms; refused from this instant on. */
  expiresAt: number;
}

/** A CSRF session the fake issued (`vertx-web.session` → its `XSRF-TOKEN`). */
export interface HitachiCsrfSession {
  session: string;
  xsrfToken: string;
  /** Fake-clock ms. */
  expiresAt: number;
}

/** Options of {@link startHitachiFake}. */
export interface HitachiFakeOptions extends FakeServerOptions {
  /** MAPI users: user id → a count of generated buckets or the bucket names (default: user `-468170324` with 8 buckets). */
  users?: Record<number, number | string[]>;
  /** How an unknown user id is answered: `404` (3.3.x guide, the default) or an empty list (`empty`, 3.0.x guide). */
  unknownUser?: "not-found" | "empty";
  /** The Keycloak user (default `admin`). */
  username?: string;
  /** Its password. */
  password?: string;
  /** The OAuth client (default `vsp-object-external-client`). */
  clientId?: string;
  /** A client secret: when set the client is confidential and the secret is required. */
  clientSecret?: string;
  /** Access-token lifetime in seconds (default 300, Keycloak's default). */
  tokenTtlSeconds?: number;
  /** Refresh-token lifetime in seconds (default 1800, Keycloak's default SSO idle time). */
  refreshTtlSeconds?: number;
  /** CSRF session lifetime in seconds (default 1800, Vert.x's default). */
  csrfTtlSeconds?: number;
  /** The clock tokens and sessions are checked against (ms since epoch; default `Date.now`). */
  now?: () => number;
}

/** The credentials the fake's Keycloak accepts. */
export interface HitachiCredentials {
  username: string;
  password: string;
  clientId: string;
  clientSecret?: string;
}

/** A running VSP One Object fake. */
export interface HitachiFake extends FakeHttpServer {
  /** What to log in with. */
  readonly credentials: HitachiCredentials;
  /** The fake's URLs: the Keycloak token endpoint, the MAPI base (`${url}/mapi`) and the CSRF call. */
  readonly cluster: { tokenUrl: string; mapiUrl: string; csrfUrl: string };
  /** The user id seeded by default (`-468170324`, the id in Hitachi's playbook). */
  readonly defaultUserId: number;
  /** The users and their buckets, in listing (UTF-8 byte) order. */
  readonly users: ReadonlyMap<number, readonly HitachiBucket[]>;
  /** Every token issued, by token (expired ones included). */
  readonly issuedTokens: ReadonlyMap<string, HitachiToken>;
  /** The live CSRF sessions, by `vertx-web.session` value. */
  readonly csrfSessions: ReadonlyMap<string, HitachiCsrfSession>;
  /** Adds a user (replacing one of the same id) with a count of generated buckets or the names. */
  addUser(id: number, buckets?: number | string[]): void;
  /** Removes a user; false if there was none. */
  removeUser(id: number): boolean;
  /** Adds a bucket to a user (created if missing) and returns it; an existing name is returned as is. */
  addBucket(userId: number, name: string): HitachiBucket;
  /** Removes a user's bucket; false if there was none. */
  removeBucket(userId: number, name: string): boolean;
  /** Expires every access token now (what the `expire-tokens` fault does); refresh tokens stay valid. */
  expireTokens(): void;
  /** Expires every refresh token now, so only a new password grant works. */
  expireRefreshTokens(): void;
  /** Drops every CSRF session: the next MAPI call answers 403 until new cookies are fetched. */
  expireCsrfSessions(): void;
  /** The fake's clock (ms since epoch). */
  now(): number;
  /** Moves the fake's clock forward (or back, with a negative value). */
  advanceClock(ms: number): void;
}

const REALM = "vsp-object";
const TOKEN_PATH = `/ui/auth/realms/${REALM}/protocol/openid-connect/token`;
const CSRF_PATH = "/mapi/v1/csrf";
const LIST_PATH = "/mapi/v1/user/list_buckets";
const DEFAULT_USER_ID = -468170324;
/** The 3.0.x guide's default (and maximum) `count`; 3.3.x documents none. */
const DEFAULT_COUNT = 1000;
const INT32_MAX = 2 ** 31 - 1;
const INT64_LIMIT = 2 ** 63;

/** A stored bucket with its name as a byte string (one char per UTF-8 byte), the sort key. */
interface Entry {
  key: string;
  bucket: HitachiBucket;
}

/** Starts a fake of VSP One Object's Keycloak + Management API (`list_buckets`, `csrf`). */
export async function startHitachiFake(options: HitachiFakeOptions = {}): Promise<HitachiFake> {
  const credentials: HitachiCredentials = {
    username: options.username ?? "admin",
    password: options.password ?? "vsp-object-Passw0rd!",
    clientId: options.clientId ?? "vsp-object-external-client",
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
  };
  const tokenTtlMs = (options.tokenTtlSeconds ?? 300) * 1000;
  const refreshTtlMs = (options.refreshTtlSeconds ?? 1800) * 1000;
  const csrfTtlMs = (options.csrfTtlSeconds ?? 1800) * 1000;
  let clockOffset = 0;
  const clock = options.now ?? Date.now;
  const now = () => clock() + clockOffset;
  const signingKey = randomBytes(32);
  const tokens = new Map<string, HitachiToken>();
  const sessions = new Map<string, HitachiCsrfSession>();
  const users = new Map<number, Entry[]>();
  let nextBucketId = 1;
  let baseUrl = "";

  const makeEntries = (buckets: number | string[]): Entry[] => {
    const names = typeof buckets === "number" ? bucketNames(buckets) : buckets;
    const byKey = new Map<string, Entry>();
    for (const name of names) {
      if (typeof name !== "string" || name === "")
        throw new TypeError("Hitachi fake: bucket names must be non-empty strings");
      const key = byteString(name);
      if (!byKey.has(key)) byKey.set(key, { key, bucket: { bucketId: nextBucketId++, bucketName: name } });
    }
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const addUser = (id: number, buckets: number | string[] = 0) => {
    if (!Number.isInteger(id)) throw new TypeError(`Hitachi fake: user ids are integers, not ${id}`);
    users.set(id, makeEntries(buckets));
  };
  for (const [id, buckets] of Object.entries(options.users ?? { [DEFAULT_USER_ID]: 8 }))
    addUser(Number(id), buckets);

  // --- Keycloak ---------------------------------------------------------------------------------

  const jwt = (claims: Record<string, unknown>): string => {
    const header = base64urlJson({ alg: "HS256", typ: "JWT", kid: "vsp-object-fake" });
    const payload = base64urlJson(claims);
    const signature = createHmac("sha256", signingKey).update(`${header}.${payload}`).digest("base64url");
    return `${header}.${payload}.${signature}`;
  };

  const issue = (kind: HitachiToken["kind"], clientId: string, sessionState: string): HitachiToken => {
    const issuedAt = now();
    const expiresAt = issuedAt + (kind === "access" ? tokenTtlMs : refreshTtlMs);
    const issuer = `${baseUrl}/ui/auth/realms/${REALM}`;
    const token = jwt({
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor(issuedAt / 1000),
      jti: randomUUID(),
      iss: issuer,
      aud: kind === "access" ? "account" : issuer,
      sub: "3f8c1c2e-5a3b-4c1d-9e7f-0a1b2c3d4e5f",
      typ: kind === "access" ? "Bearer" : "Refresh",
      azp: clientId,
      session_state: sessionState,
      sid: sessionState,
      scope: "profile email",
      ...(kind === "access" ? { preferred_username: credentials.username } : {}),
    });
    const record: HitachiToken = {
      token,
      kind,
      username: credentials.username,
      clientId,
      sessionState,
      issuedAt,
      expiresAt,
    };
    tokens.set(token, record);
    return record;
  };

  const grant = (request: RecordedRequest): FakeResponse => {
    if (request.method !== "POST") return empty(405);
    const contentType = request.headers["content-type"] ?? "";
    // Keycloak's token endpoint consumes forms only (fake's choice of body for the refusal).
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
      return oauthError(415, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const form = new URLSearchParams(request.body.toString("utf8"));
    const grantType = form.get("grant_type");
    if (!grantType) return oauthError(400, "invalid_request", "Missing form parameter: grant_type");
    if (grantType !== "password" && grantType !== "refresh_token") {
      return oauthError(400, "unsupported_grant_type", "Unsupported grant_type");
    }
    // Client authentication comes before the grant, as in Keycloak.
    const clientId = form.get("client_id");
    if (clientId !== credentials.clientId) {
      return oauthError(401, "invalid_client", "Invalid client or Invalid client credentials");
    }
    if (credentials.clientSecret !== undefined && form.get("client_secret") !== credentials.clientSecret) {
      return oauthError(401, "invalid_client", "Invalid client or Invalid client credentials");
    }
    let sessionState: string;
    if (grantType === "password") {
      const username = form.get("username");
      if (!username) return oauthError(401, "invalid_request", "Missing parameter: username");
      if (username !== credentials.username || form.get("password") !== credentials.password) {
        return oauthError(401, "invalid_grant", "Invalid user credentials");
      }
      sessionState = randomUUID();
    } else {
      const refreshToken = form.get("refresh_token");
      if (!refreshToken) return oauthError(400, "invalid_request", "Missing parameter: refresh_token");
      const record = tokens.get(refreshToken);
      if (record?.kind !== "refresh") return oauthError(400, "invalid_grant", "Invalid refresh token");
      if (now() >= record.expiresAt) return oauthError(400, "invalid_grant", "Token is not active");
      if (record.clientId !== clientId) {
        return oauthError(
          400,
          "invalid_grant",
          "Invalid refresh token. Token client and authorized client don't match",
        );
      }
      sessionState = record.sessionState;
    }
    const access = issue("access", clientId, sessionState);
    const refresh = issue("refresh", clientId, sessionState);
    return {
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" },
      body: JSON.stringify({
        access_token: access.token,
        expires_in: Math.round(tokenTtlMs / 1000),
        refresh_expires_in: Math.round(refreshTtlMs / 1000),
        refresh_token: refresh.token,
        token_type: "Bearer",
        "not-before-policy": 0,
        session_state: sessionState,
        scope: "profile email",
      }),
    };
  };

  /** The bearer token's record if it is a live access token. */
  const bearer = (request: RecordedRequest): HitachiToken | undefined => {
    const match = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    const record = match ? tokens.get(match[1]!) : undefined;
    return record && record.kind === "access" && now() < record.expiresAt ? record : undefined;
  };

  // --- MAPI -------------------------------------------------------------------------------------

  const csrf = (request: RecordedRequest): FakeResponse => {
    if (request.method !== "GET") return empty(405);
    // The bearer token is optional here (Hitachi's automation sends none), but a sent one must be good.
    if (request.headers.authorization !== undefined && !bearer(request)) return unauthorized();
    const issuedAt = now();
    // Vert.x's CSRF token: random.timestamp.signature.
    const random = randomBytes(32).toString("base64url");
    const signature = createHmac("sha256", signingKey).update(`${random}.${issuedAt}`).digest("base64url");
    const xsrfToken = `${random}.${issuedAt}.${signature}`;
    const session = randomBytes(16).toString("hex");
    sessions.set(session, { session, xsrfToken, expiresAt: issuedAt + csrfTtlMs });
    return {
      status: 200,
      headers: {
        "content-length": "0",
        "set-cookie": [`XSRF-TOKEN=${xsrfToken}; Path=/`, `vertx-web.session=${session}; Path=/; HttpOnly`],
      },
    };
  };

  const listBuckets = (request: RecordedRequest): FakeResponse => {
    if (request.method !== "POST") return empty(405);
    if (!bearer(request)) return unauthorized();
    if (!csrfOk(request)) {
      // Fake's choice: the guide documents no 403 (nor its body); this is the MAPI error shape.
      return mapiError(
        403,
        "FORBIDDEN",
        "CSRF verification failed",
        "X-XSRF-TOKEN must repeat the XSRF-TOKEN cookie of a live vertx-web.session (GET /mapi/v1/csrf)",
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return badRequest("The request body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return badRequest("The request body must be a JSON object");
    }
    const { id, count, pageToken, ...unknown } = body as Record<string, unknown>;
    const extra = Object.keys(unknown);
    if (extra.length > 0) return badRequest(`Unknown field(s): ${extra.join(", ")}`);
    if (id === undefined || id === null) return badRequest("id is required");
    if (typeof id !== "number" || !Number.isInteger(id) || Math.abs(id) >= INT64_LIMIT) {
      return badRequest("id must be an integer");
    }
    let size = DEFAULT_COUNT;
    if (count !== undefined && count !== null) {
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > INT32_MAX) {
        return badRequest("count must be an integer of at least 1");
      }
      size = count;
    }
    if (pageToken !== undefined && pageToken !== null && typeof pageToken !== "string") {
      return badRequest("pageToken must be a string");
    }
    const entries = users.get(id);
    if (!entries) {
      if (options.unknownUser === "empty") return json(200, { buckets: [] });
      return mapiError(404, "NOT_FOUND", "User not found", `No user with id ${id}`);
    }
    let start = 0;
    if (pageToken) {
      const after = decodePageToken(pageToken, id);
      if (after === undefined) return badRequest("Invalid pageToken");
      start = upperBound(entries, after);
    }
    const page = entries.slice(start, start + size);
    const more = start + page.length < entries.length;
    const last = page.at(-1);
    return json(200, {
      buckets: page.map((e) => e.bucket),
      // The last page carries no pageToken (the spec's assumption).
      ...(more && last ? { pageToken: encodePageToken(id, last.key) } : {}),
    });
  };

  /** Double submit: header = `XSRF-TOKEN` cookie, and the session cookie names a live session holding it. */
  const csrfOk = (request: RecordedRequest): boolean => {
    const header = request.headers["x-xsrf-token"];
    const cookies = parseCookies(request.headers.cookie ?? "");
    const cookie = cookies.get("XSRF-TOKEN");
    const session = sessions.get(cookies.get("vertx-web.session") ?? "");
    if (!header || header !== cookie || !session) return false;
    if (now() >= session.expiresAt) {
      sessions.delete(session.session);
      return false;
    }
    return session.xsrfToken === header;
  };

  const expire = (kind: HitachiToken["kind"]) => {
    const at = now();
    for (const record of tokens.values()) {
      if (record.kind === kind) record.expiresAt = Math.min(record.expiresAt, at);
    }
  };

  const server = await startHttpFake(
    (request) => {
      const path = request.target.split("?")[0] ?? "";
      switch (path) {
        case TOKEN_PATH:
          return grant(request);
        case CSRF_PATH:
          return csrf(request);
        case LIST_PATH:
          return listBuckets(request);
        default:
          return empty(404);
      }
    },
    {
      ...options,
      onFault: (fault) => {
        if (fault.kind === "expire-tokens") expire("access");
      },
    },
  );
  baseUrl = server.url;

  const fake = Object.assign(server, {
    credentials,
    cluster: {
      tokenUrl: `${server.url}${TOKEN_PATH}`,
      mapiUrl: `${server.url}/mapi`,
      csrfUrl: `${server.url}${CSRF_PATH}`,
    },
    defaultUserId: DEFAULT_USER_ID,
    // Replaced by a live getter below.
    users: new Map() as ReadonlyMap<number, readonly HitachiBucket[]>,
    issuedTokens: tokens,
    csrfSessions: sessions,
    addUser,
    removeUser: (id: number) => users.delete(id),
    addBucket(userId: number, name: string): HitachiBucket {
      if (!users.has(userId)) addUser(userId);
      const entries = users.get(userId)!;
      const key = byteString(name);
      const at = lowerBound(entries, key);
      if (entries[at]?.key === key) return entries[at].bucket;
      const entry = { key, bucket: { bucketId: nextBucketId++, bucketName: name } };
      entries.splice(at, 0, entry);
      return entry.bucket;
    },
    removeBucket(userId: number, name: string): boolean {
      const entries = users.get(userId);
      if (!entries) return false;
      const key = byteString(name);
      const at = lowerBound(entries, key);
      if (entries[at]?.key !== key) return false;
      entries.splice(at, 1);
      return true;
    },
    expireTokens: () => expire("access"),
    expireRefreshTokens: () => expire("refresh"),
    expireCsrfSessions: () => sessions.clear(),
    now,
    advanceClock(ms: number) {
      clockOffset += ms;
    },
  });
  // A live view (Object.assign would copy a getter's value once).
  Object.defineProperty(fake, "users", {
    enumerable: true,
    get: () => new Map([...users].map(([id, entries]) => [id, entries.map((e) => e.bucket)])),
  });
  return fake;
}

/** The page token: opaque to clients (base64url of the user id and the last name returned). */
function encodePageToken(userId: number, lastKey: string): string {
  return Buffer.from(`v1\n${userId}\n${lastKey}`, "latin1").toString("base64url");
}

/** The byte-string name a page token continues after, or undefined if it is not one of ours for this user. */
function decodePageToken(token: string, userId: number): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const decoded = Buffer.from(token, "base64url");
  if (decoded.toString("base64url") !== token) return undefined;
  const match = /^v1\n(-?\d+)\n([\s\S]+)$/.exec(decoded.toString("latin1"));
  if (!match || Number(match[1]) !== userId) return undefined;
  return match[2];
}

/** MAPI's error body `{code, message, details}` (code strings: fake's choice). */
function mapiError(status: number, code: string, message: string, details: string): FakeResponse {
  return json(status, { code, message, details });
}

function badRequest(details: string): FakeResponse {
  return mapiError(
    400,
    "BAD_REQUEST",
    "The request was missing a user id or parameters are invalid",
    details,
  );
}

/** An answer without a body (405 and 404 document none). */
function empty(status: number): FakeResponse {
  return { status, headers: { "content-length": "0" } };
}

/** MAPI's 401: no documented body, so none. */
function unauthorized(): FakeResponse {
  return { status: 401, headers: { "www-authenticate": "Bearer", "content-length": "0" } };
}

function oauthError(status: number, error: string, description: string): FakeResponse {
  return json(status, { error, error_description: description });
}

function json(status: number, value: unknown): FakeResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function parseCookies(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header.split(/;\s*/)) {
    const at = part.indexOf("=");
    if (at > 0) {
      const name = part.slice(0, at).trim();
      // The first occurrence wins, as in most cookie parsers.
      if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
    }
  }
  return cookies;
}
