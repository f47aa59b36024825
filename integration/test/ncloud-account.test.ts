// @bucketry/ncloud's account headers against a real Swift: metadata, temp URL keys, quota, storage
// policies and the object/byte counts that the container-updater carries to the account seconds
// later. Every X-Account-* header Swift sends must come out parsed. Directly and through Prism.
import { staticToken } from "@bucketry/auth";
import { REDACTED } from "@bucketry/core";
import { type AccountInfo, createArchiveStorageClient } from "@bucketry/ncloud";
import { beforeAll, describe, expect, it } from "vitest";
import {
  announceSkip,
  available,
  expectNoViolations,
  login,
  META_BYTES,
  META_OBJECTS,
  pollUntil,
  swift,
  swiftRequest,
  targets,
} from "./support.js";

announceSkip("ncloud-account.test.ts");

/** The parsed value the client should give for one X-Account-* header, or a note that it has none. */
function parsedValue(account: AccountInfo, header: string): unknown {
  const policy = /^x-account-storage-policy-(.+)-(bytes-used|container-count|object-count)$/.exec(header);
  if (policy) {
    const usage = account.storagePolicies[policy[1]!];
    const field = {
      "bytes-used": "bytesUsed",
      "container-count": "containerCount",
      "object-count": "objectCount",
    }[policy[2] as "bytes-used"] as "bytesUsed" | "containerCount" | "objectCount";
    return usage?.[field];
  }
  switch (header) {
    case "x-account-container-count":
      return account.containerCount;
    case "x-account-object-count":
      return account.objectCount;
    case "x-account-bytes-used":
      return account.bytesUsed;
    case "x-account-meta-temp-url-key":
      return account.metadata.tempUrlKey?.reveal();
    case "x-account-meta-temp-url-key-2":
      return account.metadata.tempUrlKey2?.reveal();
    case "x-account-meta-quota-bytes":
      return account.metadata.quotaBytes;
  }
  if (header.startsWith("x-account-meta-"))
    return account.metadata.custom[header.slice("x-account-meta-".length)];
  return `no parsed field for ${header}`;
}

describe.skipIf(!available)("ncloud account headers", () => {
  let meta: { token: string; storageUrl: string };

  // global-setup filled AUTH_meta (see prepareMetaAccount) and waited for the container-updater.
  beforeAll(async () => {
    meta = await login(swift.users.meta);
  });

  it.each(targets)("parses every X-Account-* header Swift returns (via $name)", async (target) => {
    if (target.error) throw new Error(`${target.name} is not available: ${target.error}`);
    const client = createArchiveStorageClient({
      baseUrl: target.baseUrl,
      projectId: "meta",
      credentials: { type: "token", source: staticToken(meta.token) },
      fetch: target.fetch,
      retry: false,
    });
    // Object and byte counts reach the account only when the container-updater has run: poll.
    const bytes = META_BYTES;
    const page = await pollUntil(
      () => client.getAccount(),
      ({ account, containers }) =>
        account.objectCount === META_OBJECTS.length &&
        account.bytesUsed === bytes &&
        containers.some((c) => c.kind === "container" && c.count === META_OBJECTS.length),
    );
    // On a response with a JSON or XML body, Prism 5.16 re-encodes the non-ASCII header bytes it
    // forwards (Swift's UTF-8 read as Latin-1, sent on as UTF-8: `Zürich` arrives as `ZÃ¼rich`),
    // so the UTF-8 metadata value is checked on the direct path only.
    const mangledByPrism = (header: string) => target.name === "prism" && header === "x-account-meta-city";
    const city = mangledByPrism("x-account-meta-city") ? expect.any(String) : "Zürich";
    expect(page.account).toMatchObject({
      containerCount: 2,
      containerCountExact: 2n,
      objectCount: META_OBJECTS.length,
      objectCountExact: BigInt(META_OBJECTS.length),
      bytesUsed: bytes,
      bytesUsedExact: BigInt(bytes),
      metadata: { quotaBytes: 1_000_000, quotaBytesExact: 1_000_000n, custom: { color: "blue", city } },
    });
    expect(page.account.storagePolicies["policy-0"]).toEqual({
      containerCount: 2,
      containerCountExact: 2n,
      objectCount: META_OBJECTS.length,
      objectCountExact: BigInt(META_OBJECTS.length),
      bytesUsed: bytes,
      bytesUsedExact: BigInt(bytes),
    });
    expect(
      page.containers.map((c) => (c.kind === "container" ? [c.name, c.count, c.bytes] : c.name)),
    ).toEqual([
      ["empty", 0, 0],
      ["objects", META_OBJECTS.length, bytes],
    ]);

    // Header by header against what Swift sent (read raw here: the client's `raw` redacts secrets).
    const response = await swiftRequest("GET", `${swift.endpoint}/v1/AUTH_meta`, meta.token);
    const sent = [...response.headers].filter(([name]) => name.startsWith("x-account-"));
    expect(sent.map(([name]) => name).sort()).toEqual(
      [
        "x-account-bytes-used",
        "x-account-container-count",
        "x-account-object-count",
        "x-account-meta-city",
        "x-account-meta-color",
        "x-account-meta-quota-bytes",
        "x-account-meta-temp-url-key",
        "x-account-meta-temp-url-key-2",
        "x-account-storage-policy-policy-0-bytes-used",
        "x-account-storage-policy-policy-0-container-count",
        "x-account-storage-policy-policy-0-object-count",
      ].sort(),
    );
    for (const [name, value] of sent) {
      if (mangledByPrism(name)) continue;
      const want = /^\d+$/.test(value) ? Number(value) : Buffer.from(value, "latin1").toString("utf8");
      expect(parsedValue(page.account, name), name).toEqual(want);
    }
    const timestamp = response.headers.get("x-timestamp")!;
    expect(page.account.timestamp).toBe(Number(timestamp));
    expect(page.account.createdAt.getTime()).toBe(Math.round(Number(timestamp) * 1000));
    expect(page.account.transId).toMatch(/^tx/);
    expect(page.account.requestId).toBe(page.account.transId);

    // The temp URL keys are secrets: redacted in raw headers and in JSON.
    expect(page.raw.headers["x-account-meta-temp-url-key"]).toBe(REDACTED);
    expect(JSON.stringify(page.account)).not.toContain("tk-secret");
    expectNoViolations(target);
  });

  it("is checked by Prism on the response side too: a quota that is not a number is reported", async () => {
    const prism = targets.find((target) => target.name === "prism")!;
    if (prism.error) throw new Error(`prism is not available: ${prism.error}`);
    // A control for the whole suite: Swift stores any metadata, and the spec says Quota-Bytes is decimal.
    const control = await login(swift.users.control);
    await swiftRequest("POST", control.storageUrl, control.token, {
      headers: { "X-Account-Meta-Quota-Bytes": "lots" },
    });
    const client = createArchiveStorageClient({
      baseUrl: prism.baseUrl,
      projectId: "ctl",
      credentials: { type: "token", source: staticToken(control.token) },
      fetch: prism.fetch,
      retry: false,
    });
    const page = await client.getAccount({ format: "plain" });
    expect(page.account.metadata.quotaBytes).toBeUndefined();
    expect(prism.takeViolations().map((v) => v.location.join("."))).toEqual([
      "response.header.x-account-meta-quota-bytes",
    ]);
  });
});
