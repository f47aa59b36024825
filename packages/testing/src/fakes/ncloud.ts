/**
 * A fake of NAVER Cloud Archive Storage: OpenStack Swift 2.15.1's account `GET /v1/AUTH_{project_id}`
 * (container listing) behind a Keystone v3 token service on the same server (`/v3/auth/tokens`).
 *
 * The listing follows Swift 2.15.1 to the byte (swift/account/server.py, swift/account/backend.py
 * `list_containers_iter`, swift/account/utils.py, swift/common/request_helpers.py, swob's `Accept`):
 * query strings parsed like Python 2's `parse_qsl` (`&` and `;` separate pairs, the last value wins),
 * names compared as UTF-8 bytes, `limit` digits-only (default and maximum 10000, above → 412),
 * `delimiter` one byte (else 412 `Bad delimiter`), `reverse` swapping `marker` and `end_marker`,
 * `format` overriding `Accept` (406 when nothing matches), JSON written like Python's `json.dumps`
 * (`ensure_ascii`, `", "` separators, the key order of the vendor's example), XML and plain text as
 * Swift writes them, and `204` for an empty plain-text listing. The seed page's three examples
 * (Content-Length 38, 206 and 392) are reproduced exactly.
 */
import { randomBytes } from "node:crypto";
import { bucketNames } from "../seed.js";
import {
  type FakeHttpServer,
  type FakeResponse,
  type FakeServerOptions,
  type RecordedRequest,
  startHttpFake,
} from "../server.js";
import { byteString, lowerBound, textString, upperBound } from "../sorted.js";
import { type KeystoneProject, KeystoneService, type KeystoneToken, type KeystoneUser } from "./keystone.js";

/** A container (bucket) of the account. */
export interface ArchiveStorageContainer {
  name: string;
  /** Objects in the container. */
  count: number | bigint;
  /** Bytes used by the container. */
  bytes: number | bigint;
  /** Swift's `last_modified`: UTC, no zone designator, microseconds (e.g. `2018-09-11T02:11:35.010250`). */
  last_modified: string;
}

/** Usage of one storage policy (the `X-Account-Storage-Policy-{name}-*` headers). */
export interface ArchiveStoragePolicy {
  name: string;
  bytesUsed?: number | bigint | string;
  containerCount?: number | bigint | string;
  objectCount?: number | bigint | string;
}

/** Options of {@link startArchiveStorageFake}. */
export interface ArchiveStorageFakeOptions extends FakeServerOptions {
  /** A count of generated containers or the containers themselves (default 8 generated ones). */
  containers?:
    | number
    | Array<{ name: string; count?: number | bigint; bytes?: number | bigint; last_modified?: string }>;
  /** The API key's access key id: the Keystone user name. */
  accessKeyId?: string;
  /** The API key's secret key: the Keystone password. */
  secretKey?: string;
  /** The Keystone domain id of the user and project (default `default`, as in the vendor's examples). */
  domainId?: string;
  /** The project id; the account is `AUTH_{projectId}`. */
  projectId?: string;
  /** Further projects the key may scope tokens to (their accounts list empty, like Swift's auto-created accounts). */
  extraProjectIds?: string[];
  /** Token lifetime in ms (default 24 hours). */
  tokenTtlMs?: number;
  /** The clock tokens are checked against (ms since epoch; default `Date.now`). */
  now?: () => number;
  /** Account metadata: each key is sent as `X-Account-Meta-{key}` (e.g. `Temp-URL-Key`, `Quota-Bytes`). */
  metadata?: Record<string, string>;
  /** Storage-policy usage headers (none by default, as in the vendor's examples). */
  policies?: ArchiveStoragePolicy[];
  /** `X-Account-Bytes-Used` instead of the containers' sum (a bigint or decimal string may exceed 2^53). */
  accountBytesUsed?: bigint | number | string;
  /** `X-Account-Object-Count` instead of the containers' sum. */
  accountObjectCount?: bigint | number | string;
  /** `X-Account-Container-Count` instead of the number of containers. */
  accountContainerCount?: bigint | number | string;
  /** `X-Timestamp` of the account, in UNIX seconds (default `1535685069.28154`, the vendor's example). */
  timestamp?: number | string;
  /**
   * Roll up a name whose delimiter comes first (`.hidden` with delimiter `.` and no prefix) into the
   * subdir `.`, as Swift does since 2.24.0 (Debian's 2.30.1 among them); 2.15.1 lists such names as
   * containers (default false).
   */
  rollUpLeadingDelimiter?: boolean;
}

