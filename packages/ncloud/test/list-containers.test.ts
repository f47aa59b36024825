/** listContainers: marker pagination, byte order, reverse, bounds, prefix, delimiter roll-ups, formats, resume. */
import { PaginationError } from "@bucketry/core";
import { compareUtf8 } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import type { ContainerEntry, ContainerNameEntry } from "../src/index.js";
import { clientFor, listingRequests, queryOf, startFake, thrown } from "./fixtures.js";

const names = (entries: { name: string }[]) => entries.map((entry) => entry.name);
const labels = (entries: { kind: string; name: string }[]) =>
  entries.map((entry) => (entry.kind === "subdir" ? `subdir:${entry.name}` : entry.name));
const byBytes = (list: string[]) => [...list].sort(compareUtf8);

// Small listings at the page boundaries; the exhaustive walks (25,000 containers at page sizes 1
// and 2) are part of `pnpm bench` (bench/src/sections/scale.mjs), which fails if one skips or repeats.
// Every 7th seeded name is non-ASCII: from 7 containers on, the pages carry multi-byte names.
describe("pagination at the page boundaries", () => {
  for (const [label, pageSize, seed, requests] of [
    ["no containers", 10, 0, 1],
    ["one short of a page", 10, 9, 1],
    // A full last page cannot be told from a middle one: one more GET finds nothing after it.
    ["exactly a page", 10, 10, 2],
    ["one over a page", 10, 11, 2],
    ["page size 1 over a handful", 1, 8, 9],
    ["page size 1", 1, 150, 151],
    ["page size 2, odd count", 2, 301, 151],
    ["the largest page", 10_000, 300, 1],
  ] as const) {
    it(`${label}: page size ${pageSize} over ${seed}, every container once, in byte order (${requests} GETs)`, async () => {
      const fake = await startFake({ containers: seed });
      const client = clientFor(fake);
      const seen = names(await client.listContainers({ pageSize }).all());
      const expected = fake.containers.map((c) => c.name);
      expect(seen.length).toBe(seed);
      expect(seen).toEqual(expected);
      expect(seen).toEqual(byBytes(expected));
      expect(new Set(seen).size).toBe(seed);
      const gets = listingRequests(fake);
      expect(gets).toHaveLength(requests);
      expect(queryOf(gets[0]!.target).limit).toBe(String(pageSize));
      // Each page asks for the last name of the page before.
      for (let i = 1; i < gets.length; i++) {
        expect(queryOf(gets[i]!.target).marker).toBe(seen[i * pageSize - 1]);
      }
      expect(tokenCount(fake.log)).toBe(1);
    });
  }

  it("resumes item-exactly from a resumePoint taken mid-page (JSON round trip)", async () => {
    const fake = await startFake({ containers: 250 });
    const client = clientFor(fake);
    const first = client.listContainers({ pageSize: 70 });
    const head: string[] = [];
    for await (const entry of first) {
      head.push(entry.name);
      if (head.length === 105) break;
    }
    const saved = JSON.parse(JSON.stringify(first.resumePoint));
    expect(saved).toEqual({ page: head[69], offset: 35 });
    const before = listingRequests(fake).length;
    const tail = names(await client.listContainers({ pageSize: 70, from: saved }).all());
    expect([...head, ...tail]).toEqual(fake.containers.map((c) => c.name));
    // The resumed walk starts by fetching the page it stopped in, again.
    expect(queryOf(listingRequests(fake)[before]!.target).marker).toBe(head[69]);
  });

  it("stops with a PaginationError when the server sends the same page again (the same marker)", async () => {
    const fake = await startFake({ containers: 10 });
    // A server that ignores the marker: the same full page every time.
    const page = JSON.stringify(fake.containers.slice(0, 2));
    fake.inject(
      {
        kind: "status",
        status: 200,
        body: page,
        headers: { "content-type": "application/json; charset=utf-8" },
      },
      { match: (r) => r.target.startsWith("/v1/"), times: 3 },
    );
    const seen: string[] = [];
    const error = await thrown(async () => {
      for await (const entry of clientFor(fake).listContainers({ pageSize: 2 })) seen.push(entry.name);
    });
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toEqual(fake.containers.slice(0, 2).map((c) => c.name));
    expect(listingRequests(fake)).toHaveLength(2);
  });
});

