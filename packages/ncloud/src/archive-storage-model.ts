/**
 * The normalised shapes of a Swift account listing and of its account headers, and the code that
 * reads them from the wire. Swift sends every count as a decimal header string that may exceed
 * 2^53, `X-Timestamp` as a float string, `last_modified` without a time zone, and non-ASCII
 * metadata as raw UTF-8 bytes in header values; everything here turns that into numbers, bigints,
 * Dates and strings, and keeps what was received in `raw`.
 */
import { type LazyItems, REDACTED, Secret, UnexpectedShape } from "@bucketry/core/internal";
import type { components } from "./generated/archive-storage.js";

/** The listing formats Swift writes: JSON (default here), XML, or plain text (names only). */
export type ListingFormat = "json" | "xml" | "plain";

/** A container entry of a JSON listing, exactly as Swift sent it. */
export type RawContainer = components["schemas"]["Container"];
/** A roll-up entry of a JSON listing, exactly as Swift sent it. */
export type RawSubdir = components["schemas"]["Subdir"];

/**
 * A container (bucket) of a JSON or XML listing. `count` and `bytes` are exact up to 2^53 (a JSON
 * number beyond that is already rounded by the parser; XML's `raw` keeps the exact digits).
 */
export interface ContainerItem {
  kind: "container";
  name: string;
  /** Objects in the container. */
  count: number;
  /** Bytes used by the container. */
  bytes: number;
  /** Swift's `last_modified` (UTC without a zone designator) as a Date, to the millisecond. */
  lastModified: Date;
  /** The JSON object as received, or the `<container>` element's text for XML. */
  raw: RawContainer | string;
}

/**
 * A roll-up of the names that share the part up to the next `delimiter` (only with `delimiter`).
 * `name` is the subdir string, delimiter included; it is also the marker of the next page.
 */
export interface SubdirItem {
  kind: "subdir";
  name: string;
  /** `{ subdir }` as received (JSON), the `<subdir>` element's text (XML) or the line (plain). */
  raw: RawSubdir | string;
}

/** A container of a plain-text listing: plain listings carry names only, no counts or dates. */
export interface ContainerNameItem {
  kind: "container";
  name: string;
  /** The line as received, without its newline. */
  raw: string;
}

/** One entry of a JSON or XML listing. */
export type ContainerEntry = ContainerItem | SubdirItem;
/** One entry of a plain-text listing (names only). */
export type ContainerNameEntry = ContainerNameItem | SubdirItem;
/** The entry type a listing in format `F` yields. */
export type EntryFor<F extends ListingFormat> = F extends "plain" ? ContainerNameEntry : ContainerEntry;

/**
 * Usage of one storage policy (`X-Account-Storage-Policy-{name}-*`). A count is a `number` (exact up
 * to `Number.MAX_SAFE_INTEGER`, the nearest double above) and an exact `bigint`.
 */
export interface StoragePolicyUsage {
  bytesUsed?: number;
  bytesUsedExact?: bigint;
  containerCount?: number;
  containerCountExact?: bigint;
  objectCount?: number;
  objectCountExact?: bigint;
}

/** The account metadata (`X-Account-Meta-*`). */
export interface AccountMetadata {
  /** `X-Account-Meta-Temp-URL-Key`: a secret, printed as [REDACTED]; `reveal()` reads it. */
  tempUrlKey?: Secret;
  /** `X-Account-Meta-Temp-URL-Key-2`: a secret, printed as [REDACTED]; `reveal()` reads it. */
  tempUrlKey2?: Secret;
  /** `X-Account-Meta-Quota-Bytes` as a number (nearest double above 2^53). */
  quotaBytes?: number;
  /** `X-Account-Meta-Quota-Bytes`, exact. */
  quotaBytesExact?: bigint;
  /** Every other `X-Account-Meta-{key}`, by lower-cased key (header names are case-insensitive), UTF-8 decoded. */
  custom: Record<string, string>;
}