/** The credentials the fake accepts (NAVER's API key and the console's project and domain ids). */
export interface ArchiveStorageCredentials {
  accessKeyId: string;
  secretKey: string;
  domainId: string;
  projectId: string;
}

/** A running NAVER Archive Storage fake. */
export interface ArchiveStorageFake extends FakeHttpServer {
  /** What to authenticate with. */
  readonly credentials: ArchiveStorageCredentials;
  /** The Keystone endpoint (this server; tokens at `${keystoneUrl}/v3/auth/tokens`). */
  readonly keystoneUrl: string;
  /** The Swift account URL, `${url}/v1/AUTH_{projectId}`. */
  readonly storageUrl: string;
  /** The account name, `AUTH_{projectId}`. */
  readonly account: string;
  /** The containers, in listing (UTF-8 byte) order. */
  readonly containers: readonly ArchiveStorageContainer[];
  /** Every token issued, by token (expired and revoked ones included). */
  readonly issuedTokens: ReadonlyMap<string, KeystoneToken>;
  /** Adds (or replaces) a container; missing stats default to 0 and now. */
  addContainer(container: {
    name: string;
    count?: number | bigint;
    bytes?: number | bigint;
    last_modified?: string;
  }): void;
  /** Removes a container; false if there was none of that name. */
  removeContainer(name: string): boolean;
  /** Expires every issued token now (what the `expire-tokens` fault does). */
  expireTokens(): void;
  /** The fake's clock (ms since epoch). */
  now(): number;
  /** Moves the fake's clock forward (or back, with a negative value). */
  advanceClock(ms: number): void;
}

/** Swift's `ACCOUNT_LISTING_LIMIT`: default and maximum `limit`. */
const LISTING_LIMIT = 10000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** swob's generic error pages (title, explanation). */
const REASONS: Record<number, [string, string]> = {
  400: [
    "Bad Request",
    "The server could not comply with the request since it is either malformed or otherwise incorrect.",
  ],
  401: [
    "Unauthorized",
    "This server could not verify that you are authorized to access the document you requested.",
  ],
  403: ["Forbidden", "Access was denied to this resource."],
  404: ["Not Found", "The resource could not be found."],
  405: ["Method Not Allowed", "The method is not allowed for this resource."],
  406: ["Not Acceptable", "The resource is not available in a format acceptable to your browser."],
  412: ["Precondition Failed", "A precondition for this request was not met."],
};

/** A stored container with its name as a byte string (one char per UTF-8 byte), Swift's sort key. */
interface Entry {
  key: string;
  container: ArchiveStorageContainer;
}

/** A listing row: a container or a rolled-up `subdir` (`key` is a byte string). */
type Row = { key: string; container: ArchiveStorageContainer } | { key: string; container?: undefined };

