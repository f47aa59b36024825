/**
 * The one place that knows what is secret. Headers and JSON fields are redacted by name; any other
 * text is scrubbed of the exact secret values a client registered (its keys, tokens and cookies), so a
 * secret echoed back inside an error body or a URL never reaches a message, a log or `util.inspect`.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-auth-token",
  "x-subject-token",
  "x-storage-token",
  "x-xsrf-token",
  "x-security-token",
  "x-amz-security-token",
]);

const SECRET_FIELD = /secret|password|passwd|token|credential|cookie|^authorization$|^signature$|^sk$/i;

/** Whether a header (any case) carries a secret. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Whether a JSON field or query parameter name (any case) carries a secret, e.g. `AWSSecretAccessKey`. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** A plain copy of the headers with every secret value replaced by {@link REDACTED}. */
export function redactHeaders(
  headers: Headers | Iterable<[string, string]> | Record<string, string>,
): Record<string, string> {
  const entries =
    headers instanceof Headers || Symbol.iterator in headers
      ? [...(headers as Iterable<[string, string]>)]
      : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) out[name.toLowerCase()] = isSecretHeader(name) ? REDACTED : value;
  return out;
}

/** A deep copy of a JSON-like value with every secret field replaced by {@link REDACTED}. */
export function redactValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactValue) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      isSecretField(key) && field !== null && typeof field !== "object" ? REDACTED : redactValue(field);
  }
  return out as T;
}

/** A URL with the values of secret query parameters (`X-Amz-Signature`, `token`, ...) and any userinfo redacted. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return String(url);
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username && REDACTED;
    parsed.password = parsed.password && REDACTED;
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (isSecretField(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

/**
 * Known secret values, scrubbed from any text. Each client keeps one and adds every credential,
 * token and cookie it handles, so even a server that echoes a secret back cannot leak it.
 */
export class SecretRegistry {
  #secrets = new Set<string>();

  /** Registers secret values; values shorter than 4 characters are ignored (they would scrub ordinary text). */
  add(...values: (string | undefined | null)[]): void {
    for (const value of values) if (value && value.length >= 4) this.#secrets.add(value);
  }

  /** The text with every registered secret (and its percent-encoded form) replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }

  /** Like {@link redactValue}, then every string scrubbed of registered secrets. */
  redact<T>(value: T): T {
    return this.#scrubDeep(redactValue(value));
  }

  #scrubDeep<T>(value: T): T {
    if (typeof value === "string") return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.#scrubDeep(v)) as T;
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#scrubDeep(v)])) as T;
  }

  /** Keeps the registry's contents out of `util.inspect` and `JSON.stringify`. */
  toJSON(): string {
    return `SecretRegistry(${this.#secrets.size})`;
  }
}
