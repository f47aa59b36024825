/**
 * The request pipeline every client sends through: the `fetch` given to openapi-fetch's
 * `createClient`, so it runs beneath openapi-fetch's own middleware (`client.use()`), once per call.
 *
 * One call is one loop. Each attempt starts from the call's request (fresh headers, the same body
 * bytes), runs the client's steps (the query spelling, then auth: a signature, a token, CSRF
 * cookies), gets a signal of its own (its timer, the call's deadline, the caller's signal), and is
 * built into a `Request` only at the bottom, from plain parts: no `Request` is ever made from another,
 * so Node's lost-abort bug for derived requests (nodejs/node#55428) cannot arise. The answer is then
 * classified: returned, retried (429/5xx, a network failure, a body that broke off), or repeated at
 * once because a step renewed what it stamps (a token after a 401, CSRF cookies after a 403).
 */

import { type BodyRead, bufferedResponse } from "./buffered-response.js";
import { CallRequest } from "./call-request.js";
import type { ClientOptions } from "./client.js";
import type { ErrorFormat } from "./error-bodies.js";
import {
  AbortedError,
  ApiError,
  type ApiErrorInit,
  answerInit,
  BucketryError,
  ConnectionError,
  isRetryableStatus,
  malformedResponse,
  parseRetryAfter,
  requestIdOf,
  TimeoutError,
} from "./errors.js";
import { type ResolvedClientOptions, resolveClientOptions } from "./options.js";
import { redactText, redactUrl, type SecretRegistry } from "./redact.js";

/** A fetch the clients can send with (the global one, or a test's or a proxy's). */
export type FetchLike = (request: Request) => Promise<Response>;

/** The pipeline: a fetch that also takes the lighter requests of {@link createApiClient}. */
export type Pipeline = (request: Request | CallRequest) => Promise<Response>;

/** One attempt's request as the steps see it: plain parts, stamped in place. */
export interface AttemptRequest {
  readonly method: string;
  /** The URL to send; a step may respell it (SigV4's canonical encoding). */
  url: string;
  /** A fresh copy of the call's headers for this attempt. */
  readonly headers: Headers;
  /** The body, read once per call. */
  readonly body: Uint8Array<ArrayBuffer> | null;
}

/** What a step knows about the attempt it runs in. */
export interface Attempt {
  /** 1 for the first attempt. */
  readonly number: number;
  /** Aborts when this attempt times out, the call's deadline passes or the caller cancels. */
  readonly signal: AbortSignal;
  /** Reports an event on the client's hook (redacted on the way). */
  emit(event: StepEvent): void;
}

/**
 * A step of every attempt, such as an auth scheme. `prepare` stamps the attempt (its failure, e.g. a
 * token endpoint that is down, is classified and retried like the call's own). `answered` sees each
 * answer first and returns true when it renewed what it stamps, so the attempt is repeated at once
 * (once per step and call, beyond the retry budget, and even for calls that are not retried).
 */
export interface AttemptStep {
  prepare?(request: AttemptRequest, attempt: Attempt): void | Promise<void>;
  answered?(request: AttemptRequest, response: Response, attempt: Attempt): boolean | Promise<boolean>;
}

/** What a step may report: a token or CSRF refresh. */
export interface StepEvent {
  type: "refresh";
  /** What was renewed. */
  what: "token" | "csrf";
  /** The status that made it necessary. */
  status: number;
}

/** Every event a client reports to its `onEvent` hook; URLs and texts are redacted. */
export type PipelineEvent =
  | { type: "request"; provider: string; operation: string; attempt: number; method: string; url: string }
  | {
      type: "response";
      provider: string;
      operation: string;
      attempt: number;
      status: number;
      requestId: string | undefined;
      /** From the start of the attempt to the answer's headers. */
      ms: number;
    }
  | {
      type: "retry";
      provider: string;
      operation: string;
      /** The attempt that failed. */
      attempt: number;
      delayMs: number;
      /** e.g. `HTTP 503` or `ConnectionError: no response from …`. */
      reason: string;
    }
  | (StepEvent & { provider: string; operation: string; attempt: number });

/** A 2xx body in memory, as a {@link BodyCheck} sees it. */
export interface BufferedBody {
  readonly method: string;
  readonly url: string;
  readonly response: Response;
  readonly bytes: Uint8Array;
  /** The body decoded as UTF-8 (once). */
  text(): string;
  /** The body parsed as JSON (once; throws the parser's error, which quotes the body). */
  json(): unknown;
}

/**
 * Checks a 2xx body: undefined when it is fine, otherwise what is wrong, completing "with a body
 * that …" (e.g. `is not valid JSON`). It must never quote the body.
 */