/**
 * The account, from the response headers of a listing. Counts come twice: as `number` (exact up
 * to `Number.MAX_SAFE_INTEGER`, the nearest double above it) and as an exact `bigint` (`…Exact`).
 * `JSON.stringify` writes the bigints as decimal strings and the secrets as [REDACTED].
 */
export interface AccountInfo {
  containerCount: number;
  containerCountExact: bigint;
  objectCount: number;
  objectCountExact: bigint;
  bytesUsed: number;
  bytesUsedExact: bigint;
  /** `X-Timestamp`: when the account was created, in UNIX seconds (a float; Swift sends e.g. `1535685069.28154`). */
  timestamp: number;
  /** `timestamp` as a Date (millisecond precision). */
  createdAt: Date;
  metadata: AccountMetadata;
  /** Usage per storage policy, by lower-cased policy name (e.g. `policy-0`). */
  storagePolicies: Record<string, StoragePolicyUsage>;
  /** NAVER's `X-Account-Project-Domain-Id` (`default` in the vendor's examples). */
  projectDomainId: string | undefined;
  /** `X-Trans-Id`, Swift's transaction id. */
  transId: string | undefined;
  /** `X-Openstack-Request-Id` (the same value as `transId` on Swift). */
  requestId: string | undefined;
}

/** A listing body that did not parse; `truncated` when it looks cut short (worth another attempt). */
export class ListingSyntaxError extends UnexpectedShape {
  override name = "ListingSyntaxError";
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

/** A response header that is missing or not what Swift sends. */
export class HeaderFormatError extends UnexpectedShape {
  override name = "HeaderFormatError";
}

const DECIMAL = /^[0-9]+$/;
const META = "x-account-meta-";
const POLICY = /^x-account-storage-policy-(.+)-(bytes-used|container-count|object-count)$/;
const POLICY_FIELDS = {
  "bytes-used": "bytesUsed",
  "container-count": "containerCount",
  "object-count": "objectCount",
} as const;

/** Reads the account headers of a listing response (see {@link AccountInfo}). */
export function parseAccountHeaders(headers: Headers): AccountInfo {
  const [containerCount, containerCountExact] = requiredCount(headers, "x-account-container-count");
  const [objectCount, objectCountExact] = requiredCount(headers, "x-account-object-count");
  const [bytesUsed, bytesUsedExact] = requiredCount(headers, "x-account-bytes-used");
  const rawTimestamp = headers.get("x-timestamp")?.trim();
  if (!rawTimestamp || !/^[0-9]+(\.[0-9]+)?$/.test(rawTimestamp)) {
    throw new HeaderFormatError(`X-Timestamp is ${describe(rawTimestamp)}, not UNIX seconds`);
  }
  const timestamp = Number(rawTimestamp);
  const metadata: AccountMetadata = { custom: {} };
  const storagePolicies: Record<string, StoragePolicyUsage> = {};
  for (const [name, value] of headers) {
    if (name.startsWith(META)) {
      const key = name.slice(META.length);
      if (key === "temp-url-key") metadata.tempUrlKey = new Secret(value);
      else if (key === "temp-url-key-2") metadata.tempUrlKey2 = new Secret(value);
      else if (key === "quota-bytes" && DECIMAL.test(value.trim())) {
        [metadata.quotaBytes, metadata.quotaBytesExact] = count(value.trim());
      } else metadata.custom[key] = utf8(value);
      continue;
    }
    const policy = POLICY.exec(name);
    if (policy && DECIMAL.test(value.trim())) {
      const usage = storagePolicies[policy[1]!] ?? {};
      storagePolicies[policy[1]!] = usage;
      const field = POLICY_FIELDS[policy[2] as keyof typeof POLICY_FIELDS];
      const [approx, exact] = count(value.trim());
      usage[field] = approx;
      usage[`${field}Exact`] = exact;
    }
  }
  const account: AccountInfo = {
    containerCount,
    containerCountExact,
    objectCount,
    objectCountExact,
    bytesUsed,
    bytesUsedExact,
    timestamp,
    createdAt: new Date(Math.round(timestamp * 1000)),
    metadata,
    storagePolicies,
    projectDomainId: headers.get("x-account-project-domain-id") ?? undefined,
    transId: headers.get("x-trans-id") ?? undefined,
    requestId: headers.get("x-openstack-request-id") ?? undefined,
  };
  // Not enumerable: a plain-looking object that JSON.stringify can still write (bigints would throw).
  Object.defineProperty(account, "toJSON", { value: () => jsonSafe({ ...account }), enumerable: false });
  return account;
}

/** A copy without bigints (as decimal strings); Secrets and Dates serialise themselves. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object" || value instanceof Date || value instanceof Secret) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
}

function requiredCount(headers: Headers, name: string): [number, bigint] {
  const value = headers.get(name)?.trim();
  if (!value || !DECIMAL.test(value)) {
    throw new HeaderFormatError(`${name} is ${describe(value)}, not a decimal count`);
  }
  return count(value);
}

function count(value: string): [number, bigint] {
  const exact = BigInt(value);
  return [Number(exact), exact];
}

function describe(value: string | undefined): string {
  return value === undefined || value === "" ? "missing" : JSON.stringify(value.slice(0, 40));
}

/** Header values reach us as Latin-1 (one char per byte); Swift writes UTF-8 bytes, so decode them. */
function utf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[\u0100-\uffff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  } catch {
    return value;
  }
}

