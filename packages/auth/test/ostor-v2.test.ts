/**
 * ostor's SigV2: every case of fixtures/s3-sigv2-ostor.json (AWS's published V2 examples and the
 * ostor admin cases derived from Virtuozzo's guide; `about` and each `source` name the origin), the
 * negative case included, then request-level behaviour and a cross-check over generated requests
 * against an independent StringToSign written here and HMAC-SHA1/Base64 from node:crypto.
 */
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CredentialsError, createPipeline } from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ostorV2,
  ostorV2SignatureHeaders,
  ostorV2StringToSign,
  signOstorV2Request,
} from "../src/signers/ostor-v2.js";

interface V2Case {
  id: string;
  source: string;
  access_key_id?: string;
  secret: string;
  method?: string;
  url?: string;
  date?: string;
  amz_headers?: Record<string, string>;
  string_to_sign: string;
  expected_signature: string;
  negative?: boolean;
}

const vectors = JSON.parse(
  readFileSync(new URL("./fixtures/s3-sigv2-ostor.json", import.meta.url), "utf8"),
) as {
  cases: V2Case[];
};
const KEY_ID = "b09693b73b3c7686A1B2";
const hmacSha1 = (secret: string, text: string) =>
  createHmac("sha1", secret).update(text, "utf8").digest("base64");

describe("s3-sigv2-ostor.json", () => {
  it("holds the 7 published cases, one of them negative", () => {
    expect(vectors.cases).toHaveLength(7);
    expect(vectors.cases.filter((c) => c.negative)).toHaveLength(1);
  });

  describe.each(vectors.cases)("$id", (c) => {
    it("the vector is self-consistent (node:crypto HMAC-SHA1 of its StringToSign)", () => {
      expect(hmacSha1(c.secret, c.string_to_sign)).toBe(c.expected_signature);
    });

    // The AWS cases give only a StringToSign: the request is the path-style GET it describes.
    const lines = c.string_to_sign.split("\n");
    const url = c.url ?? `https://s3.amazonaws.com${lines.at(-1)}`;
    const method = c.method ?? lines[0]!;
    const date = c.date ?? lines[3]!;
    const accessKeyId = c.access_key_id ?? KEY_ID;
    const request = () => new Request(url, { method, headers: { date, ...c.amz_headers } });

    if (c.negative) {
      it("we do NOT produce the generic-V2 signature (we sign /?ostor-users, not /)", async () => {
        expect(ostorV2StringToSign(request())).not.toBe(c.string_to_sign);
        expect(ostorV2StringToSign(request())).toBe(`GET\n\n\n${date}\n/?ostor-users`);
        const signed = await signOstorV2Request(request(), { accessKeyId, secretAccessKey: c.secret });
        expect(signed.headers.get("authorization")).not.toBe(`AWS ${accessKeyId}:${c.expected_signature}`);
        // ...but the ostor signature of the same request (vector ostor-gmt-date).
        expect(signed.headers.get("authorization")).toBe(`AWS ${accessKeyId}:q0et3l+jpwhSPeceastRcLEdohU=`);
      });
    } else {
      it("StringToSign and Authorization through signOstorV2Request", async () => {
        expect(ostorV2StringToSign(request())).toBe(c.string_to_sign);
        const signed = await signOstorV2Request(request(), { accessKeyId, secretAccessKey: c.secret });
        expect(signed.headers.get("authorization")).toBe(`AWS ${accessKeyId}:${c.expected_signature}`);
        expect(signed.headers.get("date")).toBe(date);
      });
    }
  });
});