/** Starts a fake of NAVER Cloud Archive Storage (Swift account listing + Keystone v3 tokens). */
export async function startArchiveStorageFake(
  options: ArchiveStorageFakeOptions = {},
): Promise<ArchiveStorageFake> {
  const credentials: ArchiveStorageCredentials = {
    accessKeyId: options.accessKeyId ?? "NCPFAKEACCESSKEY0001",
    secretKey: options.secretKey ?? "ncpFakeSecretKey0000000000000000000000001",
    domainId: options.domainId ?? "default",
    projectId: options.projectId ?? "5942771066a0482bb6aaf7f5bc792b00",
  };
  const account = `AUTH_${credentials.projectId}`;
  let clockOffset = 0;
  const clock = options.now ?? Date.now;
  const now = () => clock() + clockOffset;

  const projectIds = [credentials.projectId, ...(options.extraProjectIds ?? [])];
  const projects: KeystoneProject[] = projectIds.map((id, i) => ({
    id,
    name: i === 0 ? "ncloud-archive-storage" : `ncloud-project-${i}`,
    domainId: credentials.domainId,
    domainName: credentials.domainId === "default" ? "Default" : credentials.domainId,
  }));
  const user: KeystoneUser = {
    id: randomBytes(16).toString("hex"),
    name: credentials.accessKeyId,
    password: credentials.secretKey,
    domainId: credentials.domainId,
    domainName: projects[0]!.domainName,
    projectIds,
  };
  const keystone = new KeystoneService({
    users: [user],
    projects,
    ttlMs: options.tokenTtlMs ?? DAY_MS,
    now,
    rejectDomainName: true,
    catalog: (project, baseUrl) => [
      {
        type: "object-store",
        name: "swift",
        id: "c3ba7a4ac5b3429ab6b5c61c1e7d1d6a",
        endpoints: [
          {
            id: "0b46c3cd1de14cfb8b8db44b6e7a6d3c",
            interface: "public",
            region: "KR",
            region_id: "KR",
            url: `${baseUrl}/v1/AUTH_${project.id}`,
          },
        ],
      },
    ],
  });

  const entries = seedContainers(options.containers);
  const leading = options.rollUpLeadingDelimiter === true;
  const timestamp =
    typeof options.timestamp === "string"
      ? options.timestamp
      : swiftNormal(options.timestamp ?? 1535685069.28154);

  const find = (key: string) => {
    const i = lowerBound(entries, key);
    return i < entries.length && entries[i]!.key === key ? i : -1;
  };

  // The account's sums, kept until a container is added or removed: summing 25,000 containers
  // on every answer made the fake, not the client, the bottleneck of paging tests.
  let totals: { objects: bigint; bytes: bigint } | undefined;
  const accountTotals = () => {
    if (totals) return totals;
    totals = { objects: 0n, bytes: 0n };
    for (const { container } of entries) {
      totals.objects += BigInt(container.count);
      totals.bytes += BigInt(container.bytes);
    }
    return totals;
  };

  const accountHeaders = (own: boolean): Record<string, string> => {
    const { objects, bytes } = own ? accountTotals() : { objects: 0n, bytes: 0n };
    const headers: Record<string, string> = {
      "X-Account-Container-Count": String(own ? (options.accountContainerCount ?? entries.length) : 0),
      "X-Account-Object-Count": String(own ? (options.accountObjectCount ?? objects) : 0),
      "X-Account-Bytes-Used": String(own ? (options.accountBytesUsed ?? bytes) : 0),
      "X-Timestamp": own ? timestamp : swiftNormal(now() / 1000),
    };
    if (own) {
      for (const policy of options.policies ?? []) {
        const prefix = `X-Account-Storage-Policy-${policy.name}`;
        headers[`${prefix}-Bytes-Used`] = String(policy.bytesUsed ?? 0);
        headers[`${prefix}-Container-Count`] = String(policy.containerCount ?? 0);
        headers[`${prefix}-Object-Count`] = String(policy.objectCount ?? 0);
      }
      // Swift leaves out metadata whose value is empty (that is how a key is deleted).
      for (const [key, value] of Object.entries(options.metadata ?? {})) {
        if (value !== "") headers[`X-Account-Meta-${key}`] = value;
      }
    }
    headers["x-account-project-domain-id"] = credentials.domainId;
    return headers;
  };

  let baseUrl = "";

  const route = (request: RecordedRequest): FakeResponse => {
    const [rawPath = "", query = ""] = splitOnce(request.target, "?");
    const segments = rawPath.split("/");
    // `/v1/{account}` or `/v1/{account}/` (Swift strips the trailing slash of an account path).
    if (
      segments[1] !== "v1" ||
      !segments[2] ||
      segments.length > 4 ||
      (segments.length === 4 && segments[3] !== "")
    ) {
      return swiftError(404);
    }
    // Swift unquotes the path and refuses what is not UTF-8 (proxy `check_utf8`).
    const accountBytes = unquote(segments[2], false);
    if (!isUtf8(accountBytes) || accountBytes.includes("\0"))
      return swiftError(412, "Invalid UTF8 or contains NULL");
    const accountName = textString(accountBytes);
    // Swift's keystoneauth: no valid token → 401; a valid token for another account → 403.
    const token = keystone.validate(request.headers["x-auth-token"]);
    if (!token) {
      const answer = swiftError(401);
      answer.headers = {
        ...answer.headers,
        "WWW-Authenticate": [`Swift realm="${encodeURIComponent(accountName)}"`, `Keystone uri='${baseUrl}'`],
      };
      return answer;
    }
    if (accountName !== `AUTH_${token.project.id}`) return swiftError(403);
    if (request.method !== "GET" && request.method !== "HEAD") {
      const answer = swiftError(405);
      answer.headers = { ...answer.headers, Allow: "GET, HEAD" };
      return answer;
    }
    try {
      return accountGet(request, query, accountName);
    } catch (error) {
      if (!(error instanceof BadParam)) throw error;
      return { status: 400, headers: { "Content-Type": "text/plain" }, body: error.message };
    }
  };

  /**
   * swift/account/server.py `GET` (and `HEAD`: the same negotiation, `204` with the headers).
   * Another project's account lists empty, as Swift's `account_autocreate` answers for a new account.
   */
  const accountGet = (request: RecordedRequest, query: string, name: string): FakeResponse => {
    const own = name === account;
    const params = parseQsl(query);
    // request_helpers `get_param`: the raw value, refused (400) when not UTF-8.
    const param = (key: string, fallback?: string): string | undefined => {
      const value = params.has(key) ? params.get(key) : fallback;
      if (value && !isUtf8(value)) throw new BadParam(key);
      return value;
    };
    if (request.method === "HEAD") {
      const type = listingContentType(param("format"), request.headers.accept);
      return type ? noContent(accountHeaders(own), type) : swiftError(406);
    }
    // The order of Swift's checks, so that several bad parameters fail the way Swift fails.
    const prefix = param("prefix");
    const delimiter = param("delimiter");
    if (delimiter && (delimiter.length > 1 || delimiter.charCodeAt(0) > 254))
      return swiftError(412, "Bad delimiter");
    let limit = LISTING_LIMIT;
    const givenLimit = param("limit");
    const reverse = TRUE_VALUES.has((param("reverse") ?? "").toLowerCase());
    // Python's `str.isdigit`: `-1`, `+5` or `ten` are ignored, not refused.
    if (givenLimit && /^[0-9]+$/.test(givenLimit)) {
      limit = Number(givenLimit);
      if (limit > LISTING_LIMIT) return swiftError(412, `Maximum limit is ${LISTING_LIMIT}`);
    }
    const marker = param("marker", "");
    const endMarker = param("end_marker");
    const type = listingContentType(param("format"), request.headers.accept);
    if (!type) return swiftError(406);
    const rows = own
      ? listContainers(entries, limit, marker, endMarker, prefix, delimiter, reverse, leading)
      : [];
    return listingResponse(name, rows, type, accountHeaders(own));
  };

  const server = await startHttpFake(
    (request) => {
      const keystoneAnswer = keystone.handle(request, baseUrl);
      if (keystoneAnswer) return keystoneAnswer;
      const answer = route(request);
      const transId = transactionId();
      answer.headers = { ...answer.headers, "X-Trans-Id": transId, "X-Openstack-Request-Id": transId };
      return answer;
    },
    {
      ...options,
      onFault: (fault) => {
        if (fault.kind === "expire-tokens") keystone.expireAll();
      },
    },
  );
  baseUrl = server.url;

  const fake = Object.assign(server, {
    credentials,
    keystoneUrl: server.url,
    storageUrl: `${server.url}/v1/${account}`,
    account,
    // Replaced by a live getter below.
    containers: [] as readonly ArchiveStorageContainer[],
    issuedTokens: keystone.tokens,
    addContainer(container: {
      name: string;
      count?: number | bigint;
      bytes?: number | bigint;
      last_modified?: string;
    }) {
      const entry = toEntry(container, swiftIsoformat(now() / 1000));
      totals = undefined;
      const at = find(entry.key);
      if (at >= 0) entries[at] = entry;
      else entries.splice(lowerBound(entries, entry.key), 0, entry);
    },
    removeContainer(name: string) {
      const at = find(byteString(name));
      if (at < 0) return false;
      totals = undefined;
      entries.splice(at, 1);
      return true;
    },
    expireTokens() {
      keystone.expireAll();
    },
    now,
    advanceClock(ms: number) {
      clockOffset += ms;
    },
  });
  // A live view (Object.assign would copy a getter's value once).
  Object.defineProperty(fake, "containers", { enumerable: true, get: () => entries.map((e) => e.container) });
  return fake;
}

