/**
 * A listing that arrives a page at a time can hand the merge whole pages: the merge then yields a
 * page's items in a plain loop, instead of an async step (promises, microtasks) per item in every
 * layer between the provider's paginator and the caller's `for await`, and makes each item only as
 * it hands it out (see `LazyItems` in @bucketry/core). Iterated directly, it still gives one item
 * at a time.
 */
import type { LazyItems } from "@bucketry/core";

/** The method the merge calls, when an adapter's listing has it, to take the listing page by page. */
export const BATCHES: unique symbol = Symbol("bucketry.batches");

/** A page of a batched listing; an item made `undefined` is skipped (not a bucket, e.g. a Swift subdir). */
export type Batch<T> = LazyItems<T | undefined>;

/** A listing of items that can also be taken page by page. */
export interface Batched<T> extends AsyncIterable<T> {
  [BATCHES](): AsyncIterator<Batch<T>>;
}

/** A listing over what `pages()` yields; each iteration calls `pages()` afresh. */
export function batched<T>(pages: () => AsyncIterable<Batch<T>>): Batched<T> {
  return {
    [BATCHES]: () => pages()[Symbol.asyncIterator](),
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) {
        for (let i = 0; i < page.length; i++) {
          const item = page.item(i);
          if (item !== undefined) yield item;
        }
      }
    },
  };
}

/** The page iterator of a listing that has one. */
export function batchesOf<T>(listing: AsyncIterable<T>): AsyncIterator<Batch<T>> | undefined {
  return (listing as Partial<Batched<T>>)[BATCHES]?.();
}

/** A one-item page, for a listing that has no pages of its own. */
export function single<T>(item: T): Batch<T> {
  return { length: 1, item: () => item };
}

/**
 * The items of a generator of pages, as an async generator. `next()` answers from the current page
 * without stepping the generator: a generator step per item allocated ~0.5 KB and cost more than
 * the rest of a bucket's handling. Everything else (the next page, `return`, `throw`) goes to the
 * generator, one call after another as a generator would take them. When `signal` has aborted,
 * the next item is not handed out: its reason is thrown into the generator, which cleans up.
 */
export function flatten<T>(pages: AsyncGenerator<Batch<T>>, signal?: AbortSignal): AsyncGenerator<T> {
  let page: Batch<T> | undefined;
  let at = 0;
  /** The last call that went to the generator, while it runs. */
  let tail: Promise<unknown> | undefined;

  /** The next item of the current page, or undefined when it has no more. */
  const take = (): T | undefined => {
    while (page !== undefined && at < page.length) {
      const item = page.item(at++);
      if (item !== undefined) return item;
    }
    page = undefined;
    return undefined;
  };
  const aborted = () => {
    page = undefined;
    return pages.throw(signal!.reason) as Promise<IteratorResult<T, void>>;
  };
  const advance = async (): Promise<IteratorResult<T, void>> => {
    for (;;) {
      if (signal?.aborted && page !== undefined) return aborted();
      const item = take();
      if (item !== undefined) return { value: item, done: false };
      const result = await pages.next();
      if (result.done) return result;
      page = result.value;
      at = 0;
    }
  };
  /** Runs `step` after the calls before it, as a generator queues its calls. */
  const queue = <R>(step: () => Promise<R>): Promise<R> => {
    const call = tail ? tail.then(step, step) : step();
    tail = call;
    const settle = () => {
      if (tail === call) tail = undefined;
    };
    call.then(settle, settle);
    return call;
  };

  const flat: AsyncGenerator<T> = {
    next() {
      if (tail === undefined && !signal?.aborted) {
        const item = take();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
      }
      return queue(advance);
    },
    return(value) {
      return queue(() => {
        page = undefined;
        return pages.return(value) as Promise<IteratorResult<T, void>>;
      });
    },
    throw(error) {
      return queue(() => {
        page = undefined;
        return pages.throw(error) as Promise<IteratorResult<T, void>>;
      });
    },
    [Symbol.asyncIterator]() {
      return flat;
    },
  };
  return flat;
}
