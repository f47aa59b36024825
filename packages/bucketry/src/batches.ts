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
