/**
 * The Huawei fakes' `SDK-HMAC-SHA256` verifier against the published known answers (signing guide,
 * Java/Python/Go SDK test suites) and the derived fixtures of our two endpoints.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiCanonicalUri,
  parseSdkDate,
  type SignableRequest,
  verifyHuaweiSignature,
} from "../src/fakes/huawei.js";

interface HuaweiCase {
  id: string;
  access_key: string | null;
  secret_key: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  signed_headers: string[];
  expected_canonical_request?: string;
  expected_canonical_request_sha256?: string;
  expected_string_to_sign?: string;
  expected_authorization?: string;
}

const vectors = JSON.parse(
  readFileSync(new URL("./fixtures/huawei-sdk-hmac-sha256.json", import.meta.url), "utf8"),
) as { cases: HuaweiCase[] };

/** The request as the gateway would receive it: Host from the URL unless a Host header is given. */
function received(c: HuaweiCase): SignableRequest {
  const url = new URL(c.url);
  const rawHeaders: string[] = [];
  if (!Object.keys(c.headers).some((h) => h.toLowerCase() === "host")) rawHeaders.push("Host", url.host);
  for (const [name, value] of Object.entries(c.headers)) rawHeaders.push(name, value);
  if (c.expected_authorization) rawHeaders.push("Authorization", c.expected_authorization);
  return { method: c.method, target: `${url.pathname}${url.search}`, rawHeaders, body: c.body };
}

describe("SDK-HMAC-SHA256 verifier (published vectors)", () => {
  const signed = vectors.cases.filter((c) => c.expected_authorization);

  it("has the cases it claims", () => {
    expect(vectors.cases.length).toBe(10);
    expect(signed.length).toBe(9);
  });

  it("A: rebuilds the signing guide's canonical request exactly", () => {
    const a = vectors.cases.find((c) => c.id === "A-doc-canonical-hash") as HuaweiCase;
    expect(huaweiCanonicalRequest(received(a), a.signed_headers)).toBe(a.expected_canonical_request);
  });

  for (const c of signed) {
    it(`${c.id}: accepts the published Authorization`, () => {
      const date = parseSdkDate(c.headers["X-Sdk-Date"] as string) as number;
      const result = verifyHuaweiSignature(
        received(c),
        (ak) => (ak === c.access_key ? (c.secret_key ?? "") : undefined),
        {
          now: date,
        },
      );
      expect(result).toMatchObject({ ok: true, accessKey: c.access_key, signedHeaders: c.signed_headers });
    });

    it(`${c.id}: refuses it with a wrong secret, quoting its canonical request`, () => {
      const date = parseSdkDate(c.headers["X-Sdk-Date"] as string) as number;
      const result = verifyHuaweiSignature(received(c), () => "wrong", { now: date });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe("signature-mismatch");
      expect(result.message).toContain("verify aksk signature fail, canonicalRequest:");
      expect(result.message).toContain(
        (huaweiCanonicalRequest(received(c), c.signed_headers) as string).replaceAll("\n", "|"),
      );
    });
  }

  it("E: the derived canonical-request hashes of our endpoints match", async () => {
    const { createHash } = await import("node:crypto");
    for (const c of vectors.cases.filter((x) => x.id.startsWith("E"))) {
      const canonical = huaweiCanonicalRequest(received(c), c.signed_headers);
      expect(createHash("sha256").update(canonical).digest("hex")).toBe(c.expected_canonical_request_sha256);
    }
  });

  it("rejects a signature outside the 15-minute window, either side", () => {
    const c = signed[0] as HuaweiCase;
    const date = parseSdkDate(c.headers["X-Sdk-Date"] as string) as number;
    const secretOf = () => c.secret_key ?? "";
    expect(verifyHuaweiSignature(received(c), secretOf, { now: date + 15 * 60_000 }).ok).toBe(true);
    for (const now of [date + 15 * 60_000 + 1000, date - 15 * 60_000 - 1000]) {
      const result = verifyHuaweiSignature(received(c), secretOf, { now });
      expect(result).toMatchObject({ ok: false, reason: "signature-expired" });
      if (!result.ok)
        expect(result.message).toMatch(/signature expired, signature time:20191115T033655Z,server time:/);
    }
  });

  it("requires x-sdk-date to be signed", () => {
    const c = signed[0] as HuaweiCase;
    const request = received(c);
    request.rawHeaders = request.rawHeaders.map((v) =>
      v.startsWith("SDK-HMAC-SHA256") ? v.replace("SignedHeaders=host;x-sdk-date", "SignedHeaders=host") : v,
    );
    const result = verifyHuaweiSignature(request, () => c.secret_key ?? "", {
      now: Date.UTC(2019, 10, 15, 3, 36, 55),
    });
    expect(result).toMatchObject({ ok: false, reason: "date-missing" });
  });

  it("names an unknown AK like the gateway", () => {
    const c = signed[0] as HuaweiCase;
    const result = verifyHuaweiSignature(received(c), () => undefined, { now: 0 });
    expect(result).toMatchObject({
      ok: false,
      reason: "unknown-access-key",
      message: "Incorrect IAM authentication information: Get secretKey failed,ak:AccessKey,err:ak not exist",
    });
  });
});

describe("canonical URI and query", () => {
  it("appends the trailing slash and encodes each segment once", () => {
    expect(huaweiCanonicalUri("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs")).toBe(
      "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    );
    expect(huaweiCanonicalUri("")).toBe("/");
    expect(huaweiCanonicalUri("/")).toBe("/");
    expect(huaweiCanonicalUri("/app1")).toBe("/app1/");
    // Already-encoded input is decoded first (no double encoding), "!'()*" and ":" are escaped.
    expect(huaweiCanonicalUri("/urn%3Afss%3Ax/a:b/!'()*")).toBe("/urn%3Afss%3Ax/a%3Ab/%21%27%28%29%2A/");
    expect(huaweiCanonicalUri("/%E6%A1%B6/x%20y")).toBe("/%E6%A1%B6/x%20y/");
  });

  it("reproduces the SDKs' query vector (sorted, repeated names, RFC 3986)", () => {
    const raw =
      "limit=1&enable=true&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29&path=/tmp/123&multi=2&multi=1&multi=3";
    expect(huaweiCanonicalQuery(raw)).toBe(
      "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
    );
    expect(huaweiCanonicalQuery("flag&b=2&B=1")).toBe("B=1&b=2&flag=");
    expect(huaweiCanonicalQuery("")).toBe("");
  });
});