function tokenCount(log: { target: string }[]): number {
  return log.filter((r) => r.target.startsWith("/v3/auth/tokens")).length;
}

const UNICODE = [
  "Zebra",
  "apple",
  "Äpfel",
  "äpfel",
  "버킷",
  "桶",
  "😀emoji",
  "\uff01bang",
  "e\u0301",
  "é",
  "z",
  "ü-1",
  "ü-2",
  "ведро",
];

describe("byte order and bounds", () => {
  it("lists non-ASCII names in UTF-8 byte order, whatever the page size (not UTF-16 order)", async () => {
    const fake = await startFake({ containers: UNICODE.map((name) => ({ name })) });
    const client = clientFor(fake);
    const expected = byBytes(UNICODE);
    // UTF-16 puts the emoji (a surrogate pair) before U+FF01; UTF-8 bytes put it after.
    expect([...UNICODE].sort()).not.toEqual(expected);
    for (const pageSize of [1, 2, 3, 10_000]) {
      expect(names(await client.listContainers({ pageSize }).all())).toEqual(expected);
    }
  });

  it("reverse: the same names backwards, paged by the last (smallest) name", async () => {
    const fake = await startFake({ containers: UNICODE.map((name) => ({ name })) });
    const client = clientFor(fake);
    const expected = byBytes(UNICODE).reverse();
    for (const pageSize of [1, 2, 5]) {
      expect(names(await client.listContainers({ reverse: true, pageSize }).all())).toEqual(expected);
    }
  });

  it("marker and endMarker are exclusive bounds; with reverse they swap roles", async () => {
    const fake = await startFake({ containers: 30 });
    const client = clientFor(fake);
    const all = fake.containers.map((c) => c.name);
    const [lo, hi] = [all[5]!, all[20]!];
    const forward = names(await client.listContainers({ marker: lo, endMarker: hi, pageSize: 4 }).all());
    expect(forward).toEqual(all.slice(6, 20));
    const backward = names(
      await client.listContainers({ reverse: true, marker: hi, endMarker: lo, pageSize: 4 }).all(),
    );
    expect(backward).toEqual(all.slice(6, 20).reverse());
    const untilEnd = names(await client.listContainers({ endMarker: all[3]!, pageSize: 2 }).all());
    expect(untilEnd).toEqual(all.slice(0, 3));
  });

  it("prefix: only names that start with it, across pages", async () => {
    const fake = await startFake({ containers: 100 });
    const client = clientFor(fake);
    const expected = fake.containers.map((c) => c.name).filter((n) => n.startsWith("ncloud-container-00005"));
    expect(expected).toHaveLength(9);
    const seen = names(await client.listContainers({ prefix: "ncloud-container-00005", pageSize: 2 }).all());
    expect(seen).toEqual(expected);
  });

  it("ends on a short page, or with one more request after a full last page", async () => {
    const fake = await startFake({ containers: 6 });
    const client = clientFor(fake);
    await client.listContainers({ pageSize: 4 }).all();
    expect(listingRequests(fake)).toHaveLength(2);
    fake.log.length = 0;
    await client.listContainers({ pageSize: 3 }).all();
    expect(listingRequests(fake)).toHaveLength(3);
  });

  it("sends nothing until an item is asked for, and stops when the consumer stops", async () => {
    const fake = await startFake({ containers: 10 });
    const client = clientFor(fake);
    const paginator = client.listContainers({ pageSize: 2 });
    expect(fake.log).toHaveLength(0);
    for await (const _ of paginator) break;
    expect(listingRequests(fake)).toHaveLength(1);
    expect(paginator.resumePoint).toEqual({ page: undefined, offset: 1 });
  });

  it("pages() hands out whole pages", async () => {
    const fake = await startFake({ containers: 7 });
    const pages: number[] = [];
    for await (const page of clientFor(fake).listContainers({ pageSize: 3 }).pages()) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
  });
});