class BadParam extends Error {
  constructor(readonly param: string) {
    super(`"${param}" parameter not valid UTF-8`);
  }
}

/** Swift's `TRUE_VALUES` (`config_true_value`, compared lower-cased). */
const TRUE_VALUES = new Set(["true", "1", "yes", "on", "t", "y"]);

/**
 * swift/account/backend.py `list_containers_iter` (2.15.1), on a sorted array instead of SQLite:
 * the same bounds, the same re-query after each roll-up, the same `dir_name != orig_marker` rule.
 * Every argument is a byte string. `leading` is the one change of 2.24.0 (commit 698717d88): a
 * delimiter at index 0 rolls up too (`end >= 0` instead of `end > 0`).
 */
function listContainers(
  entries: readonly Entry[],
  limit: number,
  markerIn: string | undefined,
  endMarkerIn: string | undefined,
  prefixIn: string | undefined,
  delimiter: string | undefined,
  reverse: boolean,
  leading: boolean,
): Row[] {
  let marker = markerIn;
  let endMarker = endMarkerIn;
  let prefix = prefixIn;
  if (reverse) [marker, endMarker] = [endMarker, marker];
  let delimForceGte = false;
  if (delimiter && !prefix) prefix = "";
  const endPrefix = prefix
    ? prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    : "";
  const origMarker = marker;
  const results: Row[] = [];
  while (results.length < limit) {
    // name < hi
    let hi: string | undefined;
    if (endMarker && (!prefix || endMarker < endPrefix)) hi = endMarker;
    else if (prefix) hi = endPrefix;
    // name > lo (or >= when inclusive)
    let lo: string | undefined;
    let inclusive = false;
    if (delimForceGte) {
      lo = marker ?? "";
      inclusive = true;
      delimForceGte = false;
    } else if (marker && (prefix === undefined || marker >= prefix)) {
      lo = marker;
    } else if (prefix) {
      lo = prefix;
      inclusive = true;
    }
    const first = lo === undefined ? 0 : inclusive ? lowerBound(entries, lo) : upperBound(entries, lo);
    const stop = hi === undefined ? entries.length : lowerBound(entries, hi);
    const take = limit - results.length;
    // The SQL `ORDER BY name [DESC] LIMIT take` window, walked lazily.
    const at = (n: number) => (reverse ? stop - 1 - n : first + n);
    const size = Math.max(0, Math.min(take, stop - first));

    if (prefix === undefined || !delimiter) {
      for (let n = 0; n < size; n++) results.push(entries[at(n)]!);
      return results;
    }
    let rowcount = 0;
    for (let n = 0; n < size; n++) {
      const row = entries[at(n)]!;
      rowcount += 1;
      const name = row.key;
      if (reverse) endMarker = name;
      else marker = name;
      if (results.length >= limit) return results;
      const end = name.indexOf(delimiter, prefix.length);
      if (end > 0 || (leading && end === 0)) {
        if (reverse) {
          endMarker = name.slice(0, end + 1);
        } else {
          marker = name.slice(0, end) + String.fromCharCode(delimiter.charCodeAt(0) + 1);
          // The next query includes delim+1 itself.
          delimForceGte = true;
        }
        const dirName = name.slice(0, end + 1);
        if (dirName !== origMarker) results.push({ key: dirName });
        break;
      }
      results.push(row);
    }
    if (!rowcount) break;
  }
  return results;
}

