/**
 * The Hitachi VSP One Object Management API client: the typed openapi-fetch client with Keycloak
 * bearer tokens, the Vert.x CSRF double-submit session, retries and time limits installed, plus
 * `listBuckets` / `listBucketsPage` helpers.
 *
 * Why the helpers retry on their own as well: `POST /v1/user/list_buckets` is a read (the spec marks
 * it `x-idempotent`), so the standard retry middleware repeats it on 429/5xx and network failures.
 * But openapi-fetch reads the body after every middleware has run, so a body cut short (a reset or
 * truncated answer) or garbled JSON is out of the middleware's sight: the helper repeats the call
 * for those (up to `retry.maxAttempts` calls, with the same backoff; none with `retry: false`),
 * then reports a `ConnectionError` or a {@link MalformedResponseError}. A well-formed body of the
 * wrong shape is not retried: it would come back the same.
 */
import { bearerAuth, xsrfSession } from "@bucketry/auth";
import {
  AbortedError,
  type ApiErrorInit,
  BucketryError,
  type ClientOptions,
  ConnectionError,
  expectOk,
  type Paginator,
  paginate,
  type ResumePoint,
  redact,
  redactText,
  redactUrl,
  requestIdOf,
  SecretRegistry,
  useStandardMiddleware,
} from "@bucketry/core";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/vsp-one-object.js";
import {
  checkCallOptions,
  checkParams,
  checkResumeCursor,
  type ListBucketsBody,
  listBucketsBody,
  MalformedResponseError,
  toBucketPage,
  type VspOneObjectBucket,
  type VspOneObjectBucketPage,
  type VspOneObjectCallOptions,
  type VspOneObjectListBucketsPageParams,
  type VspOneObjectListBucketsParams,
} from "./vsp-one-object-model.js";
import { PROVIDER, resolveOptions, type VspOneObjectClientOptions } from "./vsp-one-object-options.js";

/** The typed helpers added to the openapi-fetch client. */
export interface VspOneObjectHelpers {
  /**
   * Every bucket of a user, page after page (`pageToken` followed until absent or empty), as an
   * item-exact resumable {@link Paginator}. Bad parameters throw `InvalidInputError` at once.
   */
  listBuckets(
    params: VspOneObjectListBucketsParams,
    options?: VspOneObjectCallOptions,
  ): Paginator<VspOneObjectBucket, string>;
  /** One page of a user's buckets (`POST /v1/user/list_buckets`), or an `ApiError`. */
  listBucketsPage(
    params: VspOneObjectListBucketsPageParams,
    options?: VspOneObjectCallOptions,
  ): Promise<VspOneObjectBucketPage>;
}

/** The typed openapi-fetch client of the VSP One Object Management API, with auth installed and the helpers. */
export type VspOneObjectClient = Client<paths> & VspOneObjectHelpers;

const LIST_PATH = "/v1/user/list_buckets";
const LIST_OPERATION = "listUserBuckets";
const OPERATIONS: Record<string, string> = {
  [`POST ${LIST_PATH}`]: LIST_OPERATION,
  "GET /v1/csrf": "getCsrfToken",
};
const BODY_SNIPPET = 2000;

/**
 * Creates a client of the Hitachi VSP One Object Management API (`https://admin.{region}.{cluster}/mapi`).
 * Every call, raw (`client.POST("/v1/user/list_buckets", …)`) or through a helper, carries
 * `Authorization: Bearer` (Keycloak, renewed once on a 401) and the CSRF double submit
 * (`X-XSRF-TOKEN` + `Cookie`, from `GET /v1/csrf`, refreshed once on a 403). Options are checked
 * here: a bad one throws `InvalidInputError` / `CredentialsError` naming it, before anything is sent.
 *
 * Server-side runtimes only (Node, Deno, Bun): browsers forbid setting the `Cookie` header and hide
 * `Set-Cookie`, so the CSRF session cannot work from a browser's fetch.
 */
