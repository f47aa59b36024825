/**
 * Auto-pagination that can stop and resume exactly. A `Paginator` walks pages through a `fetchPage`
 * function the provider helper supplies (marker, page token, offset: any cursor), hands out items
 * or whole pages, and keeps a serialisable `resumePoint`: the page to fetch and how many of its
 * items were already handed out. A consumer that stops in the middle of a page and resumes later,
 * even in another process, sees every item exactly once, provided the listing did not change.
 */
import { AbortedError, type ApiErrorInit, BucketryError, InvalidInputError } from "./errors.js";

/** Where to resume: fetch page `page` (undefined = the first page) and skip its first `offset` items. */
export interface ResumePoint<Cursor> {
  page: Cursor | undefined;
  offset: number;
}

/** One page: its items, and the cursor of the next page (undefined on the last page). */
export interface Page<Item, Cursor> {
  /** The items, or how to make each one when it is handed out (see {@link LazyItems}). */
  items: Item[] | LazyItems<Item>;
  next: Cursor | undefined;
  /** The request id the server gave the page's answer, for audit trails. */
  requestId?: string | undefined;
  /** Attempts it took to fetch the page (retries and renewals included). */
  attempts?: number | undefined;
}

/**
 * A page's items made one at a time, when read: a walk that hands items on and keeps none then holds
 * only the page's raw form (the parsed JSON), not every item of the page at once, which the garbage
 * collector would otherwise copy while the page is walked. `item(i)` makes a new item each call.
 */
export interface LazyItems<Item> {
  readonly length: number;
  item(index: number): Item;
}

/** What a {@link Paginator} recorded of a page it fetched. */
export interface FetchedPage<Cursor> {
  /** The page's cursor (undefined for the first page). */
  page: Cursor | undefined;
  /** How many items it held. */
  items: number;
  requestId: string | undefined;
  attempts: number | undefined;
}

/** Options of {@link paginate}. */
export interface PaginateOptions<Item, Cursor> {
  /** Fetches the page at `cursor` (undefined = the first page). */
  fetchPage: (cursor: Cursor | undefined, signal?: AbortSignal) => Promise<Page<Item, Cursor>>;
  /** A {@link Paginator.resumePoint} saved earlier; the start of the listing by default. */
  from?: ResumePoint<Cursor>;
  /** Stops the walk (and is passed to `fetchPage`) with an `AbortedError`. */
  signal?: AbortSignal;
  /** Who lists, named in the `AbortedError` of a cancelled walk (e.g. `{ provider, operation }`). */
  context?: Pick<ApiErrorInit, "provider" | "operation" | "request">;
}

/** A listing the server cannot walk: it sent a cursor it had sent before, which would loop forever. */
export class PaginationError extends BucketryError {
  override name = "PaginationError" as const;
}

/** Walks a paginated listing; see {@link Paginator}. */
export function paginate<Item, Cursor>(options: PaginateOptions<Item, Cursor>): Paginator<Item, Cursor> {
  return new Paginator(options);
}

/**
 * A listing the API answers in one response, as a {@link Paginator} of one page without a cursor,
 * so every `list*()` is iterated (`for await`, `.all()`, `.pages()`) alike. `fetchAll` runs on
 * the first item asked for, not before.
 */
export function onePage<Item>(
  fetchAll: (signal?: AbortSignal) => Promise<Omit<Page<Item, never>, "next">>,
  options: Omit<PaginateOptions<Item, never>, "fetchPage"> = {},
): Paginator<Item, never> {
  return new Paginator<Item, never>({
    ...options,
    fetchPage: async (_cursor, signal) => ({ ...(await fetchAll(signal)), next: undefined }),
  });
}

/**
 * An async iterable over the items of a paginated listing, with `pages()` for whole pages and
 * `all()` to collect. Pages are fetched only when the consumer asks for an item beyond the current
 * one (no prefetch), so breaking out of a loop stops fetching. Iterating again continues from
 * {@link Paginator.resumePoint}; a failed fetch leaves it unchanged, so the walk can be resumed.
 */
export class Paginator<Item, Cursor> implements AsyncIterable<Item> {
  readonly #fetchPage: PaginateOptions<Item, Cursor>["fetchPage"];
  readonly #signal: AbortSignal | undefined;
  readonly #context: PaginateOptions<Item, Cursor>["context"];
  #point: ResumePoint<Cursor>;
  #done = false;
  #busy = false;
  /** The cursors of the pages fetched so far, to spot a server that sends one again. */
  readonly #fetched = new Set<string>();
  readonly #log: FetchedPage<Cursor>[] = [];

  constructor(options: PaginateOptions<Item, Cursor>) {
    this.#fetchPage = options.fetchPage;
    this.#signal = options.signal;
    this.#context = options.context;
    this.#point = checkResumePoint(options.from);
  }

