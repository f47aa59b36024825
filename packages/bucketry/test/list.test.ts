import { describe, expect, it } from "vitest";
import { batched } from "../src/batches.js";
import {
  type Bucket,
  collect,
  collectBuckets,
  ListingError,
  listBuckets,
  type ProviderName,
  type Source,
} from "../src/index.js";

/** A source over `count` buckets, in pages of `pageSize`, that records how many pages it fetched and when it ran. */
function pagedSource(name: string, count: number, options: { pageSize?: number; failAfter?: number } = {}) {
  const pageSize = options.pageSize ?? 10;
  const stats = { pages: 0, active: false, aborted: false };
  const source: Source & { stats: typeof stats } = {
    provider: "ncloud-archive-storage" as ProviderName,
    name,
    stats,
    async *buckets(signal) {
      stats.active = true;
      try {
        for (let start = 0; start < count; start += pageSize) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (signal.aborted) {
            stats.aborted = true;
            return;
          }
          stats.pages += 1;
          if (options.failAfter !== undefined && start >= options.failAfter) throw new Error(`${name} broke`);
          for (let i = start; i < Math.min(count, start + pageSize); i++) {
            yield {
              provider: "ncloud-archive-storage",
              source: name,
              name: `${name}-${i}`,
              raw: {} as never,
            } satisfies Bucket;
          }
        }
      } finally {
        stats.active = false;
      }
    },
  };
  return source;
}

/** A source that hands the merge pages of `pageSize` (every third item not a bucket), recording what it made. */
function batchedSource(name: string, count: number, pageSize: number) {
  const stats = { pages: 0, made: 0, closed: false };
  const source: Source & { stats: typeof stats } = {
    provider: "ncloud-archive-storage",
    name,
    stats,
    buckets: () =>
      batched(async function* () {
        try {
          for (let start = 0; start < count; start += pageSize) {
            await new Promise((resolve) => setTimeout(resolve, 1));
            stats.pages += 1;
            const item = (i: number) => {
              stats.made += 1;
              const n = start + i;
              return n % 3 === 2
                ? undefined
                : ({
                    provider: "ncloud-archive-storage",
                    source: name,
                    name: `${name}-${n}`,
                    raw: {
                      kind: "container",
                      name: `${name}-${n}`,
                      count: 0,
                      bytes: 0,
                      lastModified: new Date(0),
                      raw: "",
                    },
                  } satisfies Bucket);
            };
            yield { length: Math.min(pageSize, count - start), item };
          }
        } finally {
          stats.closed = true;
        }
      }),
  };
  return source;
}

const bucketsOf = (name: string, count: number) =>
  Array.from({ length: count }, (_, n) => n)
    .filter((n) => n % 3 !== 2)
    .map((n) => `${name}-${n}`);

/** A source whose iterator answers every `next()` with `next` (no async generator in between). */
function iterated(name: string, next: () => Promise<IteratorResult<Bucket>>): Source {
  return {
    provider: "ncloud-archive-storage",
    name,
    buckets: () => ({ [Symbol.asyncIterator]: () => ({ next }) }),
  };
}

