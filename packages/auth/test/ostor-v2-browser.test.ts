/**
 * ostor's SigV2 in a browser, simulated: the runtime check (`fetchDropsDate`) answers for a
 * browser-like global scope, so the signer must never sign a `Date` the platform would drop
 * and signs `x-amz-date` instead. The check itself is tested over the scopes of each runtime.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { fetchDropsDate } from "../src/runtime.js";
import { ostorV2, ostorV2StringToSign, signOstorV2Request } from "../src/signers/ostor-v2.js";

const BROWSER = { document: {}, navigator: { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" } };

vi.mock("../src/runtime.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/runtime.js")>();
  return { fetchDropsDate: (scope?: object) => real.fetchDropsDate(scope ?? BROWSER) };
});

const KEY_ID = "b09693b73b3c7686A1B2";
const secretAccessKey = "dbwTnQTW602aAAdq8DQVFzB6yrTCFTNiGB8C8RFA";
const credentials = { accessKeyId: KEY_ID, secretAccessKey };
const date = new Date("2021-03-24T15:01:11Z");
const hmacSha1 = (text: string) => createHmac("sha1", secretAccessKey).update(text).digest("base64");

describe("fetchDropsDate", () => {
  it.each([
    ["Node", { process: { versions: { node: "20.19.0" } } }, false],
    ["Deno", { Deno: {}, process: {} }, false],
    ["Bun", { Bun: {} }, false],
    ["Cloudflare workerd", { navigator: { userAgent: "Cloudflare-Workers" } }, false],
    ["a browser window", BROWSER, true],
    ["a web worker (no document)", { navigator: { userAgent: "Mozilla/5.0" } }, true],
    [
      "Electron's renderer",
      { process: { versions: { node: "22.0.0" }, type: "renderer" }, document: {} },
      true,
    ],
    ["an unknown runtime", {}, true],
  ])("%s", (_, scope, drops) => {
    expect(fetchDropsDate(scope)).toBe(drops);
  });

  it("this test's own runtime (Node) keeps Date", () => {
    expect(fetchDropsDate(globalThis)).toBe(false);
  });
});

describe("ostor V2 in a browser", () => {
  it("signs and sends x-amz-date, never Date, even without useAmzDate", async () => {
    const signed = await signOstorV2Request(new Request("https://s3.example.com/?ostor-users"), credentials, {
      date,
    });
    expect(signed.headers.has("date")).toBe(false);
    expect(signed.headers.get("x-amz-date")).toBe("Wed, 24 Mar 2021 15:01:11 GMT");
    const expected = "GET\n\n\n\nx-amz-date:Wed, 24 Mar 2021 15:01:11 GMT\n/?ostor-users";
    expect(ostorV2StringToSign(signed)).toBe(expected);
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:${hmacSha1(expected)}`);
  });

  it("moves a Date the caller set into x-amz-date, so the signature does not cover the dropped header", async () => {
    const given = "Wed, 24 Mar 2021 17:01:11 +0200";
    const request = new Request("https://s3.example.com/?ostor-users", { headers: { date: given } });
    const signed = await signOstorV2Request(request, credentials);
    expect(signed.headers.get("x-amz-date")).toBe(given);
    const expected = `GET\n\n\n\nx-amz-date:${given}\n/?ostor-users`;
    expect(signed.headers.get("authorization")).toBe(`AWS ${KEY_ID}:${hmacSha1(expected)}`);
  });

  it("the ostorV2 step stamps x-amz-date on each attempt", async () => {
    const step = ostorV2(credentials);
    const attempt = {
      method: "GET",
      url: "https://s3.example.com/?ostor-users",
      headers: new Headers(),
      body: null,
    };
    // The clock read at signing, fixed here so the header can be checked exactly.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2031-07-09T10:11:12.345Z"));
      await step.prepare?.(attempt, { number: 1, signal: new AbortController().signal, emit: () => {} });
    } finally {
      vi.useRealTimers();
    }
    expect(attempt.headers.has("date")).toBe(false);
    expect(attempt.headers.get("x-amz-date")).toBe("Wed, 09 Jul 2031 10:11:12 GMT");
    expect(ostorV2StringToSign(attempt)).toMatch(/^GET\n\n\n\nx-amz-date:/);
  });
});