/** The response headers as a plain record for `raw`, with secret ones (Temp-URL-Key, tokens) redacted. */
export function rawHeaders(headers: Headers, isSecret: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = isSecret(name) ? REDACTED : value;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Listing bodies
// ---------------------------------------------------------------------------------------------

/** What a listing body is read with: its format, and the prefix/delimiter that shaped it (for plain roll-ups). */
export interface ListingShape {
  format: ListingFormat;
  prefix: string | undefined;
  delimiter: string | undefined;
}

/** Thrown for a body that parsed but is not a Swift listing (not worth another attempt). */
export class ListingShapeError extends UnexpectedShape {
  override name = "ListingShapeError";
}

/** A listing body: the bytes as received, or their text. */
export type ListingBody = Uint8Array | string;

/**
 * Parses a listing body in the format its `Content-Type` names (the requested format when the
 * header is missing). An empty body (204) is an empty listing.
 */
export function parseListing(
  body: ListingBody | undefined,
  contentType: string | null,
  shape: ListingShape,
  /** The body as JSON, when the pipeline already parsed it. */
  parsed?: { value: unknown },
): (ContainerEntry | ContainerNameEntry)[] {
  return materialise(listingItems(body, contentType, shape, parsed));
}

/** {@link parseListing}, but a JSON listing's entries are made when read (see {@link lazyJsonListing}). */
export function listingItems(
  body: ListingBody | undefined,
  contentType: string | null,
  shape: ListingShape,
  parsed?: { value: unknown },
): (ContainerEntry | ContainerNameEntry)[] | LazyItems<ContainerEntry> {
  if (body === undefined || body.length === 0) return [];
  const format = formatOf(contentType) ?? shape.format;
  if (format === "json") return lazyJsonListing(body, parsed);
  const text = typeof body === "string" ? body : decoder.decode(body);
  if (format === "xml") return parseXmlListing(text);
  return parsePlainListing(text, shape);
}

function materialise<T>(items: T[] | LazyItems<T>): T[] {
  if (Array.isArray(items)) return items;
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) out.push(items.item(i));
  return out;
}

/**
 * Why a listing body looks cut short at an element or line boundary, where the transport could not
 * tell (an XML listing without `</account>`, a plain one without its last newline), or undefined.
 * The format is the one `Content-Type` names, else the `requested` one (asked for only then: it
 * parses the URL); a body labelled JSON is left to core's JSON check. Other faults are not a cut:
 * the parser reports them later.
 */
