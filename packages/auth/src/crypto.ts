/**
 * The few digests the signers need, on Web Crypto only (Node 20+, Deno, Bun, browsers, workers).
 * Every call is async: Web Crypto has no synchronous HMAC.
 */

const encoder = new TextEncoder();

/** Bytes of a string (UTF-8) or of a buffer. */
export type BytesLike = string | ArrayBuffer | ArrayBufferView;

export function toBytes(data: BytesLike): Uint8Array {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Lower-case hex SHA-256. */
export async function sha256Hex(data: BytesLike): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", toBytes(data) as Uint8Array<ArrayBuffer>));
}

/** Raw HMAC of `data` under `key` with the named hash. */
export async function hmac(hash: "SHA-256" | "SHA-1", key: BytesLike, data: BytesLike): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    toBytes(key) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  return crypto.subtle.sign("HMAC", cryptoKey, toBytes(data) as Uint8Array<ArrayBuffer>);
}

export function toHex(buffer: ArrayBuffer): string {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, "0");
  return out;
}

export function toBase64(buffer: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