  /**
   * Where the walk stands: items already handed out are not handed out again from here. A plain
   * object (JSON-serialisable when the cursor is). At the end it points past the last item.
   */
  get resumePoint(): ResumePoint<Cursor> {
    return { ...this.#point };
  }

  /** Whether every item has been handed out. */
  get done(): boolean {
    return this.#done;
  }

  /** Every page fetched so far, oldest first, with its request id and attempts (for audits). */
  get fetched(): readonly FetchedPage<Cursor>[] {
    return this.#log;
  }

  /** The items, one by one, from the resume point on. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    this.#claim();
    try {
      while (!this.#done) {
        const { page: cursor, offset } = this.#point;
        const { items, next } = await this.#fetch(cursor);
        const view = viewOf(items);
        for (let i = offset; i < view.length; i++) {
          // Moved before the item is handed out: a consumer that stops after it must not see it again.
          this.#throwIfAborted();
          this.#settle(cursor, i + 1, view.length, next);
          yield view.item(i);
        }
        this.#settle(cursor, items.length, items.length, next);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** The items page by page (the first page without the items skipped by the resume point). */
  async *pages(): AsyncGenerator<Item[], void, undefined> {
    this.#claim();
    try {
      while (!this.#done) {
        const page = await this.#page(this.#point.page);
        const rest: Item[] = [];
        for (let i = 0; i < page.length; i++) rest.push(page.item(i));
        if (rest.length > 0) yield rest;
      }
    } finally {
      this.#busy = false;
    }
  }

  /**
   * The items page by page, each made only when read (see {@link LazyItems}); as with `pages()`, a
   * page counts as handed out once it is yielded. For walks that pass items on and keep none.
   */
  async *views(): AsyncGenerator<LazyItems<Item>, void, undefined> {
    this.#claim();
    try {
      while (!this.#done) {
        const page = await this.#page(this.#point.page);
        if (page.length > 0) yield page;
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Fetches the page at `cursor` and settles it as handed out; its items from the resume offset on. */
  async #page(cursor: Cursor | undefined): Promise<LazyItems<Item>> {
    const { offset } = this.#point;
    const { items, next } = await this.#fetch(cursor);
    this.#throwIfAborted();
    const view = viewOf(items);
    this.#settle(cursor, view.length, view.length, next);
    if (offset === 0) return view;
    return { length: Math.max(0, view.length - offset), item: (i) => view.item(i + offset) };
  }

  /** Every remaining item, collected. */
  async all(): Promise<Item[]> {
    const out: Item[] = [];
    for await (const item of this) out.push(item);
    return out;
  }

  /** Records that `handed` of the page's `length` items are out; past its last, the next page starts. */
  // Updated in place: this runs once per item handed out (resumePoint hands out copies).
  #settle(cursor: Cursor | undefined, handed: number, length: number, next: Cursor | undefined): void {
    const point = this.#point;
    if (handed < length) {
      point.page = cursor;
      point.offset = handed;
    } else if (next === undefined) {
      point.page = cursor;
      point.offset = length;
      this.#done = true;
    } else {
      point.page = next;
      point.offset = 0;
    }
  }

  /** A cancelled walk ends in an `AbortedError`, never the signal's bare reason (a `DOMException`). */
  #throwIfAborted(): void {
    if (this.#signal?.aborted) throw this.#aborted();
  }

  #aborted(): AbortedError {
    const { provider = "bucketry", operation = "paginate", request } = this.#context ?? {};
    return new AbortedError(`${provider} ${operation}: cancelled by the caller`, {
      provider,
      operation,
      request,
      cause: this.#signal?.reason,
    });
  }

  async #fetch(cursor: Cursor | undefined): Promise<Page<Item, Cursor>> {
    this.#throwIfAborted();
    let page: Page<Item, Cursor>;
    try {
      page = await this.#fetchPage(cursor, this.#signal);
    } catch (error) {
      // A fetchPage that let the signal's own reason through (e.g. from a wait of its own).
      throw this.#signal?.aborted && error === this.#signal.reason ? this.#aborted() : error;
    }
    if (!page || !(Array.isArray(page.items) || isLazy(page.items))) {
      throw new PaginationError("fetchPage must resolve to { items: Item[], next: Cursor | undefined }");
    }
    this.#fetched.add(keyOf(cursor));
    this.#log.push({
      page: cursor,
      items: page.items.length,
      requestId: page.requestId,
      attempts: page.attempts,
    });
    if (page.next !== undefined && this.#fetched.has(keyOf(page.next))) {
      throw new PaginationError(
        `the server sent the cursor of a page already fetched (after ${this.#fetched.size} pages); stopping instead of looping`,
      );
    }
    return page;
  }

  /** One walk at a time: two loops over one paginator would hand out the same items twice. */
  #claim(): void {
    if (this.#busy) throw new PaginationError("this paginator is already being iterated");
    this.#busy = true;
  }
}

function isLazy(items: unknown): items is LazyItems<unknown> {
  const lazy = items as Partial<LazyItems<unknown>> | null;
  return (
    typeof lazy === "object" &&
    lazy !== null &&
    Number.isInteger(lazy.length) &&
    typeof lazy.item === "function"
  );
}

function viewOf<Item>(items: Item[] | LazyItems<Item>): LazyItems<Item> {
  return Array.isArray(items) ? { length: items.length, item: (i) => items[i] as Item } : items;
}

function keyOf(cursor: unknown): string {
  return typeof cursor === "string" ? `s:${cursor}` : `j:${JSON.stringify(cursor)}`;
}

function checkResumePoint<Cursor>(from: ResumePoint<Cursor> | undefined): ResumePoint<Cursor> {
  if (from === undefined) return { page: undefined, offset: 0 };
  if (from === null || typeof from !== "object") {
    throw new InvalidInputError("from", "must be a resume point { page, offset } saved from a paginator");
  }
  if (!Number.isInteger(from.offset) || from.offset < 0) {
    throw new InvalidInputError("from.offset", "must be a whole number of items, 0 or more");
  }
  return { page: from.page, offset: from.offset };
}