export function createVspOneObjectClient(options: VspOneObjectClientOptions): VspOneObjectClient {
  const resolved = resolveOptions(options);
  const { baseUrl } = resolved;
  const secrets = new SecretRegistry();
  const tokens = resolved.tokens(secrets);
  const client = createClient<paths>({
    baseUrl,
    fetch: resolved.fetch,
    headers: { Accept: "application/json" },
  });
  useStandardMiddleware(client, {
    provider: PROVIDER,
    // CSRF outside bearer: on a call refused for both (401, then 403 on the resend), bearerAuth
    // renews the token first and xsrfSession then renews the cookies, so both recover.
    auth: [
      xsrfSession({
        csrfUrl: `${baseUrl}/v1/csrf`,
        fetch: resolved.fetch,
        bearer: tokens,
        secrets,
        provider: PROVIDER,
      }),
      bearerAuth(tokens),
    ],
    secrets,
    safe: ({ method, schemaPath }) => method === "POST" && schemaPath === LIST_PATH,
    operation: ({ method, schemaPath }) => OPERATIONS[`${method} ${schemaPath}`],
    retry: options.retry,
    timeout: options.timeout,
  });
  const bodyRetry = bodyRetryPolicy(options.retry);
  const request = { method: "POST", url: redactUrl(`${baseUrl}${LIST_PATH}`) };
  const context = { provider: PROVIDER, operation: LIST_OPERATION, request, secrets };

  /** One attempt: the page, or `{ retry }` with the error to throw if no attempt is left. */
  async function attempt(
    body: ListBucketsBody,
    signal: AbortSignal | undefined,
  ): Promise<VspOneObjectBucketPage | { retry: BucketryError }> {
    let result: Awaited<ReturnType<typeof post>>;
    try {
      result = await post(body, signal);
    } catch (error) {
      // Typed by the middlewares (no response, timeout, abort, auth); or the body broke off while
      // openapi-fetch read it, which undici reports as a TypeError ("terminated").
      if (error instanceof BucketryError || !(error instanceof TypeError)) throw error;
      const reason = [error.message, (error.cause as Error | undefined)?.message].filter(Boolean).join(": ");
      return {
        retry: new ConnectionError(
          `${PROVIDER} ${LIST_OPERATION}: the response body from ${request.url} could not be read (${secrets.scrub(reason)})`,
          { ...init(), cause: error },
        ),
      };
    }
    const text = await expectOk(result, context);
    const { response } = result;
    const details = (): ApiErrorInit => ({
      ...init(),
      status: response.status,
      requestId: requestIdOf(response.headers),
      headers: redact(response.headers, secrets),
      body: redact((text ?? "").slice(0, BODY_SNIPPET), secrets),
    });
    let json: unknown;
    try {
      if (!text) throw new SyntaxError("empty body");
      json = JSON.parse(text);
    } catch (error) {
      // V8's message quotes the start of the text: scrubbed like the body itself.
      const why = redactText(secrets.scrub(error instanceof Error ? error.message : String(error)));
      return {
        retry: new MalformedResponseError(
          `${PROVIDER} ${LIST_OPERATION} answered HTTP ${response.status} with a body that is not valid JSON (${why})`,
          details(),
        ),
      };
    }
    return toBucketPage(
      json,
      (problem) =>
        new MalformedResponseError(
          `${PROVIDER} ${LIST_OPERATION} answered HTTP ${response.status} with an unexpected body: ${problem}`,
          details(),
        ),
    );
  }

  const post = (body: ListBucketsBody, signal: AbortSignal | undefined) =>
    client.POST(LIST_PATH, { body, parseAs: "text", ...(signal ? { signal } : {}) });
  const init = (): ApiErrorInit => ({ provider: PROVIDER, operation: LIST_OPERATION, request });

  /** A page, with the body failures retried (see the module comment). */
  async function fetchPage(
    body: ListBucketsBody,
    signal: AbortSignal | undefined,
  ): Promise<VspOneObjectBucketPage> {
    try {
      for (let n = 1; ; n++) {
        const outcome = await attempt(body, signal);
        if (!("retry" in outcome)) return outcome;
        if (n >= bodyRetry.maxAttempts || signal?.aborted) throw outcome.retry;
        await sleep(bodyRetry.delay(n), signal);
      }
    } catch (error) {
      // An abort that surfaced outside the network layer (a middleware's wait, the backoff, the body).
      if (signal?.aborted && !(error instanceof BucketryError)) {
        throw new AbortedError(`${PROVIDER} ${LIST_OPERATION}: cancelled by the caller (${request.url})`, {
          ...init(),
          cause: error,
        });
      }
      throw error;
    }
  }

  const helpers: VspOneObjectHelpers = {
    listBuckets(params, callOptions) {
      const checked = checkParams(params, ["userId", "pageSize", "from"], "listBuckets");
      const signal = checkCallOptions(callOptions);
      const body = listBucketsBody(checked.userId, checked.pageSize, "pageSize");
      checkResumeCursor(checked.from);
      return paginate<VspOneObjectBucket, string>({
        async fetchPage(cursor, pageSignal) {
          const page = await fetchPage(
            cursor === undefined ? body : { ...body, pageToken: cursor },
            pageSignal,
          );
          return { items: page.buckets, next: page.nextPageToken };
        },
        from: checked.from as ResumePoint<string> | undefined,
        signal,
      });
    },

    async listBucketsPage(params, callOptions) {
      const checked = checkParams(params, ["userId", "count", "pageToken"], "listBucketsPage");
      const signal = checkCallOptions(callOptions);
      return fetchPage(listBucketsBody(checked.userId, checked.count, "count", checked.pageToken), signal);
    },
  };
  return { ...client, ...helpers };
}

/** The helper-level retry budget for body failures: the same settings as the retry middleware's. */
function bodyRetryPolicy(options: ClientOptions["retry"]): {
  maxAttempts: number;
  delay: (n: number) => number;
} {
  if (options === false) return { maxAttempts: 1, delay: () => 0 };
  const { maxAttempts = 3, baseDelayMs = 250, maxDelayMs = 20_000, random = Math.random } = options ?? {};
  // Full jitter, as the middleware does.
  return { maxAttempts, delay: (n) => random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)) };
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
