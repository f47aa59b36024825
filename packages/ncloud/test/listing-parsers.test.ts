/** The listing parsers on bodies the fake does not produce: entities, empty forms, cut and foreign bodies. */
import { UnexpectedShape } from "@bucketry/core/internal";
import { describe, expect, it, vi } from "vitest";
import {
  decodeXml,
  HeaderFormatError,
  ListingShapeError,
  ListingSyntaxError,
  lazyJsonListing,
  parseJsonListing,
  parsePlainListing,
  parseXmlListing,
  scanJsonListing,
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

describe("a JSON page checked from its bytes, parsed as it is read", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  /** The entries of the page scanJsonListing made, read in `order`; undefined when it refused. */
  const scanned = (text: string, order?: number[]) => {
    const page = scanJsonListing(bytes(text));
    if (!page) return undefined;
    const entries = page.entries();
    const out = Array.from({ length: entries.length });
    for (const i of order ?? out.keys()) out[i] = entries.item(i);
    return out;
  };
  const lm = '"last_modified": "2018-09-11T02:11:35.010250"';

  it("reads what JSON.parse reads, entry for entry, whatever the spacing, order, escapes or extra keys", () => {
    const cases = [
      "[]",
      " [ ] ",
      `[{"name": "a", "count": 1, "bytes": 2, ${lm}}]`,
      `[{${lm},"bytes":2,"count":1,"name":"a"},{"subdir":"x-"}]`,
      `[\n {\t"name" : "a\\"b\\\\c\\/\\u00e9\\ud83d\\ude00", "count": -0, "bytes": 1.5e3, ${lm}, "x": null, "y": true, "z": false, "w": "}, {"}\r\n]`,
      `[{"name": "é😀", "count": 0, "bytes": 0, "last_modified": "2018-09-11T02:11:35"}]`,
      `[{"name": "a", "count": 1, "bytes": 2, "last_modified": "2018-09-11T02:11:35.1"}]`,
      `[{"name": "a", "count": 1, "bytes": 2, "last_modified": "2018-09-11T02:11:35.123456789"}]`,
      // The last of a key given twice counts, as with JSON.parse.
      `[{"name": 1, "name": "a", "count": 1, "bytes": 2, ${lm}}]`,
      `[{"subdir": "x-", "name": "x"}]`,
    ];
    for (const text of cases) expect(scanned(text), text).toEqual(parseJsonListing(text));
  });

  it("refuses what it does not read, which is then parsed whole, with the same outcome", () => {
    const refused = [
      `[{"name": "a", "count": 1, "bytes": 2, ${lm}},]`,
      `[{"name": "a", "count": 01, "bytes": 2, ${lm}}]`,
      `[{"name": "a", "count": 1., "bytes": 2, ${lm}}]`,
      `[{"name": "a\\x", "count": 1, "bytes": 2, ${lm}}]`,
      `[{"name": "a\\u12", "count": 1, "bytes": 2, ${lm}}]`,
      // A control character as it is, not escaped.
      `[{"name": "a\u0001", "count": 1, "bytes": 2, ${lm}}]`,
      `[{"name": "a", "count": 1, "bytes": 2, ${lm}}] x`,
      `[{"name" "a", "count": 1, "bytes": 2, ${lm}}]`,
      `[{"name": "a", "count": 1, "bytes": 2, ${lm}`,
      `[{"name": "a", "count": 1, "bytes": 2, ${lm}, "x": {"y": 1}}]`,
      `[{"n\\u0061me": "a", "count": 1, "bytes": 2, ${lm}}]`,
      `[{"name": "a", "count": 1, "bytes": 2, "last_modified": "yesterday"}]`,
      `[{"name": "a", "count": "1", "bytes": 2, ${lm}}]`,
      `[{"name": "a", "count": 1, ${lm}}]`,
      "[{}]",
      "[1]",
      '{"containers": []}',
    ];
    for (const text of refused) {
      expect(scanJsonListing(bytes(text)), text).toBeUndefined();
      let whole: unknown;
      try {
        whole = parseJsonListing(text);
      } catch (error) {
        whole = (error as Error).constructor;
      }
      let lazy: unknown;
      try {
        lazy = parseJsonListing(bytes(text));
      } catch (error) {
        lazy = (error as Error).constructor;
      }
      expect(lazy, text).toEqual(whole);
    }
    // A leading BOM is the decoder's to drop, as it did when the body was decoded whole.
    expect(scanJsonListing(bytes("\ufeff[]"))).toBeUndefined();
    expect(parseJsonListing(bytes("\ufeff[]"))).toEqual([]);
  });

  it("parses a large page a small piece at a time, in any order of reading", () => {
    const entries = Array.from(
      { length: 3000 },
      (_, i) => `{"name": "bucket-${i}", "count": ${i}, "bytes": ${i * 3}, ${lm}}`,
    );
    const text = `[${entries.join(", ")}]`;
    const expected = parseJsonListing(text);
    const parse = vi.spyOn(JSON, "parse");
    try {
      const order = [2999, 0, 1500, ...Array.from({ length: 3000 }, (_, i) => i)];
      expect(scanned(text, order)).toEqual(expected);
      const pieces = parse.mock.calls.map(([piece]) => piece.length);
      expect(pieces.length).toBeGreaterThan(text.length / (8 * 1024));
      expect(Math.max(...pieces)).toBeLessThan(8 * 1024);
    } finally {
      parse.mockRestore();
    }
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

describe("the parsers' errors", () => {
  it("are core's UnexpectedShape, which the client turns into its MalformedResponseError", () => {
    for (const error of [
      new ListingShapeError("x"),
      new ListingSyntaxError("x", true),
      new HeaderFormatError("x"),
    ]) {
      expect(error).toBeInstanceOf(UnexpectedShape);
    }
    expect(new ListingSyntaxError("cut", true)).toMatchObject({
      name: "ListingSyntaxError",
      truncated: true,
    });
  });
});
