/**
 * Typed errors for calls that got no response: `fetch` threw (the connection failed or was reset),
 * a timer of `timeout()` fired, or the caller aborted. openapi-fetch rethrows whatever `fetch`
 * threw; `mapNetworkErrors()` turns it into a `ConnectionError`, `TimeoutError` or `AbortedError`
 * that names the provider, the operation and the endpoint (redacted), and never a secret.
 */
import type { Middleware } from "openapi-fetch";
import { type CallDescription, callState } from "./call.js";
import { AbortedError, BucketryError, ConnectionError, TimeoutError } from "./errors.js";
import { redactText, redactUrl, type SecretRegistry } from "./redact.js";

/** Options of {@link mapNetworkErrors}. */
export interface NetworkErrorOptions {
  /** The provider named in every error, e.g. `huaweicloud-mpc`. */
  provider: string;
  /** Secret values (keys, tokens, cookies) to scrub from messages. */
  secrets?: SecretRegistry;
  /** A name for the operation; `METHOD /schema/path` when absent or when it returns undefined. */
  operation?: (call: { method: string; schemaPath: string }) => string | undefined;
}

/** What the core middlewares know about a call when they describe it. */
export interface CallContext {
  readonly options: object;
  readonly request: Request;
  readonly schemaPath: string;
}

/**
 * A middleware whose `onError` turns what `fetch` threw into a typed error: `TimeoutError` for the
 * timers of `timeout()` (or a caller's `AbortSignal.timeout`), `AbortedError` for the caller's own
 * abort, `ConnectionError` for a network failure. Register it anywhere; `retry()` uses the same
 * description when it gives up from its own `onResponse`.
 */
export function mapNetworkErrors(options: NetworkErrorOptions): Middleware {
  return {
    onRequest(ctx) {
      const method = ctx.request.method;
      const operation =
        options.operation?.({ method, schemaPath: ctx.schemaPath }) ?? `${method} ${ctx.schemaPath}`;
      callState(ctx).description = { provider: options.provider, operation, secrets: options.secrets };
      return undefined;
    },
    onError(ctx) {
      const error = typedError(ctx.error, ctx);
      return error instanceof Error ? error : undefined;
    },
  };
}

type TimeoutScope = "attempt" | "total";
const scopes = new WeakMap<object, TimeoutScope>();

/** Internal: the error `timeout()` aborts a request with when one of its timers fires. */
export function timeoutError(ctx: CallContext, scope: TimeoutScope, ms: number): TimeoutError {
  const call = describe(ctx);
  const what =
    scope === "attempt"
      ? `no answer from ${call.url} within ${ms} ms (per-attempt timeout)`
      : `the call to ${call.url} did not complete within ${ms} ms (overall timeout)`;
  const error = new TimeoutError(`${call.provider} ${call.operation}: ${what}`, call.init);
  scopes.set(error, scope);
  return error;
}

/** Internal: which timer of `timeout()` raised `error`, if one did. */
export function timeoutScopeOf(error: unknown): TimeoutScope | undefined {
  return error !== null && typeof error === "object" ? scopes.get(error) : undefined;
}

/**
 * Internal: what `fetch` threw, as a typed error when `mapNetworkErrors()` described the call;
 * anything else (already typed, not a network failure, or no description) is returned unchanged.
 */
export function typedError(error: unknown, ctx: CallContext): unknown {
  if (error instanceof BucketryError) return error;
  const described = callState(ctx).description;
  if (!described) return error;
  const call = describe(ctx, described);
  const name = error instanceof Error || error instanceof DOMException ? error.name : undefined;
  if (name === "TimeoutError") {
    return new TimeoutError(
      `${call.provider} ${call.operation}: the caller's signal timed out (${call.url})`,
      call.init,
    );
  }
  if (name === "AbortError" || isAbortReason(error, ctx)) {
    return new AbortedError(
      `${call.provider} ${call.operation}: cancelled by the caller (${call.url})`,
      call.init,
    );
  }
  if (!(error instanceof TypeError)) return error;
  const code = networkCode(error);
  const message = `${call.provider} ${call.operation}: no response from ${call.url}${code ? ` (${code})` : ""}`;
  return new ConnectionError(message, { ...call.init, cause: safeCause(error, described.secrets) });
}

/** Internal: the call's provider, operation and redacted URL, and the error fields they make. */
export function describe(ctx: CallContext, described = callState(ctx).description) {
  const { method, url: raw } = ctx.request;
  const fallback: CallDescription = { provider: hostOf(raw), operation: `${method} ${ctx.schemaPath}` };
  const { provider, operation, secrets } = described ?? fallback;
  const url = redactText(secrets ? secrets.scrub(redactUrl(raw)) : redactUrl(raw));
  return { provider, operation, url, secrets, init: { provider, operation, request: { method, url } } };
}

// The caller may abort with any value as the reason; fetch then rejects with exactly that value.
function isAbortReason(error: unknown, ctx: CallContext): boolean {
  const signals = [ctx.request.signal, callState(ctx).signal];
  return signals.some((signal) => signal?.aborted && signal.reason === error);
}

// undici puts the system error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET) on the cause.
export function networkCode(error: Error): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

// Kept only when nothing in it can be a secret: undici's plain "fetch failed" (no response) or
// "terminated" (a body that broke off) over a socket error.
export function safeCause(error: TypeError, secrets: SecretRegistry | undefined): unknown {
  if (error.message !== "fetch failed" && error.message !== "terminated") return undefined;
  const text =
    error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack}` : String(error.cause);
  return (secrets?.scrub(text) ?? text) === text && redactText(text) === text ? error : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "unknown";
  }
}
