/**
 * The digests the signers need, on Web Crypto (browsers, workers, Deno, Bun; Node uses crypto-node.ts).
 * The signers import `#crypto`, which package.json `imports` maps to this file everywhere but Node, so
 * a browser bundle never references a Node module. crypto-node.ts has the same exports.
 *
 * Every `crypto.subtle` call is an async hop (a thread-pool job on Node, a task in browsers), which
 * costs far more than the hashing itself. So keyed work (HMAC) stays in Web Crypto, with keys imported
 * once and reused, while SHA-256 of short public data (a canonical request, a small body) runs in the
 * small synchronous implementation below; larger inputs go to `crypto.subtle.digest`.
 */

const encoder = /* @__PURE__ */ new TextEncoder();

/** Bytes of a string (UTF-8) or of a buffer. */
export type BytesLike = string | ArrayBuffer | ArrayBufferView;

/** The hash functions the signers use. */
export type HashName = "SHA-256" | "SHA-1";

/** An HMAC key prepared once and reused for many signatures (an imported `CryptoKey` here). */
export interface HmacKey {
  readonly hash: HashName;
  readonly key: Promise<CryptoKey>;
}

/** Which implementation this is, for tests and benchmarks. */
export const implementation = "web-crypto";

export function toBytes(data: BytesLike): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

/** Inputs up to this size are hashed synchronously here; larger ones by `crypto.subtle.digest`. */
const SYNC_DIGEST_LIMIT = 16 * 1024;

/** Lower-case hex SHA-256: at once for short inputs, a promise for long ones. */
export function sha256Hex(data: BytesLike): string | Promise<string> {
  const bytes = toBytes(data);
  if (bytes.length <= SYNC_DIGEST_LIMIT) return toHex(sha256(bytes));
  return crypto.subtle.digest("SHA-256", bytes).then(toHex);
}

/** Lower-case hex SHA-256, synchronously: for short public data such as a canonical request. */
export function sha256HexSync(data: BytesLike): string {
  return toHex(sha256(toBytes(data)));
}

// FIPS 180-4 constants: the first 32 bits of the fractional parts of the square roots of the first 8
// primes (initial hash) and of the cube roots of the first 64 primes (round constants).
const INITIAL: number[] = [];
const ROUND: number[] = [];
for (let n = 2, found = 0; found < 64; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
  if (!prime) continue;
  const fraction = (x: number) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
  if (found < 8) INITIAL[found] = fraction(Math.sqrt(n));
  ROUND[found++] = fraction(Math.cbrt(n));
}

/** SHA-256 (FIPS 180-4) of `bytes`, synchronously; for short inputs, where it beats an async hop. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  const blocks = ((length + 8) >> 6) + 1;
  const words = new Uint32Array(blocks * 16);
  for (let i = 0; i < length; i++) words[i >> 2]! |= bytes[i]! << (24 - (i % 4) * 8);
  words[length >> 2]! |= 0x80 << (24 - (length % 4) * 8);
  words[blocks * 16 - 2] = Math.floor(length / 2 ** 29);
  words[blocks * 16 - 1] = length * 8;
  const hash = INITIAL.slice();
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let block = 0; block < blocks; block++) {
    for (let t = 0; t < 64; t++) {
      if (t < 16) w[t] = words[block * 16 + t]!;
      else {
        const a = w[t - 15]!;
        const b = w[t - 2]!;
        const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
        const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
        w[t] = w[t - 16]! + s0 + w[t - 7]! + s1;
      }
    }
    let [a, b, c, d, e, f, g, h] = hash as [number, number, number, number, number, number, number, number];
    for (let t = 0; t < 64; t++) {
      const t1 =
        (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    const next = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) hash[i] = (hash[i]! + next[i]!) | 0;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = hash[i >> 2]! >>> (24 - (i % 4) * 8);
  return out;
}

/** Prepares `key` for HMAC with `hash`: import it once, sign with it many times. */
export function hmacKey(hash: HashName, key: BytesLike): HmacKey {
  const imported = crypto.subtle.importKey("raw", toBytes(key), { name: "HMAC", hash }, false, ["sign"]);
  return { hash, key: imported };
}

// Typed as the node:crypto build's (which returns at once): here every HMAC is a promise.

/** Raw HMAC of `data` under `key` (bytes, or a prepared {@link HmacKey}). */
export function hmac(
  hash: HashName,
  key: BytesLike | HmacKey,
  data: BytesLike,
): Uint8Array | Promise<Uint8Array> {
  return sign(hash, key, data);
}

/** Lower-case hex HMAC. */
export function hmacHex(hash: HashName, key: BytesLike | HmacKey, data: BytesLike): string | Promise<string> {
  return sign(hash, key, data).then(toHex);
}

/** Base64 HMAC. */
export function hmacBase64(
  hash: HashName,
  key: BytesLike | HmacKey,
  data: BytesLike,
): string | Promise<string> {
  return sign(hash, key, data).then(toBase64);
}

async function sign(hash: HashName, key: BytesLike | HmacKey, data: BytesLike): Promise<Uint8Array> {
  const prepared = isHmacKey(key) ? key : hmacKey(hash, key);
  return new Uint8Array(await crypto.subtle.sign("HMAC", await prepared.key, toBytes(data)));
}

function isHmacKey(key: BytesLike | HmacKey): key is HmacKey {
  return typeof key === "object" && "key" in key && "hash" in key;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function toHex(buffer: ArrayBuffer | Uint8Array): string {
  let out = "";
  for (const byte of buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)) out += HEX[byte];
  return out;
}

export function toBase64(buffer: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const byte of buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}
