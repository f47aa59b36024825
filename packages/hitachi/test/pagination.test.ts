/**
 * Auto-pagination at the page boundaries, on small listings. The exhaustive walks (25,000 buckets at
 * page sizes 1 and 2) are part of `pnpm bench` (bench/src/sections/scale.mjs), which fails if one
 * skips or repeats a bucket.
 */
import { bucketNames, compareUtf8, type HitachiFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import type { VspOneObjectBucket } from "../src/index.js";
import { clientFor, conversation, isList, listBodies, startFake } from "./helpers.js";

const USER = 42;

/** The fake's listing of USER, as the helper should hand it out. */
function expected(fake: HitachiFake): Array<{ id: number; name: string }> {
  return fake.users.get(USER)!.map((b) => ({ id: b.bucketId, name: b.bucketName }));
}

const plain = (buckets: VspOneObjectBucket[]) => buckets.map(({ id, name }) => ({ id, name }));

// Every 7th seeded name is non-ASCII: from 7 buckets on, the pages carry multi-byte names.
describe("pagination at the page boundaries", () => {
  for (const [label, pageSize, seed, pages] of [
    ["no buckets", 10, 0, 1],
    ["one short of a page", 10, 9, 1],
    // The fake sends no page token with a page that ends the listing, full or not.
    ["exactly a page", 10, 10, 1],
    ["one over a page", 10, 11, 2],
    ["exactly three pages", 10, 30, 3],
    ["page size 1 over a handful", 1, 8, 8],
    ["page size 1", 1, 150, 150],
    ["page size 2, odd count", 2, 301, 151],
    ["a page larger than the listing", 10_000, 300, 1],
  ] as const) {
    it(`${label}: page size ${pageSize} over ${seed}, every bucket once, in byte order (${pages} pages)`, async () => {
      const fake = await startFake({ users: { [USER]: seed } });
      // The fake's list is the seed names in byte order, so the comparison is with the real thing.
      expect(fake.users.get(USER)!.map((b) => b.bucketName)).toEqual(bucketNames(seed).sort(compareUtf8));
      const buckets = await clientFor(fake).listBuckets({ userId: USER, pageSize }).all();
      expect(plain(buckets)).toEqual(expected(fake));
      expect(new Set(buckets.map((b) => b.id)).size).toBe(seed);

      const bodies = listBodies(fake) as Array<{ id: number; count: number; pageToken?: string }>;
      expect(bodies).toHaveLength(pages);
      expect(bodies[0]).toEqual({ id: USER, count: pageSize });
      expect(bodies.slice(1).every((b) => b.count === pageSize && typeof b.pageToken === "string")).toBe(
        true,
      );
      expect(new Set(bodies.map((b) => b.pageToken)).size).toBe(pages);
      // One login and one CSRF session for the whole walk.
      expect(fake.log.length - pages).toBe(2);
    });
  }
});

describe("resuming", () => {
  it("from a resume point taken mid-page (size 100, after 123 items), through JSON", async () => {
    const fake = await startFake({ users: { [USER]: 250 } });
    const client = clientFor(fake);
    const first: VspOneObjectBucket[] = [];
    const walk = client.listBuckets({ userId: USER, pageSize: 100 });
    for await (const bucket of walk) {
      first.push(bucket);
      if (first.length === 123) break;
    }
    const saved = JSON.parse(JSON.stringify(walk.resumePoint));
    expect(saved).toEqual({ page: expect.any(String), offset: 23 });
    const rest = await client.listBuckets({ userId: USER, pageSize: 100, from: saved }).all();
    expect(plain([...first, ...rest])).toEqual(expected(fake));
    // The resumed walk re-fetched the interrupted page once, then the last one.
    expect(listBodies(fake)).toHaveLength(2 + 2);
  });

  it("mid-page with size 2, and with pages()", async () => {
    const fake = await startFake({ users: { [USER]: 101 } });
    const client = clientFor(fake);
    const walk = client.listBuckets({ userId: USER, pageSize: 2 });
    const first: VspOneObjectBucket[] = [];
    for await (const bucket of walk) {
      first.push(bucket);
      if (first.length === 7) break;
    }
    expect(walk.resumePoint.offset).toBe(1);
    const resumed = client.listBuckets({ userId: USER, pageSize: 2, from: walk.resumePoint });
    const pages: VspOneObjectBucket[][] = [];
    for await (const page of resumed.pages()) pages.push(page);
    expect(pages[0]).toHaveLength(1); // the rest of the interrupted page
    expect(pages.slice(1, -1).every((p) => p.length === 2)).toBe(true);
    expect(plain([...first, ...pages.flat()])).toEqual(expected(fake));
    expect(resumed.done).toBe(true);
  });

  it("after a failed page: the walk continues from where it stood", async () => {
    const fake = await startFake({ users: { [USER]: 30 } });
    const client = clientFor(fake, { retry: false });
    const walk = client.listBuckets({ userId: USER, pageSize: 10 });
    const seen: string[] = [];
    fake.inject({ kind: "status", status: 503 }, { match: (r) => isList(r) && r.body.includes("pageToken") });
    await expect(
      (async () => {
        for await (const bucket of walk) seen.push(bucket.name);
      })(),
    ).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(10);
    for await (const bucket of walk) seen.push(bucket.name);
    expect(seen).toEqual(expected(fake).map((b) => b.name));
  });
});

describe("listBucketsPage", () => {
  it("returns one page, its next page token and the vendor's objects as raw", async () => {
    const fake = await startFake({ users: { [USER]: 5 } });
    const client = clientFor(fake);
    const first = await client.listBucketsPage({ userId: USER, count: 3 });
    const vendor = fake.users.get(USER)!;
    expect(first.buckets).toEqual(
      vendor.slice(0, 3).map((b) => ({ id: b.bucketId, name: b.bucketName, raw: b })),
    );
    expect(first.nextPageToken).toEqual(expect.any(String));
    expect(first.raw).toEqual({ buckets: vendor.slice(0, 3), pageToken: first.nextPageToken });
    const last = await client.listBucketsPage({ userId: USER, count: 3, pageToken: first.nextPageToken! });
    expect(last.buckets.map((b) => b.name)).toEqual(vendor.slice(3).map((b) => b.bucketName));
    expect(last.nextPageToken).toBeUndefined();
    expect(last.raw).toEqual({ buckets: vendor.slice(3) });
  });

  it("a user without buckets, and an unknown user under the 3.0.x rule (empty list)", async () => {
    const fake = await startFake({ users: { 1: 0 }, unknownUser: "empty" });
    const client = clientFor(fake);
    expect(await client.listBuckets({ userId: 1 }).all()).toEqual([]);
    expect(await client.listBucketsPage({ userId: 999 })).toMatchObject({
      buckets: [],
      raw: { buckets: [] },
    });
    expect(conversation(fake).filter((l) => l.includes("list_buckets"))).toHaveLength(2);
  });

  it("non-ASCII bucket names arrive intact", async () => {
    const fake = await startFake({ users: { [USER]: ["données-1", "버킷", "桶", "ведро", "a"] } });
    const names = (await clientFor(fake).listBuckets({ userId: USER, pageSize: 2 }).all()).map((b) => b.name);
    expect(names).toEqual(["a", "données-1", "ведро", "桶", "버킷"]);
  });
});
