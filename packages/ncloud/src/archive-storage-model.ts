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

/**
 * Parses a listing body in the format its `Content-Type` names (the requested format when the
 * header is missing). An empty body (204) is an empty listing.
 */
export function parseListing(
  text: string | undefined,
  contentType: string | null,
  shape: ListingShape,
  /** The body as JSON, when the pipeline already parsed it. */
  parsed?: { value: unknown },
): (ContainerEntry | ContainerNameEntry)[] {
  return materialise(listingItems(text, contentType, shape, parsed));
}

/** {@link parseListing}, but a JSON listing's entries are made when read (see {@link lazyJsonListing}). */
export function listingItems(
  text: string | undefined,
  contentType: string | null,
  shape: ListingShape,
  parsed?: { value: unknown },
): (ContainerEntry | ContainerNameEntry)[] | LazyItems<ContainerEntry> {
  if (text === undefined || text === "") return [];
  const format = formatOf(contentType) ?? shape.format;
  if (format === "json") return lazyJsonListing(text, parsed);
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
 * The format is the one `Content-Type` names, else the `requested` one; a body labelled JSON is
 * left to core's JSON check. Other faults are not a cut: the parser reports them later.
 */
export function listingCutShort(
  text: string,
  contentType: string | null,
  requested: string | null,
): string | undefined {
  const labelled = formatOf(contentType);
  const format = labelled ?? requested ?? "json";
  if (text === "" || labelled === "json" || !FORMATS.has(format)) return undefined;
  try {
    parseListing(text, contentType, {
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
export function parseJsonListing(text: string, parsed?: { value: unknown }): ContainerEntry[] {
  return materialise(lazyJsonListing(text, parsed));
}

/**
 * A JSON listing checked whole (a bad entry fails the page before any entry is handed out), its
 * entries made only when read: a walk that keeps none then holds the parsed JSON alone.
 */
export function lazyJsonListing(text: string, parsed?: { value: unknown }): LazyItems<ContainerEntry> {
  const { items, times } = checkJsonListing(text, parsed);
  return { length: items.length, item: (i) => jsonEntry(items[i], times[i]!) };
}

/**
 * The parsed JSON listing, each entry checked to be a container or a subdir, with each container's
 * `last_modified` in UTC milliseconds (read once here, where a bad one fails the page).
 */
function checkJsonListing(
  text: string,
  parsed: { value: unknown } | undefined,
): { items: unknown[]; times: Float64Array } {
  let json = parsed?.value;
  if (!parsed) {
    try {
      json = JSON.parse(text);
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
