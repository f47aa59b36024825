/**
 * Listing across sources: one async iterator over many providers, a bound on how many run at once,
 * each provider paging lazily inside, and partial failure (a failing source is reported, the others
 * carry on). Breaking out of the loop aborts what is in flight and starts nothing new.
 */
import { type Batch, batchesOf, flatten, single } from "./batches.js";
import { type Bucket, type ProviderName, type Source, SourceError, type User } from "./model.js";

/** How a listing across sources runs. */
export interface ListOptions {
  /** How many sources are listed at once (default 4). */
  concurrency?: number;
  /**
   * How many sources of one provider are listed at once, by provider (e.g. `{ "huaweicloud-mpc": 2 }`);
   * within `concurrency`, unbounded for a provider not named. A source waiting for its provider
   * lets the sources of other providers behind it start first.
   */
  perProvider?: Partial<Record<ProviderName, number>>;
  /**
   * Called with each failed source as it fails, and on an early `break` with the failures that had
   * arrived by then; without it, failures are thrown together at the end.
   */
  onError?: (error: SourceError) => void;
  /** Stops the whole listing: the loop throws the signal's reason, and later failures are not reported. */
  signal?: AbortSignal;
}

/** Thrown at the end of a listing when sources failed and no `onError` was given. */
export class ListingError extends AggregateError {
  override name = "ListingError" as const;
  constructor(override readonly errors: SourceError[]) {
    super(errors, `${errors.length} source(s) failed: ${errors.map((e) => e.message).join("; ")}`);
  }
}

/** Every bucket of every source, as one async iterator. */
export function listBuckets(sources: readonly Source[], options: ListOptions = {}): AsyncGenerator<Bucket> {
  const pages = merge(sources, options, (source, signal) => {
    if (!source.buckets) throw new TypeError(`${source.provider} has no bucket listing`);
    return source.buckets(signal);
  });
  return flatten(pages, options.signal);
}

/** Every user of every source that has users. */
export function listUsers(
  sources: readonly Source[],
  options: ListOptions & { space?: boolean } = {},
): AsyncGenerator<User> {
  const pages = merge(sources, options, (source, signal) => {
    if (!source.users) throw new TypeError(`${source.provider} has no users`);
    return source.users({ signal, space: options.space });
  });
  return flatten(pages, options.signal);
}

/** Collects a whole listing into an array (for small cases); failures throw as the listing does. */
export async function collect<T>(listing: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of listing) items.push(item);
  return items;
}

/** Lists buckets from every source into one array, with the failures beside it instead of thrown. */
export async function collectBuckets(
  sources: readonly Source[],
  options: Omit<ListOptions, "onError"> = {},
): Promise<{ buckets: Bucket[]; errors: SourceError[] }> {
  const errors: SourceError[] = [];
  const buckets = await collect(listBuckets(sources, { ...options, onError: (e) => errors.push(e) }));
  return { buckets, errors };
}

interface Running<T> {
  source: Source;
  /** Whether `iterator` yields pages of items (see batches.ts) rather than items. */
  batched: boolean;
  iterator: AsyncIterator<T | Batch<T>>;
  next: Promise<{ running: Running<T>; result?: IteratorResult<T | Batch<T>>; error?: unknown }>;
  /** The error of a `next` that rejected, kept until the loop takes it (or stops without taking it). */
  failed?: { error: unknown };
}

/** The items of every source, a page (or one item) at a time; `flatten` hands them out one by one. */
async function* merge<T>(
  sources: readonly Source[],
  options: ListOptions,
  open: (source: Source, signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<Batch<T>> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const failures: SourceError[] = [];
  const waiting = [...sources];
  const running = new Set<Running<T>>();
  // Wakes the loop when the caller's signal aborts, so a source that never answers cannot hold it.
  // A fresh promise per wait: racing one long-lived promise would keep every result alive.
  let wake: (() => void) | undefined;
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const stopped = () =>
    new Promise<undefined>((resolve) => {
      wake = () => resolve(undefined);
      if (options.signal?.aborted) resolve(undefined);
    });

  const pull = (run: Running<T>) => {
    run.next = run.iterator.next().then(
      (result) => ({ running: run, result }),
      (error: unknown) => {
        run.failed = { error };
        return { running: run, error };
      },
    );
  };
  const fail = (source: Source, error: unknown) => {
    const failure = new SourceError(source.name, source.provider, error);
    if (options.onError) options.onError(failure);
    else failures.push(failure);
  };
  const perProvider = options.perProvider ?? {};
  const active = new Map<string, number>();
  const hasRoom = (source: Source) =>
    (active.get(source.provider) ?? 0) < Math.max(1, Math.floor(perProvider[source.provider] ?? Infinity));
  const startMore = () => {
    while (running.size < concurrency && waiting.length > 0 && !signal.aborted) {
      const at = waiting.findIndex(hasRoom);
      if (at < 0) return;
      const source = waiting.splice(at, 1)[0]!;
      active.set(source.provider, (active.get(source.provider) ?? 0) + 1);
      try {
        const listing = open(source, signal);
        const pages = batchesOf(listing);
        const run = {
          source,
          batched: pages !== undefined,
          iterator: pages ?? listing[Symbol.asyncIterator](),
        } as Running<T>;
        pull(run);
        running.add(run);
      } catch (error) {
        active.set(source.provider, (active.get(source.provider) ?? 1) - 1);
        fail(source, error);
      }
    }
  };

  try {
    startMore();
    while (running.size > 0) {
      const pending = [...running].map((r) => r.next);
      const next = await Promise.race(options.signal ? [stopped(), ...pending] : pending);
      // Whatever fails after the caller aborted failed because of the abort.
      options.signal?.throwIfAborted();
      const { running: run, result, error } = next!;
      if (error !== undefined || result?.done) {
        running.delete(run);
        active.set(run.source.provider, (active.get(run.source.provider) ?? 1) - 1);
        if (error !== undefined) fail(run.source, error);
        startMore();
        continue;
      }
      yield run.batched ? (result!.value as Batch<T>) : single(result!.value as T);
      pull(run);
    }
    options.signal?.throwIfAborted();
  } finally {
    // A failure that arrived while another source's item won the race is still reported on a `break`.
    if (!options.signal?.aborted) {
      for (const run of running) {
        if (!run.failed) continue;
        running.delete(run);
        fail(run.source, run.failed.error);
      }
    }
    options.signal?.removeEventListener("abort", onAbort);
    // An early `break` (or a throw) lands here: abort requests in flight and close every iterator.
    controller.abort();
    await Promise.allSettled([...running].map((r) => r.iterator.return?.()));
  }
  if (failures.length > 0) throw new ListingError(failures);
}