/** swift/account/utils.py `account_listing_response`. */
function listingResponse(
  account: string,
  rows: Row[],
  type: string,
  headers: Record<string, string>,
): FakeResponse {
  const contentType = `${type}; charset=utf-8`;
  let body: string;
  if (type === "application/json") {
    const items = rows.map(({ key, container }) =>
      container
        ? `{"count": ${container.count}, "last_modified": ${pyJson(container.last_modified)}, "bytes": ${container.bytes}, "name": ${pyJson(container.name)}}`
        : `{"subdir": ${pyJson(textString(key))}}`,
    );
    body = `[${items.join(", ")}]`;
  } else if (type.endsWith("/xml")) {
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<account name=${quoteAttr(account)}>`];
    for (const { key, container } of rows) {
      lines.push(
        container
          ? `<container><name>${xmlEscape(container.name)}</name><count>${container.count}</count><bytes>${container.bytes}</bytes><last_modified>${container.last_modified}</last_modified></container>`
          : `<subdir name=${quoteAttr(textString(key))} />`,
      );
    }
    lines.push("</account>");
    body = lines.join("\n");
  } else {
    if (rows.length === 0) return noContent(headers, type);
    body = `${rows.map((r) => textString(r.key)).join("\n")}\n`;
  }
  return {
    status: 200,
    headers: { ...headers, "Accept-Ranges": "bytes", "Content-Type": contentType },
    body,
  };
}

function noContent(headers: Record<string, string>, type: string): FakeResponse {
  return {
    status: 204,
    headers: { ...headers, "Content-Length": "0", "Content-Type": `${type}; charset=utf-8` },
  };
}

const FORMATS: Record<string, string> = {
  plain: "text/plain",
  json: "application/json",
  xml: "application/xml",
};
const LISTING_TYPES = ["text/plain", "application/json", "application/xml", "text/xml"];

/** request_helpers `get_listing_content_type`: `format` overrides `Accept`; undefined means 406. */
function listingContentType(format: string | undefined, accept: string | undefined): string | undefined {
  const header = format ? (FORMATS[format.toLowerCase()] ?? "text/plain") : accept;
  return bestMatch(header, LISTING_TYPES);
}

// swob.Accept's grammar (RFC 2616 §2.2 tokens).
const TOKEN = '[^()<>@,;:\\\\"/\\[\\]?={}\\x00-\\x20\\x7f]+';
const QUOTED = '"(?:[^"]|(?:\\\\.))*"';
const EXTENSION = `(?:\\s*;\\s*(?:${TOKEN})\\s*=\\s*(?:${TOKEN}|${QUOTED}))`;
const MEDIA_RANGE = new RegExp(`^\\s*(${TOKEN})/(${TOKEN})(${EXTENSION}*?\\s*)$`);
const PY_FLOAT = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan)\s*$/i;

/** swob `Accept.best_match`: by quality, then exact over globbed, then header order; malformed → none. */
function bestMatch(header: string | undefined, options: string[]): string | undefined {
  if (!header) return options[0];
  const types: { pattern: RegExp; quality: number; exact: boolean; index: number }[] = [];
  const parts = header.split(",");
  for (const [index, part] of parts.entries()) {
    const match = MEDIA_RANGE.exec(part);
    if (!match) return undefined;
    const [, type = "", subtype = "", rest = ""] = match;
    let quality = 1;
    let seenQ = false;
    for (const parameter of rest
      .split(";")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const pieces = parameter.split("=");
      if (pieces.length !== 2) return undefined;
      if (pieces[0]!.trim() === "q") {
        if (seenQ || !PY_FLOAT.test(pieces[1]!)) return undefined;
        seenQ = true;
        quality = pyFloat(pieces[1]!);
      }
    }
    const glob = (s: string) => (s === "*" ? TOKEN : escapeRegExp(s));
    types.push({
      pattern: new RegExp(`^${glob(type)}/${glob(subtype)}$`),
      quality,
      exact: type !== "*" && subtype !== "*",
      index,
    });
  }
  // Python's stable sort with reverse=True on (quality, exact): ties keep header order.
  types.sort((a, b) => b.quality - a.quality || Number(b.exact) - Number(a.exact) || a.index - b.index);
  for (const { pattern } of types) {
    const found = options.find((option) => pattern.test(option));
    if (found) return found;
  }
  return undefined;
}

function pyFloat(text: string): number {
  const t = text.trim().toLowerCase().replace(/^\+/, "");
  if (t.endsWith("inf") || t.endsWith("infinity")) return t.startsWith("-") ? -Infinity : Infinity;
  if (t === "nan" || t === "-nan") return Number.NaN;
  return Number(t);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Python 2.7 `urlparse.parse_qsl(query, keep_blank_values=True)` into a dict (last value wins):
 * pairs split on `&` and `;`, `+` is a space, `%XX` decoded to bytes (invalid escapes kept).
 * Values are byte strings (one char per byte).
 */
function parseQsl(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split(/[&;]/)) {
    if (!pair) continue;
    const [name = "", value = ""] = splitOnce(pair, "=");
    params.set(unquote(name), unquote(value));
  }
  return params;
}

/** Python 2 `unquote_plus` (or `unquote`): `%XX` to a byte, invalid escapes left as they are. */
function unquote(text: string, plus = true): string {
  return (plus ? text.replace(/\+/g, " ") : text).replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: string): boolean {
  try {
    strictUtf8.decode(Buffer.from(bytes, "latin1"));
    return true;
  } catch {
    return false;
  }
}

/** Python 2 `json.dumps` of a string (ensure_ascii: everything outside 0x20–0x7E escaped, lower-case hex). */
function pyJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `xml.sax.saxutils.escape`. */
function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/>/g, "&gt;").replace(/</g, "&lt;");
}

/** `xml.sax.saxutils.quoteattr`. */
function quoteAttr(text: string): string {
  let data = xmlEscape(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
  if (data.includes('"')) {
    if (data.includes("'")) data = `"${data.replace(/"/g, "&quot;")}"`;
    else data = `'${data}'`;
  } else {
    data = `"${data}"`;
  }
  return data;
}

