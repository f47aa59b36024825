/**
 * The canonical request of Huawei's `SDK-HMAC-SHA256` (Huawei's API Request Signing Guide), as pure functions so a
 * gateway's `APIGW.0301` echo (its canonical request, newlines shown as `|`) can be diffed against ours.
 * Paths and queries are decoded once and re-encoded with the strict RFC 3986 rule, so an already
 * encoded URL is never encoded twice.
 */
import { InvalidInputError } from "@bucketry/core/internal";
import { rfc3986 } from "../encoding.js";

const HEX_ESCAPE = /^%[0-9A-Fa-f]{2}/;
const PLAIN_PATH = /^[A-Za-z0-9._~/-]*$/;
const utf8 = /* @__PURE__ */ new TextEncoder();
const strictUtf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes `%XY` escapes to bytes and reads them as UTF-8. A `%` not followed by two hex digits is a
 * literal `%`. Escapes that are not UTF-8 are refused: SDKs disagree on them (Python turns them into
 * U+FFFD), so no signature over them can be trusted to match.
 */
export function percentDecode(text: string, field: string): string {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (HEX_ESCAPE.test(text.slice(i, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...utf8.encode(char));
      i += char.length;
    }
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    throw new InvalidInputError(
      field,
      "contains percent-escapes that are not UTF-8, which cannot be signed reliably",
    );
  }
}

function encode(value: string, field: string): string {
  try {
    return rfc3986(value);
  } catch {
    throw new InvalidInputError(field, "contains a lone surrogate, which is not valid Unicode");
  }
}

/**
 * Orders strings by Unicode code point, as the Go and Python SDKs do (UTF-16 order, JavaScript's
 * default, differs when a character above U+FFFF meets one in U+E000–U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) stand for code points above FFFF: swap them with E000–FFFF.
    const rank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * The canonical URI: each `/`-separated segment decoded once and RFC 3986-encoded, then a trailing
 * `/` (for signing only; the wire path is unchanged). An empty path is `/`.
 */
export function huaweiCanonicalUri(pathname: string): string {
  // Nothing to decode or encode: the common case, kept off the per-segment path.
  if (PLAIN_PATH.test(pathname)) return pathname.endsWith("/") ? pathname : `${pathname}/`;
  const path = pathname
    .split("/")
    .map((segment) => encode(percentDecode(segment, "url"), "url"))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/** The decoded `[name, value]` pairs of a URL query; `?flag` gives `["flag", ""]`, empty pieces (`&&`) are skipped. */
export function huaweiQueryPairs(search: string): [string, string][] {
  const query = search.startsWith("?") ? search.slice(1) : search;
  const pairs: [string, string][] = [];
  for (const piece of query.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    // A `+` is a literal plus here: form encoding (`+` for space) is not what the gateway signs.
    const name = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? "" : piece.slice(eq + 1);
    pairs.push([percentDecode(name, "url"), percentDecode(value, "url")]);
  }
  return pairs;
}

/**
 * The canonical query string of decoded `[name, value]` pairs: names and values RFC 3986-encoded,
 * value-less parameters as `name=`, sorted by name then value (repeated names kept), joined by `&`.
 */
export function huaweiCanonicalQuery(pairs: Iterable<readonly [string, string]>): string {
  return [...pairs]
    .sort(
      ([nameA, valueA], [nameB, valueB]) =>
        compareCodePoints(nameA, nameB) || compareCodePoints(valueA, valueB),
    )
    .map(([name, value]) => `${encode(name, "query")}=${encode(value, "query")}`)
    .join("&");
}

/** What {@link huaweiCanonicalRequest} is built from. */
export interface HuaweiCanonicalRequestParts {
  /** The HTTP method (upper-cased for signing). */
  method: string;
  /** The full request URL. */
  url: string | URL;
  /** The request headers; `host` comes from the URL (host[:port]) unless a `Host` header is given. */
  headers: HeadersInit;
  /** Lower-case names of the signed headers. */
  signedHeaders: readonly string[];
  /** Lower-hex SHA-256 of the body bytes, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

/**
 * The canonical request: method, canonical URI, canonical query, `name:value` lines of the signed
 * headers (sorted, lower-case, trimmed), the signed header list and the payload hash, joined by `\n`.
 */
export function huaweiCanonicalRequest(parts: HuaweiCanonicalRequestParts): string {
  const headers = parts.headers instanceof Headers ? parts.headers : new Headers(parts.headers);
  const names = [...new Set(parts.signedHeaders.map((name) => name.toLowerCase()))].sort();
  return canonicalRequestOf(
    parts.method,
    new URL(parts.url),
    (name) => headers.get(name),
    names,
    parts.payloadHash,
  );
}

/**
 * {@link huaweiCanonicalRequest} over a header lookup (`null` when absent), so a signer can sign the
 * headers it is about to add without copying the request's; `names` are lower-case, sorted, unique.
 */
export function canonicalRequestOf(
  method: string,
  url: URL,
  headerValue: (name: string) => string | null,
  names: readonly string[],
  payloadHash: string,
): string {
  let lines = "";
  for (const name of names) {
    const value = headerValue(name) ?? (name === "host" ? url.host : null);
    if (value === null)
      throw new InvalidInputError("signedHeaders", `the header "${name}" is not on the request`);
    lines += `${name}:${value.trim()}\n`;
  }
  return `${method.toUpperCase()}\n${huaweiCanonicalUri(url.pathname)}\n${huaweiCanonicalQuery(huaweiQueryPairs(url.search))}\n${lines}\n${names.join(";")}\n${payloadHash}`;
}
