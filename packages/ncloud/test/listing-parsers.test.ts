/** The listing parsers on bodies the fake does not produce: entities, empty forms, cut and foreign bodies. */
import { describe, expect, it, vi } from "vitest";
import {
  decodeXml,
  ListingShapeError,
  ListingSyntaxError,
  lazyJsonListing,
  parseJsonBytes,
  parseJsonListing,
  parsePlainListing,
  parseXmlListing,
  swiftDate,
} from "../src/archive-storage-model.js";

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe("XML", () => {
  it("decodes named and numeric entities, in elements and in subdir attributes", () => {
    expect(decodeXml("a&amp;b &lt;&gt; &quot;&apos; &#10;&#x9;&#128512; &unknown;")).toBe(
      "a&b <> \"' \n\t😀 &unknown;",
    );
    const entries = parseXmlListing(
      `${DECL}<account name="AUTH_x">\n<container><name>a&amp;b&#x1F600;</name><count>1</count><bytes>2</bytes><last_modified>2018-09-11T02:11:35</last_modified></container>\n<subdir name='q"&amp;-' />\n<subdir name="x-"></subdir>\n</account>`,
    );
    expect(entries.map((e) => [e.kind, e.name])).toEqual([
      ["container", "a&b😀"],
      ["subdir", 'q"&-'],
      ["subdir", "x-"],
    ]);
    expect(entries[0]).toMatchObject({ count: 1, bytes: 2, lastModified: new Date("2018-09-11T02:11:35Z") });
  });

  it("reads an empty account in both spellings", () => {
    expect(parseXmlListing(`${DECL}<account name="AUTH_x">\n</account>`)).toEqual([]);
    expect(parseXmlListing(`${DECL}<account name="AUTH_x"/>`)).toEqual([]);
  });

  it("tells a body cut short (worth another attempt) from a foreign one", () => {
    const cut = (text: string) => {
      try {
        parseXmlListing(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ListingSyntaxError);
        return (error as ListingSyntaxError).truncated;
      }
      throw new Error("parsed");
    };
    expect(cut(`${DECL}<account name="AUTH_x">\n<container><name>a</name>`)).toBe(true);
    expect(cut(`${DECL}<acc`)).toBe(true);
    expect(cut(`${DECL}<account name="AUTH_x">\n<object><name>a</name></object>\n</account>`)).toBe(false);
    expect(cut("<html><h1>Gateway</h1></html>")).toBe(false);
  });

  it("refuses a container without its counts", () => {
    expect(() =>
      parseXmlListing(`${DECL}<account name="AUTH_x"><container><name>a</name></container></account>`),
    ).toThrow(ListingShapeError);
  });
});

describe("JSON", () => {
  it("refuses what is not a listing, and a body cut short", () => {
    expect(() => parseJsonListing('{"containers": []}')).toThrow(ListingShapeError);
    expect(() => parseJsonListing('[{"name": "a"}]')).toThrow(/neither a container nor a subdir/);
    expect(() => parseJsonListing('[{"name": "a", "co')).toThrow(ListingSyntaxError);
  });

  it("checks the whole page first, then makes each entry only when read, afresh on each read", () => {
    const good = '{"name": "a", "count": 1, "bytes": 2, "last_modified": "2018-09-11T02:11:35.010250"}';
    const bad = '{"name": "b", "count": 1, "bytes": 2, "last_modified": "yesterday"}';
    // The bad entry is the last one: the page fails before the first is handed out.
    expect(() => lazyJsonListing(`[${good}, ${bad}]`)).toThrow(/entry 1: last_modified "yesterday"/);
    const page = lazyJsonListing(`[${good}, {"subdir": "x-"}]`);
    expect(page.length).toBe(2);
    expect(page.item(0)).toEqual({
      kind: "container",
      name: "a",
      count: 1,
      bytes: 2,
      lastModified: new Date("2018-09-11T02:11:35.010Z"),
      raw: JSON.parse(good),
    });
    expect(page.item(1)).toEqual({ kind: "subdir", name: "x-", raw: { subdir: "x-" } });
    expect(page.item(0)).not.toBe(page.item(0));
    expect(parseJsonListing(`[${good}, {"subdir": "x-"}]`)).toEqual([page.item(0), page.item(1)]);
  });
});