export function listingCutShort(
  body: ListingBody,
  contentType: string | null,
  requested: () => string | null,
): string | undefined {
  const labelled = formatOf(contentType);
  if (body.length === 0 || labelled === "json") return undefined;
  const format = labelled ?? requested() ?? "json";
  if (!FORMATS.has(format)) return undefined;
  try {
    parseListing(body, contentType, {
      format: format as ListingFormat,
      prefix: undefined,
      delimiter: undefined,
    });
  } catch (error) {
    if (error instanceof ListingSyntaxError && error.truncated) return `is cut short (${error.message})`;
  }
  return undefined;
}

const FORMATS = new Set<string>(["json", "xml", "plain"]);

function formatOf(contentType: string | null): ListingFormat | undefined {
  const type = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  if (!type) return undefined;
  if (type === "application/json") return "json";
  if (type === "application/xml" || type === "text/xml") return "xml";
  if (type === "text/plain") return "plain";
  return undefined;
}

/** A JSON listing: an array of `{name, count, bytes, last_modified}` and `{subdir}` objects. */
export function parseJsonListing(body: ListingBody, parsed?: { value: unknown }): ContainerEntry[] {
  return materialise(lazyJsonListing(body, parsed));
}

/**
 * A JSON listing checked whole (a bad entry fails the page before any entry is handed out), its
 * entries made only when read: a walk that keeps none then holds the parsed JSON alone.
 */
export function lazyJsonListing(body: ListingBody, parsed?: { value: unknown }): LazyItems<ContainerEntry> {
  const page = parsed
    ? parsed.value instanceof JsonPage
      ? parsed.value
      : undefined
    : typeof body === "string"
      ? undefined
      : scanJsonListing(body);
  if (page) return page.entries();
  const { items, times } = checkJsonListing(body, parsed);
  return { length: items.length, item: (i) => jsonEntry(items[i], times[i]!) };
}

/**
 * The parsed JSON listing, each entry checked to be a container or a subdir, with each container's
 * `last_modified` in UTC milliseconds (read once here, where a bad one fails the page).
 */
function checkJsonListing(
  body: ListingBody,
  parsed: { value: unknown } | undefined,
): { items: unknown[]; times: Float64Array } {
  let json = parsed?.value;
  if (!parsed) {
    try {
      json = typeof body === "string" ? JSON.parse(body) : parseJsonBytes(body);
    } catch (error) {
      throw new ListingSyntaxError(`the JSON listing does not parse (${(error as Error).message})`, true);
    }
  }
  if (!Array.isArray(json)) throw new ListingShapeError("the JSON listing is not an array");
  const times = new Float64Array(json.length);
  // A plain loop: this runs once per container, up to 10,000 a page.
  for (let i = 0; i < json.length; i++) {
    const item: unknown = json[i];
    if (item === null || typeof item !== "object") {
      throw new ListingShapeError(`entry ${i} of the JSON listing is not an object`);
    }
    const entry = item as Record<string, unknown>;
    if (typeof entry.subdir === "string") continue;
    if (
      typeof entry.name !== "string" ||
      typeof entry.count !== "number" ||
      typeof entry.bytes !== "number" ||
      typeof entry.last_modified !== "string"
    ) {
      throw new ListingShapeError(`entry ${i} of the JSON listing is neither a container nor a subdir`);
    }
    times[i] = checkedSwiftTime(entry.last_modified, i);
  }
  return { items: json, times };
}

/** The entry of one item of a checked JSON listing; `time` is its `last_modified`. */
function jsonEntry(item: unknown, time: number): ContainerEntry {
  const entry = item as RawContainer & Partial<RawSubdir>;
  if (typeof entry.subdir === "string") return { kind: "subdir", name: entry.subdir, raw: item as RawSubdir };
  return {
    kind: "container",
    name: entry.name,
    count: entry.count,
    bytes: entry.bytes,
    lastModified: new Date(time),
    raw: entry,
  };
}

