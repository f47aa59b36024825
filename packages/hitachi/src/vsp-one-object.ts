/**
 * The Hitachi VSP One Object Management API client: the typed openapi-fetch client with Keycloak
 * bearer tokens, the Vert.x CSRF double-submit session, retries and time limits installed, plus
 * `listBuckets` / `listBucketsPage` helpers.
 *
 * `POST /v1/user/list_buckets` is a read (the spec marks it `x-idempotent`), so it is marked safe
 * for core's pipeline, which repeats it on 429/5xx, network failures, and bodies that break off or
 * are not JSON, then reports a `ConnectionError` or a `MalformedResponseError`. A well-formed body
 * of the wrong shape is not retried: it would come back the same.
 */
import { bearerAuth, xsrfSession } from "@bucketry/auth/tokens";
import {
  answerMeta,
  type CallOptions,
  checkCallOptions,
  createApiClient,
  createPipeline,
  expectOk,
  type Paginator,
  paginate,
  parsedJson,
  type ResumePoint,
  readBody,
  redactUrl,
  requireJson,
} from "@bucketry/core/internal";
import type { Client } from "openapi-fetch";
import { VSP_ONE_OBJECT_ERRORS } from "./errors.js";
import type { paths } from "./generated/vsp-one-object.js";
import { USER_AGENT } from "./version.js";
import {
  checkParams,
  checkResumeCursor,
  type ListBucketsBody,
  listBucketsBody,
  toBucketPage,
  type VspOneObjectBucket,
  type VspOneObjectBucketPage,
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
    options?: CallOptions,
  ): Paginator<VspOneObjectBucket, string>;
  /** One page of a user's buckets (`POST /v1/user/list_buckets`), or an `ApiError`. */
  listBucketsPage(
    params: VspOneObjectListBucketsPageParams,
    options?: CallOptions,
  ): Promise<VspOneObjectBucketPage>;
}

/** The typed openapi-fetch client of the VSP One Object Management API, with auth installed and the helpers. */
export type VspOneObjectClient = Client<paths> & VspOneObjectHelpers;

const LIST_PATH = "/v1/user/list_buckets";
const LIST_OPERATION = "listUserBuckets";
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
  const { baseUrl, client: resolved, tokens } = resolveOptions(options);
  const { secrets } = resolved;
  const fetch = createPipeline(
    {
      provider: PROVIDER,
      errors: VSP_ONE_OBJECT_ERRORS,
      // Bearer first: on a call refused for both (401, then 403 on the repeat), the token is
      // renewed first and the cookies then, so both recover.
      steps: [
        bearerAuth(tokens, { secrets }),
        xsrfSession({
          csrfUrl: `${baseUrl}/v1/csrf`,
          fetch: resolved.fetch,
          bearer: tokens,
          secrets,
          provider: PROVIDER,
          errors: VSP_ONE_OBJECT_ERRORS,
        }),
      ],
      describe: (method, path) =>
        method === "POST" && path.endsWith(LIST_PATH)
          ? // The helpers read the listing as text: it must be JSON whatever its Content-Type says.
            { operation: LIST_OPERATION, safe: true, check: requireJson }
          : undefined,
      userAgent: USER_AGENT,
    },
    resolved,
  );
  const client = createApiClient<paths>(fetch, { baseUrl, headers: { Accept: "application/json" } });
  const request = { method: "POST", url: redactUrl(`${baseUrl}${LIST_PATH}`) };
  const context = {
    provider: PROVIDER,
    operation: LIST_OPERATION,
    request,
    secrets,
    format: VSP_ONE_OBJECT_ERRORS,
  };

  /** One page: the pipeline retries and types every failure up to a body that is valid JSON. */
  async function fetchPage(
    body: ListBucketsBody,
    signal: AbortSignal | undefined,
  ): Promise<VspOneObjectBucketPage> {
    const result = await post(body, signal);
    const text = await expectOk(result, context);
    const { response } = result;
    // Parsed by requireJson in the pipeline: a body that is not JSON never gets here.
    const json = () => parsedJson(response)?.value ?? JSON.parse(text ?? "");
    const page = readBody(
      response,
      context,
      () => toBucketPage(json()),
      () => (text ?? "").slice(0, BODY_SNIPPET),
    );
    return { ...page, ...answerMeta(response, VSP_ONE_OBJECT_ERRORS) };
  }

  const post = (body: ListBucketsBody, signal: AbortSignal | undefined) =>
    client.POST(LIST_PATH, { body, parseAs: "text", ...(signal ? { signal } : {}) });

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
          return {
            items: page.buckets,
            next: page.nextPageToken,
            requestId: page.requestId,
            attempts: page.attempts,
          };
        },
        from: checked.from as ResumePoint<string> | undefined,
        signal,
        context,
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
