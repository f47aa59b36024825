/**
 * Time limits by `AbortSignal`. Each request's signal becomes "the caller's signal, or the overall
 * deadline, or this attempt's timer", and every replayed attempt gets a fresh attempt timer. Timers
 * abort with a `TimeoutError` that knows which limit it was, so `retry()` retries an attempt that
 * timed out but never a call whose overall deadline passed, and a caller's abort stays an abort.
 */
import type { Middleware } from "openapi-fetch";
import { callState } from "./call.js";
import { InvalidInputError } from "./errors.js";
import { deriveRequest } from "./lineage.js";
import { timeoutError } from "./network-errors.js";
import { isBuffered } from "./read-body.js";
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
  const timed = new WeakMap<object, Timers>();
  return {
    onRequest(ctx) {
      const state = callState(ctx);
      const timers: Timers = [];
      timed.set(ctx.options, timers);
      // "The caller's signal, or the overall deadline": one controller that follows the request's
      // signal (a listener, not AbortSignal.any, which costs far more per call).
      let signal = ctx.request.signal;
      if (totalMs !== Number.POSITIVE_INFINITY) {
        const overall = follow(signal);
        timers.push(start(overall, totalMs, () => timeoutError(ctx, "total", totalMs)));
        signal = overall.signal;
        state.deadline = Date.now() + totalMs;
      }
      state.signal = signal;
      // Runs again for every replayed attempt, so each attempt gets its own timer.
      const arm = (request: Request) => {
        if (attemptMs === Number.POSITIVE_INFINITY) return deriveRequest(request, { signal });
        const attempt = follow(signal);
        timers.push(start(attempt, attemptMs, () => timeoutError(ctx, "attempt", attemptMs)));
        return deriveRequest(request, { signal: attempt.signal });
      };
      const output = arm(ctx.request);
      setReplay(ctx.request, output, arm);
      return output;
    },
    onResponse(ctx) {
      // An answer whose body is already in memory (read by retry()) can no longer be cut off, and no
      // later attempt will be made: the call's timers are stopped, so a finished call does not keep
      // its state alive (or build an error) until they fire. Any other answer keeps its timers.
      if (ctx.response.body === null || isBuffered(ctx.response)) {
        const timers = timed.get(ctx.options);
        if (timers) for (const handle of timers.splice(0)) clearTimeout(handle);
      }
      return undefined;
    },
  };
}

type Timers = ReturnType<typeof setTimeout>[];

/** A controller that aborts with `signal`'s reason when `signal` aborts (at once if it already did). */
function follow(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller;
}

/** Aborts `controller` with `reason()` after `ms`. */
function start(
  controller: AbortController,
  ms: number,
  reason: () => unknown,
): ReturnType<typeof setTimeout> {
  const handle = setTimeout(() => controller.abort(reason()), ms);
  // Node keeps the process alive for a pending timer; a finished call's timer must not.
  (handle as { unref?: () => void }).unref?.();
  return handle;
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
