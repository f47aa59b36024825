/**
 * The rules of Huawei's `SDK-HMAC-SHA256` one by one (providers.md §1.3), including the cases the
 * differential test cannot reach through the vendor signer (encoded slashes, invalid escapes, sort order).
 */
import { createHash, createHmac } from "node:crypto";
import { type Attempt, CredentialsError, InvalidInputError } from "@bucketry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  huaweiAkSk,
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiCanonicalUri,
  huaweiQueryPairs,
  huaweiSdkDate,
  huaweiSignatureHeaders,
  signHuaweiRequest,
} from "../src/signers/huawei.js";

const KEYS = { accessKey: "AccessKey", secretKey: "SecretKey" };
const DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const AUTH = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

function signedHeadersOf(request: Request): string {
  return AUTH.exec(request.headers.get("authorization") ?? "")?.[2] ?? "";
}

/** The signature recomputed with node:crypto from a canonical request we state in the test. */
function expectedSignature(canonical: string, sdkDate: string, secretKey = KEYS.secretKey): string {
  const hash = createHash("sha256").update(canonical).digest("hex");
  return createHmac("sha256", secretKey).update(`SDK-HMAC-SHA256\n${sdkDate}\n${hash}`).digest("hex");
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("canonical URI", () => {
  it.each([
    ["", "/"],
    ["/", "/"],
    ["/v1/abc/vpcs", "/v1/abc/vpcs/"],
    ["/v1/abc/vpcs/", "/v1/abc/vpcs/"],
    ["/a//b", "/a//b/"],
    // Already encoded input is decoded once, never encoded twice; escapes come out upper-case.
    ["/a%20b/%c3%bc", "/a%20b/%C3%BC/"],
    ["/urn%3Afss%3Acn-north-4", "/urn%3Afss%3Acn-north-4/"],
    ["/%41%7e%2D", "/A~-/"],
    // What encodeURIComponent leaves bare must be escaped.
    ["/!*'()", "/%21%2A%27%28%29/"],
    ["/a:b@c$d&e=f+g,h;i", "/a%3Ab%40c%24d%26e%3Df%2Bg%2Ch%3Bi/"],
    // An encoded slash stays inside its segment.
    ["/a%2Fb/c", "/a%2Fb/c/"],
    // A `%` without two hex digits is a literal percent sign.
    ["/100%/x%zz", "/100%25/x%25zz/"],
    ["/%E6%97%A5%E6%9C%AC/%F0%9F%98%80", "/%E6%97%A5%E6%9C%AC/%F0%9F%98%80/"],
  ])("%s → %s", (path, canonical) => {
    expect(huaweiCanonicalUri(path)).toBe(canonical);
  });

  it("is the same for a URL given raw or pre-encoded", async () => {
    const raw = await signHuaweiRequest(new Request("https://h.example/ü b/x(1)"), KEYS, { date: DATE });
    const encoded = await signHuaweiRequest(new Request("https://h.example/%C3%BC%20b/x%281%29"), KEYS, {
      date: DATE,
    });
    expect(raw.headers.get("authorization")).toBe(encoded.headers.get("authorization"));
  });

  it("refuses escapes that are not UTF-8, naming the URL", () => {
    const error = errorOf(() => huaweiCanonicalUri("/a/%FF%FE"));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("url");
  });

  it("keeps a leading byte-order mark", () => {
    expect(huaweiCanonicalUri("/%EF%BB%BFx")).toBe("/%EF%BB%BFx/");
  });
});

describe("canonical query", () => {
  const fromUrl = (search: string) => huaweiCanonicalQuery(huaweiQueryPairs(search));

  it.each([
    ["", ""],
    ["?", ""],
    ["?limit=2&marker=abc", "limit=2&marker=abc"],
    // Value-less parameters are written `name=`; empty pieces are no parameter.
    ["?acl&b=1", "acl=&b=1"],
    ["?a=1&&b=2&", "a=1&b=2"],
    ["?=v", "=v"],
    // Upper-case sorts before lower-case; repeated names stay, ordered by value.
    ["?b=1&B=2&a=3", "B=2&a=3&b=1"],
    ["?m=3&m=1&m=2&m=1", "m=1&m=1&m=2&m=3"],
    // `+` is a literal plus, not a form-encoded space; spaces are %20.
    ["?q=a+b&r=a%20b&s=a b", "q=a%2Bb&r=a%20b&s=a%20b"],
    ["?x=%e4%b8%80&y=!*'()", "x=%E4%B8%80&y=%21%2A%27%28%29"],
    ["?eq=a=b=c", "eq=a%3Db%3Dc"],
    ["?pct=100%&bad=%zz", "bad=%25zz&pct=100%25"],
  ])("%s → %s", (search, canonical) => {
    expect(fromUrl(search)).toBe(canonical);
  });

  it("sorts by decoded name (as the SDKs do), not by encoded name", () => {
    // Decoded "a." < "a/"; encoded, "a%2F" would come first.
    expect(
      huaweiCanonicalQuery([
        ["a/", "1"],
        ["a.", "2"],
      ]),
    ).toBe("a.=2&a%2F=1");
  });

  it("sorts by code point (Go, Python), not by UTF-16 unit", () => {
    // U+FF41 < U+1F600 as code points, but its UTF-16 unit FF41 > the surrogate D83D.
    expect(
      huaweiCanonicalQuery([
        ["😀", "1"],
        ["ａ", "2"],
      ]),
    ).toBe("%EF%BD%81=2&%F0%9F%98%80=1");
    expect(
      huaweiCanonicalQuery([
        ["k", "😀"],
        ["k", "ａ"],
      ]),
    ).toBe("k=%EF%BD%81&k=%F0%9F%98%80");
  });

  it("refuses a lone surrogate", () => {
    expect((errorOf(() => huaweiCanonicalQuery([["k", "\uD800"]])) as InvalidInputError).field).toBe("query");
  });
});

describe("signHuaweiRequest", () => {
  it("signs host and x-sdk-date by default, nothing else the request carries", async () => {
    const request = new Request("https://svc.example:8443/v1/x?b=2&a=1", {
      headers: {
        "Content-Type": "application/json",
        TEST_UNDERSCORE: "v",
        "User-Agent": "ua",
        "X-Custom": "c",
      },
    });
    const signed = await signHuaweiRequest(request, KEYS, { date: DATE });
    expect(signed.headers.get("x-sdk-date")).toBe("20240102T030405Z");
    const canonical = [
      "GET",
      "/v1/x/",
      "a=1&b=2",
      "host:svc.example:8443\nx-sdk-date:20240102T030405Z\n",
      "host;x-sdk-date",
      EMPTY_SHA256,
    ].join("\n");
    expect(signed.headers.get("authorization")).toBe(
      `SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=${expectedSignature(canonical, "20240102T030405Z")}`,
    );
    // Everything else is passed on untouched.
    expect(signed.headers.get("x-custom")).toBe("c");
    expect(signed.headers.get("test_underscore")).toBe("v");
  });

  it("signs X-Project-Id when present and adds and signs X-Security-Token for temporary credentials", async () => {
    const request = new Request("https://svc.example/v1", { headers: { "X-Project-Id": "p1" } });
    const signed = await signHuaweiRequest(request, { ...KEYS, securityToken: "tok" }, { date: DATE });
    expect(signed.headers.get("x-security-token")).toBe("tok");
    expect(signedHeadersOf(signed)).toBe("host;x-project-id;x-sdk-date;x-security-token");
    const canonical = [
      "GET",
      "/v1/",
      "",
      "host:svc.example\nx-project-id:p1\nx-sdk-date:20240102T030405Z\nx-security-token:tok\n",
      "host;x-project-id;x-sdk-date;x-security-token",
      EMPTY_SHA256,
    ].join("\n");
    expect(signed.headers.get("authorization")).toContain(
      `Signature=${expectedSignature(canonical, "20240102T030405Z")}`,
    );
  });

  it("uses an explicit Host header, and drops a default port", async () => {
    const withHost = await signHuaweiRequest(
      new Request("https://a.example/", { headers: { Host: "b.example" } }),
      KEYS,
      {
        date: DATE,
      },
    );
    const plain = await signHuaweiRequest(new Request("https://b.example/"), KEYS, { date: DATE });
    expect(withHost.headers.get("authorization")).toBe(plain.headers.get("authorization"));
    const defaultPort = await signHuaweiRequest(new Request("https://b.example:443/"), KEYS, { date: DATE });
    expect(defaultPort.headers.get("authorization")).toBe(plain.headers.get("authorization"));
  });

  it("hashes the exact body bytes and leaves the input usable", async () => {
    const body = '{"Name":"test","Id":1}\n';
    const input = new Request("https://h.example/p", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
    });
    const signed = await signHuaweiRequest(input, KEYS, { date: DATE });
    const hash = createHash("sha256").update(body).digest("hex");
    const canonical = [
      "POST",
      "/p/",
      "",
      "host:h.example\nx-sdk-date:20240102T030405Z\n",
      "host;x-sdk-date",
      hash,
    ].join("\n");
    expect(signed.headers.get("authorization")).toContain(
      `Signature=${expectedSignature(canonical, "20240102T030405Z")}`,
    );
    expect(await signed.text()).toBe(body);
    expect(await input.text()).toBe(body);
    expect(input.headers.has("authorization")).toBe(false);
  });

  it("hashes a stream body like the same bytes in a buffer", async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 300));
        controller.enqueue(bytes.slice(300));
        controller.close();
      },
    });
    const input = new Request("https://h.example/s", {
      method: "PUT",
      body: stream,
      duplex: "half",
    } as RequestInit);
    const fromStream = await signHuaweiRequest(input, KEYS, { date: DATE });
    const fromBuffer = await signHuaweiRequest(
      new Request("https://h.example/s", { method: "PUT", body: bytes }),
      KEYS,
      {
        date: DATE,
      },
    );
    expect(fromStream.headers.get("authorization")).toBe(fromBuffer.headers.get("authorization"));
    expect(new Uint8Array(await fromStream.arrayBuffer())).toEqual(bytes);
    expect(new Uint8Array(await input.arrayBuffer())).toEqual(bytes);
  });

  it("with unsignedPayload signs UNSIGNED-PAYLOAD and sends the header, without reading the body", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("large"));
        controller.close();
      },
    });
    const input = new Request("https://h.example/u", {
      method: "PUT",
      body: stream,
      duplex: "half",
    } as RequestInit);
    const signed = await signHuaweiRequest(input, KEYS, { date: DATE, unsignedPayload: true });
    expect(signed.headers.get("x-sdk-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    const canonical = [
      "PUT",
      "/u/",
      "",
      "host:h.example\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n",
      "host;x-sdk-content-sha256;x-sdk-date",
      "UNSIGNED-PAYLOAD",
    ].join("\n");
    expect(signed.headers.get("authorization")).toContain(
      `Signature=${expectedSignature(canonical, "20240102T030405Z")}`,
    );
    expect(await signed.text()).toBe("large");
    expect(await input.text()).toBe("large");
  });

  it("honours an X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD the caller set, and refuses any other value", async () => {
    const unsigned = new Request("https://h.example/", {
      method: "POST",
      body: "x",
      headers: { "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" },
    });
    expect(signedHeadersOf(await signHuaweiRequest(unsigned, KEYS, { date: DATE }))).toBe(
      "host;x-sdk-content-sha256;x-sdk-date",
    );
    const other = new Request("https://h.example/", {
      method: "POST",
      body: "x",
      headers: { "X-Sdk-Content-Sha256": "abc" },
    });
    const error = await rejectionOf(signHuaweiRequest(other, KEYS, { date: DATE }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("X-Sdk-Content-Sha256");
  });

  it("replaces a stale X-Sdk-Date and upper-cases the method for signing", async () => {
    const stale = new Request("https://h.example/", {
      method: "patch",
      headers: { "X-Sdk-Date": "20000101T000000Z" },
    });
    const signed = await signHuaweiRequest(stale, KEYS, { date: DATE });
    expect(signed.headers.get("x-sdk-date")).toBe("20240102T030405Z");
    const canonical = [
      "PATCH",
      "/",
      "",
      "host:h.example\nx-sdk-date:20240102T030405Z\n",
      "host;x-sdk-date",
      EMPTY_SHA256,
    ].join("\n");
    expect(signed.headers.get("authorization")).toContain(
      `Signature=${expectedSignature(canonical, "20240102T030405Z")}`,
    );
  });

  it("signs exactly the headers asked for, lower-cased, plus x-sdk-date", async () => {
    const request = new Request("https://h.example/", {
      headers: { "Content-Type": "application/json", "X-A": "1" },
    });
    const signed = await signHuaweiRequest(request, KEYS, {
      date: DATE,
      signedHeaders: ["Content-Type", "X-A", "HOST"],
    });
    expect(signedHeadersOf(signed)).toBe("content-type;host;x-a;x-sdk-date");
    const goStyle = await signHuaweiRequest(request, KEYS, { date: DATE, signedHeaders: [] });
    expect(signedHeadersOf(goStyle)).toBe("x-sdk-date");
  });

  it("refuses to sign a header the request does not carry, or Authorization", async () => {
    const request = new Request("https://h.example/");
    for (const signedHeaders of [["x-missing"], ["authorization"]]) {
      const error = await rejectionOf(signHuaweiRequest(request, KEYS, { date: DATE, signedHeaders }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("signedHeaders");
    }
  });

  it("refuses bad credentials, a used body and a bad date before signing, without echoing the key", async () => {
    const request = new Request("https://h.example/");
    const noAk = await rejectionOf(signHuaweiRequest(request, { accessKey: "", secretKey: "TopSecret" }));
    expect(noAk).toBeInstanceOf(CredentialsError);
    expect((noAk as CredentialsError).field).toBe("accessKey");
    expect((noAk as Error).message).not.toContain("TopSecret");
    const noSk = await rejectionOf(signHuaweiRequest(request, { accessKey: "AK", secretKey: "" }));
    expect((noSk as CredentialsError).field).toBe("secretKey");

    const used = new Request("https://h.example/", { method: "POST", body: "x" });
    await used.text();
    expect(((await rejectionOf(signHuaweiRequest(used, KEYS))) as InvalidInputError).field).toBe("request");
    expect(
      (
        (await rejectionOf(
          signHuaweiRequest(request, KEYS, { date: new Date(Number.NaN) }),
        )) as InvalidInputError
      ).field,
    ).toBe("date");
  });
});

describe("huaweiSdkDate and huaweiCanonicalRequest", () => {
  it("formats UTC basic ISO 8601 without milliseconds", () => {
    expect(huaweiSdkDate(new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 999)))).toBe("20191115T033655Z");
  });

  it("trims header values and signs the trailing-slash path", () => {
    const canonical = huaweiCanonicalRequest({
      method: "get",
      url: "https://h.example/x?z",
      headers: [["X-Pad", "  a  b  "]],
      signedHeaders: ["X-Pad", "host"],
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    expect(canonical).toBe("GET\n/x/\nz=\nhost:h.example\nx-pad:a  b\n\nhost;x-pad\nUNSIGNED-PAYLOAD");
  });
});

describe("huaweiSignatureHeaders", () => {
  const url = "https://h.example/v1/p-1/buckets";
  const body = new TextEncoder().encode("payload");

  it("returns the headers to set, leaves the parts untouched and signs as signHuaweiRequest does", async () => {
    const headers = new Headers({ "Content-Type": "application/json" });
    const credentials = { ...KEYS, securityToken: "tok" };
    const signature = await huaweiSignatureHeaders({ method: "POST", url, headers, body }, credentials, {
      date: DATE,
      projectId: "p-1",
    });
    expect(Object.keys(signature.headers).sort()).toEqual([
      "authorization",
      "x-project-id",
      "x-sdk-date",
      "x-security-token",
    ]);
    expect(signature.url).toBeUndefined();
    expect([...headers]).toEqual([["content-type", "application/json"]]);
    const signed = await signHuaweiRequest(
      new Request(url, {
        method: "POST",
        body: "payload",
        headers: { ...Object.fromEntries(headers), "X-Project-Id": "p-1" },
      }),
      credentials,
      { date: DATE },
    );
    expect(signature.headers.authorization).toBe(signed.headers.get("authorization"));
    expect(signedHeadersOf(signed)).toBe("host;x-project-id;x-sdk-date;x-security-token");
  });

  it("refuses a malformed projectId, naming it", async () => {
    const error = await rejectionOf(
      huaweiSignatureHeaders({ method: "GET", url, headers: new Headers(), body: null }, KEYS, {
        projectId: "not/a/project",
      }),
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).field).toBe("projectId");
  });

  it("signHuaweiRequest's Request follows the input's signal", async () => {
    const controller = new AbortController();
    const signed = await signHuaweiRequest(new Request(url, { signal: controller.signal }), KEYS, {
      date: DATE,
    });
    expect(signed.signal.aborted).toBe(false);
    controller.abort(new Error("stop"));
    expect(signed.signal.aborted).toBe(true);
  });
});

describe("huaweiAkSk step", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const attempt = (number: number): Attempt => ({
    number,
    signal: new AbortController().signal,
    emit: () => {},
  });

  it("stamps each attempt in place with a new date and a fresh signature", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(DATE);
    const step = huaweiAkSk({ ...KEYS, projectId: "p-1" });
    const url = "https://h.example/v1/p-1/buckets";
    const parts = () => ({
      method: "POST",
      url,
      headers: new Headers(),
      body: new TextEncoder().encode("payload"),
    });
    const first = parts();
    await step.prepare?.(first, attempt(1));
    expect(first.headers.get("x-sdk-date")).toBe("20240102T030405Z");
    expect(first.headers.get("x-project-id")).toBe("p-1");
    expect(first.url).toBe(url);

    vi.setSystemTime(new Date(DATE.getTime() + 61_000));
    const second = parts();
    await step.prepare?.(second, attempt(2));
    expect(second.headers.get("x-sdk-date")).toBe("20240102T030506Z");
    expect(second.headers.get("x-project-id")).toBe("p-1");
    // Exactly a fresh signature of the unsigned request at the new time.
    const fresh = await signHuaweiRequest(
      new Request(url, { method: "POST", body: "payload", headers: { "X-Project-Id": "p-1" } }),
      KEYS,
      { date: new Date() },
    );
    expect(second.headers.get("authorization")).toBe(fresh.headers.get("authorization"));
    expect(second.headers.get("authorization")).not.toBe(first.headers.get("authorization"));
  });
});
