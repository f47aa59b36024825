/**
 * Tokens and token sources. A {@link Token} keeps its value in a private field: it is read only
 * through `reveal()`, so logging, `util.inspect` or `JSON.stringify` of a token, of a source or of
 * anything holding one never prints it. A {@link TokenSource} hands out the current token and is told
 * when the server refused one.
 */
import { CredentialsError, REDACTED, type SecretRegistry } from "@bucketry/core/internal";
import { singleFlightCache } from "./single-flight.js";

/** A bearer or `X-Auth-Token` credential and, when known, when it expires. */
export class Token {
  readonly #value: string;
  /** When the token stops being accepted, as the issuer said; undefined when it did not say. */
  readonly expiresAt: Date | undefined;

  constructor(value: string, expiresAt?: Date) {
    if (typeof value !== "string" || value === "")
      throw new CredentialsError("token", "must be a non-empty string");
    this.#value = value;
    this.expiresAt = expiresAt;
  }

  /** The secret value, for the one header that carries it. */
  reveal(): string {
    return this.#value;
  }

  /** The token without its value. */
  toJSON(): { value: string; expiresAt: string | undefined } {
    return { value: REDACTED, expiresAt: this.expiresAt?.toISOString() };
  }

  /** Keeps the value out of `String(token)` and template strings. */
  toString(): string {
    return `Token(${REDACTED})`;
  }

  /** What `util.inspect` (and so `console.log`) shows. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.expiresAt ? `Token(${REDACTED}, expires ${this.expiresAt.toISOString()})` : this.toString();
  }
}

/** Something that hands out a current token and is told when the server refused one. */
export interface TokenSource {
  /** The current token, fetched (once, however many callers wait) when missing or due for renewal. */
  token(signal?: AbortSignal): Promise<Token>;
  /**
   * The current token when it is ready and fresh, without waiting (so an attempt is stamped without
   * an async hop); undefined when `token()` must be asked. Optional: sources may leave it out.
   */
  current?(): Token | undefined;
  /** Forgets `token` (or whatever is cached, without an argument) so the next call fetches a new one. */
  invalidate(token?: Token): void;
  /** `false` when invalidating cannot bring a new token (a pre-issued one), so a 401 is final. */
  readonly renewable?: boolean;
}

/** Options of {@link cachedTokenSource}. */
export interface CachedTokenSourceOptions {
  /** Renew this long before `expiresAt` (but never earlier than half the token's lifetime); 5 minutes by default. */
  marginMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** The default renewal margin: 5 minutes before a token expires. */
export const DEFAULT_TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * A {@link TokenSource} around `fetchToken`: the token is cached until `expiresAt` less the margin,
 * at most one fetch is in flight however many callers wait, a failed fetch is not cached, and
 * `invalidate(token)` drops the cache only if it still holds that token — so 200 requests refused
 * with the same stale token cause one refresh, not 200.
 */
export function cachedTokenSource(
  fetchToken: (signal: AbortSignal) => Promise<Token>,
  options: CachedTokenSourceOptions = {},
): TokenSource {
  const marginMs = options.marginMs ?? DEFAULT_TOKEN_MARGIN_MS;
  const cache = singleFlightCache(fetchToken, {
    now: options.now,
    same: (a, b) => a.reveal() === b.reveal(),
    renewAt(token, loadedAt) {
      if (!token.expiresAt) return Number.POSITIVE_INFINITY;
      const expiresAt = token.expiresAt.getTime();
      // Half the lifetime caps the margin, so a 5-minute Keycloak token is still used for 2.5 minutes.
      return expiresAt - Math.min(marginMs, Math.max(0, (expiresAt - loadedAt) / 2));
    },
  });
  return {
    token: (signal) => cache.get(signal),
    current: () => cache.peek(),
    invalidate: (token) => cache.invalidate(token),
  };
}

/** A {@link TokenSource} that always hands out the same token (e.g. a pre-issued `OS_AUTH_TOKEN`). */
export function staticToken(value: string | Token): TokenSource {
  const token = value instanceof Token ? value : new Token(value);
  return {
    token: async () => token,
    current: () => token,
    invalidate: () => {},
    renewable: false,
  };
}

/** Credentials that are a ready token source: the `{ type: "token" }` form every client takes. */
export interface TokenCredentials {
  type: "token";
  /** Hands out the token; asked again (once) when the service answers 401, if it can renew. */
  source: TokenSource;
}

/** `value` when it is a {@link TokenSource}; a `CredentialsError` for `field` saying what to pass otherwise. */
export function checkTokenSource(value: unknown, field = "credentials.source"): TokenSource {
  if (value instanceof Token) {
    throw new CredentialsError(field, "is a Token, not a TokenSource: wrap it with staticToken(token)");
  }
  const source = value as Partial<TokenSource> | null | undefined;
  if (
    source === null ||
    typeof source !== "object" ||
    typeof source.token !== "function" ||
    typeof source.invalidate !== "function"
  ) {
    throw new CredentialsError(
      field,
      "must be a TokenSource ({ token(), invalidate() }, e.g. staticToken(accessToken))",
    );
  }
  return source as TokenSource;
}

/**
 * `source`, with every token it hands out registered in `secrets` (so no error or event can echo it)
 * and checked to be a {@link Token}: for token sources a user passes in.
 */
export function registeredTokens(source: TokenSource, secrets: SecretRegistry): TokenSource {
  // The last token registered: a source hands out the same one for many calls.
  let registered: Token | undefined;
  const register = (token: Token): Token => {
    if (token === registered) return token;
    if (token === null || typeof token !== "object" || typeof token.reveal !== "function") {
      throw new CredentialsError("credentials", "the TokenSource handed out something that is not a Token");
    }
    secrets.add(token.reveal());
    registered = token;
    return token;
  };
  const current = source.current?.bind(source);
  return {
    token: async (signal) => register(await source.token(signal)),
    ...(current
      ? {
          current: () => {
            const token = current();
            return token === undefined ? undefined : register(token);
          },
        }
      : {}),
    invalidate: (token) => source.invalidate(token),
    renewable: source.renewable,
  };
}
