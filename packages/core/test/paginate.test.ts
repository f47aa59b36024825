import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { AbortedError, InvalidInputError } from "../src/errors.js";
import { type Page, PaginationError, paginate, type ResumePoint } from "../src/paginate.js";
import { reply, startServer } from "./helpers.js";

const ITEMS = Array.from({ length: 67 }, (_, i) => `bucket-${String(i).padStart(3, "0")}`);
const PAGE = 7;

/** A page-token listing over ITEMS (tokens are opaque strings), counting its fetches. */
function tokenListing(items = ITEMS, size = PAGE) {
  const calls: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined): Promise<Page<string, string>> => {
    calls.push(token);
    const start = token === undefined ? 0 : Number(token.slice("tok-".length));
    const end = start + size;
    return { items: items.slice(start, end), next: end < items.length ? `tok-${end}` : undefined };
  };
  return { fetchPage, calls };
}

describe("paginate()", () => {
  it("hands out every item in order, fetching pages one at a time", async () => {
    const { fetchPage, calls } = tokenListing();
    const paginator = paginate({ fetchPage });
    expect(await paginator.all()).toEqual(ITEMS);
    expect(calls).toHaveLength(Math.ceil(ITEMS.length / PAGE));
    expect(paginator.done).toBe(true);
  });

  it("hands out whole pages with pages()", async () => {
    const { fetchPage } = tokenListing();
    const pages: string[][] = [];
    for await (const page of paginate({ fetchPage }).pages()) pages.push(page);
    expect(pages).toHaveLength(10);
    expect(pages[0]).toEqual(ITEMS.slice(0, 7));
    expect(pages.flat()).toEqual(ITEMS);
  });

  it("stops fetching when the consumer breaks out (no prefetch)", async () => {
    const { fetchPage, calls } = tokenListing();
    let n = 0;
    for await (const _ of paginate({ fetchPage })) if (++n === 7) break;
    // The seventh item is the last of page one: page two is not fetched until asked for.
    expect(calls).toEqual([undefined]);
  });

  it("resumes exactly, from a break anywhere in any page, through a JSON round trip", async () => {
    for (let stopAfter = 0; stopAfter <= ITEMS.length; stopAfter++) {
      const first = tokenListing();
      const paginator = paginate({ fetchPage: first.fetchPage });
      const seen: string[] = [];
      if (stopAfter > 0) {
        for await (const item of paginator) {
          seen.push(item);
          if (seen.length === stopAfter) break;
        }
      }
      expect(first.calls).toHaveLength(Math.ceil(stopAfter / PAGE));
      const saved = JSON.parse(JSON.stringify(paginator.resumePoint)) as ResumePoint<string>;
      const second = tokenListing();
      for await (const item of paginate({ fetchPage: second.fetchPage, from: saved })) seen.push(item);
      expect(seen).toEqual(ITEMS);
      // At most one page is fetched twice: the one the break happened in.
      expect(first.calls.length + second.calls.length).toBeLessThanOrEqual(
        Math.ceil(ITEMS.length / PAGE) + 1,
      );
    }
  });

  it("moves the resume point to the next page after a page's last item, and past the end at the end", async () => {
    const { fetchPage } = tokenListing(ITEMS.slice(0, 14));
    const paginator = paginate({ fetchPage });
    expect(paginator.resumePoint).toEqual({ page: undefined, offset: 0 });
    const points: ResumePoint<string>[] = [];
    for await (const _ of paginator) points.push(paginator.resumePoint);
    expect(points[0]).toEqual({ page: undefined, offset: 1 });
    expect(points[6]).toEqual({ page: "tok-7", offset: 0 });
    expect(points[13]).toEqual({ page: "tok-7", offset: 7 });
    // Resuming a finished walk re-reads the last page and hands out nothing.
    const again = tokenListing(ITEMS.slice(0, 14));
    expect(await paginate({ fetchPage: again.fetchPage, from: points[13] }).all()).toEqual([]);
    expect(again.calls).toEqual(["tok-7"]);
  });

  it("continues from where it stopped when iterated again", async () => {
    const { fetchPage } = tokenListing();
    const paginator = paginate({ fetchPage });
    const seen: string[] = [];
    while (!paginator.done) {
      for await (const item of paginator) {
        seen.push(item);
        if (seen.length % 5 === 0) break;
      }
    }
    expect(seen).toEqual(ITEMS);
  });

  it("skips the items of the resume point in pages() too", async () => {
    const { fetchPage } = tokenListing();
    const pages: string[][] = [];
    for await (const page of paginate({ fetchPage, from: { page: "tok-14", offset: 3 } }).pages())
      pages.push(page);
    expect(pages[0]).toEqual(ITEMS.slice(17, 21));
    expect(pages.flat()).toEqual(ITEMS.slice(17));
  });

  it("makes lazy items only as they are handed out, in items, pages() and views()", async () => {
    const made: string[] = [];
    /** ITEMS in pages of 7 whose items are made on reading, each read recorded. */
    const fetchPage = async (token: string | undefined): Promise<Page<string, string>> => {
      const start = token === undefined ? 0 : Number(token.slice("tok-".length));
      const end = Math.min(start + PAGE, ITEMS.length);
      const item = (i: number) => {
        made.push(ITEMS[start + i]!);
        return ITEMS[start + i]!;
      };
      return { items: { length: end - start, item }, next: end < ITEMS.length ? `tok-${end}` : undefined };
    };
    const paginator = paginate({ fetchPage });
    for await (const item of paginator) {
      // The items after this one on its page are not made yet.
      expect(made.at(-1)).toBe(item);
      if (item === ITEMS[9]) break;
    }
    expect(made).toEqual(ITEMS.slice(0, 10));
    expect((await paginator.pages().next()).value).toEqual(ITEMS.slice(10, 14));

    made.length = 0;
    const views = paginate({ fetchPage, from: { page: "tok-14", offset: 3 } }).views();
    const first = (await views.next()).value!;
    expect(made).toEqual([]);
    expect(first.length).toBe(4);
    expect([first.item(0), first.item(3)]).toEqual([ITEMS[17], ITEMS[20]]);
    const rest: string[] = [];
    for await (const view of views) for (let i = 0; i < view.length; i++) rest.push(view.item(i));
    expect(rest).toEqual(ITEMS.slice(21));
  });

  it("views() counts a page as handed out once it is yielded, as pages() does", async () => {
    const { fetchPage, calls } = tokenListing();
    const paginator = paginate({ fetchPage });
    for await (const view of paginator.views()) {
      expect(view.item(0)).toBe(ITEMS[0]);
      break;
    }
    expect(paginator.resumePoint).toEqual({ page: "tok-7", offset: 0 });
    expect(calls).toEqual([undefined]);
  });

  it("keeps the resume point when a fetch fails, so the walk can go on", async () => {
    const { fetchPage: real } = tokenListing();
    let fail = true;
    const fetchPage = async (token: string | undefined) => {
      if (token === "tok-21" && fail) {
        fail = false;
        throw new Error("503");
      }
      return real(token);
    };
    const paginator = paginate({ fetchPage });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of paginator) seen.push(item);
      })(),
    ).rejects.toThrow("503");
    expect(paginator.resumePoint).toEqual({ page: "tok-21", offset: 0 });
    for await (const item of paginator) seen.push(item);
    expect(seen).toEqual(ITEMS);
  });

  it("walks past empty pages that still have a next cursor", async () => {
    const pages: Record<string, Page<number, string>> = {
      start: { items: [1, 2], next: "a" },
      a: { items: [], next: "b" },
      b: { items: [3], next: undefined },
    };
    const result = await paginate<number, string>({ fetchPage: async (c) => pages[c ?? "start"]! }).all();
    expect(result).toEqual([1, 2, 3]);
  });

  it("works with structured cursors (Swift's marker + limit)", async () => {
    type Marker = { marker: string; limit: number };
    const fetchPage = async (cursor: Marker | undefined): Promise<Page<string, Marker>> => {
      const from = cursor ? ITEMS.indexOf(cursor.marker) + 1 : 0;
      const items = ITEMS.slice(from, from + 10);
      // Swift: the end is a page shorter than the limit; the next marker is the last name.
      return { items, next: items.length === 10 ? { marker: items.at(-1)!, limit: 10 } : undefined };
    };
    const paginator = paginate({ fetchPage });
    const seen: string[] = [];
    for await (const item of paginator) if (seen.push(item) === 25) break;
    const saved = JSON.parse(JSON.stringify(paginator.resumePoint)) as ResumePoint<Marker>;
    expect(saved).toEqual({ page: { marker: "bucket-019", limit: 10 }, offset: 5 });
    seen.push(...(await paginate({ fetchPage, from: saved }).all()));
    expect(seen).toEqual(ITEMS);
  });

  it("throws PaginationError when the server sends the same cursor twice", async () => {
    let calls = 0;
    const paginator = paginate<number, string>({
      fetchPage: async () => {
        calls++;
        return { items: [calls], next: "same" };
      },
    });
    const error = await paginator.all().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toContain("already fetched");
    expect(calls).toBe(2);
  });

  it("throws PaginationError on a cycle of cursors (a → b → a)", async () => {
    const next: Record<string, string> = { start: "a", a: "b", b: "a" };
    let calls = 0;
    const paginator = paginate<string, string>({
      fetchPage: async (cursor) => {
        calls++;
        return { items: [cursor ?? "start"], next: next[cursor ?? "start"] };
      },
    });
    await expect(paginator.all()).rejects.toBeInstanceOf(PaginationError);
    expect(calls).toBe(3);
  });

  it("refuses two walks of one paginator at the same time", async () => {
    const { fetchPage } = tokenListing();
    const paginator = paginate({ fetchPage });
    const first = paginator[Symbol.asyncIterator]();
    await first.next();
    await expect(paginator.pages().next()).rejects.toBeInstanceOf(PaginationError);
    await first.return(undefined);
    // Once the first walk ended, another may start where it stopped.
    expect((await paginator.pages().next()).value).toEqual(ITEMS.slice(1, 7));
  });

  it("stops when the signal aborts, and passes it to fetchPage", async () => {
    const controller = new AbortController();
    const signals: (AbortSignal | undefined)[] = [];
    const { fetchPage: real } = tokenListing();
    const paginator = paginate<string, string>({
      fetchPage: (cursor, signal) => {
        signals.push(signal);
        return real(cursor);
      },
      signal: controller.signal,
    });
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of paginator) if (seen.push(item) === 10) controller.abort(new Error("stop"));
    })();
    const error = await walk.catch((e: unknown) => e);
    // Typed, not the signal's bare reason; the reason is kept as the cause.
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toEqual(new Error("stop"));
    expect(seen).toHaveLength(10);
    // Nothing handed out is lost or repeated: the resume point is just past the tenth item.
    expect(paginator.resumePoint).toEqual({ page: "tok-7", offset: 3 });
    expect(signals.every((s) => s === controller.signal)).toBe(true);
  });

  it("names the lister in the AbortedError: before the walk, between pages, and from fetchPage's own wait", async () => {
    const context = { provider: "ncloud-archive-storage", operation: "getAccount" };
    const { fetchPage } = tokenListing();
    const before = paginate({ fetchPage, signal: AbortSignal.abort(), context });
    const error = (await before.all().catch((e: unknown) => e)) as AbortedError;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject(context);
    expect(error.message).toBe("ncloud-archive-storage getAccount: cancelled by the caller");

    const controller = new AbortController();
    const pages = paginate({ fetchPage, signal: controller.signal, context }).pages();
    await pages.next();
    controller.abort();
    await expect(pages.next()).rejects.toBeInstanceOf(AbortedError);

    // A fetchPage that rejects with the signal's bare reason (a DOMException) is typed too.
    const waiting = new AbortController();
    const stuck = paginate<string, string>({
      fetchPage: (_, signal) =>
        new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason))),
      signal: waiting.signal,
    });
    setTimeout(() => waiting.abort(), 20);
    const typed = await stuck.all().catch((e: unknown) => e);
    expect(typed).toBeInstanceOf(AbortedError);
    expect((typed as AbortedError).provider).toBe("bucketry");
    expect(stuck.resumePoint).toEqual({ page: undefined, offset: 0 });
  });

  it.each([
    [{ page: undefined, offset: -1 }, "from.offset"],
    [{ page: undefined, offset: 1.5 }, "from.offset"],
    [null, "from"],
  ])("rejects the resume point %j", (from, field) => {
    const { fetchPage } = tokenListing();
    expect(() => paginate({ fetchPage, from: from as unknown as ResumePoint<string> })).toThrow(
      InvalidInputError,
    );
    expect(() => paginate({ fetchPage, from: from as unknown as ResumePoint<string> })).toThrow(`${field}:`);
  });

  it("drives a real paginated endpoint over HTTP", async () => {
    const server = await startServer((seen, _, res) => {
      const url = new URL(seen.url, "http://x");
      const token = url.searchParams.get("pageToken") ?? "";
      const start = token ? Number(token) : 0;
      const next = start + 20 < ITEMS.length ? String(start + 20) : "";
      reply(res, 200, JSON.stringify({ buckets: ITEMS.slice(start, start + 20), pageToken: next }));
    });
    try {
      interface paths {
        "/buckets": {
          get: {
            parameters: { query?: { pageToken?: string } };
            responses: { 200: { content: { "application/json": { buckets: string[]; pageToken: string } } } };
          };
        };
      }
      const client = createClient<paths>({ baseUrl: server.url });
      const paginator = paginate<string, string>({
        fetchPage: async (pageToken) => {
          const { data } = await client.GET("/buckets", { params: { query: { pageToken } } });
          return { items: data!.buckets, next: data!.pageToken || undefined };
        },
      });
      expect(await paginator.all()).toEqual(ITEMS);
      expect(server.seen.map((s) => s.url)).toEqual([
        "/buckets",
        "/buckets?pageToken=20",
        "/buckets?pageToken=40",
        "/buckets?pageToken=60",
      ]);
    } finally {
      await server.close();
    }
  });
});
