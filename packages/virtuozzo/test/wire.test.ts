import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOstorClient, s3Credentials } from "../src/index.js";

// What reaches the server, byte for byte: the raw request target. This server checks no signature.
const credentials = {
  type: "aksk",
  from: s3Credentials({ accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "example-secret" }),
} as const;
let server: Server;
let baseUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end('{"Users":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the ostor client on the wire", () => {
  const cases: [string, Record<string, string | boolean> | undefined, string][] = [
    ["no selector", undefined, "/?ostor-users"],
    ["id", { id: "b09693b73b3c7686" }, "/?ostor-users&id=b09693b73b3c7686"],
    ["emailAddress", { emailAddress: "user+1@email.com" }, "/?ostor-users&emailAddress=user%2B1%40email.com"],
    ["space", { space: true }, "/?ostor-users&space"],
    ["space: false", { space: false }, "/?ostor-users"],
    ["id and space", { id: "b09693b73b3c7686", space: true }, "/?ostor-users&id=b09693b73b3c7686&space"],
    [
      "emailAddress and space",
      { emailAddress: "a@b.c", space: true },
      "/?ostor-users&emailAddress=a%40b.c&space",
    ],
  ];

  for (const [label, query, target] of cases) {
    it(`sends ${target} for ${label}`, async () => {
      const client = createOstorClient({ baseUrl, credentials });
      const { response } = await client.GET("/?ostor-users", query ? { params: { query } } : {});
      expect(response.status).toBe(200);
      expect(seen.at(-1)).toBe(target);
    });
  }

  it("never writes the flag with an `=`", () => {
    expect(seen.length).toBeGreaterThan(0);
    for (const target of seen) expect(target).not.toMatch(/ostor-users=/);
  });
});