describe("JSON from bytes, in pieces", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const container = (name: string, i: number) =>
    JSON.stringify({ name, count: i, bytes: i * 2, last_modified: "2018-09-11T02:11:35.010250" });
  /** A listing of about `size` bytes whose names come from `name`, joined as `separator` says. */
  const listing = (size: number, name: (i: number) => string, separator = ", ") => {
    const entries: string[] = [];
    for (let i = 0, length = 2; length < size; i++) {
      entries.push(container(name(i), i));
      length += entries.at(-1)!.length + separator.length;
    }
    return `[${entries.join(separator)}]`;
  };

  it("parses large arrays as JSON.parse parses their text, whatever the names and spacing", () => {
    const cases = [
      listing(200_000, (i) => `bucket-${i}`),
      listing(200_000, (i) => `b${i}`, ",\n  "),
      // Names that hold a cut's bytes: a `}` a comma follows, quotes, escapes, non-ASCII.
      listing(200_000, (i) => (i % 50 === 0 ? `a}, {"x": ${i}` : `é-${i}-"q"-\\-😀`)),
      ` \n${listing(100_000, (i) => `c${i}`)}\n `,
      `[${Array.from({ length: 3000 }, (_, i) => `{"nested": {"a": [${i}, {"b": "}"}]}, "n": ${i}}`).join(", ")}]`,
    ];
    for (const text of cases) expect(parseJsonBytes(bytes(text))).toEqual(JSON.parse(text));
  });

  it("never decodes a large array whole: each piece parsed is under 64 KB", () => {
    const text = listing(1_000_000, (i) => `bucket-${i}`);
    const parse = vi.spyOn(JSON, "parse");
    try {
      expect(parseJsonBytes(bytes(text))).toHaveLength(JSON.parse(text).length);
      const pieces = parse.mock.calls.slice(0, -1).map(([piece]) => piece.length);
      expect(pieces.length).toBeGreaterThan(25);
      expect(Math.max(...pieces)).toBeLessThan(64 * 1024);
    } finally {
      parse.mockRestore();
    }
  });

  it("throws as JSON.parse does for what is not JSON, and reads a leading BOM as the decoder does", () => {
    const good = listing(100_000, (i) => `d${i}`);
    for (const bad of [
      `${good.slice(0, -1)}, ]`,
      `${good.slice(0, -1)},]`,
      good.slice(0, 70_000),
      `${good} x`,
    ]) {
      expect(() => JSON.parse(bad)).toThrow(SyntaxError);
      expect(() => parseJsonBytes(bytes(bad))).toThrow(SyntaxError);
    }
    expect(parseJsonBytes(bytes(`\ufeff${good}`))).toEqual(JSON.parse(good));
    expect(parseJsonBytes(bytes(`[${" ".repeat(40_000)}]`))).toEqual([]);
    expect(parseJsonBytes(bytes('{"a": 1}'))).toEqual({ a: 1 });
    // Bytes that are not UTF-8 decode to U+FFFD, in a piece as in the whole.
    const broken = bytes(listing(100_000, (i) => (i === 700 ? "x~" : `e${i}`)));
    broken.set([0xc3], broken.indexOf(0x7e));
    expect(parseJsonBytes(broken)).toEqual(JSON.parse(new TextDecoder().decode(broken)));
  });
});

describe("plain text", () => {
  it("a line is a roll-up when the first delimiter after the prefix ends it", () => {
    const shape = { prefix: undefined, delimiter: "-" };
    expect(parsePlainListing("-lead\na\na-\nz\n", shape).map((e) => e.kind)).toEqual([
      "container",
      "container",
      "subdir",
      "container",
    ]);
    expect(parsePlainListing("c-x-\nc-y\n", { prefix: "c-", delimiter: "-" }).map((e) => e.kind)).toEqual([
      "subdir",
      "container",
    ]);
    expect(parsePlainListing("a-b\n", { prefix: undefined, delimiter: undefined })[0]!.kind).toBe(
      "container",
    );
  });

  it("a roll-up of names that start with the delimiter: the delimiter alone (Swift 2.24.0 on)", () => {
    const shape = { prefix: undefined, delimiter: "." };
    // Swift 2.30.1 for .hidden-a, .hidden-b, a.b and c; Swift 2.15.1 lists the first two as they are.
    expect(parsePlainListing(".\na.\nc\n", shape).map((e) => `${e.kind}:${e.name}`)).toEqual([
      "subdir:.",
      "subdir:a.",
      "container:c",
    ]);
    expect(parsePlainListing(".hidden-a\n.hidden-b\na.\n", shape).map((e) => e.kind)).toEqual([
      "container",
      "container",
      "subdir",
    ]);
  });

  it("a body without its last newline is cut short", () => {
    expect(() => parsePlainListing("a\nb", { prefix: undefined, delimiter: undefined })).toThrow(
      ListingSyntaxError,
    );
  });
});

describe("last_modified", () => {
  it("is UTC without a zone, with up to microseconds", () => {
    expect(swiftDate("2018-09-11T02:11:35.010250").toISOString()).toBe("2018-09-11T02:11:35.010Z");
    expect(swiftDate("2018-09-11T02:11:35").toISOString()).toBe("2018-09-11T02:11:35.000Z");
    expect(swiftDate("2018-09-11T02:11:35.5").toISOString()).toBe("2018-09-11T02:11:35.500Z");
    expect(swiftDate("2018-09-11T02:11:35.01").toISOString()).toBe("2018-09-11T02:11:35.010Z");
    // Beyond milliseconds the digits are checked, then dropped (not rounded).
    expect(swiftDate("2024-05-01T12:00:00.000000").toISOString()).toBe("2024-05-01T12:00:00.000Z");
    expect(swiftDate("1999-12-31T23:59:59.999999999").toISOString()).toBe("1999-12-31T23:59:59.999Z");
    expect(() => swiftDate("2018-09-11 02:11:35Z")).toThrow(ListingShapeError);
  });

  it("refuses anything else, naming the entry", () => {
    for (const text of [
      "",
      "2018-09-11",
      "2018-09-11T02:11:35Z",
      "2018-09-11T02:11:35.",
      "2018-09-11T02:11:35.0102501234",
      "2018-09-11T02:11:35.01x",
      "2018-09-11T02:11:3x",
      "2018-09-11t02:11:35",
      "2018/09/11T02:11:35",
      "2018-09-11T02-11-35",
      "2018-09-11T02:11:35,5",
      "+18-09-11T02:11:35",
      " 2018-09-11T02:11:35",
      "２０18-09-11T02:11:35",
    ]) {
      expect(() => swiftDate(text, 7), text).toThrow(`entry 7: last_modified ${JSON.stringify(text)}`);
    }
  });
});
