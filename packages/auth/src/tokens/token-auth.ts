/**
 * Middlewares that put a token from a {@link TokenSource} on every attempt. When the service answers
 * 401 the token is invalidated (only if it is still the cached one, so a burst of 401s causes one
 * refresh) and the request is sent once more with a new token; whatever that answers is returned.
 */
import { replay, setReplay } from "@bucketry/core";
import type { Middleware } from "openapi-fetch";
import { Token, type TokenSource } from "./token.js";

/** Options of {@link tokenAuth}. */
export interface TokenAuthOptions {
  /** The header that carries the token; `X-Auth-Token` (Keystone, Huawei IAM, Swift) by default. */
  header?: string;
  /** A scheme written before the token, e.g. `Bearer`; none by default. */
  scheme?: string;
}

/** Sends the token in `X-Auth-Token` (or `options.header`), renewing it once on a 401. */
export function tokenAuth(source: TokenSource, options: TokenAuthOptions = {}): Middleware {
  const header = options.header ?? "X-Auth-Token";
  const prefix = options.scheme ? `${options.scheme} ` : "";
  // The token each call's latest attempt carried, so a 401 invalidates exactly that one.
  const sent = new WeakMap<Request, { token?: Token }>();

  /** Stamps the token on `request` itself: a new Request per attempt would cost time and break
   * the signal's link to the caller's in Node (see core's lineage.ts). */
  const withToken = (request: Request, token: Token): Request => {
    request.headers.set(header, prefix + token.reveal());
    return request;
  };

  return {
    async onRequest({ request }) {
      const attempt: { token?: Token } = {};
      const stamp = async (input: Request) => {
        attempt.token = await source.token(input.signal);
        return withToken(input, attempt.token);
      };
      // Recorded before stamping: a replay starts from the unstamped request.
      setReplay(request, request, stamp);
      await stamp(request);
      sent.set(request, attempt);
      return undefined;
    },

    async onResponse({ request, response, options: client }) {
      if (response.status !== 401) return undefined;
      const spent = sent.get(request)?.token ?? tokenIn(request.headers.get(header), prefix);
      if (!spent) return undefined;
      source.invalidate(spent);
      const fresh = await source.token(request.signal);
      // A source that cannot renew (a static token) would only get the same 401 again.
      if (fresh.reveal() === spent.reveal()) return undefined;
      // Every recorded step is redone (fresh signatures, dates); the header is set again in case
      // a later middleware replaced the request without recording how to redo it.
      const next = withToken(await replay(request), fresh);
      await response.body?.cancel().catch(() => {});
      return client.fetch(next);
    },
  };
}

/** Sends the token as `Authorization: Bearer <token>`, renewing it once on a 401. */
export function bearerAuth(source: TokenSource): Middleware {
  return tokenAuth(source, { header: "Authorization", scheme: "Bearer" });
}

function tokenIn(value: string | null, prefix: string): Token | undefined {
  if (!value?.startsWith(prefix) || value.length === prefix.length) return undefined;
  return new Token(value.slice(prefix.length));
}
