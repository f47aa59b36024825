/** getAccount: the account headers parsed (counts above 2^53 included), one page, and every error status. */
import { inspect } from "node:util";
import { staticToken } from "@bucketry/auth";
import {
  ApiError,
  AuthenticationError,
  expectOk,
  NotFoundError,
  PermissionError,
  REDACTED,
  Secret,
} from "@bucketry/core/internal";
import { describe, expect, it } from "vitest";
import { createArchiveStorageClient, ncloudKeystoneToken } from "../src/index.js";
import { clientFor, listingRequests, startFake, swiftPage, thrown } from "./fixtures.js";

const VENDOR_EXAMPLE = [
  { name: "ncloud-container-0", count: 0, bytes: 0, last_modified: "2018-09-11T02:11:35.010250" },
  { name: "ncloud-container-1", count: 0, bytes: 0, last_modified: "2018-09-11T02:11:41.481410" },
];

describe("the account headers", () => {
  it("parses counts, timestamp, metadata, quota, temp URL keys, storage policies and ids", async () => {
    const huge = 2n ** 60n + 1n; // above 2^53: a double cannot hold it
    const fake = await startFake({
      containers: VENDOR_EXAMPLE,
      accountBytesUsed: huge,
      accountObjectCount: "9007199254740993",
      metadata: {
        "Temp-URL-Key": "temp-url-secret-1",
        "Temp-URL-Key-2": "temp-url-secret-2",
        "Quota-Bytes": "1099511627776",
        // Swift sends metadata as UTF-8 bytes; the fake writes header strings as Latin-1, so hand it the bytes.
        Owner: Buffer.from("팀 데이터", "utf8").toString("latin1"),
        Color: "blue",
      },
      policies: [{ name: "Policy-0", bytesUsed: huge, containerCount: 2, objectCount: 5 }],
    });
    const page = await clientFor(fake).getAccount();
    const { account } = page;
    expect(account.containerCount).toBe(2);
    expect(account.containerCountExact).toBe(2n);
    expect(account.bytesUsedExact).toBe(huge);
    expect(account.bytesUsed).toBe(Number(huge));
    expect(account.objectCountExact).toBe(9007199254740993n);
    expect(account.objectCount).toBe(9007199254740992); // the nearest double
    expect(account.timestamp).toBe(1535685069.28154);
    expect(account.createdAt.toISOString()).toBe("2018-08-31T03:11:09.282Z");
    expect(account.metadata.quotaBytes).toBe(1099511627776);
    expect(account.metadata.quotaBytesExact).toBe(1099511627776n);
    expect(account.metadata.custom).toEqual({ owner: "팀 데이터", color: "blue" });
    expect(account.metadata.tempUrlKey).toBeInstanceOf(Secret);
    expect(account.metadata.tempUrlKey?.reveal()).toBe("temp-url-secret-1");
    expect(account.metadata.tempUrlKey2?.reveal()).toBe("temp-url-secret-2");
    expect(account.storagePolicies).toEqual({
      "policy-0": {
        bytesUsed: Number(huge),
        bytesUsedExact: huge,
        containerCount: 2,
        containerCountExact: 2n,
        objectCount: 5,
        objectCountExact: 5n,
      },
    });
    expect(account.projectDomainId).toBe("default");
    expect(account.transId).toMatch(/^tx[0-9a-f]{21}-[0-9a-f]{10}$/);
    expect(account.requestId).toBe(account.transId);
  });

  it("serialises: bigints as decimal strings, temp URL keys as [REDACTED], also in raw headers", async () => {
    const fake = await startFake({
      accountBytesUsed: 2n ** 64n - 1n,
      metadata: { "Temp-URL-Key": "temp-url-secret-1" },
    });
    const page = await clientFor(fake).getAccount();
    const json = JSON.parse(JSON.stringify(page));
    expect(json.account.bytesUsedExact).toBe("18446744073709551615");
    expect(json.account.metadata.tempUrlKey).toBe(REDACTED);
    expect(page.raw.headers["x-account-meta-temp-url-key"]).toBe(REDACTED);
    expect(page.raw.headers["x-account-bytes-used"]).toBe("18446744073709551615");
    for (const text of [JSON.stringify(page), inspect(page, { depth: 9 })]) {
      expect(text).not.toContain("temp-url-secret-1");
    }
  });

  it("reads the headers of a 204 (plain text, nothing to list)", async () => {
    const fake = await startFake({ containers: 0 });
    const page = await clientFor(fake).getAccount({ format: "plain" });
    expect(listingRequests(fake)[0]!.status).toBe(204);
    expect(page.containers).toEqual([]);
    expect(page.account.containerCount).toBe(0);
    expect(page.raw).toMatchObject({ status: 204, body: "" });
  });
});

