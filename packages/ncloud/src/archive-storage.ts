/**
 * The NAVER Cloud Archive Storage client: the typed openapi-fetch client of `GET /v1/AUTH_{project_id}`
 * (Swift 2.15.1's account listing) with Keystone tokens, retries and time limits installed, plus two
 * helpers: `getAccount()` for one page with the account's headers parsed, and `listContainers()`
 * for every container, paged by marker and resumable item by item.
 */
import { tokenAuth } from "@bucketry/auth/tokens";
import {
  type ApiErrorInit,
  answerMeta,
  BucketryError,
  type BufferedBody,
  type CallOptions,
  checkCallOptions,
  checkParam,
  createApiClient,
  createPipeline,
  expectOk,
  InvalidInputError,
  isSecretHeader,
  type LazyItems,
  MalformedResponseError,
  malformedResponse,
  type OperationInfo,
  type Paginator,
  paginate,
  parsedJson,
  type ResumePoint,
  redact,
  UnexpectedShape,
} from "@bucketry/core/internal";
import type { Client } from "openapi-fetch";
import {
  type AccountInfo,
  type EntryFor,
  HeaderFormatError,
  type ListingBody,
  type ListingFormat,
  type ListingShape,
  listingCutShort,
  listingItems,
  parseAccountHeaders,
  parseJsonBytes,
  parseListing,
  rawHeaders,
  scanJsonListing,
} from "./archive-storage-model.js";
import { type ArchiveStorageClientOptions, resolveOptions } from "./archive-storage-options.js";
import { SWIFT_ERRORS } from "./errors.js";
import type { paths } from "./generated/archive-storage.js";
import { getAccount } from "./generated/archive-storage-rules.js";
import { USER_AGENT } from "./version.js";

/** The provider named in every error. */
export const ARCHIVE_STORAGE_PROVIDER = "ncloud-archive-storage";
/** Swift's `ACCOUNT_LISTING_LIMIT`: the default and the largest `limit` of one page (the spec's maximum). */
export const MAX_LISTING_LIMIT: number = getAccount.limit.maximum;

const OPERATION = "getAccount";
const ACCOUNT_PATH = "/v1/AUTH_{project_id}";

/** The listing parameters `getAccount` and `listContainers` share. */
export interface ListingParams<F extends ListingFormat = ListingFormat> {
  /** Only names that start with this. */
  prefix?: string;
  /** One ASCII character: names holding it after `prefix` are rolled up into `subdir` entries. */
  delimiter?: string;
  /** Only names after this (before it with `reverse`), exclusive, in byte order. */
  marker?: string;
  /** Only names before this (after it with `reverse`), exclusive, in byte order. */
  endMarker?: string;
  /** Lists in reverse byte order. */
  reverse?: boolean;
  /** The wire format: `json` (default), `xml` (same entries), or `plain` (names only). */
  format?: F;
  /** Sends `X-Newest: true`: the proxy asks every replica and answers with the newest. */
  newest?: boolean;
}

/** Parameters of `getAccount`. */
export interface GetAccountParams<F extends ListingFormat = ListingFormat> extends ListingParams<F> {
  /** Entries in the page, 1 to 10,000 (Swift's maximum and default). */
  limit?: number;
}

/** Parameters of `listContainers`. */
export interface ListContainersParams<F extends ListingFormat = ListingFormat> extends ListingParams<F> {
  /** Entries per request (Swift's `limit`), 1 to 10,000; 10,000 by default. */
  pageSize?: number;
  /** A `resumePoint` saved from an earlier paginator with the same parameters. */
  from?: ResumePoint<string>;
}

/** What Swift sent for one listing page, secret headers redacted. */
export interface RawListing {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON array, or the XML or plain text as received (`""` for 204). */
  body: unknown;
}

/** One page of the account listing with the account's headers parsed. */
export interface AccountPage<F extends ListingFormat = "json"> {
  account: AccountInfo;
  containers: EntryFor<F>[];
  /** The marker of the next page; undefined when this page was shorter than `limit` (the end). */
  nextMarker: string | undefined;
  raw: RawListing;
  /** The request id of the answer (`X-Trans-Id`), when Swift sent one. */
  requestId: string | undefined;
  /** Attempts it took (retries and token renewals included). */
  attempts: number | undefined;
}