/**
 * Swift's roll-up, computed independently: a name holding the delimiter after the prefix becomes its
 * subdir; at index 0 only from Swift 2.24.0 on (`leading`).
 */
function rolledUp(all: string[], prefix: string, delimiter: string, leading = false): string[] {
  const out = new Map<string, string>();
  for (const name of all.filter((n) => n.startsWith(prefix))) {
    const at = name.indexOf(delimiter, prefix.length);
    const label = at > 0 || (leading && at === 0) ? `subdir:${name.slice(0, at + 1)}` : name;
    out.set(label.replace(/^subdir:/, ""), label);
  }
  return [...out.keys()].sort(compareUtf8).map((key) => out.get(key)!);
}

const TREE = [
  "-lead",
  "a",
  "a-1",
  "a-2",
  "a-3-x",
  "a.b",
  "b",
  "b-1",
  "c-x-1",
  "c-x-2",
  "c-y",
  "c-z-9",
  "d",
  "é-1",
  "é-2",
  "z-",
];

describe("delimiter roll-ups", () => {
  it("rolls names up into subdirs and pages through them with the subdir as marker", async () => {
    const fake = await startFake({ containers: TREE.map((name) => ({ name })) });
    const client = clientFor(fake);
    const expected = rolledUp(TREE, "", "-");
    expect(expected).toEqual([
      "-lead",
      "a",
      "subdir:a-",
      "a.b",
      "b",
      "subdir:b-",
      "subdir:c-",
      "d",
      "subdir:z-",
      "subdir:é-",
    ]);
    for (const pageSize of [1, 2, 3, 10_000]) {
      for (const format of ["json", "xml", "plain"] as const) {
        const seen = labels(await client.listContainers({ delimiter: "-", pageSize, format }).all());
        expect(seen).toEqual(expected);
      }
    }
    // A page that ends on a subdir: the next marker is the subdir string itself.
    fake.log.length = 0;
    await client.listContainers({ delimiter: "-", pageSize: 3 }).all();
    expect(queryOf(listingRequests(fake)[1]!.target).marker).toBe("a-");
  });

  it("with a prefix: roll-ups below it, paged", async () => {
    const fake = await startFake({ containers: TREE.map((name) => ({ name })) });
    const client = clientFor(fake);
    const expected = rolledUp(TREE, "c-", "-");
    expect(expected).toEqual(["subdir:c-x-", "c-y", "subdir:c-z-"]);
    for (const pageSize of [1, 2, 10_000]) {
      for (const format of ["json", "xml", "plain"] as const) {
        const seen = labels(
          await client.listContainers({ prefix: "c-", delimiter: "-", pageSize, format }).all(),
        );
        expect(seen).toEqual(expected);
      }
    }
  });

  it("names that start with the delimiter: JSON, XML and plain agree, on Swift 2.15.1 and 2.24.0 on", async () => {
    const hidden = [".hidden-a", ".hidden-b", ".x.y", "a.b", "a.c", "b", "c.d"];
    for (const leading of [false, true]) {
      const fake = await startFake({
        containers: hidden.map((name) => ({ name })),
        rollUpLeadingDelimiter: leading,
      });
      const client = clientFor(fake);
      const expected = rolledUp(hidden, "", ".", leading);
      expect(expected).toEqual(
        leading
          ? ["subdir:.", "subdir:a.", "b", "subdir:c."]
          : [".hidden-a", ".hidden-b", ".x.y", "subdir:a.", "b", "subdir:c."],
      );
      for (const pageSize of [1, 2, 10_000]) {
        for (const format of ["json", "xml", "plain"] as const) {
          const seen = labels(await client.listContainers({ delimiter: ".", pageSize, format }).all());
          expect(seen, `${format}, page size ${pageSize}, leading ${leading}`).toEqual(expected);
        }
      }
    }
  });

  it("in reverse, paged through subdirs", async () => {
    const fake = await startFake({ containers: TREE.map((name) => ({ name })) });
    const client = clientFor(fake);
    const expected = rolledUp(TREE, "", "-").reverse();
    for (const pageSize of [1, 2, 4]) {
      const seen = labels(await client.listContainers({ delimiter: "-", reverse: true, pageSize }).all());
      expect(seen).toEqual(expected);
    }
  });
});