export type BodyCheck = (body: BufferedBody) => string | undefined;

/** How the pipeline names and treats one operation. */
export interface OperationInfo {
  /** The name in errors and events, e.g. its `operationId`. */
  operation: string;
  /** Safe to send twice although its method is not idempotent (a POST that only reads). */
  safe?: boolean;
  /** A check of each 2xx body, after the built-in JSON one. */
  check?: BodyCheck;
  /**
   * Reads a 2xx JSON body for the operation's helpers in place of the built-in parse (e.g. a large
   * listing, checked whole and parsed as it is read); throws when it is not JSON (retried as such).
   * Helpers get its result from `parsedJson(response)`; `json()` of the answer parses the text,
   * unless the reader called `body.json()`.
   */
  parse?: (body: BufferedBody) => unknown;
}

/** What a provider tells {@link createPipeline} about itself; the user's options come separately. */
export interface PipelineSetup {
  /** The provider named in errors and events, e.g. `huaweicloud-mpc`. */
  provider: string;
  /** The steps of every attempt, in order (auth last). */
  steps?: readonly AttemptStep[];
  /** Secret values scrubbed from every error and event; the resolved options' registry by default. */
  secrets?: SecretRegistry | undefined;
  /** Names the operation of a request (method and URL path); `METHOD /path` when undefined. */
  describe?: (method: string, path: string) => OperationInfo | undefined;
  /** The default `User-Agent`, e.g. `bucketry-ncloud/1.2.0` (browsers do not let it be set). */
  userAgent?: string | undefined;
  /** Statuses besides 429 the API throttles with (Swift's 498), retried and paced as 429 is. */
  throttleStatuses?: readonly number[] | undefined;
  /** The provider's error-body parser and request-id header, for every error and event. */
  errors?: ErrorFormat | undefined;
  /** The vendor's advice, in ms, for a throttled answer (429) that carries no `Retry-After`. */
  throttleDelay?: ((response: Response) => number | undefined) | undefined;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);
// Statuses that cannot carry a body (`new Response` refuses one).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const utf8 = /* @__PURE__ */ new TextDecoder();
const attemptCounts = new WeakMap<Response, number>();

/** How many attempts the pipeline made for this answer. */
export function attemptsOf(response: Response): number | undefined {
  return attemptCounts.get(response);
}

/** What a listing records of a page's answer: its request id and attempts. */
export function answerMeta(
  response: Response,
  format?: ErrorFormat,
): {
  requestId: string | undefined;
  attempts: number | undefined;
} {
  return { requestId: requestIdOf(response.headers, format), attempts: attemptCounts.get(response) };
}

type Outcome =
  | { response: Response; error?: undefined; renewed?: undefined }
  | { error: unknown; sent: boolean; response?: undefined; renewed?: undefined }
  | { renewed: AttemptStep; response?: undefined; error?: undefined };

/** The signal steps see when an attempt has none: no limits and no caller's signal. */
let never: AbortSignal | undefined;
// Made on first use: an AbortController at import time makes Node load its abort_controller module.
const NEVER = () => (never ??= new AbortController().signal);

/** Markers our own timers abort with, told apart from a caller's reason. */
const ATTEMPT_TIMER = Symbol("attempt timer");
const CALL_TIMER = Symbol("call timer");

/**
 * Builds a client's `fetch`: every call sent through it is signed, timed, retried and classified
 * as the file comment says. Options not yet resolved are checked here (a bad one throws `InvalidInputError`).
 */