const decoder = /* @__PURE__ */ new TextDecoder();
// A piece lies inside the body, so a BOM at its start is content, as it is for the whole.
const utf8Piece = /* @__PURE__ */ new TextDecoder("utf-8", { ignoreBOM: true });

/** A JSON body parsed from its bytes, decoded as the pipeline decodes a body (a leading BOM dropped). */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

/**
 * A JSON listing checked whole from its bytes, whose entries are parsed a small piece at a time as
 * they are read: the page then holds its bytes and one piece's objects, not 10,000 objects that
 * every young-generation collection during the walk would copy (and V8 grows that generation with
 * what survives it). Made by {@link scanJsonListing}.
 */
export class JsonPage {
  constructor(
    readonly bytes: Uint8Array,
    /** Each container's `last_modified` in UTC milliseconds (NaN for a subdir). */
    readonly times: Float64Array,
    readonly length: number,
    /** The first entry of each piece, and where the piece starts and ends in `bytes`. */
    readonly pieces: { first: number[]; from: number[]; to: number[] },
  ) {}

  /** The entries, each made when read; a piece is parsed when one of its entries is read. */
  entries(): LazyItems<ContainerEntry> {
    const { first, from, to } = this.pieces;
    let piece = -1;
    let values: unknown[] = [];
    return {
      length: this.length,
      item: (i) => {
        if (piece < 0 || i < first[piece]! || i >= (first[piece + 1] ?? this.length)) {
          piece = pieceOf(first, i);
          values = JSON.parse(bracketed(this.bytes, from[piece]!, to[piece]!));
        }
        return jsonEntry(values[i - first[piece]!], this.times[i]!);
      },
    };
  }
}

// Where a piece is copied between brackets, so it is decoded into the one string JSON.parse reads.
let scratch = new Uint8Array(0);

/** The text of `[` + bytes `from`..`to` + `]`. */
function bracketed(bytes: Uint8Array, from: number, to: number): string {
  const length = to - from + 2;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, 2 * PIECE));
  scratch[0] = OPEN_ARRAY;
  scratch.set(bytes.subarray(from, to), 1);
  scratch[length - 1] = CLOSE_ARRAY;
  return utf8Piece.decode(scratch.subarray(0, length));
}