describe("one page", () => {
  it("returns the vendor's example as typed entries, with raw kept", async () => {
    const fake = await startFake({ containers: VENDOR_EXAMPLE });
    const page = await clientFor(fake).getAccount();
    expect(page.containers).toEqual([
      {
        kind: "container",
        name: "ncloud-container-0",
        count: 0,
        bytes: 0,
        lastModified: new Date("2018-09-11T02:11:35.010Z"),
        raw: VENDOR_EXAMPLE[0],
      },
      {
        kind: "container",
        name: "ncloud-container-1",
        count: 0,
        bytes: 0,
        lastModified: new Date("2018-09-11T02:11:41.481Z"),
        raw: VENDOR_EXAMPLE[1],
      },
    ]);
    expect(page.raw.body).toEqual(VENDOR_EXAMPLE);
    expect(page.nextMarker).toBeUndefined();
  });

  it("nextMarker: the last name of a full page", async () => {
    const fake = await startFake({ containers: 5 });
    const client = clientFor(fake);
    const first = await client.getAccount({ limit: 2 });
    expect(first.nextMarker).toBe(fake.containers[1]!.name);
    const second = await client.getAccount({ limit: 2, marker: first.nextMarker });
    expect(second.containers.map((c) => c.name)).toEqual(fake.containers.slice(2, 4).map((c) => c.name));
    const last = await client.getAccount({ limit: 2, marker: second.nextMarker });
    expect(last.containers).toHaveLength(1);
    expect(last.nextMarker).toBeUndefined();
  });

  it("XML gives the same page", async () => {
    const fake = await startFake({ containers: VENDOR_EXAMPLE });
    const client = clientFor(fake);
    const json = await client.getAccount();
    const xml = await client.getAccount({ format: "xml" });
    expect(xml.containers.map(({ raw: _, ...rest }) => rest)).toEqual(
      json.containers.map(({ raw: _, ...rest }) => rest),
    );
    expect(xml.raw.body).toContain('<account name="AUTH_5942771066a0482bb6aaf7f5bc792b00">');
  });
});

describe("error statuses", () => {
  it("401: AuthenticationError with Swift's message and the transaction id", async () => {
    const fake = await startFake();
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      projectId: fake.credentials.projectId,
      credentials: { type: "token", source: staticToken("not-a-token-0001") },
    });
    const error = (await thrown(() => client.getAccount())) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.message).toContain("Unauthorized This server could not verify");
    expect(error.requestId).toMatch(/^tx/);
    expect(error.requestId).toBe(error.headers["x-trans-id"]);
    expect(error.operation).toBe("getAccount");
    expect(error.provider).toBe("ncloud-archive-storage");
  });

  it("403: PermissionError for a token scoped to another project", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const fake = await startFake({ extraProjectIds: [other] });
    const source = ncloudKeystoneToken({ ...fake.credentials, projectId: other, endpoint: fake.keystoneUrl });
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      projectId: fake.credentials.projectId,
      credentials: { type: "token", source },
    });
    const error = (await thrown(() => client.getAccount())) as PermissionError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toContain("Forbidden Access was denied to this resource.");
    expect(error.requestId).toMatch(/^tx/);
  });

  it("404: NotFoundError (an endpoint that is not a Swift proxy root)", async () => {
    const fake = await startFake();
    const client = clientFor(fake, { baseUrl: `${fake.url}/not-swift` });
    const error = (await thrown(() => client.getAccount())) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.message).toContain("Not Found The resource could not be found.");
  });

  it("406 and 412: ApiError with Swift's message (raw calls reach them; the helpers refuse such input first)", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    const context = { provider: "ncloud-archive-storage", operation: "getAccount" };
    const path = { project_id: client.projectId };
    const notAcceptable = await thrown(async () =>
      expectOk(
        await client.GET("/v1/AUTH_{project_id}", { params: { path }, headers: { Accept: "image/png" } }),
        context,
      ),
    );
    expect(notAcceptable).toBeInstanceOf(ApiError);
    expect((notAcceptable as ApiError).status).toBe(406);
    expect(notAcceptable.message).toContain("Not Acceptable");
    const tooMany = await thrown(async () =>
      expectOk(
        await client.GET("/v1/AUTH_{project_id}", { params: { path, query: { limit: 10_001 } } }),
        context,
      ),
    );
    expect((tooMany as ApiError).status).toBe(412);
    expect(tooMany.message).toContain("(Maximum limit is 10000)");
  });

  for (const [status, body, Class, text] of [
    [401, swiftPage("Unauthorized", "no"), AuthenticationError, "Unauthorized no"],
    [403, swiftPage("Forbidden", "Access was denied to this resource."), PermissionError, "Forbidden"],
    [404, swiftPage("Not Found", "The resource could not be found."), NotFoundError, "Not Found"],
    [406, swiftPage("Not Acceptable", "not acceptable"), ApiError, "Not Acceptable"],
    [412, "Bad delimiter", ApiError, "(Bad delimiter)"],
  ] as const) {
    it(`${status} from the helpers: ${Class.name} with the message and request id`, async () => {
      const fake = await startFake();
      fake.inject(
        {
          kind: "status",
          status,
          body,
          headers: {
            "content-type": "text/html; charset=UTF-8",
            "x-trans-id": "tx0123456789abcdef01234-0065000000",
          },
        },
        // Also on the renewed attempt after a 401, so the 401 surfaces.
        { times: 2, match: (r) => r.target.startsWith("/v1/") },
      );
      const error = (await thrown(() => clientFor(fake).listContainers().all())) as ApiError;
      expect(error.constructor).toBe(Class);
      expect(error.status).toBe(status);
      expect(error.message).toContain(text);
      expect(error.requestId).toBe("tx0123456789abcdef01234-0065000000");
    });
  }
});
