/**
 * Retries with exponential backoff and full jitter, for requests that are safe to send twice.
 *
 * Only idempotent methods (GET, HEAD, OPTIONS) and operations the caller marks safe are retried, on
 * 429, 500, 502, 503, 504 and on network failures (including an attempt that hit its own timeout).
 * Never on other 4xx, and in particular never on 401/403: a rejected signature stays rejected, and
 * Huawei locks an access key for five minutes after five failed signatures, so blind retries would
 * turn one mistake into a lock-out. Auth middlewares recover from 401/403 themselves, once.
 *
 * Every new attempt is `await replay(request)`: each stamping middleware (signature, date, token,
 * attempt timer) redoes its work, so no attempt reuses a stale signature.
 *
 * Each 2xx answer's body is read in full before it is accepted (see read-body.ts): a body that
 * breaks off counts as a network failure, and one that fails a check (a JSON body that does not
 * parse, or `validate`) likewise, so both are retried; when no attempt is left they end in a
 * `ConnectionError` or a `MalformedResponseError`. Calls that may not be retried are read the same
 * way, once.
 */
import type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { callState } from "./call.js";
import {
  AbortedError,
  ConnectionError,
  InvalidInputError,
  MalformedResponseError,
  parseRetryAfter,
  TimeoutError,
} from "./errors.js";
import { timeoutScopeOf, typedError } from "./network-errors.js";
import { type ReadBodyOptions, readAnswer, readResponse } from "./read-body.js";
import { replay, setReplay } from "./replay.js";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included; 3 by default. */
  maxAttempts?: number;
  /** No wait starts that would end later than this after the first attempt began; 60 s by default. */
  maxElapsedMs?: number;
  /** The backoff ceiling before the first retry, doubled for each later one; 250 ms by default. */
  baseDelayMs?: number;
  /** The largest backoff ceiling (a server's `Retry-After` may ask for more); 20 s by default. */
  maxDelayMs?: number;
  /** Marks non-idempotent operations that are safe to repeat, e.g. Hitachi's `POST /v1/user/list_buckets`. */
  safe?: (call: { method: string; schemaPath: string }) => boolean;
  /** A source of numbers in [0, 1) for the jitter; `Math.random` by default (tests pass their own). */
  random?: () => number;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

const attemptCounts = new WeakMap<Response, number>();

/** How many attempts it took to get this response, when `retry()` handled the call. */
export function attemptsOf(response: Response): number | undefined {
  return attemptCounts.get(response);
}

type Outcome = { response: Response; error?: undefined } | { error: unknown; response?: undefined };

/**
 * A middleware that retries failed attempts. Register it last (innermost), after every middleware
 * that stamps requests, so that it sees the final request and replays the whole chain.
 */