/** The helpers the client adds to the typed openapi-fetch client. */
export interface ArchiveStorageHelpers {
  /** The project id the client lists (the account is `AUTH_{projectId}`). */
  readonly projectId: string;
  /**
   * GetAccount: one page of containers and the account's metadata (counts, quota, temp URL keys,
   * storage policies). Throws an `ApiError` subclass on 401/403/404/406/412/5xx.
   */
  getAccount<F extends ListingFormat = "json">(
    params?: GetAccountParams<F>,
    options?: CallOptions,
  ): Promise<AccountPage<F>>;
  /**
   * Every container (and `subdir` roll-up), page after page by marker; resumable from
   * `resumePoint` item by item. Nothing is sent before the first item is asked for.
   */
  listContainers<F extends ListingFormat = "json">(
    params?: ListContainersParams<F>,
    options?: CallOptions,
  ): Paginator<EntryFor<F>, string>;
}

/** The typed openapi-fetch client of NAVER Cloud Archive Storage, authenticated, with the helpers. */
export type ArchiveStorageClient = Client<paths> & ArchiveStorageHelpers;

/** A response that arrived whole but is not a Swift listing (core's class, re-exported so the name stays). */
export { MalformedResponseError };

/**
 * Creates a client of NAVER Cloud Archive Storage (OpenStack Swift 2.15.1). Every option is checked
 * first: a bad zone, endpoint, project id or credential throws an `InvalidInputError` or
 * `CredentialsError` naming it, and nothing is sent.
 */