export function createPipeline(
  setup: PipelineSetup,
  options: ClientOptions | ResolvedClientOptions = {},
): Pipeline {
  const { provider } = setup;
  const resolved = resolveClientOptions(options);
  const { fetch: custom, onEvent, limiter, retry, timeout: limits, headers } = resolved;
  const secrets = setup.secrets ?? resolved.secrets;
  const steps = setup.steps ?? [];
  const throttles = new Set([429, ...(setup.throttleStatuses ?? [])]);
  const throttled = (status: number | undefined) => status !== undefined && throttles.has(status);
  const retryable = (status: number) => isRetryableStatus(status) || throttles.has(status);
  // Sent unless the call sets its own (openapi-fetch's per-call headers win).
  const defaults = Object.entries({
    ...(setup.userAgent === undefined ? {} : { "User-Agent": setup.userAgent }),
    ...headers,
  });
  const scrub = (text: string) => redactText(secrets ? secrets.scrub(text) : text);
  const emit = onEvent
    ? (event: PipelineEvent) => {
        try {
          onEvent(event);
        } catch {
          // A logger's failure must not fail the call.
        }
      }
    : undefined;

  return async function pipeline(input: Request | CallRequest): Promise<Response> {
    const { method } = input;
    // A request from the clients' own `Request` class has no signal unless the caller gave one.
    const caller: AbortSignal | undefined = input.signal ?? undefined;
    const path = pathOf(input.url);
    const info = setup.describe?.(method, path);
    // What errors and events name, worked out only when one needs it.
    let named: { operation: string; url: string; init: ApiErrorInit } | undefined;
    const call = () => {
      if (named) return named;
      const operation = info?.operation ?? scrub(`${method} ${path}`);
      const url = scrub(redactUrl(input.url));
      named = { operation, url, init: { provider, operation, request: { method, url } } };
      return named;
    };
    const body =
      input instanceof CallRequest
        ? input.bodyBytes()
        : input.body === null
          ? null
          : new Uint8Array(await input.arrayBuffer());
    // Only a request never sent (its token could not be fetched) is tried again whatever its method.
    const repeatable = retry !== undefined && (IDEMPOTENT.has(method) || info?.safe === true);
    const budget = retry?.maxAttempts ?? 1;
    // Attempts a throttled (429) answer may reach: a throttled call slows down rather than fails.
    const throttleBudget = Math.max(budget, retry?.maxThrottledAttempts ?? budget);
    const allowed = (status: number | undefined) =>
      (throttled(status) ? throttleBudget : budget) + (renewed?.size ?? 0);
    // Time queued in the limiter moves both: the limits are on the server, not on our own queue.
    let started = Date.now();
    let deadline = limits && Number.isFinite(limits.totalMs) ? started + limits.totalMs : undefined;
    let renewed: Set<AttemptStep> | undefined;
    let attempt = 0;

    /** A typed error for what made an attempt fail without an answer. */
    const failure = (error: unknown, signal: AbortSignal | undefined): unknown => {
      if (error instanceof BucketryError) return error;
      const { operation, url, init } = call();
      const reason = signal?.aborted ? signal.reason : undefined;
      if (reason === ATTEMPT_TIMER) {
        return new TimeoutError(
          `${provider} ${operation}: no answer from ${url} within ${limits!.attemptMs} ms (per-attempt timeout)`,
          { ...init, scope: "attempt" },
        );
      }
      if (reason === CALL_TIMER) {
        return new TimeoutError(
          `${provider} ${operation}: the call to ${url} did not complete within ${limits!.totalMs} ms (overall timeout)`,
          { ...init, scope: "total" },
        );
      }
      if (signal?.aborted) {
        if (reason instanceof DOMException && reason.name === "TimeoutError") {
          return new TimeoutError(`${provider} ${operation}: the caller's signal timed out (${url})`, {
            ...init,
            scope: "caller",
          });
        }
        // Not the reason itself: a caller may abort with anything, a secret included.
        return new AbortedError(`${provider} ${operation}: cancelled by the caller (${url})`, init);
      }
      // Any rejection without an answer: undici's TypeError, workerd's plain Error, a proxy's own.
      const code = networkCode(error);
      return new ConnectionError(
        `${provider} ${operation}: no response from ${url}${code ? ` (${code})` : ""}`,
        {
          ...init,
          cause: safeCause(error, scrub),
        },
      );
    };

    /** One attempt, from stamping to a classified outcome. */
    const once = async (): Promise<Outcome> => {
      attempt += 1;
      if (limiter) {
        const queued = Date.now();
        try {
          await limiter.take(caller ?? NEVER());
        } catch (error) {
          return { error: failure(error, caller), sent: false };
        }
        const waited = Date.now() - queued;
        started += waited;
        if (deadline !== undefined) deadline += waited;
      }
      // One controller and one timer per attempt: the sooner of its own limit and the call's
      // deadline, and the caller's signal. Without limits the caller's signal is the attempt's.
      let signal = caller;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
      const ms = limits ? Math.min(limits.attemptMs, left) : Number.POSITIVE_INFINITY;
      if (Number.isFinite(ms)) {
        const controller = new AbortController();
        signal = controller.signal;
        if (caller?.aborted) controller.abort(caller.reason);
        else if (caller) {
          onAbort = () => controller.abort(caller.reason);
          caller.addEventListener("abort", onAbort, { once: true });
        }
        timer = arm(controller, Math.max(0, ms), ms === left ? CALL_TIMER : ATTEMPT_TIMER);
      }
      const request: AttemptRequest = { method, url: input.url, headers: new Headers(input.headers), body };
      for (const [name, value] of defaults) if (!request.headers.has(name)) request.headers.set(name, value);
      let outgoing: Request | undefined;
      const context: Attempt = {
        number: attempt,
        signal: signal ?? NEVER(),
        emit: (event) => emit?.({ ...event, provider, operation: call().operation, attempt }),
      };
      try {
        try {
          for (const step of steps) {
            // Awaited only when it is async: most steps stamp synchronously once warm.
            const stamped = step.prepare?.(request, context);
            if (stamped) await stamped;
          }
        } catch (error) {
          return { error: failure(error, signal), sent: false };
        }
        const begun = emit ? Date.now() : 0;
        if (emit) {
          const url = scrub(redactUrl(request.url));
          emit({ type: "request", provider, operation: call().operation, attempt, method, url });
        }
        const requestInit: RequestInit = {
          method,
          headers: request.headers,
          body: request.body,
          signal,
          redirect: input.redirect,
          credentials: input.credentials,
        };
        let response: Response;
        try {
          // The global fetch gets plain parts: a Request passed to it would be copied inside, and
          // the copy's abort link lost once ours is collected. A custom fetch gets a Request we hold.
          if (custom) outgoing = new Request(request.url, requestInit);
          response = await (outgoing ? custom!(outgoing) : fetch(request.url, requestInit));
        } catch (error) {
          return { error: failure(error, signal), sent: true };
        }
        const { status } = response;
        if (emit) {
          const requestId = requestIdOf(response.headers, setup.errors);
          emit({
            type: "response",
            provider,
            operation: call().operation,
            attempt,
            status,
            requestId: requestId === undefined ? undefined : scrub(requestId),
            ms: Date.now() - begun,
          });
        }
        for (const step of steps) {
          if (!step.answered || renewed?.has(step)) continue;
          const verdict = step.answered(request, response, context);
          if (verdict === true || (verdict !== false && (await verdict))) {
            renewed ??= new Set();
            renewed.add(step);
            await discard(response);
            return { renewed: step };
          }
        }
        // An answer that will be retried is not read: its connection is freed for the next attempt.
        if (repeatable && retryable(status) && attempt < allowed(status)) return { response };
        if (response.body === null || NULL_BODY.has(status)) return { response };
        let bytes: Uint8Array<ArrayBuffer>;
        try {
          bytes = await readBytes(response.body);
        } catch (error) {
          if (signal?.aborted) return { error: failure(error, signal), sent: true };
          // An error status is the answer; its body was only detail.
          if (!response.ok) return { response: bufferedResponse(response, null) };
          const { operation, url, init } = call();
          const code = networkCode(error);
          return {
            error: new ConnectionError(
              `${provider} ${operation}: the response body could not be read (HTTP ${status} from ${url}): it was cut off before its end${code ? ` (${code})` : ""}`,
              {
                ...answerInit(response, { ...init, secrets, format: setup.errors }),
                cause: safeCause(error, scrub),
              },
            ),
            sent: true,
          };
        }
        let read: ReturnType<typeof check> | undefined;
        if (response.ok) {
          read = check(request, response, bytes, info);
          const { problem } = read;
          if (problem !== undefined) {
            const { url, init } = call();
            const type = JSON.stringify(response.headers.get("content-type") ?? "");
            const what = `a body that ${problem} (${bytes.length} bytes, content-type ${type}; ${method} ${url})`;
            return {
              error: malformedResponse(response, what, { ...init, secrets, format: setup.errors }),
              sent: true,
            };
          }
        }
        return { response: bufferedResponse(response, bytes, read) };
      } finally {
        // Held to here, through the body's read, so its abort link cannot be collected.
        outgoing = undefined;
        if (timer !== undefined) clearTimeout(timer);
        if (onAbort) caller?.removeEventListener("abort", onAbort);
      }
    };

    /** The wait before the next attempt, or undefined when `outcome` is final. */
    const nextWait = (outcome: Outcome): number | undefined => {
      const renewals = renewed?.size ?? 0;
      if (!retry || caller?.aborted || attempt >= allowed(outcome.response?.status)) return undefined;
      let asked = 0;
      if (outcome.response) {
        const { status, headers } = outcome.response;
        if (!repeatable || !retryable(status)) return undefined;
        const after = parseRetryAfter(headers.get("retry-after"));
        asked = after ?? (throttled(status) ? setup.throttleDelay?.(outcome.response) : undefined) ?? 0;
      } else {
        const { error, sent } = outcome as { error: unknown; sent: boolean };
        if (!(error instanceof ApiError) || !error.retryable || (sent && !repeatable)) return undefined;
        asked = parseRetryAfter(error.headers["retry-after"]) ?? 0;
      }
      const wait = retry.delay(attempt - renewals, asked);
      const now = Date.now();
      // A wait that would overrun the budget or the deadline is not started: the last outcome stands.
      if (now + wait - started > retry.maxElapsedMs) return undefined;
      if (deadline !== undefined && now + wait >= deadline) return undefined;
      return wait;
    };

    for (;;) {
      const outcome = await once();
      if (outcome.renewed) continue;
      const wait = nextWait(outcome);
      if (wait === undefined) {
        if (outcome.response) {
          attemptCounts.set(outcome.response, attempt);
          return outcome.response;
        }
        const { error } = outcome;
        if (error instanceof ApiError) error.attempts = attempt;
        throw error;
      }
      if (throttled(outcome.response?.status)) limiter?.throttled?.(wait);
      emit?.({
        type: "retry",
        provider,
        operation: call().operation,
        attempt,
        delayMs: wait,
        reason: reasonOf(outcome, scrub),
      });
      await discard(outcome.response);
      try {
        await sleep(wait, caller);
      } catch (error) {
        const typed = failure(error, caller);
        if (typed instanceof ApiError) typed.attempts = attempt;
        throw typed;
      }
    }
  };
}