export function retry(options: RetryOptions & ReadBodyOptions = {}): Middleware {
  const maxAttempts = count("maxAttempts", options.maxAttempts, 3, 1);
  if (!Number.isInteger(maxAttempts)) throw new InvalidInputError("maxAttempts", "must be a whole number");
  const maxElapsedMs = count("maxElapsedMs", options.maxElapsedMs, 60_000, 0);
  const baseDelayMs = count("baseDelayMs", options.baseDelayMs, 250, 0);
  const maxDelayMs = count("maxDelayMs", options.maxDelayMs, 20_000, 0);
  const random = options.random ?? Math.random;
  const retryable = (ctx: MiddlewareCallbackParams) =>
    IDEMPOTENT.has(ctx.request.method) ||
    options.safe?.({ method: ctx.request.method, schemaPath: ctx.schemaPath }) === true;

  /** The wait before the next attempt, or undefined to stop and hand back `outcome`. */
  const nextWait = (ctx: MiddlewareCallbackParams, outcome: Outcome): number | undefined => {
    const state = callState(ctx);
    const { attempts, start } = state.retry!;
    const signal = state.signal ?? ctx.request.signal;
    if (attempts >= maxAttempts || signal.aborted) return undefined;
    let asked = 0;
    if (outcome.response) {
      if (!RETRY_STATUSES.has(outcome.response.status)) return undefined;
      asked = parseRetryAfter(outcome.response.headers.get("retry-after")) ?? 0;
    } else if (!isNetworkFailure(outcome.error) && !(outcome.error instanceof MalformedResponseError)) {
      return undefined;
    }
    // Full jitter: anywhere in [0, ceiling), so clients that failed together do not retry together.
    const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    const wait = Math.max(backoff, asked);
    const now = Date.now();
    // A wait that would overrun the budget or the deadline is not started: the last answer is returned.
    if (now + wait - start > maxElapsedMs) return undefined;
    if (state.deadline !== undefined && now + wait >= state.deadline) return undefined;
    return wait;
  };

  /** One attempt's answer: a 2xx body is read now (a failure is retryable); other statuses decide as they are. */
  const answer = async (
    ctx: MiddlewareCallbackParams,
    request: Request,
    response: Response,
  ): Promise<Outcome> => {
    if (!response.ok) return { response };
    try {
      return { response: await readResponse(ctx, request, response, options) };
    } catch (error) {
      return { error };
    }
  };

  /** Retries until an outcome is final; what it returns or throws is the call's result. */
  const settle = async (ctx: MiddlewareCallbackParams, first: Outcome): Promise<Outcome> => {
    const state = callState(ctx);
    let request = ctx.request;
    let outcome = first.response ? await answer(ctx, request, first.response) : first;
    for (let wait = nextWait(ctx, outcome); wait !== undefined; wait = nextWait(ctx, outcome)) {
      // A response we will not return is discarded, so its connection can be reused.
      await outcome.response?.body?.cancel().catch(() => {});
      await sleep(wait, state.signal ?? ctx.request.signal);
      state.retry!.attempts += 1;
      // Always from the original request, which carries the replay record of the whole chain.
      request = await replay(ctx.request);
      try {
        // The client's own fetch (openapi-fetch's `requestInitExt` is not visible to middlewares).
        outcome = await answer(ctx, request, await ctx.options.fetch(request));
      } catch (error) {
        outcome = { error };
      }
    }
    if (!outcome.response) return outcome;
    // The final answer of an error status is read too (leniently: its status is the answer).
    const response = await readResponse(ctx, request, outcome.response, options);
    attemptCounts.set(response, state.retry!.attempts);
    return { response };
  };

  return {
    onRequest(ctx) {
      if (!retryable(ctx)) return undefined;
      // Keeps a copy of the body (once per chain) even when no middleware recorded a replay.
      setReplay(ctx.request, ctx.request, (request) => request);
      callState(ctx).retry = { attempts: 1, start: Date.now(), settled: false };
      return undefined;
    },

    async onResponse(ctx) {
      const state = callState(ctx).retry;
      if (!state) {
        // Not retried, but read all the same, for typed errors.
        const response = await readAnswer(ctx, options);
        attemptCounts.set(response, 1);
        return response === ctx.response ? undefined : response;
      }
      // After onError recovered, openapi-fetch runs onResponse too: the call is already settled.
      if (state.settled) return undefined;
      state.settled = true;
      let outcome: Outcome;
      try {
        outcome = await settle(ctx, { response: ctx.response });
      } catch (error) {
        throw typedError(error, ctx);
      }
      if (outcome.error !== undefined) throw typedError(outcome.error, ctx);
      return outcome.response === ctx.response ? undefined : outcome.response;
    },

    async onError(ctx) {
      const state = callState(ctx).retry;
      if (!state || state.settled) return undefined;
      state.settled = true;
      let outcome: Outcome;
      try {
        outcome = await settle(ctx, { error: ctx.error });
      } catch (error) {
        outcome = { error };
      }
      if (outcome.response) return outcome.response;
      if (outcome.error === ctx.error) return undefined;
      const error = typedError(outcome.error, ctx);
      // openapi-fetch only passes on Error instances; a caller may abort with any value.
      return error instanceof Error ? error : new DOMException("The operation was aborted.", "AbortError");
    },
  };
}

/** A failure worth another attempt: the network, or an attempt's own timer; never an abort or the deadline. */
function isNetworkFailure(error: unknown): boolean {
  const scope = timeoutScopeOf(error);
  if (scope) return scope === "attempt";
  if (error instanceof TimeoutError || error instanceof AbortedError) return false;
  return error instanceof ConnectionError || error instanceof TypeError;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function count(field: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new InvalidInputError(field, `must be a finite number of at least ${min}`);
  }
  return value;
}