/** The piece that holds entry `i` (the last whose first entry is at or before it). */
function pieceOf(first: number[], i: number): number {
  let low = 0;
  let high = first.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (first[mid]! <= i) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The size of the pieces a checked page is parsed in: one piece's objects are what outlives a
 * young-generation collection during a walk, so the smaller, the less V8 grows that generation.
 */
const PIECE = 4 * 1024;
// Bytes the scanner looks for.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
// The keys it knows, and the JSON types of their values.
const KEY_OTHER = 0;
const KEY_NAME = 1;
const KEY_COUNT = 2;
const KEY_BYTES = 3;
const KEY_LAST_MODIFIED = 4;
const KEY_SUBDIR = 5;
const NONE = 0;
const STRING = 1;
const NUMBER = 2;
const LITERAL = 3;

/**
 * A JSON listing checked from its bytes without making its objects: JSON's grammar, and that each
 * entry is a container (`name` string, `count` and `bytes` numbers, a Swift `last_modified`) or a
 * subdir; undefined for anything else (not JSON, not a listing, or beyond what it reads: nested
 * values, escapes in keys or times), which is then parsed whole for the parser's own verdict.
 */
export function scanJsonListing(b: Uint8Array): JsonPage | undefined {
  const n = b.length;
  let i = space(b, 0);
  if (b[i] !== OPEN_ARRAY) return undefined;
  i = space(b, i + 1);
  let times = new Float64Array(Math.min(16_384, (n >> 6) + 16));
  let length = 0;
  const pieces = { first: [] as number[], from: [] as number[], to: [] as number[] };
  let pieceStart = -1;
  let lastEnd = 0;
  if (b[i] !== CLOSE_ARRAY) {
    for (;;) {
      if (b[i] !== OPEN_OBJECT) return undefined;
      if (pieceStart < 0 || i - pieceStart >= PIECE) {
        if (pieceStart >= 0) pieces.to.push(lastEnd);
        pieces.first.push(length);
        pieces.from.push(i);
        pieceStart = i;
      }
      i = space(b, i + 1);
      let name = NONE;
      let count = NONE;
      let bytes = NONE;
      let modified = NONE;
      let subdir = NONE;
      let time = Number.NaN;
      if (b[i] !== CLOSE_OBJECT) {
        for (;;) {
          if (b[i] !== QUOTE) return undefined;
          const keyEnd = stringEnd(b, i + 1, n);
          if (keyEnd < 0) return undefined;
          const key = keyOf(b, i + 1, keyEnd);
          if (key < 0) return undefined;
          i = space(b, keyEnd + 1);
          if (b[i] !== COLON) return undefined;
          i = space(b, i + 1);
          const c = b[i]!;
          let type: number;
          if (c === QUOTE) {
            const end = stringEnd(b, i + 1, n);
            if (end < 0) return undefined;
            if (key === KEY_LAST_MODIFIED) time = timeOf(b, i + 1, end);
            type = STRING;
            i = end + 1;
          } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            i = numberEnd(b, i);
            if (i < 0) return undefined;
            type = NUMBER;
          } else {
            i = literalEnd(b, i);
            if (i < 0) return undefined;
            type = LITERAL;
          }
          // As JSON.parse, the last of a key given twice counts.
          if (key === KEY_NAME) name = type;
          else if (key === KEY_COUNT) count = type;
          else if (key === KEY_BYTES) bytes = type;
          else if (key === KEY_LAST_MODIFIED) {
            modified = type;
            if (type !== STRING) time = Number.NaN;
          } else if (key === KEY_SUBDIR) subdir = type;
          i = space(b, i);
          if (b[i] === COMMA) {
            i = space(b, i + 1);
            continue;
          }
          if (b[i] === CLOSE_OBJECT) break;
          return undefined;
        }
      }
      if (length === times.length) {
        const grown = new Float64Array(length * 2);
        grown.set(times);
        times = grown;
      }
      if (subdir === STRING) times[length++] = Number.NaN;
      else if (
        name === STRING &&
        count === NUMBER &&
        bytes === NUMBER &&
        modified === STRING &&
        !Number.isNaN(time)
      )
        times[length++] = time;
      else return undefined;
      lastEnd = i + 1;
      i = space(b, i + 1);
      if (b[i] === COMMA) {
        i = space(b, i + 1);
        continue;
      }
      if (b[i] === CLOSE_ARRAY) break;
      return undefined;
    }
    pieces.to.push(lastEnd);
  }
  if (space(b, i + 1) !== n) return undefined;
  return new JsonPage(b, times, length, pieces);
}

function space(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i;
}

// 1 for a byte a JSON string holds as it is: not a quote, a backslash or a control character.
const PLAIN = /* @__PURE__ */ new Uint8Array(256).fill(1).fill(0, 0, 0x20);
PLAIN[QUOTE] = 0;
PLAIN[BACKSLASH] = 0;

/** Where the string whose content starts at `i` ends (its closing quote); -1 when it is not JSON. */
function stringEnd(b: Uint8Array, i: number, n: number): number {
  for (;;) {
    while (PLAIN[b[i]!] === 1) i++;
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = i + 2; k < i + 6; k++) if (!isHex(b[k])) return -1;
        i += 6;
      } else if (
        e === QUOTE ||
        e === BACKSLASH ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        i += 2;
      } else return -1;
      continue;
    }
    if (c < 0x20 || i >= n) return -1;
    i++;
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
}

