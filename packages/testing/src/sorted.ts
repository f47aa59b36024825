/**
 * Listings kept in UTF-8 byte order (Swift's and S3's), searched by binary search. Keys are "byte
 * strings" (each UTF-8 byte one char), so plain JS string comparison is byte order.
 */

/** A string's UTF-8 bytes as a byte string: JS string order is then UTF-8 byte order (`compareUtf8`). */
export function byteString(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** The text a byte string holds. */
export function textString(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** The first index whose key is not below `key`. */
export function lowerBound(entries: readonly { key: string }[], key: string): number {
  return bound(entries, (k) => k < key);
}

/** The first index whose key is above `key`. */
export function upperBound(entries: readonly { key: string }[], key: string): number {
  return bound(entries, (k) => k <= key);
}

function bound(entries: readonly { key: string }[], before: (key: string) => boolean): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(entries[mid]!.key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
