/**
 * Token auth as a step of every attempt: the token from a {@link TokenSource} is fetched with the
 * attempt's own signal and stamped on its headers. When the service answers 401 the token is
 * invalidated (only if it is still the cached one, so a burst of 401s causes one refresh) and the
 * pipeline repeats the attempt at once, under the call's retry policy and deadline.
 */
import type { AttemptStep, SecretRegistry } from "@bucketry/core/internal";
import { registeredTokens, Token, type TokenSource } from "./token.js";

/** Options of {@link tokenAuth}. */
export interface TokenAuthOptions {
  /** The header that carries the token; `X-Auth-Token` (Keystone, Huawei IAM, Swift) by default. */
  header?: string;
  /** A scheme written before the token, e.g. `Bearer`; none by default. */
  scheme?: string;
  /** The client's registry: every token handed out is checked to be a `Token` and registered in it. */
  secrets?: SecretRegistry | undefined;
}

/** Sends the token in `X-Auth-Token` (or `options.header`), renewing it once per call on a 401. */
export function tokenAuth(given: TokenSource, options: TokenAuthOptions = {}): AttemptStep {
  const source = options.secrets ? registeredTokens(given, options.secrets) : given;
  const header = options.header ?? "X-Auth-Token";
  const prefix = options.scheme ? `${options.scheme} ` : "";
  return {
    prepare(request, attempt) {
      // A cached token is stamped at once: no async hop for the common case.
      const ready = source.current?.();
      if (ready !== undefined) return void request.headers.set(header, prefix + ready.reveal());
      return source.token(attempt.signal).then((token) => {
        request.headers.set(header, prefix + token.reveal());
      });
    },
    answered(request, response, attempt) {
      // A source that cannot renew (a pre-issued token) would only get the same 401 again.
      if (response.status !== 401 || source.renewable === false) return false;
      const sent = request.headers.get(header)?.slice(prefix.length);
      if (sent) source.invalidate(new Token(sent));
      attempt.emit({ type: "refresh", what: "token", status: 401 });
      return true;
    },
  };
}

/** Sends the token as `Authorization: Bearer <token>`, renewing it once per call on a 401. */
export function bearerAuth(
  source: TokenSource,
  options: Pick<TokenAuthOptions, "secrets"> = {},
): AttemptStep {
  return tokenAuth(source, { ...options, header: "Authorization", scheme: "Bearer" });
}