describe("signOstorV2Request", () => {
  const secretAccessKey = "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA";
  const credentials = { accessKeyId: KEY_ID, secretAccessKey };
  const date = new Date("2021-03-24T15:01:11Z");

  it("signs only the first query token of an admin call: ?ostor-users&id=…&space → /?ostor-users", async () => {
    const request = new Request("https://s3.example.com/?ostor-users&id=b09693b73b3c7686&space");
    const signed = await signOstorV2Request(request, credentials, { date });
    expect(ostorV2StringToSign(signed)).toBe("GET\n\n\nWed, 24 Mar 2021 15:01:11 GMT\n/?ostor-users");
    // The vector ostor-gmt-date: the same signature as a bare ?ostor-users.
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:q0et3l+jpwhSPeceastRcLEdohU=`);
    expect(signed.url).toBe(request.url);
  });

  it("stamps an RFC 1123 Date in GMT (toUTCString form), now by default", async () => {
    const fixed = await signOstorV2Request(new Request("https://s3.example.com/?ostor-users"), credentials, {
      date,
    });
    expect(fixed.headers.get("date")).toBe("Wed, 24 Mar 2021 15:01:11 GMT");
    // "Now" is the clock's, read at signing: a fixed one gives the exact header.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2031-07-09T10:11:12.345Z"));
      const now = await signOstorV2Request(new Request("https://s3.example.com/?ostor-users"), credentials);
      expect(now.headers.get("date")).toBe("Wed, 09 Jul 2031 10:11:12 GMT");
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps a Date the request already has, verbatim (numeric offsets included)", async () => {
    const request = new Request("https://s3.example.com/?ostor-users", {
      headers: { date: "Wed, 24 Mar 2021 17:01:11 +0200" },
    });
    const signed = await signOstorV2Request(request, credentials, { date: new Date(0) });
    expect(signed.headers.get("date")).toBe("Wed, 24 Mar 2021 17:01:11 +0200");
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:ajIflwcz+d5drra3U8b8WaYtm+0=`);
  });

  it("x-amz-content-sha256 joins the canonicalised amz headers", async () => {
    const request = new Request("https://s3.example.com/?ostor-users", {
      headers: { "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" },
    });
    const signed = await signOstorV2Request(request, credentials, { date });
    expect(ostorV2StringToSign(signed)).toBe(
      "GET\n\n\nWed, 24 Mar 2021 15:01:11 GMT\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n/?ostor-users",
    );
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:6LVVEQYKvHHAT2AcmyEmLnTLwWw=`);
  });

  it("useAmzDate: sends x-amz-date (browsers forbid Date) and leaves the Date line empty", async () => {
    const signed = await signOstorV2Request(new Request("https://s3.example.com/?ostor-users"), credentials, {
      date,
      useAmzDate: true,
    });
    expect(signed.headers.has("date")).toBe(false);
    expect(signed.headers.get("x-amz-date")).toBe("Wed, 24 Mar 2021 15:01:11 GMT");
    const expected = "GET\n\n\n\nx-amz-date:Wed, 24 Mar 2021 15:01:11 GMT\n/?ostor-users";
    expect(ostorV2StringToSign(signed)).toBe(expected);
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:${hmacSha1(secretAccessKey, expected)}`);
  });

  it("signs Content-MD5, Content-Type and sorted, trimmed amz headers; the body is kept", async () => {
    const body = JSON.stringify({ limit: 10 });
    const request = new Request("https://s3.example.com/?ostor-limits&emailAddress=a%40b.c&ops:default=10", {
      method: "PUT",
      headers: {
        "Content-Type": "application/json",
        "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
        "X-Amz-Meta-Zeta": "  last ",
        "x-amz-acl": "private",
      },
      body,
    });
    const signed = await signOstorV2Request(request, credentials, { date });
    expect(ostorV2StringToSign(signed)).toBe(
      "PUT\n1B2M2Y8AsgTpgAmY7PhCfg==\napplication/json\nWed, 24 Mar 2021 15:01:11 GMT\n" +
        "x-amz-acl:private\nx-amz-meta-zeta:last\n/?ostor-limits",
    );
    expect(await signed.text()).toBe(body);
    // The input stays usable and unsigned.
    expect(await request.text()).toBe(body);
    expect(request.headers.has("authorization")).toBe(false);
  });

  it("bucket and object requests use the AWS V2 resource: path plus sorted AWS sub-resources", async () => {
    const request = new Request(
      "https://s3.example.com/my-bucket/photos/a%20b.jpg?versionId=3%2F4&foo=bar&acl&response-content-type=text%2Fplain",
    );
    const signed = await signOstorV2Request(request, credentials, { date });
    expect(ostorV2StringToSign(signed)).toBe(
      "GET\n\n\nWed, 24 Mar 2021 15:01:11 GMT\n" +
        "/my-bucket/photos/a%20b.jpg?acl&response-content-type=text/plain&versionId=3/4",
    );
  });

  it("rejects bad credentials with a CredentialsError naming the field, never the secret", async () => {
    const request = new Request("https://s3.example.com/?ostor-users");
    const attempts: [Partial<{ accessKeyId: string; secretAccessKey: string }>, string][] = [
      [{ secretAccessKey: "s3cr3t-value" }, "accessKeyId"],
      [{ accessKeyId: "has space", secretAccessKey: "s3cr3t-value" }, "accessKeyId"],
      [{ accessKeyId: "AK:X", secretAccessKey: "s3cr3t-value" }, "accessKeyId"],
      [{ accessKeyId: KEY_ID, secretAccessKey: "" }, "secretAccessKey"],
    ];
    for (const [bad, field] of attempts) {
      const error = await signOstorV2Request(request, bad as typeof credentials).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).field).toBe(field);
      expect(String((error as Error).message)).not.toContain("s3cr3t-value");
    }
    expect(() => ostorV2({ accessKeyId: "", secretAccessKey: "x" })).toThrow(CredentialsError);
    await expect(signOstorV2Request(request, credentials, { date: new Date("nope") })).rejects.toThrow(
      /date/,
    );
  });
});