/** The path of an absolute URL, without parsing it whole (this runs once per call). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  for (const mark of ["?", "#"]) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end);
}

/**
 * The built-in check (a body labelled JSON must parse), then the operation's own. Returns the
 * problem, and what was decoded and parsed on the way (so it is not done again downstream).
 */
function check(
  request: AttemptRequest,
  response: Response,
  bytes: Uint8Array,
  info: OperationInfo | undefined,
): { problem: string | undefined } & BodyRead {
  let text: string | undefined;
  let json: { value: unknown } | undefined;
  let parsed: { value: unknown } | undefined;
  const body: BufferedBody = {
    method: request.method,
    url: request.url,
    response,
    bytes,
    text: () => {
      text ??= utf8.decode(bytes);
      return text;
    },
    json: () => {
      json ??= { value: JSON.parse(body.text()) };
      return json.value;
    },
  };
  if (bytes.length > 0 && JSON_TYPE.test(response.headers.get("content-type") ?? "")) {
    if (info?.parse) {
      try {
        parsed = { value: info.parse(body) };
      } catch {
        return { problem: "is not valid JSON" };
      }
    } else {
      const problem = notJson(body);
      if (problem) return { problem };
    }
  }
  return { problem: info?.check?.(body), text, json, parsed };
}

/** `undefined` when the body is JSON, else the problem (never the parser's message: it quotes the body). */
function notJson(body: BufferedBody): string | undefined {
  try {
    body.json();
    return undefined;
  } catch {
    return "is not valid JSON";
  }
}

