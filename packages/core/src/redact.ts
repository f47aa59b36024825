/**
 * The one place that knows what is secret. Headers and JSON fields are redacted by name; free text is
 * redacted where it spells out `name=value` / `name: value` / `<Name>value</Name>` with a secret
 * name; and any text is scrubbed of the exact secret values a client registered (its keys, tokens and
 * cookies), so a secret echoed back inside an error body or a URL never reaches a message, a log or
 * `util.inspect`.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

// A header is secret when its name says so (Authorization, Cookie, or token, secret, password,
// signature, API key in it): that covers every vendor's `X-Auth-Token`, `X-Security-Token` and
// `X-XSRF-TOKEN`, and Swift's `X-Account-Meta-Temp-URL-Key`, without core naming any of them.
const SECRET_HEADER = /token|secret|passw|cookie|authori[sz]ation|signature|temp-url-key|api-?key/i;

// Over-matching (`pageToken`) is the safe direction: a redacted cursor costs nothing in an error.
const SECRET_NAME =
  "[\\w.-]*?(?:secret|passw(?:or)?d|passphrase|token|credential|cookie|authori[sz]ation|signature|api[-_]?key|private[-_]?key)[\\w.-]*|sk|sig|[\\w.-]+[-_]sig";
const SECRET_FIELD = new RegExp(`^(?:${SECRET_NAME})$`, "i");
// Names that match the pattern but carry no secret: Huawei's encoded policy-denial explanation.
const NOT_SECRET_FIELDS = new Set(["encoded_authorization_message"]);

/** Whether a header (any case) carries a secret. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Whether a JSON field or query parameter name (any case) carries a secret, e.g. `AWSSecretAccessKey`. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) && !NOT_SECRET_FIELDS.has(name.toLowerCase());
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

// `<SecretKey>v</SecretKey>`, and `name: v` / `name=v` / `"name": "v"` (a header line, a query, JSON
// inside text). Authorization and Cookie values run to the end of the line or a `|` (Huawei's echo of
// a canonical request joins lines with `|`), since they contain spaces and `=`.
const XML_SECRET = new RegExp(`<(${SECRET_NAME})>[^<]*</\\1>`, "gi");
const PAIR_SECRET = new RegExp(
  `(?<![\\w.-])(${SECRET_NAME})("?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|[^\\s"&|,;<]+)`,
  "gi",
);
const LINE_SECRET = /(?<![\w.-])([\w-]*authori[sz]ation|[\w-]*cookie)(\s*[:=]\s*)([^|\r\n]+)/gi;

/** Free text (an error body, a log line) with the values of secret-named headers, fields and elements redacted. */
export function redactText(text: string): string {
  return text
    .replace(XML_SECRET, (_, name: string) => `<${name}>${REDACTED}</${name}>`)
    .replace(LINE_SECRET, (_, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(PAIR_SECRET, (_, name: string, sep: string, value: string) =>
      value.startsWith('"') ? `${name}${sep}"${REDACTED}"` : `${name}${sep}${REDACTED}`,
    );
}

/**
 * Redacts anything a log line or an error might hold: `Headers` become a plain record with secret
 * values replaced, a `URL` a redacted string, text has secret-named values replaced, and JSON-like
 * values are copied with secret fields (and secret-looking text inside strings) replaced. With a
 * registry, every registered secret value is scrubbed as well.
 */
export function redact(value: Headers, secrets?: SecretRegistry): Record<string, string>;
export function redact(value: URL, secrets?: SecretRegistry): string;
export function redact<T>(value: T, secrets?: SecretRegistry): T;
export function redact(value: unknown, secrets?: SecretRegistry): unknown {
  const scrub = (text: string) => redactText(secrets ? secrets.scrub(text) : text);
  if (value instanceof Headers) {
    return Object.fromEntries(Object.entries(redactHeaders(value)).map(([k, v]) => [k, scrub(v)]));
  }
  if (value instanceof URL) return scrub(redactUrl(value));
  const deep = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(deep);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, field]) => [secrets ? secrets.scrub(k) : k, deep(field)]),
    );
  };
  return deep(redactValue(value));
}

/**
 * A URL with the values of secret query parameters (`X-Amz-Signature`, `token`, ...) redacted, and
 * without userinfo or fragment. Other parameters are kept exactly as they were written.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: keep what precedes the query, never the query itself.
    const text = String(url);
    const cut = text.search(/[?#]/);
    return cut < 0 ? text : `${text.slice(0, cut)}?${REDACTED}`;
  }
  const query = parsed.search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return isSecretField(safeDecode(name)) && eq >= 0 ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query ? `?${query}` : ""}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
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

  /** The number of registered secrets (never the secrets themselves). */
  get size(): number {
    return this.#secrets.size;
  }

  /** The text with every registered secret (as is, percent-encoded or JSON-escaped) replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
        out = out.split(form).join(REDACTED);
      }
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
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [this.scrub(k), this.#scrubDeep(v)]),
    ) as T;
  }

  /** Keeps the registry's contents out of `JSON.stringify`. */
  toJSON(): string {
    return `SecretRegistry(${this.#secrets.size})`;
  }
}

/**
 * A secret value returned by an API (an `AWSSecretAccessKey`): prints, logs and serialises as
 * {@link REDACTED}, and is read only on purpose with `reveal()`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only where the value is really needed. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Secret(${REDACTED})`;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return `Secret(${REDACTED})`;
  }
}