/** swob's default error page (`text/html; charset=UTF-8`), or a sentence like `Bad delimiter`. */
function swiftError(status: number, body?: string): FakeResponse {
  const [title, explanation] = REASONS[status] ?? ["Error", ""];
  return {
    status,
    headers: { "Content-Type": "text/html; charset=UTF-8" },
    body: body ?? `<html><h1>${title}</h1><p>${explanation}</p></html>`,
  };
}

/** Swift's transaction id: `tx` + 21 hex digits + `-` + the time as 10 hex digits. */
function transactionId(): string {
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(10, "0");
  return `tx${randomBytes(11).toString("hex").slice(0, 21)}-${time}`;
}

/** Swift `Timestamp.normal`: `%016.05f` seconds, e.g. `1535685069.28154`. */
function swiftNormal(seconds: number): string {
  return seconds.toFixed(5).padStart(16, "0");
}

/** Swift 2.15.1 `Timestamp.isoformat`: UTC, no zone, always six fraction digits (10 µs resolution). */
function swiftIsoformat(seconds: number): string {
  const units = Math.round(seconds * 100000);
  const whole = Math.floor(units / 100000);
  const fraction = String((units - whole * 100000) * 10).padStart(6, "0");
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${fraction}`;
}

function toEntry(
  container: { name: string; count?: number | bigint; bytes?: number | bigint; last_modified?: string },
  defaultModified: string,
): Entry {
  const { name } = container;
  if (typeof name !== "string" || name === "" || name.includes("/") || Buffer.byteLength(name) > 256) {
    throw new TypeError(
      `Archive Storage fake: invalid container name ${JSON.stringify(name)} (1-256 bytes, no "/")`,
    );
  }
  return {
    key: byteString(name),
    container: {
      name,
      count: container.count ?? 0,
      bytes: container.bytes ?? 0,
      last_modified: container.last_modified ?? defaultModified,
    },
  };
}

/** Sorted entries from the `containers` option; generated ones get deterministic stats and dates. */
function seedContainers(seed: ArchiveStorageFakeOptions["containers"]): Entry[] {
  const base = 1536631895.01025; // 2018-09-11T02:11:35.010250, the vendor's first example
  const list =
    typeof seed === "object"
      ? seed
      : bucketNames(seed ?? 8, "ncloud-container").map((name, i) => ({
          name,
          count: (i * 37) % 1000,
          bytes: ((i * 37) % 1000) * 4096 + i,
          last_modified: swiftIsoformat(base + i * 61.23456),
        }));
  const byKey = new Map<string, Entry>();
  for (const container of list) {
    const entry = toEntry(container, swiftIsoformat(base));
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