/** A check for operations whose helpers read JSON: the body must be JSON, whatever its type says. */
export const requireJson: BodyCheck = (body) => (body.bytes.length === 0 ? "is empty" : notJson(body));

/**
 * Every byte of a body, joined once: undici's `arrayBuffer()` joins the chunks and then copies the
 * result, and fresh memory is dear (a 1 MB page cost milliseconds of page faults per copy).
 */
async function readBytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    length += read.value.length;
  }
  // One chunk that is its whole buffer is kept as it is; a view would keep a larger buffer alive.
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  if (only?.buffer instanceof ArrayBuffer && only.byteLength === only.buffer.byteLength) {
    return new Uint8Array(only.buffer);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

async function discard(response: Response | undefined): Promise<void> {
  await response?.body?.cancel().catch(() => {});
}

function reasonOf(outcome: Outcome, scrub: (text: string) => string): string {
  if (outcome.response) return `HTTP ${outcome.response.status}`;
  const { error } = outcome as { error: unknown };
  return error instanceof Error ? scrub(`${error.name}: ${error.message}`) : "unknown";
}

/** Aborts `controller` with `reason` after `ms`, without keeping a Node process alive. */
function arm(controller: AbortController, ms: number, reason: unknown): ReturnType<typeof setTimeout> {
  const handle = setTimeout(() => controller.abort(reason), ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!signal) return void setTimeout(resolve, ms);
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

// undici puts the system error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET) on the cause.
function networkCode(error: unknown): string | undefined {
  const code = ((error as { cause?: { code?: unknown } } | undefined)?.cause ?? error) as { code?: unknown };
  return typeof code?.code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code.code) ? code.code : undefined;
}

// Kept only when nothing in it can be a secret.
function safeCause(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return undefined;
  const cause =
    error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack}` : String(error.cause);
  const text = `${error.message}\n${cause}`;
  return scrub(text) === text ? error : undefined;
}
