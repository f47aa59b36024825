/**
 * The digests the signers need, on node:crypto: what `#crypto` resolves to under the `node`
 * condition (package.json `imports`). Same exports as crypto.ts (the Web Crypto one), and
 * synchronous, so a signature costs no thread-pool hop: Node's Web Crypto queues every digest and
 * HMAC on the thread pool, which made a SigV4 signature 2-3x slower.
 */
import type * as NodeCrypto from "node:crypto";

// Loaded at the first digest, not on import: node:crypto brings sixteen internal modules, which a
// program that only imports a client (a CLI's --help) should not wait for.
let loaded: typeof NodeCrypto | undefined;
const nodeCrypto = () => (loaded ??= process.getBuiltinModule("node:crypto"));

/** Bytes of a string (UTF-8) or of a buffer. */
export type BytesLike = string | ArrayBuffer | ArrayBufferView;

/** The hash functions the signers use. */
export type HashName = "SHA-256" | "SHA-1";

/**
 * An HMAC key prepared once and reused for many signatures: its bytes here (node:crypto's HMAC is
 * faster from bytes than from a `KeyObject`).
 */
export interface HmacKey {
  readonly hash: HashName;
  readonly key: Uint8Array;
}

/** Which implementation this is, for tests and benchmarks. */
export const implementation = "node-crypto";

const ALGORITHMS = { "SHA-256": "sha256", "SHA-1": "sha1" } as const;
const encoder = /* @__PURE__ */ new TextEncoder();

export function toBytes(data: BytesLike): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

// node:crypto takes strings as UTF-8 itself, and any view without copying.
function input(data: BytesLike): string | Uint8Array {
  return typeof data === "string" || ArrayBuffer.isView(data) ? (data as string | Uint8Array) : toBytes(data);
}

/** Lower-case hex SHA-256 (here at once; a promise in the Web Crypto build). */
export function sha256Hex(data: BytesLike): string | Promise<string> {
  return sha256HexSync(data);
}

/** Lower-case hex SHA-256, synchronously: for short public data such as a canonical request. */
export function sha256HexSync(data: BytesLike): string {
  // A one-shot digest, without a Hash object.
  return nodeCrypto().hash("sha256", input(data), "hex");
}

/** SHA-256 of `bytes`, synchronously. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nodeCrypto().createHash("sha256").update(bytes).digest();
}

/** Prepares `key` for HMAC with `hash`: its bytes, encoded once. */
export function hmacKey(hash: HashName, key: BytesLike): HmacKey {
  return { hash, key: toBytes(key) };
}

function digest(
  hash: HashName,
  key: BytesLike | HmacKey,
  data: BytesLike,
): { digest(): Uint8Array; digest(encoding: "hex" | "base64"): string } {
  const secret = isHmacKey(key) ? key.key : input(key);
  return nodeCrypto().createHmac(ALGORITHMS[hash], secret).update(input(data));
}

// The HMACs return at once here, so a signature on Node costs no async hop.

/** Raw HMAC of `data` under `key` (bytes, or a prepared {@link HmacKey}). */
export function hmac(
  hash: HashName,
  key: BytesLike | HmacKey,
  data: BytesLike,
): Uint8Array | Promise<Uint8Array> {
  return digest(hash, key, data).digest();
}

/** Lower-case hex HMAC. */
export function hmacHex(hash: HashName, key: BytesLike | HmacKey, data: BytesLike): string | Promise<string> {
  return digest(hash, key, data).digest("hex");
}

/** Base64 HMAC. */
export function hmacBase64(
  hash: HashName,
  key: BytesLike | HmacKey,
  data: BytesLike,
): string | Promise<string> {
  return digest(hash, key, data).digest("base64");
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
