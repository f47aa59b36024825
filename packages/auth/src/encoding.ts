/**
 * RFC 3986 percent-encoding as the signers need it: every byte of the UTF-8 form except the
 * unreserved `A-Z a-z 0-9 - _ . ~` becomes `%XY` with upper-case hex. `encodeURIComponent` is not
 * enough: it leaves `! ' ( ) *` bare, and a signature over them does not match the server's.
 */

const UNRESERVED_ONLY = /^[A-Za-z0-9._~-]*$/;

/** Percent-encodes every character but the RFC 3986 unreserved ones. */
export function rfc3986(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Decodes percent-escapes. Where the whole string does not decode (a lone `%`, a cut UTF-8
 * sequence), the valid escapes are still decoded byte-wise and everything else is kept as written.
 */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < value.length; ) {
      const hex = value.slice(i + 1, i + 3);
      if (value[i] === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 3;
      } else {
        const char = String.fromCodePoint(value.codePointAt(i)!);
        bytes.push(...encoder.encode(char));
        i += char.length;
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}