export function createArchiveStorageClient(options: ArchiveStorageClientOptions): ArchiveStorageClient {
  const { baseUrl, projectId, tokenSource, client: resolved } = resolveOptions(options);
  const { secrets } = resolved;
  const fetch = createPipeline(
    {
      provider: ARCHIVE_STORAGE_PROVIDER,
      steps: [tokenAuth(tokenSource, { secrets })],
      errors: SWIFT_ERRORS,
      // An XML or plain listing cut short where the transport could not tell is retried like one it
      // saw; a JSON one is checked from its bytes and parsed as it is read (see scanJsonListing).
      describe: (method, path) =>
        method === "GET" && path.startsWith("/v1/AUTH_") ? ACCOUNT_LISTING : undefined,
      userAgent: USER_AGENT,
      // Swift's ratelimit middleware answers 498 when a container's write rate is exceeded.
      throttleStatuses: [498],
    },
    resolved,
  );
  const client = createApiClient<paths>(fetch, { baseUrl });

  /** Makes an error for a response whose body or headers are not Swift's, with its request id. */
  const malformed = (error: Error, response: Response): MalformedResponseError => {
    const what =
      error instanceof HeaderFormatError ? "headers that are not Swift's" : "a body that is not a listing";
    return malformedResponse(response, `${what} (${error.message})`, {
      ...describeCall(response.url),
      secrets,
      format: SWIFT_ERRORS,
    });
  };

  const describeCall = (url: string): Pick<ApiErrorInit, "provider" | "operation" | "request"> => ({
    provider: ARCHIVE_STORAGE_PROVIDER,
    operation: OPERATION,
    request: { method: "GET", url: safeUrl(url) },
  });

  const safeUrl = (url: string): string => {
    try {
      return redact(new URL(url), secrets);
    } catch {
      return redact(new URL(`${baseUrl}/v1/AUTH_${encodeURIComponent(projectId)}`), secrets);
    }
  };

  /**
   * One GET of the listing, parsed. The pipeline retries and types every failure up to a body that
   * arrived whole; what is left is a body or a header that is not Swift's (not retried).
   */
  const fetchListing = async <Items>(
    query: NonNullable<paths[typeof ACCOUNT_PATH]["get"]["parameters"]["query"]>,
    shape: ListingShape,
    newest: boolean,
    signal: AbortSignal | undefined,
    parse: (
      body: ListingBody | undefined,
      type: string | null,
      shape: ListingShape,
      json?: { value: unknown },
    ) => Items,
  ) => {
    let response: Response | undefined;
    try {
      const result = await client.GET(ACCOUNT_PATH, {
        params: {
          path: { project_id: projectId },
          query,
          header: newest ? { "X-Newest": true } : undefined,
        },
        // The bytes, neither decoded nor copied: the pipeline checked a JSON page from them (see
        // scanJsonListing), and the stream of its answer holds them as they are.
        parseAs: "stream",
        signal,
      });
      response = result.response;
      const stream = await expectOk(result, {
        provider: ARCHIVE_STORAGE_PROVIDER,
        operation: OPERATION,
        request: { method: "GET", url: response.url },
        secrets,
        format: SWIFT_ERRORS,
      });
      const bytes = await readAll(stream);
      const entries = parse(bytes, response.headers.get("content-type"), shape, parsedJson(response));
      return { entries, response, bytes };
    } catch (error) {
      if (error instanceof BucketryError) throw error;
      // The listing parsers' UnexpectedShape subclasses become the call's MalformedResponseError.
      if (response && error instanceof UnexpectedShape) throw malformed(error, response);
      throw error;
    }
  };

  const helpers: ArchiveStorageHelpers = {
    projectId,

    async getAccount<F extends ListingFormat = "json">(
      params: GetAccountParams<F> = {},
      options: CallOptions = {},
    ): Promise<AccountPage<F>> {
      const listing = checkListing(params, "getAccount", "limit");
      const signal = checkCallOptions(options);
      const limit = listing.size;
      const { entries, response, bytes } = await fetchListing(
        listing.query(listing.marker, limit),
        listing.shape,
        listing.newest,
        signal,
        parseListing,
      );
      let account: AccountInfo;
      try {
        account = parseAccountHeaders(response.headers);
      } catch (error) {
        if (error instanceof UnexpectedShape) throw malformed(error, response);
        throw error;
      }
      for (const key of [account.metadata.tempUrlKey, account.metadata.tempUrlKey2])
        secrets.add(key?.reveal());
      const last = entries.at(-1);
      return {
        account,
        containers: entries as EntryFor<F>[],
        nextMarker: entries.length >= (limit ?? MAX_LISTING_LIMIT) && last ? last.name : undefined,
        ...answerMeta(response, SWIFT_ERRORS),
        raw: {
          status: response.status,
          headers: rawHeaders(response.headers, isSecretHeader),
          body: bytes.length === 0 ? "" : isJson(response) ? parseJsonBytes(bytes) : utf8.decode(bytes),
        },
      };
    },

    listContainers<F extends ListingFormat = "json">(
      params: ListContainersParams<F> = {},
      options: CallOptions = {},
    ): Paginator<EntryFor<F>, string> {
      const listing = checkListing(params, "listContainers", "pageSize");
      const signal = checkCallOptions(options);
      const from = checkFrom((params as ListContainersParams<F>).from);
      const pageSize = listing.size ?? MAX_LISTING_LIMIT;
      return paginate<EntryFor<F>, string>({
        from,
        signal,
        context: describeCall(""),
        fetchPage: async (cursor, pageSignal) => {
          // The next marker is the last name or subdir string of the page; with `reverse` Swift
          // swaps the bounds, so the same rule walks downwards. A JSON page's entries are made as
          // they are handed out (see lazyJsonListing).
          const { entries, response } = await fetchListing(
            listing.query(cursor ?? listing.marker, pageSize),
            listing.shape,
            listing.newest,
            pageSignal,
            listingItems,
          );
          const last = lastOf(entries);
          return {
            items: entries as EntryFor<F>[] | LazyItems<EntryFor<F>>,
            next: entries.length < pageSize || !last ? undefined : last.name,
            ...answerMeta(response, SWIFT_ERRORS),
          };
        },
      });
    },
  };

  return { ...client, ...helpers };
}

function lastOf<T>(items: T[] | LazyItems<T>): T | undefined {
  if (Array.isArray(items)) return items.at(-1);
  return items.length > 0 ? items.item(items.length - 1) : undefined;
}

