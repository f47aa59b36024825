/**
 * The Sample Store API client (spec specs/example/sample-store.yaml).
 *
 * The typed openapi-fetch client, authenticated with a token in `X-Auth-Token`, sending through
 * the request pipeline every Bucketry client shares (retries, time limits, typed errors, events),
 * plus `listBuckets()`, a core `Paginator` that throws a typed `ApiError` instead of returning `{ error }`.
 * Its parameters are checked by the spec's rules (src/generated/sample-store-rules.ts) before anything is sent.
 */
import { checkTokenSource, type TokenCredentials, tokenAuth } from "@bucketry/auth/tokens";
import {
  answerMeta,
  type CallOptions,
  type ClientOptions,
  checkCallOptions,
  checkObject,
  checkParam,
  createApiClient,
  createPipeline,
  credentialsType,
  type ErrorFormat,
  expectOk,
  InvalidInputError,
  onePage,
  type Paginator,
  parseEndpoint,
  resolveOptions,
} from "@bucketry/core/internal";
import type { Client } from "openapi-fetch";
import type { components, paths } from "./generated/sample-store.js";
import { listBuckets as LIST_BUCKETS_RULES } from "./generated/sample-store-rules.js";

// Re-exported so callers need no direct dependency on @bucketry/auth or @bucketry/core.
export { staticToken, type TokenCredentials, type TokenSource } from "@bucketry/auth/tokens";
export type { CallOptions, Paginator } from "@bucketry/core";

/** The provider name errors carry. */
export const SAMPLE_STORE_PROVIDER = "example-sample-store";

const LIST_BUCKETS = "listBuckets";

/**
 * The provider's error format: the header of its request id and, where its error bodies are not
 * `{ code, message }` (core's generic reader), a parser of them. Errors and events use it.
 */
export const SAMPLE_STORE_ERRORS: ErrorFormat = { requestId: "x-request-id" };

/** Options for {@link createSampleStoreClient}. */
export interface SampleStoreClientOptions extends ClientOptions {
  /** The API endpoint, e.g. `https://example.invalid`: an http(s) URL without query or credentials. */
  baseUrl: string;
  /** `{ type: "token", source }`: the token source (e.g. `staticToken(token)`) sent in `X-Auth-Token`. */
  credentials: TokenCredentials;
}

/** One bucket, as the service lists it. */
export type SampleStoreBucket = components["schemas"]["Bucket"];

/** Parameters of `listBuckets()`. */
export interface SampleStoreListParams {
  /** Only the buckets whose names start with this (the spec: at most 63 of a-z, 0-9, "." and "-"). */
  prefix?: string | undefined;
}

/** The typed openapi-fetch client (raw calls are authenticated too) plus helpers. */
export type SampleStoreClient = Client<paths> & {
  /** Every bucket of the account, as a one-page `Paginator` (the API does not page); `ApiError` when refused. */
  listBuckets(params?: SampleStoreListParams, options?: CallOptions): Paginator<SampleStoreBucket, never>;
};

const CREDENTIAL_FORMS = { token: '{ type: "token", source: staticToken(token) }' };

/**
 * Creates the Sample Store API client. The options are checked first: a bad endpoint or an unknown option
 * throws `InvalidInputError`, bad credentials `CredentialsError`, and nothing is sent.
 */
export function createSampleStoreClient(options: SampleStoreClientOptions): SampleStoreClient {
  const resolved = resolveOptions(options, {
    factory: "createSampleStoreClient",
    keys: ["baseUrl", "credentials"],
  });
  const { secrets } = resolved.client;
  const baseUrl = parseEndpoint(options.baseUrl);
  credentialsType(options.credentials, CREDENTIAL_FORMS);
  const source = checkTokenSource(options.credentials.source);
  // Every call goes through core's pipeline: the token on every attempt, retries, time limits, events.
  const fetch = createPipeline(
    {
      provider: SAMPLE_STORE_PROVIDER,
      steps: [tokenAuth(source, { secrets })],
      errors: SAMPLE_STORE_ERRORS,
      describe: (method, path) =>
        method === "GET" && path.endsWith("/v1/buckets") ? { operation: LIST_BUCKETS } : undefined,
    },
    resolved.client,
  );
  const client = createApiClient<paths>(fetch, { baseUrl });
  const context = {
    provider: SAMPLE_STORE_PROVIDER,
    operation: LIST_BUCKETS,
    request: { method: "GET", url: `${baseUrl}/v1/buckets` },
    secrets,
    format: SAMPLE_STORE_ERRORS,
  };

  return {
    ...client,
    listBuckets(params: SampleStoreListParams = {}, call?: CallOptions): Paginator<SampleStoreBucket, never> {
      const prefix = checkListParams(params);
      const signal = checkCallOptions(call);
      const query = prefix ? { prefix } : {};
      return onePage(
        async (pageSignal) => {
          const result = await client.GET("/v1/buckets", { params: { query }, signal: pageSignal });
          const data = await expectOk(result, context);
          return { items: data.buckets, ...answerMeta(result.response, SAMPLE_STORE_ERRORS) };
        },
        { signal, context },
      );
    },
  };
}

/** The `prefix` of `listBuckets()`'s parameters, checked by the spec's rule; unknown keys refused. */
function checkListParams(params: unknown): string | undefined {
  const own = checkObject(params, "params", "listBuckets takes one object { prefix }");
  for (const key of Object.keys(own)) {
    if (key !== "prefix" && own[key] !== undefined) {
      throw new InvalidInputError(key, "is not a parameter of listBuckets; known: prefix");
    }
  }
  return checkParam<string | undefined>(own.prefix, LIST_BUCKETS_RULES.prefix, "prefix");
}