const ODD_NAMES = [
  "a&b",
  "x<y>z",
  'q"uote',
  "s'ingle",
  "both\"'-1",
  "both\"'-2",
  "버킷-1",
  "tab\tname",
  "plain",
];

describe("formats", () => {
  it("JSON, XML and plain text list the same names; JSON and XML the same objects", async () => {
    const fake = await startFake({
      containers: ODD_NAMES.map((name, i) => ({
        name,
        count: i,
        bytes: i * 1000,
        last_modified: `2018-09-11T02:11:3${i}.01025${i}`,
      })),
    });
    const client = clientFor(fake);
    for (const params of [{}, { delimiter: "-" }, { prefix: "b" }]) {
      for (const pageSize of [2, 10_000]) {
        const json = await client.listContainers({ ...params, pageSize }).all();
        const xml = await client.listContainers({ ...params, pageSize, format: "xml" }).all();
        const plain = await client.listContainers({ ...params, pageSize, format: "plain" }).all();
        const strip = (entries: (ContainerEntry | ContainerNameEntry)[]) =>
          entries.map(({ raw: _raw, ...rest }) => rest);
        expect(strip(xml)).toEqual(strip(json));
        expect(labels(plain)).toEqual(labels(json));
        expect(names(json)).toEqual(
          params.delimiter ? labels(json).map((l) => l.replace("subdir:", "")) : names(json),
        );
      }
    }
    const json = await client.listContainers().all();
    expect(names(json)).toEqual(byBytes(ODD_NAMES));
    const quoted = json.find((e) => e.name === 'q"uote');
    expect(quoted).toMatchObject({ kind: "container", count: 2, bytes: 2000 });
    expect(quoted?.kind === "container" && quoted.lastModified.toISOString()).toBe(
      "2018-09-11T02:11:32.010Z",
    );
  });

  it("keeps what was received in raw: the JSON object, the XML element, the plain line", async () => {
    const fake = await startFake({
      containers: [
        { name: "a&b", count: 3, bytes: 7, last_modified: "2018-09-11T02:11:35.010250" },
        { name: "c-1" },
      ],
    });
    const client = clientFor(fake);
    const [json] = await client.listContainers().all();
    expect(json!.raw).toEqual({
      count: 3,
      last_modified: "2018-09-11T02:11:35.010250",
      bytes: 7,
      name: "a&b",
    });
    const [xml] = await client.listContainers({ format: "xml" }).all();
    expect(xml!.raw).toBe(
      "<container><name>a&amp;b</name><count>3</count><bytes>7</bytes><last_modified>2018-09-11T02:11:35.010250</last_modified></container>",
    );
    const [plain] = await client.listContainers({ format: "plain" }).all();
    expect(plain).toEqual({ kind: "container", name: "a&b", raw: "a&b" });
    const subdirs = await client.listContainers({ delimiter: "-", format: "xml" }).all();
    expect(subdirs[1]).toEqual({ kind: "subdir", name: "c-", raw: '<subdir name="c-" />' });
    const jsonSubdirs = await client.listContainers({ delimiter: "-" }).all();
    expect(jsonSubdirs[1]).toEqual({ kind: "subdir", name: "c-", raw: { subdir: "c-" } });
  });

  it("an empty listing: 204 for plain text, [] for JSON, an empty <account> for XML", async () => {
    const fake = await startFake({ containers: 3 });
    const client = clientFor(fake);
    for (const format of ["json", "xml", "plain"] as const) {
      fake.log.length = 0;
      expect(await client.listContainers({ prefix: "nothing-", format }).all()).toEqual([]);
      expect(listingRequests(fake)[0]!.status).toBe(format === "plain" ? 204 : 200);
    }
  });
});
