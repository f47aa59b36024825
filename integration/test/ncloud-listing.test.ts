// @bucketry/ncloud against a real Swift account listing (2,500+ containers made by global-setup),
// once directly and once through Prism, which checks every exchange against
// specs/ncloud/archive-storage.yaml: formats, marker paging, marker/end_marker/prefix/delimiter/
// reverse, 204 as empty, and 401/403/412 as ApiError.
import { ApiError, AuthenticationError, PermissionError } from "@bucketry/core";
import {
  type ContainerEntry,
  type ContainerNameEntry,
  createArchiveStorageClient,
  ncloudCredentials,
  staticToken,
} from "@bucketry/ncloud";
import { afterEach, describe, expect, it } from "vitest";
import {
  allNames,
  announceSkip,
  available,
  byteOrder,
  expectNoViolations,
  listingClient,
  login,
  swift,
  type Target,
  targets,
} from "./support.js";

announceSkip("ncloud-listing.test.ts");

type Entry = ContainerEntry | ContainerNameEntry;
const names = (entries: Entry[]) => entries.map((entry) => entry.name);
const kinds = (entries: Entry[]) => entries.map((entry) => `${entry.kind}:${entry.name}`);

/** What Swift should list: names within the exclusive bounds and the prefix, rolled up at the delimiter. */
function expected(
  options: {
    marker?: string;
    endMarker?: string;
    prefix?: string;
    delimiter?: string;
    reverse?: boolean;
  } = {},
): string[] {
  const { marker, endMarker, prefix = "", delimiter, reverse = false } = options;
  let list = allNames.filter((name) => name.startsWith(prefix));
  if (reverse) list = [...list].reverse();
  // With reverse, Swift swaps the bounds' roles: names before marker and after end_marker.
  const after = (name: string, bound: string) =>
    reverse ? byteOrder(name, bound) < 0 : byteOrder(name, bound) > 0;
  if (marker !== undefined) list = list.filter((name) => after(name, marker));
  if (endMarker !== undefined) list = list.filter((name) => !after(name, endMarker) && name !== endMarker);
  if (!delimiter) return list;
  const out: string[] = [];
  for (const name of list) {
    const at = name.indexOf(delimiter, prefix.length);
    const entry = at === -1 ? name : `subdir:${name.slice(0, at + delimiter.length)}`;
    // Swift leaves out the roll-up equal to the marker: that is how paging by a subdir goes on.
    if (out.at(-1) !== entry && entry !== `subdir:${marker}`) out.push(entry);
  }
  return out.map((entry) => (entry.startsWith("subdir:") ? entry : `container:${entry}`));
}