/** Where the number starting at `i` ends; -1 when it is not one of JSON's. */
function numberEnd(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[++i]));
  else return -1;
  if (b[i] === 0x2e) {
    if (!isDigit(b[++i])) return -1;
    while (isDigit(b[++i]));
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    if (b[++i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[++i]));
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

const encode = (text: string) => new TextEncoder().encode(text);
const LITERALS = ["true", "false", "null"].map(encode);

/** Where `true`, `false` or `null` starting at `i` ends; -1 for anything else (nested values too). */
function literalEnd(b: Uint8Array, i: number): number {
  for (const word of LITERALS) {
    if (b[i] !== word[0]) continue;
    for (let k = 1; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
    return i + word.length;
  }
  return -1;
}

const KEYS = (
  [
    ["name", KEY_NAME],
    ["count", KEY_COUNT],
    ["bytes", KEY_BYTES],
    ["last_modified", KEY_LAST_MODIFIED],
    ["subdir", KEY_SUBDIR],
  ] as const
).map(([key, id]) => ({ bytes: encode(key), id }));

/** Which known key the bytes `start`..`end` spell; -1 for a key with an escape (not read here). */
function keyOf(b: Uint8Array, start: number, end: number): number {
  for (let k = start; k < end; k++) if (b[k] === BACKSLASH) return -1;
  search: for (const key of KEYS) {
    if (key.bytes.length !== end - start) continue;
    for (let k = 0; k < key.bytes.length; k++) if (b[start + k] !== key.bytes[k]) continue search;
    return key.id;
  }
  return KEY_OTHER;
}

/** A Swift time (see {@link swiftTime}) read from bytes, NaN when they do not spell one. */
function timeOf(b: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length !== 19 && (length < 21 || length > 29)) return Number.NaN;
  for (let k = 0; k < length; k++) {
    const c = b[start + k]!;
    const expected =
      k === 4 || k === 7 ? 0x2d : k === 10 ? 0x54 : k === 13 || k === 16 ? 0x3a : k === 19 ? 0x2e : -1;
    if (expected < 0 ? !(c >= 0x30 && c <= 0x39) : c !== expected) return Number.NaN;
  }
  const msEnd = Math.min(length, 23);
  const ms = length > 19 ? decimal(b, start + 20, start + msEnd) * 10 ** (23 - msEnd) : 0;
  return Date.UTC(
    decimal(b, start, start + 4),
    decimal(b, start + 5, start + 7) - 1,
    decimal(b, start + 8, start + 10),
    decimal(b, start + 11, start + 13),
    decimal(b, start + 14, start + 16),
    decimal(b, start + 17, start + 19),
    ms,
  );
}

/** The decimal number the digit bytes `start`..`end` spell (checked before). */
function decimal(b: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let k = start; k < end; k++) value = value * 10 + b[k]! - 0x30;
  return value;
}

/** Swift's `last_modified` (`2018-09-11T02:11:35.010250`, UTC, no zone) as a Date. */
export function swiftDate(text: string, index = 0): Date {
  return new Date(checkedSwiftTime(text, index));
}

function checkedSwiftTime(text: string, index: number): number {
  const time = swiftTime(text);
  if (Number.isNaN(time))
    throw new ListingShapeError(`entry ${index}: last_modified ${JSON.stringify(text)} is not a Swift time`);
  return time;
}

const SWIFT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?$/;

/**
 * A Swift time in UTC milliseconds, NaN when the text is not one. A test without captures, then
 * the digits read in place: this runs once per container, and the seven captures cost twice that.
 */
function swiftTime(text: string): number {
  if (!SWIFT_TIME.test(text)) return Number.NaN;
  // The first three fraction digits are milliseconds; the rest are dropped.
  const msEnd = Math.min(text.length, 23);
  const ms = text.length > 19 ? digits(text, 20, msEnd) * 10 ** (23 - msEnd) : 0;
  return Date.UTC(
    digits(text, 0, 4),
    digits(text, 5, 7) - 1,
    digits(text, 8, 10),
    digits(text, 11, 13),
    digits(text, 14, 16),
    digits(text, 17, 19),
    ms,
  );
}

/** The decimal number `text` holds from `start` to `end` (digits only, checked before). */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