const ACCOUNT_LISTING: OperationInfo = {
  operation: OPERATION,
  check: cutShort,
  parse: (body) => scanJsonListing(body.bytes) ?? body.json(),
};

/** The body check of the account listing: one cut short (see {@link listingCutShort}) is retried. */
function cutShort(body: BufferedBody): string | undefined {
  const requested = () => new URL(body.url).searchParams.get("format");
  return listingCutShort(body.bytes, body.response.headers.get("content-type"), requested);
}

// ---------------------------------------------------------------------------------------------
// Parameter checks: everything is refused before a request (or a token request) is sent.
// ---------------------------------------------------------------------------------------------

const COMMON_PARAMS = ["prefix", "delimiter", "marker", "endMarker", "reverse", "format", "newest"];
const PARAMS = {
  getAccount: new Set([...COMMON_PARAMS, "limit"]),
  listContainers: new Set([...COMMON_PARAMS, "pageSize", "from"]),
};

interface CheckedListing {
  shape: ListingShape;
  marker: string | undefined;
  size: number | undefined;
  newest: boolean;
  query(
    marker: string | undefined,
    limit: number | undefined,
  ): NonNullable<paths[typeof ACCOUNT_PATH]["get"]["parameters"]["query"]>;
}

function checkListing(
  params: unknown,
  helper: keyof typeof PARAMS,
  sizeField: "limit" | "pageSize",
): CheckedListing {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new InvalidInputError("params", `${helper} takes its parameters as one object`);
  }
  const p = params as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (PARAMS[helper].has(key) || p[key] === undefined) continue;
    const hint =
      key === "limit" || key === "pageSize"
        ? `; use ${sizeField}`
        : key === "end_marker"
          ? "; use endMarker"
          : `; known: ${[...PARAMS[helper]].join(", ")}`;
    throw new InvalidInputError(key, `is not a parameter of ${helper}${hint}`);
  }
  // The spec's rules (src/generated/archive-storage-rules.ts), under the names the helpers use.
  const prefix = checkParam<string | undefined>(p.prefix, getAccount.prefix, "prefix");
  const marker = checkParam<string | undefined>(p.marker, getAccount.marker, "marker");
  const endMarker = checkParam<string | undefined>(p.endMarker, getAccount.end_marker, "endMarker");
  const delimiter = checkParam<string | undefined>(p.delimiter, getAccount.delimiter, "delimiter");
  const reverse = checkParam<boolean | undefined>(p.reverse, getAccount.reverse, "reverse") ?? false;
  const newest = checkParam<boolean | undefined>(p.newest, getAccount["X-Newest"], "newest") ?? false;
  const format = checkParam<ListingFormat | undefined>(p.format, getAccount.format, "format") ?? "json";
  const size = checkParam<number | undefined>(p[sizeField], getAccount.limit, sizeField);
  const shape: ListingShape = { format, prefix, delimiter };
  return {
    shape,
    marker,
    size,
    newest,
    query: (pageMarker, limit) => ({
      format: shape.format,
      ...(limit !== undefined && { limit }),
      ...(pageMarker && { marker: pageMarker }),
      ...(endMarker && { end_marker: endMarker }),
      ...(prefix && { prefix }),
      ...(shape.delimiter && { delimiter: shape.delimiter }),
      ...(reverse && { reverse: true }),
    }),
  };
}

function checkFrom(from: unknown): ResumePoint<string> | undefined {
  if (from === undefined) return undefined;
  const page = (from as { page?: unknown } | null)?.page;
  if (page !== undefined && typeof page !== "string") {
    throw new InvalidInputError("from.page", "must be a marker string saved from a paginator's resumePoint");
  }
  return from as ResumePoint<string>;
}

/** Every byte of a body stream: its one chunk as it is (a buffered answer's), or the chunks joined. */
async function readAll(stream: ReadableStream<Uint8Array> | null | undefined): Promise<Uint8Array> {
  if (!stream) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for (const reader = stream.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

const utf8 = /* @__PURE__ */ new TextDecoder();

function isJson(response: Response): boolean {
  return /^application\/json\b/i.test(response.headers.get("content-type") ?? "");
}
