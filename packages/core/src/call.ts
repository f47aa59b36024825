/**
 * Facts one openapi-fetch call shares between the core middlewares: the signal that ends the whole
 * call (the caller's, plus the overall deadline), when that deadline falls, and how to describe the
 * call in an error. openapi-fetch freezes one fresh `options` object per call and hands that same
 * object to every middleware of the call, so it keys this state without leaking it (a WeakMap).
 */
import type { SecretRegistry } from "./redact.js";

/** How {@link mapNetworkErrors} described the call, for errors raised by any core middleware. */
export interface CallDescription {
  provider: string;
  operation: string;
  secrets?: SecretRegistry;
}

/** Per-call state written by `timeout()` and `mapNetworkErrors()`, read by `retry()`. */
export interface CallState {
  /** Aborts when the caller aborts or the overall deadline passes; never on a per-attempt timer. */
  signal?: AbortSignal;
  /** When the overall deadline falls, in `Date.now()` milliseconds. */
  deadline?: number;
  /** Set by `mapNetworkErrors()`. */
  description?: CallDescription;
  /** Set by `retry()`: attempts made so far and when the first began. */
  retry?: { attempts: number; start: number; settled: boolean };
}

const calls = new WeakMap<object, CallState>();

/** The state of the call `ctx` belongs to, created on first use. */
export function callState(ctx: { readonly options: object }): CallState {
  let state = calls.get(ctx.options);
  if (!state) {
    state = {};
    calls.set(ctx.options, state);
  }
  return state;
}