// The account listing Swift writes (swift/account/utils.py): an XML declaration, then
// `<account name="...">` holding `<container>` elements and `<subdir name="..." />` roll-ups.
const XML_DECLARATION = /^\s*<\?xml[^?]*\?>\s*/;
const ACCOUNT_OPEN = /^<account(\s+[^>]*?)?(\/?)>/;
const XML_ITEM =
  /\s*(?:<container>([\s\S]*?)<\/container>|<subdir\s+name\s*=\s*("[^"]*"|'[^']*')\s*(?:\/>|>[\s\S]*?<\/subdir>))/y;

/** A tiny parser for Swift's XML account listing (no DOMParser in Node); entities decoded. */
export function parseXmlListing(text: string): ContainerEntry[] {
  let rest = text.replace(XML_DECLARATION, "");
  const open = ACCOUNT_OPEN.exec(rest);
  if (!open) {
    const cut = "<account".startsWith(rest.trim()) || rest.trim() === "";
    throw new ListingSyntaxError("the XML listing has no <account> element", cut);
  }
  if (open[2] === "/") return [];
  rest = rest.slice(open[0].length);
  const items: ContainerEntry[] = [];
  XML_ITEM.lastIndex = 0;
  let at = 0;
  for (let match = XML_ITEM.exec(rest); match; match = XML_ITEM.exec(rest)) {
    at = XML_ITEM.lastIndex;
    const [element, container, attribute] = match;
    if (container === undefined) {
      items.push({ kind: "subdir", name: decodeXml(attribute!.slice(1, -1)), raw: element.trim() });
      continue;
    }
    const field = (name: string) => {
      const value = new RegExp(`<${name}>([^<]*)</${name}>`).exec(container)?.[1];
      if (value === undefined) {
        throw new ListingShapeError(`container ${items.length} of the XML listing has no <${name}>`);
      }
      return decodeXml(value);
    };
    const count = field("count");
    const bytes = field("bytes");
    if (!DECIMAL.test(count) || !DECIMAL.test(bytes)) {
      throw new ListingShapeError(`container ${items.length} of the XML listing has a non-numeric count`);
    }
    items.push({
      kind: "container",
      name: field("name"),
      count: Number(count),
      bytes: Number(bytes),
      lastModified: swiftDate(field("last_modified"), items.length),
      raw: element.trim(),
    });
  }
  // Whatever follows the last item must close the account; anything else is a cut or a stranger.
  if (!/^\s*<\/account>\s*$/.test(rest.slice(at))) {
    const tail = rest.slice(at).trim();
    const cut = !tail.includes("</account>");
    throw new ListingSyntaxError(
      cut ? "the XML listing ends before </account>" : "the XML listing holds an unexpected element",
      cut,
    );
  }
  return items;
}

/** `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references (`&#10;`, `&#x1F600;`). */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, entity: string) => {
    switch (entity) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * A plain-text listing: one name per line, each ending in a newline. Swift writes roll-ups as plain
 * lines too, cut just after the first delimiter that follows the prefix, so a line is a roll-up when
 * that delimiter ends it. This holds for Swift 2.15.1, which lists `.hidden` (delimiter `.`, no
 * prefix) as a container, and for 2.24.0 on, which rolls it up into `.` (swift/account/backend.py
 * `list_containers_iter`); only a container named exactly the delimiter on 2.15.1 reads as a roll-up.
 */
export function parsePlainListing(text: string, shape: Omit<ListingShape, "format">): ContainerNameEntry[] {
  if (!text.endsWith("\n"))
    throw new ListingSyntaxError("the plain listing does not end with a newline", true);
  const prefix = shape.prefix ?? "";
  const { delimiter } = shape;
  return text
    .slice(0, -1)
    .split("\n")
    .map((line): ContainerNameEntry => {
      const at = delimiter === undefined ? -1 : line.indexOf(delimiter, prefix.length);
      const subdir = at >= 0 && at + (delimiter as string).length === line.length;
      return subdir
        ? { kind: "subdir", name: line, raw: line }
        : { kind: "container", name: line, raw: line };
    });
}