describe("listBuckets", () => {
  it("yields every bucket of every source exactly once", async () => {
    const sources = [pagedSource("a", 35), pagedSource("b", 0), pagedSource("c", 12)];
    const names = [];
    for await (const bucket of listBuckets(sources)) names.push(bucket.name);
    expect(names.sort()).toEqual(
      [
        ...Array.from({ length: 35 }, (_, i) => `a-${i}`),
        ...Array.from({ length: 12 }, (_, i) => `c-${i}`),
      ].sort(),
    );
  });

  it("runs at most `concurrency` sources at once", async () => {
    const sources = Array.from({ length: 6 }, (_, i) => pagedSource(`s${i}`, 30));
    let most = 0;
    for await (const _ of listBuckets(sources, { concurrency: 2 })) {
      most = Math.max(most, sources.filter((s) => s.stats.active).length);
    }
    expect(most).toBe(2);
  });

  it("keeps listing the other sources when one fails, and reports the failure to onError", async () => {
    const failures: string[] = [];
    const sources = [pagedSource("ok", 25), pagedSource("bad", 50, { failAfter: 20 }), pagedSource("ok2", 5)];
    const names: string[] = [];
    for await (const bucket of listBuckets(sources, { onError: (e) => failures.push(e.message) })) {
      names.push(bucket.name);
    }
    expect(failures).toEqual(["bad (ncloud-archive-storage): bad broke"]);
    expect(names.filter((n) => n.startsWith("ok-"))).toHaveLength(25);
    expect(names.filter((n) => n.startsWith("ok2-"))).toHaveLength(5);
    expect(names.filter((n) => n.startsWith("bad-"))).toHaveLength(20);
  });

  it("throws the failures together at the end when there is no onError", async () => {
    const sources = [pagedSource("bad", 10, { failAfter: 0 }), pagedSource("ok", 3)];
    const names: string[] = [];
    const error = await (async () => {
      try {
        for await (const bucket of listBuckets(sources)) names.push(bucket.name);
      } catch (e) {
        return e;
      }
    })();
    expect(names).toEqual(["ok-0", "ok-1", "ok-2"]);
    expect(error).toBeInstanceOf(ListingError);
    expect((error as ListingError).errors.map((e) => e.source)).toEqual(["bad"]);
  });

  it("stops fetching when the caller breaks out early", async () => {
    const sources = [pagedSource("a", 1000), pagedSource("b", 1000), pagedSource("c", 1000)];
    let seen = 0;
    for await (const _ of listBuckets(sources, { concurrency: 2 })) {
      if (++seen === 15) break;
    }
    const pagesAtBreak = sources.map((s) => s.stats.pages);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sources.map((s) => s.stats.pages)).toEqual(pagesAtBreak);
    expect(sources.every((s) => !s.stats.active)).toBe(true);
    expect(sources[2]!.stats.pages).toBe(0);
  });

  it("reports on a break the failure that had arrived while another source's bucket was taken", async () => {
    // Both answers are ready at once; the first source's wins the race and the caller stops there.
    const bucket = {
      provider: "ncloud-archive-storage",
      source: "a",
      name: "a-0",
      raw: {} as never,
    } satisfies Bucket;
    const ready = iterated("a", () => Promise.resolve({ value: bucket, done: false }));
    const broken = iterated("b", () => Promise.reject(new Error("b broke")));
    const failures: string[] = [];
    for await (const _ of listBuckets([ready, broken], { onError: (e) => failures.push(e.message) })) break;
    expect(failures).toEqual(["b (ncloud-archive-storage): b broke"]);
  });

  it("stops when the signal aborts, even waiting on a source that never answers; later failures are not reported", async () => {
    const controller = new AbortController();
    const ignoring = iterated("ignoring", () => new Promise(() => {}));
    const honouring: Source = {
      provider: "ncloud-archive-storage",
      name: "honouring",
      buckets: (signal) =>
        iterated(
          "honouring",
          () => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
        ).buckets!(signal),
    };
    const failures: string[] = [];
    const seen: string[] = [];
    const listing = listBuckets([pagedSource("ok", 50), ignoring, honouring], {
      signal: controller.signal,
      onError: (e) => failures.push(e.message),
    });
    const error = await (async () => {
      try {
        for await (const bucket of listing) {
          seen.push(bucket.name);
          if (seen.length === 5) controller.abort(new Error("interrupted"));
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toEqual(new Error("interrupted"));
    expect(seen).toHaveLength(5);
    expect(failures).toEqual([]);
  });

  it("collectBuckets returns the buckets and the failures side by side", async () => {
    const { buckets, errors } = await collectBuckets([
      pagedSource("ok", 4),
      pagedSource("bad", 4, { failAfter: 0 }),
    ]);
    expect(buckets.map((b) => b.name)).toEqual(["ok-0", "ok-1", "ok-2", "ok-3"]);
    expect(errors.map((e) => e.source)).toEqual(["bad"]);
  });
});

describe("sources that list page by page", () => {
  it("hand out every bucket once and in order, skipping what is not a bucket, made only when taken", async () => {
    const source = batchedSource("p", 100, 30);
    const names: string[] = [];
    for await (const bucket of listBuckets([source])) {
      names.push(bucket.name);
      if (names.length === 3) expect(source.stats.made).toBe(4);
    }
    expect(names).toEqual(bucketsOf("p", 100));
    // Iterated directly, the source gives the same buckets one by one.
    expect((await collect(source.buckets!(new AbortController().signal))).map((b) => b.name)).toEqual(names);
  });

  it("answer next() calls made without waiting, each with the next bucket, as a generator would", async () => {
    const listing = listBuckets([batchedSource("p", 20, 7)]);
    const results = await Promise.all(Array.from({ length: 16 }, () => listing.next()));
    expect(results.filter((r) => !r.done).map((r) => r.value!.name)).toEqual(bucketsOf("p", 20));
    expect(results.slice(14).every((r) => r.done)).toBe(true);
  });

  it("close the source on a break in the middle of a page, fetching nothing more", async () => {
    const source = batchedSource("p", 1000, 50);
    let seen = 0;
    for await (const _ of listBuckets([source, pagedSource("q", 5)])) if (++seen === 60) break;
    const pages = source.stats.pages;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(source.stats.pages).toBe(pages);
    expect(source.stats.closed).toBe(true);
  });
});

describe("memory", () => {
  // Racing one long-lived promise on every item kept every item reachable while the listing ran
  // (+741 MiB at 1,000,000 buckets).
  it("keeps no bucket it handed out alive while the listing goes on, with a signal or without", async () => {
    const { collectGarbage } = await import("@bucketry/testing");
    for (const signal of [undefined, new AbortController().signal]) {
      const handed: WeakRef<Bucket>[] = [];
      let alive = -1;
      for await (const bucket of listBuckets([pagedSource("a", 200, { pageSize: 50 })], { signal })) {
        handed.push(new WeakRef(bucket));
        if (handed.length === 150) {
          await collectGarbage();
          // The first two pages are long gone from the source and the loop.
          alive = handed.slice(0, 100).filter((ref) => ref.deref() !== undefined).length;
        }
      }
      expect(alive).toBe(0);
    }
  });
});

describe("perProvider", () => {
  it("lists at most n sources of a provider at once, letting other providers' sources start meanwhile", async () => {
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const source = (provider: Bucket["provider"], name: string): Source => ({
      provider,
      name,
      async *buckets() {
        order.push(name);
        if (provider === "ncloud-archive-storage") {
          active += 1;
          most = Math.max(most, active);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (provider === "ncloud-archive-storage") active -= 1;
        yield { provider, source: name, name: `${name}-1`, raw: {} as never } as Bucket;
      },
    });
    const sources = [
      ...Array.from({ length: 6 }, (_, i) => source("ncloud-archive-storage", `n${i}`)),
      source("hitachi-vsp-one-object", "h0"),
      source("hitachi-vsp-one-object", "h1"),
    ];
    const { buckets, errors } = await collectBuckets(sources, {
      concurrency: 4,
      perProvider: { "ncloud-archive-storage": 2 },
    });
    expect(errors).toEqual([]);
    expect(buckets).toHaveLength(8);
    expect(most).toBe(2);
    // The Hitachi sources did not wait behind the six NAVER ones.
    expect(order.indexOf("h0")).toBeLessThan(order.indexOf("n2"));
  });
});
