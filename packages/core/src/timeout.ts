/**
 * Time limits by `AbortSignal`. Each request's signal becomes "the caller's signal, or the overall
 * deadline, or this attempt's timer", and every replayed attempt gets a fresh attempt timer. Timers
 * abort with a `TimeoutError` that knows which limit it was, so `retry()` retries an attempt that
 * timed out but never a call whose overall deadline passed, and a caller's abort stays an abort.
 */
import type { Middleware } from "openapi-fetch";
import { callState } from "./call.js";
import { InvalidInputError } from "./errors.js";
import { timeoutError } from "./network-errors.js";
import { setReplay } from "./replay.js";

/** Options of {@link timeout}; `Infinity` turns a limit off. */
export interface TimeoutOptions {
  /** The longest one attempt may take, in milliseconds; 30 s by default. */
  attemptMs?: number;
  /** The longest the whole call may take, retries and their waits included; 120 s by default. */
  totalMs?: number;
}

// setTimeout fires at once for delays beyond a signed 32-bit integer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A middleware that bounds each attempt and the whole call. Register it first, so the signal it
 * sets reaches every later middleware and `fetch`.
 */
export function timeout(options: TimeoutOptions = {}): Middleware {
  const attemptMs = limit("attemptMs", options.attemptMs, 30_000);
  const totalMs = limit("totalMs", options.totalMs, 120_000);
  return {
    onRequest(ctx) {
      const state = callState(ctx);
      const total = timer(totalMs, () => timeoutError(ctx, "total", totalMs));
      const signal = total ? AbortSignal.any([ctx.request.signal, total]) : ctx.request.signal;
      state.signal = signal;
      if (total) state.deadline = Date.now() + totalMs;
      // Runs again for every replayed attempt, so each attempt gets its own timer.
      const arm = (request: Request) => {
        const attempt = timer(attemptMs, () => timeoutError(ctx, "attempt", attemptMs));
        return new Request(request, { signal: attempt ? AbortSignal.any([signal, attempt]) : signal });
      };
      const output = arm(ctx.request);
      setReplay(ctx.request, output, arm);
      return output;
    },
  };
}

/** A signal that aborts with `reason()` after `ms`, or undefined for no limit. */
function timer(ms: number, reason: () => unknown): AbortSignal | undefined {
  if (ms === Number.POSITIVE_INFINITY) return undefined;
  const controller = new AbortController();
  const handle: unknown = setTimeout(() => controller.abort(reason()), ms);
  // Node keeps the process alive for a pending timer; a finished call's timer must not.
  (handle as { unref?: () => void }).unref?.();
  return controller.signal;
}

function limit(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new InvalidInputError(
      field,
      `must be a number of milliseconds in (0, ${MAX_TIMER_MS}] or Infinity`,
    );
  }
  return value;
}
