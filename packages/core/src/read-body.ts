/**
 * Reads each answer's body inside the middleware chain. openapi-fetch reads the body only after
 * every middleware ran, so a body that breaks off (a reset, a truncated answer) or a 2xx JSON body
 * that does not parse would surface there: out of `retry()`'s reach, and untyped (undici's bare
 * `TypeError: terminated`, or a `SyntaxError` whose message quotes the body, which may hold keys).
 * So the body is read in full here, while the attempt's timer of `timeout()` still runs, and the
 * call goes on with a rebuilt `Response` of the same status, headers and bytes.
 *
 * Why two middlewares: `retry()` (innermost) reads every attempt's answer itself, so that a failed
 * read or check is retried like a network failure. `readBody()` (registered outside the auth
 * middlewares) reads whatever `retry()` did not: every answer when retries are off, and an answer
 * an auth middleware fetched again after a 401/403. Either way a call gets typed errors.
 */
import type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { answerInit, ConnectionError, type MalformedResponseError, malformedResponse } from "./errors.js";
import { describe, networkCode, safeCause, typedError } from "./network-errors.js";

/** A buffered 2xx answer, as a {@link BodyCheck} sees it. */
export interface BufferedBody {
  /** The call's method and schema path (as `retry()`'s `safe` sees them). */
  method: string;
  schemaPath: string;
  /** The request the answer came from (its URL holds the query, e.g. `format=xml`). */
  request: Request;
  /** The answer's status and headers; its body is already read: use `bytes` or `text()`. */
  response: Response;
  /** The body, in full. */
  bytes: Uint8Array;
  /** The body decoded as UTF-8, as `response.text()` would (decoded once, on the first call). */
  text(): string;
}

/**
 * Checks a buffered 2xx body: undefined when it is fine, otherwise what is wrong with it, completing
 * "with a body that …" (e.g. `is not valid JSON`). It must never quote the body.
 */
export type BodyCheck = (body: BufferedBody) => string | undefined;

/** Options of {@link readBody} (and of `retry()`, which reads bodies the same way). */
export interface ReadBodyOptions {
  /**
   * `false` hands every answer on unread, e.g. to stream large downloads; a body that breaks off then
   * surfaces from openapi-fetch, untyped and not retried. A call with `parseAs: "stream"` is never buffered.
   */
  bufferBody?: boolean;
  /**
   * A check of every buffered 2xx body, after the built-in one (a body labelled JSON, or one that
   * openapi-fetch will parse as JSON, must parse). A body that fails is retried like a network
   * failure (when the call may be retried), then reported as a `MalformedResponseError`.
   */
  validate?: BodyCheck;
}

type Context = MiddlewareCallbackParams;

/**
 * A middleware that reads each answer in full before openapi-fetch does (see the file comment). A
 * 2xx body that breaks off is a `ConnectionError`, one that fails a check a `MalformedResponseError`;
 * an error status keeps its status even if its body was lost. Register it outside the auth
 * middlewares, so it also sees the answers they fetch again.
 */
export function readBody(options: ReadBodyOptions = {}): Middleware {
  return {
    async onResponse(ctx) {
      const response = await readAnswer(ctx, options);
      return response === ctx.response ? undefined : response;
    },
  };
}

/**
 * The body must be JSON, whatever the Content-Type says (an empty body fails too). For operations
 * that answer JSON but whose helpers read the body as text.
 */
export const requireJson: BodyCheck = (body) => (body.bytes.length === 0 ? "is empty" : notJson(body.text()));

/** Answers this module rebuilt around their bytes: never read twice. */
const done = new WeakSet<Response>();

/** Internal: whether `response` is an answer this module already read in full (its body is in memory). */
export function isBuffered(response: Response): boolean {
  return done.has(response);
}
// Statuses that cannot have a body (`new Response` refuses one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Stateless between calls (no `stream` option), so one decoder serves every body.
const utf8 = new TextDecoder();
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Internal: the call's answer read by {@link readResponse}, a failure typed as the call's error. */
export async function readAnswer(
  ctx: Context & { response: Response },
  options: ReadBodyOptions,
): Promise<Response> {
  try {
    return await readResponse(ctx, ctx.request, ctx.response, options);
  } catch (error) {
    throw typedError(error, ctx);
  }
}

/**
 * Internal: `response` with its body read in full, or the failure: a `ConnectionError` for a 2xx
 * body that broke off, a `MalformedResponseError` for one that failed a check, or the signal's own
 * reason when the caller, the deadline or the attempt's timer stopped the read. `request` is the
 * one `response` answers (its signal bounds the read).
 */
export async function readResponse(
  ctx: Context,
  request: Request,
  response: Response,
  options: ReadBodyOptions,
): Promise<Response> {
  if (
    done.has(response) ||
    options.bufferBody === false ||
    ctx.options.parseAs === "stream" ||
    response.body === null ||
    NULL_BODY_STATUSES.has(response.status)
  ) {
    return response;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason;
    // An error status is the answer; its body was only detail.
    if (!response.ok) return rebuilt(response, null);
    throw cutOff(ctx, response, error);
  }
  if (response.ok) {
    const problem = check(ctx, request, response, bytes, options.validate);
    if (problem !== undefined) throw malformed(ctx, response, bytes, problem);
  }
  return rebuilt(response, bytes);
}

/** The built-in check, then the caller's. */
function check(
  ctx: Context,
  request: Request,
  response: Response,
  bytes: Uint8Array,
  validate: BodyCheck | undefined,
): string | undefined {
  let decoded: string | undefined;
  const body: BufferedBody = {
    method: request.method,
    schemaPath: ctx.schemaPath,
    request,
    response,
    bytes,
    text: () => {
      decoded ??= utf8.decode(bytes);
      return decoded;
    },
  };
  const json = JSON_TYPE.test(response.headers.get("content-type") ?? "") || ctx.options.parseAs === "json";
  return (json && bytes.length > 0 ? notJson(body.text()) : undefined) ?? validate?.(body);
}

function notJson(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    // Never the parser's message: it quotes the body.
    return "is not valid JSON";
  }
}

/** The same answer with its body in memory; the URL is kept (a `new Response` has none). */
function rebuilt(response: Response, bytes: Uint8Array<ArrayBuffer> | null): Response {
  const copy = new Response(bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperties(copy, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  done.add(copy);
  return copy;
}

function cutOff(ctx: Context, response: Response, error: unknown): ConnectionError {
  const call = describe(ctx);
  const code = error instanceof Error ? networkCode(error) : undefined;
  return new ConnectionError(
    `${call.provider} ${call.operation}: the response body could not be read (HTTP ${response.status} from ${call.url}): it was cut off before its end${code ? ` (${code})` : ""}`,
    {
      ...answerInit(response, { ...call.init, secrets: call.secrets }),
      cause: error instanceof TypeError ? safeCause(error, call.secrets) : undefined,
    },
  );
}

function malformed(
  ctx: Context,
  response: Response,
  bytes: Uint8Array,
  problem: string,
): MalformedResponseError {
  const call = describe(ctx);
  const type = JSON.stringify(response.headers.get("content-type") ?? "");
  return malformedResponse(
    response,
    `a body that ${problem} (${bytes.length} bytes, content-type ${type}; ${call.init.request.method} ${call.url})`,
    { ...call.init, secrets: call.secrets },
  );
}