/** A fetch that counts requests and hands them on to `target`. */
function counting(target: Target) {
  const counter = {
    requests: 0,
    fetch: (request: Request) => {
      counter.requests += 1;
      return target.fetch(request);
    },
  };
  return counter;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe.skipIf(!available).each(targets)("ncloud account listing via $name", (target) => {
  afterEach(() => expectNoViolations(target));

  it("lists the account as JSON, XML and plain text: every container, in Swift's byte order", async () => {
    const client = listingClient(target);
    const json = await client.getAccount({ format: "json" });
    const xml = await client.getAccount({ format: "xml" });
    // X-Newest asks every replica (one here); the answer is the same.
    const plain = await client.getAccount({ format: "plain", newest: true });

    for (const page of [json, xml, plain]) {
      expect(page.raw.status).toBe(200);
      expect(names(page.containers)).toEqual(allNames);
      expect(page.nextMarker).toBeUndefined();
      expect(page.account.containerCount).toBe(allNames.length);
    }
    expect(json.raw.headers["content-type"]).toMatch(/^application\/json/);
    expect(xml.raw.headers["content-type"]).toMatch(/^application\/xml/);
    expect(plain.raw.headers["content-type"]).toMatch(/^text\/plain/);

    // JSON and XML carry the same counts and times; plain carries names only.
    const now = Date.now();
    for (const [index, entry] of json.containers.entries()) {
      if (entry.kind !== "container") throw new Error(`unexpected ${entry.kind}`);
      expect(entry).toMatchObject({ count: 0, bytes: 0 });
      expect(Math.abs(entry.lastModified.getTime() - now)).toBeLessThan(15 * 60_000);
      const twin = xml.containers[index]!;
      if (twin.kind !== "container") throw new Error(`unexpected ${twin.kind}`);
      expect({
        name: twin.name,
        count: twin.count,
        bytes: twin.bytes,
        at: twin.lastModified.getTime(),
      }).toEqual({
        name: entry.name,
        count: entry.count,
        bytes: entry.bytes,
        at: entry.lastModified.getTime(),
      });
    }
    expect(plain.containers.every((entry) => entry.kind === "container")).toBe(true);
    // The raw JSON keeps Swift's own fields.
    expect((json.raw.body as unknown[])[0]).toEqual({
      name: allNames[0],
      count: 0,
      bytes: 0,
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
    });
  });

  it.each([1, 7, 1000])(
    "pages with limit %i: every container exactly once, in byte order",
    async (pageSize) => {
      const counter = counting(target);
      const client = listingClient(target, { fetch: counter.fetch });
      const seen = names(await client.listContainers({ pageSize }).all());
      expect(seen.length).toBe(allNames.length);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(allNames);
      // A full last page needs one more (empty) request to prove it was the last.
      expect(counter.requests).toBe(Math.floor(allNames.length / pageSize) + 1);
    },
  );

  it.each(["xml", "plain"] as const)("pages the %s listing with limit 7 the same way", async (format) => {
    const client = listingClient(target);
    expect(names(await client.listContainers({ format, pageSize: 7 }).all())).toEqual(allNames);
  });

  it("honours marker and end_marker as exclusive bounds, byte-wise, with any characters", async () => {
    const client = listingClient(target);
    const bounds: [string | undefined, string | undefined][] = [
      ["photos", "photos-old"],
      ["a b", "a&b=c"],
      ["a+b", "alpha"],
      ["bulk-2490", "caf\u00e9"],
      // U+FF46 < U+1FAA3 in UTF-8 bytes, the other way round in UTF-16.
      ["ｆｕｌｌwidth", undefined],
      [undefined, "a b"],
      ["🪣bucket", undefined],
      ["zzz", undefined],
      [`<tag> & "quotes" 'n' more`, "a%2Fb"],
    ];
    for (const [marker, endMarker] of bounds) {
      const want = expected({ marker, endMarker });
      const page = await client.getAccount({ marker, endMarker });
      expect(names(page.containers), `marker ${marker}, end_marker ${endMarker}`).toEqual(want);
      // The same bounds while paging three at a time.
      const paged = await client.listContainers({ marker, endMarker, pageSize: 3 }).all();
      expect(names(paged)).toEqual(want);
    }
    expect(expected({ marker: "ｆｕｌｌwidth" })).toEqual(["🪣bucket"]);
  });

  it("honours prefix, including non-ASCII and reserved characters", async () => {
    const client = listingClient(target);
    for (const prefix of [
      "photos",
      "photos-2020",
      "bulk-24",
      "caf",
      "🪣",
      "日本",
      "a",
      "a%",
      "q?",
      "hash#",
      "<tag>",
    ]) {
      const page = await client.getAccount({ prefix });
      expect(names(page.containers), `prefix ${prefix}`).toEqual(expected({ prefix }));
      expect(page.containers.length).toBeGreaterThan(0);
    }
    expect(names((await client.getAccount({ prefix: "caf" })).containers)).toEqual([
      "cafe\u0301",
      "caf\u00e9",
    ]);
  });

  it("rolls names up at the delimiter '-' in every format, and pages over the roll-ups", async () => {
    const client = listingClient(target);
    const cases = [
      {},
      { prefix: "photos-" },
      { prefix: "music-" },
      { prefix: "music-jazz" },
      { marker: "bulk-" },
    ];
    for (const params of cases) {
      const want = expected({ ...params, delimiter: "-" });
      for (const format of ["json", "xml", "plain"] as const) {
        const page = await client.getAccount({ ...params, delimiter: "-", format });
        expect(kinds(page.containers), `${format} ${JSON.stringify(params)}`).toEqual(want);
      }
      // Paging by the last entry, a subdir string included, repeats nothing and skips nothing.
      const paged = await client.listContainers({ ...params, delimiter: "-", pageSize: 2 }).all();
      expect(kinds(paged)).toEqual(want);
    }
    // Downwards too: the last entry of a reverse page (a subdir included) bounds the next from above.
    const downwards = expected({ reverse: true, delimiter: "-" });
    expect(kinds((await client.getAccount({ reverse: true, delimiter: "-" })).containers)).toEqual(downwards);
    expect(kinds(await client.listContainers({ reverse: true, delimiter: "-", pageSize: 2 }).all())).toEqual(
      downwards,
    );
    expect(expected({ prefix: "photos-", delimiter: "-" })).toEqual([
      "container:photos-2019",
      "container:photos-2020",
      "subdir:photos-2020-",
      "container:photos-old",
    ]);
  });

  it("rolls names that start with the delimiter up into the delimiter alone, in every format", async () => {
    const client = listingClient(target);
    const want = expected({ delimiter: "." });
    expect(want[0]).toBe("subdir:.");
    expect(want).not.toContain("container:.hidden-a");
    // Below "a": the roll-up "." and the two names before "a", small enough to page one by one.
    const head = expected({ delimiter: ".", endMarker: "a" });
    expect(head).toEqual(["subdir:.", `container:<tag> & "quotes" 'n' more`, `container:${"L".repeat(256)}`]);
    for (const format of ["json", "xml", "plain"] as const) {
      const page = await client.getAccount({ delimiter: ".", format });
      expect(kinds(page.containers), format).toEqual(want);
      const paged = await client
        .listContainers({ delimiter: ".", endMarker: "a", format, pageSize: 1 })
        .all();
      expect(kinds(paged), `${format} paged`).toEqual(head);
    }
    const downwards = expected({ reverse: true, delimiter: "." });
    expect(
      kinds((await client.getAccount({ reverse: true, delimiter: ".", format: "plain" })).containers),
    ).toEqual(downwards);
  });

  it("lists in reverse, with marker and end_marker swapping roles", async () => {
    const client = listingClient(target);
    const all = await client.getAccount({ reverse: true });
    expect(names(all.containers)).toEqual([...allNames].reverse());
    for (const [marker, endMarker] of [
      ["photos-old", "photos"],
      ["🪣bucket", "ｆｕｌｌwidth"],
      ["beta", undefined],
    ] as const) {
      const want = expected({ marker, endMarker, reverse: true });
      expect(names((await client.getAccount({ reverse: true, marker, endMarker })).containers)).toEqual(want);
    }
    const paged = await client.listContainers({ reverse: true, pageSize: 7, prefix: "bulk-1" }).all();
    expect(names(paged)).toEqual(expected({ reverse: true, prefix: "bulk-1" }));
    expect(paged.length).toBe(1000);
  });

  it("treats 204 No Content as an empty listing", async () => {
    const client = listingClient(target);
    const none = await client.getAccount({ format: "plain", prefix: "no-such-prefix" });
    expect(none.raw.status).toBe(204);
    expect(none.containers).toEqual([]);
    expect(none.nextMarker).toBeUndefined();
    expect(none.account.containerCount).toBe(allNames.length);
    // Past the last name: Swift answers 204 to a plain listing.
    const past = await client.getAccount({ format: "plain", marker: allNames.at(-1) });
    expect(past.raw.status).toBe(204);
    expect(past.containers).toEqual([]);
    expect(await client.listContainers({ format: "plain", prefix: "no-such-prefix" }).all()).toEqual([]);

    // An account that was never written to: 204 in plain text, 200 [] in JSON, zero counts.
    const other = await login(swift.users.other);
    const empty = listingClient(target, { token: other.token, projectId: "test2" });
    const plain = await empty.getAccount({ format: "plain" });
    expect(plain.raw.status).toBe(204);
    expect(plain.containers).toEqual([]);
    expect(plain.account).toMatchObject({ containerCount: 0, objectCount: 0, bytesUsed: 0 });
    const json = await empty.getAccount({ format: "json" });
    expect(json.raw.status).toBe(200);
    expect(json.containers).toEqual([]);
    expect(await empty.listContainers({ format: "plain", pageSize: 5 }).all()).toEqual([]);
  });

  it("takes the account from a storage URL and a pre-issued token (ncloudCredentials)", async () => {
    if (target.error) throw new Error(`${target.name} is not available: ${target.error}`);
    const client = createArchiveStorageClient({
      credentials: {
        type: "token",
        from: ncloudCredentials({ token: swift.token, storageUrl: `${target.baseUrl}/v1/AUTH_test` }),
      },
      fetch: target.fetch,
    });
    expect(client.projectId).toBe("test");
    expect(names((await client.getAccount({ limit: 3 })).containers)).toEqual(allNames.slice(0, 3));
  });

  it("maps 401 (a token Swift does not know) to an ApiError", async () => {
    const client = listingClient(target, { token: "AUTH_tk00000000000000000000000000000000" });
    const error = await rejection(client.getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, operation: "getAccount" });
    expect((error as ApiError).requestId).toMatch(/^tx/);
    // A paginator fails the same way on its first page.
    await expect(client.listContainers().all()).rejects.toMatchObject({ status: 401 });
  });

  it("maps 403 (another account's token, or a user without .admin) to an ApiError", async () => {
    for (const user of [swift.users.other, swift.users.reader]) {
      const { token } = await login(user);
      const client = listingClient(target, { token });
      const error = await rejection(client.getAccount());
      expect(error, user.user).toBeInstanceOf(PermissionError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 403 });
    }
  });

  it("maps 412 (limit above 10000) to an ApiError", async () => {
    // The client refuses limit > 10000 before sending, so the wire request is rewritten to make
    // Swift itself answer 412 `Maximum limit is 10000`.
    const client = listingClient(target, {
      fetch: (request) =>
        target.fetch(new Request(request.url.replace("limit=1000", "limit=10001"), request)),
    });
    const error = await rejection(client.getAccount({ limit: 1000 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 412 });
    expect((error as Error).message).toContain("Maximum limit is 10000");
    // Prism rightly flags the rewritten request (the spec caps limit at 10000) and nothing else:
    // Swift's 412 answer itself matches the spec.
    expectNoViolations(target, ["request.query.limit"]);
    await expect(listingClient(target).getAccount({ limit: 10_001 })).rejects.toMatchObject({
      name: "InvalidInputError",
    });
  });

  it("sends the token only in X-Auth-Token, and a static token source is never renewed", async () => {
    let tokens = 0;
    const source = staticToken(swift.token);
    const client = createArchiveStorageClient({
      baseUrl: target.baseUrl,
      projectId: "test",
      credentials: {
        type: "token",
        source: {
          token: async () => {
            tokens += 1;
            return source.token();
          },
          invalidate: () => {},
        },
      },
      fetch: (request) => {
        expect(request.headers.get("x-auth-token")).toBe(swift.token);
        expect(request.url).not.toContain(swift.token);
        return target.fetch(request);
      },
    });
    await client.listContainers({ pageSize: 1000 }).all();
    expect(tokens).toBe(3);
  });
});
