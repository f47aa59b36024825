/**
 * Prepared HMAC keys per credentials object: importing a key is a Web Crypto call of its own (an async
 * hop), and on node:crypto an HMAC from bytes is faster than from a string, so a signer prepares the
 * secret once. Kept in a WeakMap, so a prepared key lives no longer than the credentials it came from;
 * it is used only while the object still holds the same secret.
 */
import { type HashName, type HmacKey, hmacKey } from "#crypto";

const prepared = new WeakMap<object, { secret: string; key: HmacKey }>();

/** The prepared key for `secret`, reused while `owner` (the credentials object) holds that secret. */
export function preparedKey(owner: object, hash: HashName, secret: string): HmacKey {
  const kept = prepared.get(owner);
  if (kept !== undefined && kept.secret === secret && kept.key.hash === hash) return kept.key;
  const key = hmacKey(hash, secret);
  prepared.set(owner, { secret, key });
  return key;
}
