/**
 * The CSRF double-submit session of Hitachi VSP One Object's Management API (a Vert.x-web server):
 * `GET …/mapi/v1/csrf` sets the `XSRF-TOKEN` and `vertx-web.session` cookies, and every call then
 * sends the token twice, as `X-XSRF-TOKEN` and in the `Cookie` header.
 */
import {
  type AttemptRequest,
  type AttemptStep,
  type ErrorFormat,
  httpUrl,
  SecretRegistry,
} from "@bucketry/core/internal";
import { singleFlightCache } from "../tokens/single-flight.js";
import type { Token, TokenSource } from "../tokens/token.js";
import { endpointFailed, endpointUnreachable, type TokenEndpoint } from "../tokens/token-errors.js";

const XSRF_COOKIE = "XSRF-TOKEN";
const SESSION_COOKIE = "vertx-web.session";
const XSRF_HEADER = "X-XSRF-TOKEN";

/** Options of {@link xsrfSession}. */
export interface XsrfSessionOptions {
  /** The CSRF endpoint, e.g. `https://admin.{region}.{cluster}/mapi/v1/csrf`. */
  csrfUrl: string;
  /** The fetch for the CSRF request; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** The bearer token to send with the CSRF request (the same source `bearerAuth` uses for the calls). */
  bearer?: TokenSource;
  /** Where the cookies are registered, so error bodies are scrubbed of them. */
  secrets?: SecretRegistry;
  /** The provider named in errors; `hitachi-vsp-one-object` by default. */
  provider?: string;
  /** How the server reports errors (its error-body parser and request-id header). */
  errors?: ErrorFormat;
}

interface Cookies {
  xsrf: string;
  session: string | undefined;
}

/**
 * A step of every attempt that fetches the CSRF cookies once (however many calls wait for them),
 * sends `X-XSRF-TOKEN` and `Cookie: XSRF-TOKEN=…; vertx-web.session=…`, keeps cookies a response
 * rotates, and on a 403 drops the cookies so the pipeline repeats the attempt with new ones. It does
 * not send the bearer token of the calls themselves: use `bearerAuth` too.
 *
 * Server-side runtimes only (Node, Deno, Bun): `Cookie` is a forbidden request header in browsers,
 * whose fetch silently drops it (and hides `Set-Cookie`); a browser must rely on its own cookie jar.
 */
export function xsrfSession(options: XsrfSessionOptions): AttemptStep {
  const secrets = options.secrets ?? new SecretRegistry();
  const endpoint: TokenEndpoint = {
    provider: options.provider ?? "hitachi-vsp-one-object",
    what: "CSRF cookie request",
    method: "GET",
    url: csrfUrl(options.csrfUrl),
    secrets,
    format: options.errors,
  };
  const send = options.fetch ?? ((request: Request) => fetch(request));

  async function request(signal: AbortSignal, token: Token | undefined): Promise<Response> {
    const headers = new Headers({ Accept: "application/json" });
    if (token) {
      secrets.add(token.reveal());
      headers.set("Authorization", `Bearer ${token.reveal()}`);
    }
    try {
      return await send(new Request(endpoint.url, { method: "GET", headers, signal }));
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw endpointUnreachable(endpoint, error);
    }
  }

  const cookies = singleFlightCache<Cookies>(
    async (signal) => {
      let token = await options.bearer?.token(signal);
      let response = await request(signal, token);
      if (response.status === 401 && token && options.bearer && options.bearer.renewable !== false) {
        // A bearer token revoked early: renew it once, as `bearerAuth` does for the calls.
        options.bearer.invalidate(token);
        await response.body?.cancel().catch(() => {});
        token = await options.bearer.token(signal);
        response = await request(signal, token);
      }
      if (!response.ok) throw await endpointFailed(endpoint, response);
      const set = setCookies(response.headers);
      const xsrf = set.get(XSRF_COOKIE);
      if (!xsrf) throw await endpointFailed(endpoint, response, `no ${XSRF_COOKIE} cookie in the answer`);
      await response.body?.cancel().catch(() => {});
      const session = set.get(SESSION_COOKIE);
      secrets.add(xsrf, session);
      return { xsrf, session };
    },
    { same: (a, b) => a.xsrf === b.xsrf && a.session === b.session },
  );

  return {
    async prepare(request, attempt) {
      stamp(request, await cookies.get(attempt.signal));
    },

    answered(request, response, attempt) {
      const used = cookiesIn(request.headers);
      const rotated = setCookies(response.headers);
      if (used && (rotated.get(XSRF_COOKIE) || rotated.get(SESSION_COOKIE))) {
        const next = {
          xsrf: rotated.get(XSRF_COOKIE) || used.xsrf,
          session: rotated.get(SESSION_COOKIE) || used.session,
        };
        secrets.add(next.xsrf, next.session);
        cookies.set(next);
      }
      if (response.status !== 403) return false;
      // Only if still cached: a burst of 403s on the same stale cookies makes one CSRF request.
      if (used) cookies.invalidate(used);
      attempt.emit({ type: "refresh", what: "csrf", status: 403 });
      return true;
    },
  };
}

/** Stamps our two cookies (replacing any earlier copies) and the `X-XSRF-TOKEN` header. */
function stamp(request: AttemptRequest, cookies: Cookies): void {
  const { headers } = request;
  headers.set(XSRF_HEADER, cookies.xsrf);
  const others = (headers.get("cookie") ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair !== "" && !isOurs(pair.split("=", 1)[0]!.trim()));
  const ours = [`${XSRF_COOKIE}=${cookies.xsrf}`];
  if (cookies.session) ours.push(`${SESSION_COOKIE}=${cookies.session}`);
  headers.set("Cookie", [...others, ...ours].join("; "));
}

/** The cookies an attempt carried. */
function cookiesIn(headers: Headers): Cookies | undefined {
  const xsrf = headers.get(XSRF_HEADER);
  if (!xsrf) return undefined;
  const pairs = parsePairs((headers.get("cookie") ?? "").split(";"));
  return { xsrf, session: pairs.get(SESSION_COOKIE) };
}

/** `name=value` of each `Set-Cookie` (attributes after `;` ignored); empty without `getSetCookie`. */
function setCookies(headers: Headers): Map<string, string> {
  const lines = typeof headers.getSetCookie === "function" ? headers.getSetCookie() : [];
  return parsePairs(lines.map((line) => line.split(";", 1)[0] ?? ""));
}

function parsePairs(pairs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

function isOurs(name: string): boolean {
  return name === XSRF_COOKIE || name === SESSION_COOKIE;
}

function csrfUrl(value: string): string {
  return httpUrl(value, "csrfUrl").toString();
}
