/**
 * RFC 3986 percent-encoding as the signers need it: every byte of the UTF-8 form except the
 * unreserved `A-Z a-z 0-9 - _ . ~` becomes `%XY` with upper-case hex. `encodeURIComponent` is not
 * enough: it leaves `! ' ( ) *` bare, and a signature over them does not match the server's.
 */

/** Percent-encodes every character but the RFC 3986 unreserved ones. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Decodes percent-escapes, leaving malformed ones (a lone `%`) as they are. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9A-Fa-f]{2})/g, (match, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : match;
    });
  }
}

/**
 * The query of a URL as `[name, value]` pairs, decoded, in order, keeping repeated names and
 * value-less flags (`?space` → `["space", ""]`). `URLSearchParams` would turn `+` into a space,
 * which is form encoding, not what a signature covers.
 */
export function queryPairs(search: string): [string, string][] {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return [];
  return query.split("&").map((part) => {
    const eq = part.indexOf("=");
    return eq === -1
      ? [safeDecode(part), ""]
      : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))];
  });
}