/** Seeded generator for the cross-check (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("cross-check over generated requests (independent StringToSign, node:crypto HMAC-SHA1)", () => {
  const CASES = 600;

  it(`signs ${CASES} generated admin and object requests as the independent oracle does`, async () => {
    const random = prng(0x0057_0402);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
    const word = () => Array.from({ length: 1 + int(8) }, () => pick([..."abcXYZ019-._~ é+!()/&="])).join("");
    const SUB = ["acl", "versionId", "uploadId", "partNumber", "response-content-type", "tagging", "uploads"];
    let admin = 0;
    let objects = 0;

    for (let n = 0; n < CASES; n++) {
      const method = pick(["GET", "PUT", "POST", "DELETE", "HEAD"]);
      const isAdmin = random() < 0.5;
      const params: [string, string | undefined][] = [];
      for (let i = int(4); i > 0; i--) {
        const name = isAdmin
          ? pick(["emailAddress", "id", "space", "genKey", "bucket", "disable"])
          : pick([...SUB, "foo", "max-keys"]);
        params.push([name, random() < 0.3 ? undefined : word()]);
      }
      const query = params.map(([k, v]) => (v === undefined ? k : `${k}=${encodeURIComponent(v)}`));
      const first = pick(["ostor-users", "ostor-buckets", "ostor-limits", "ostor-usage", "ostor-quotas"]);
      const path = isAdmin ? "/" : `/bucket-${int(9)}/${encodeURIComponent(word())}`;
      const search = [...(isAdmin ? [first] : []), ...query].join("&");
      const url = `https://s3.example.com${path}${search ? `?${search}` : ""}`;

      const headers = new Headers();
      if (random() < 0.3)
        headers.set("content-type", pick(["application/json", "application/xml", "text/plain"]));
      if (random() < 0.2) headers.set("content-md5", Buffer.from(word()).toString("base64"));
      for (const name of ["x-amz-meta-a", "x-amz-acl", "x-amz-content-sha256", "x-amz-meta-b"]) {
        if (random() < 0.25) headers.set(name, ` ${word().replace(/[^ -~]/g, "x")} `);
      }
      const dating = pick(["option", "header", "amz"] as const);
      const when = new Date(Date.UTC(2015, 0, 1) + int(20 * 365 * 86_400_000));
      if (dating === "header") headers.set("date", "Wed, 24 Mar 2021 17:01:11 +0200");
      const body = (method === "PUT" || method === "POST") && random() < 0.5 ? word() : null;
      const secretAccessKey = Array.from({ length: 40 }, () => pick([..."ABCdef0123456789/+"])).join("");

      const request = new Request(url, { method, headers, body });
      const signed = await signOstorV2Request(
        request,
        { accessKeyId: KEY_ID, secretAccessKey },
        { date: when, useAmzDate: dating === "amz" },
      );

      // The oracle: the AWS V2 rules written out again, plainly, from what the request carries.
      const sent = signed.headers;
      const amz = [...sent]
        .filter(([name]) => name.startsWith("x-amz-"))
        .map(([name, value]) => `${name}:${value.trim()}\n`)
        .join("");
      let resource: string;
      if (isAdmin) {
        resource = `/?${first}`;
        admin++;
      } else {
        const signedSub = params
          .filter(([k]) => SUB.includes(k))
          .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
          .sort((a, b) =>
            a.split("=")[0]! < b.split("=")[0]! ? -1 : a.split("=")[0]! > b.split("=")[0]! ? 1 : 0,
          );
        resource = `${new URL(url).pathname}${signedSub.length ? `?${signedSub.join("&")}` : ""}`;
        objects++;
      }
      const dateLine =
        dating === "amz" ? "" : dating === "header" ? "Wed, 24 Mar 2021 17:01:11 +0200" : when.toUTCString();
      const expected = [
        method,
        sent.get("content-md5") ?? "",
        request.headers.get("content-type") ?? "",
        dateLine,
        `${amz}${resource}`,
      ].join("\n");

      expect(ostorV2StringToSign(signed), `case ${n}: ${method} ${url}`).toBe(expected);
      expect(signed.headers.get("authorization"), `case ${n}`).toBe(
        `AWS ${KEY_ID}:${hmacSha1(secretAccessKey, expected)}`,
      );
    }
    expect(admin + objects).toBe(CASES);
    expect(Math.min(admin, objects)).toBeGreaterThanOrEqual(200);
    process.stdout.write(
      `SigV2 cross-check: ${CASES} generated requests (${admin} admin, ${objects} object)\n`,
    );
  });
});

describe("ostorV2SignatureHeaders", () => {
  const secretAccessKey = "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA";
  const credentials = { accessKeyId: KEY_ID, secretAccessKey };
  const date = new Date("2021-03-24T15:01:11Z");

  it("returns Date and Authorization, leaves the parts untouched and signs as signOstorV2Request does", async () => {
    const headers = new Headers({ "x-amz-acl": "private" });
    const parts = { method: "GET", url: "https://s3.example.com/?ostor-users", headers, body: null };
    const signature = await ostorV2SignatureHeaders(parts, credentials, { date });
    expect(signature).toEqual({
      headers: { date: "Wed, 24 Mar 2021 15:01:11 GMT", authorization: expect.stringMatching(/^AWS /) },
    });
    expect([...headers]).toEqual([["x-amz-acl", "private"]]);
    const signed = await signOstorV2Request(new Request(parts.url, { headers }), credentials, { date });
    expect(signature.headers.authorization).toBe(signed.headers.get("authorization"));
  });

  it("useAmzDate: x-amz-date is signed in its sorted place among the request's amz headers", async () => {
    const headers = new Headers({ "x-amz-acl": "private", "x-amz-meta-z": "z" });
    const parts = { method: "GET", url: "https://s3.example.com/?ostor-users", headers, body: null };
    const signature = await ostorV2SignatureHeaders(parts, credentials, { date, useAmzDate: true });
    const expected =
      "GET\n\n\n\nx-amz-acl:private\nx-amz-date:Wed, 24 Mar 2021 15:01:11 GMT\nx-amz-meta-z:z\n/?ostor-users";
    expect(signature.headers).toEqual({
      "x-amz-date": "Wed, 24 Mar 2021 15:01:11 GMT",
      authorization: `AWS ${KEY_ID}:${hmacSha1(secretAccessKey, expected)}`,
    });
  });
});

describe("ostorV2 step over loopback HTTP", () => {
  const secretAccessKey = "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA";
  const seen: { url: string; date: string; ok: boolean }[] = [];
  let plan: number[] = [];
  const server = createServer((req, res) => {
    // The server's check, written independently: first query token only, HMAC-SHA1 from node:crypto.
    const url = req.url!;
    const first = url.slice(url.indexOf("?") + 1).split("&")[0];
    const date = String(req.headers.date);
    const expected = `AWS ${KEY_ID}:${hmacSha1(secretAccessKey, `${req.method}\n\n\n${date}\n/?${first}`)}`;
    const ok = req.headers.authorization === expected;
    seen.push({ url, date, ok });
    const status = ok ? (plan.shift() ?? 200) : 403;
    res
      .writeHead(status, {
        "content-type": "application/json",
        ...(status === 503 ? { "retry-after": "1" } : {}),
      })
      .end(JSON.stringify({ Users: [] }));
  });
  let baseUrl = "";

  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (key: string) =>
    createClient<{
      "/": {
        get: {
          parameters: { query?: Record<string, string> };
          responses: { 200: { content: { "application/json": { Users: unknown[] } } } };
        };
      };
    }>({
      baseUrl,
      querySerializer: () => "ostor-users&space",
      fetch: createPipeline(
        {
          provider: "test",
          steps: [ostorV2({ accessKeyId: KEY_ID, secretAccessKey: key })],
        },
        {
          retry: { random: () => 0 },
        },
      ),
    });

  it("signs ?ostor-users&space as the server checks it, and a retry afresh with a new Date", async () => {
    seen.length = 0;
    plan = [503];
    const { data, response } = await client(secretAccessKey).GET("/");
    expect(response.status).toBe(200);
    expect(data).toEqual({ Users: [] });
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.ok && s.url === "/?ostor-users&space")).toBe(true);
    // The wait is the server's Retry-After (1 s), so the second Date is a later second.
    expect(Date.parse(seen[1]!.date)).toBeGreaterThan(Date.parse(seen[0]!.date));
  });

  it("is refused with a wrong secret, and the 403 is not retried", async () => {
    seen.length = 0;
    const { response } = await client("x").GET("/");
    expect(response.status).toBe(403);
    expect(seen).toEqual([expect.objectContaining({ ok: false })]);
  });
});
