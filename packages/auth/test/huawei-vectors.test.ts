/**
 * Every case of the Huawei `SDK-HMAC-SHA256` known-answer file (fixtures/huawei-sdk-hmac-sha256.json:
 * Huawei's signing guide and the Java, Python and Go SDK test suites; its `about` and `source` fields
 * name each origin). Expected hashes and HMACs are recomputed with node:crypto, not with our code.
 */
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiQueryPairs,
  huaweiStringToSign,
  signHuaweiRequest,
} from "../src/signers/huawei.js";

interface SigningCase {
  id: string;
  source: string;
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

interface QueryCase {
  id: string;
  source: string;
  params: [string, string][];
  expected: string;
}

const vectors = JSON.parse(
  readFileSync(new URL("./fixtures/huawei-sdk-hmac-sha256.json", import.meta.url), "utf8"),
) as {
  about: string;
  cases: SigningCase[];
  canonical_query_cases: QueryCase[];
};

const DEFAULT_SIGNED = /^host(;x-project-id)?;x-sdk-date$/;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** `20191115T033655Z` → the Date it names. */
function parseSdkDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`bad X-Sdk-Date ${value}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

function requestOf(c: SigningCase): Request {
  return new Request(c.url, { method: c.method, headers: c.headers, body: c.body === "" ? null : c.body });
}

function signatureOf(authorization: string | null): string {
  const m = /Signature=([0-9a-f]{64})$/.exec(authorization ?? "");
  if (!m?.[1]) throw new Error(`no signature in ${authorization}`);
  return m[1];
}

describe("huawei SDK-HMAC-SHA256 vectors", () => {
  it("fixture names its sources", () => {
    expect(vectors.about).toMatch(/AKSKSignerTest|test_signer|signer_test/);
    for (const c of [...vectors.cases, ...vectors.canonical_query_cases]) expect(c.source).not.toBe("");
    expect(vectors.cases).toHaveLength(10);
  });

  // Only the checks a case has figures for are registered (no skipped placeholders).
  for (const c of vectors.cases)
    describe(c.id, () => {
      const date = parseSdkDate(c.headers["X-Sdk-Date"] as string);
      const canonical = () =>
        huaweiCanonicalRequest({
          method: c.method,
          url: c.url,
          headers: c.headers,
          signedHeaders: c.signed_headers,
          payloadHash: sha256(c.body),
        });

      if (c.expected_canonical_request !== undefined)
        it("canonical request", () => {
          expect(canonical()).toBe(c.expected_canonical_request);
        });

      if (c.expected_canonical_request_sha256 !== undefined)
        it("canonical request hash and string to sign", async () => {
          expect(sha256(canonical())).toBe(c.expected_canonical_request_sha256);
          const stringToSign = await huaweiStringToSign(canonical(), c.headers["X-Sdk-Date"] as string);
          expect(stringToSign).toBe(
            c.expected_string_to_sign ??
              `SDK-HMAC-SHA256\n${c.headers["X-Sdk-Date"]}\n${c.expected_canonical_request_sha256}`,
          );
        });

      if (c.expected_canonical_request_sha256 !== undefined)
        it("signHuaweiRequest signs that string", async () => {
          // For cases without published keys: the signer's HMAC must be over the published string to sign.
          const secretKey = c.secret_key ?? "any-secret-key";
          const stringToSign = `SDK-HMAC-SHA256\n${c.headers["X-Sdk-Date"]}\n${c.expected_canonical_request_sha256}`;
          const signed = await signHuaweiRequest(
            requestOf(c),
            { accessKey: c.access_key ?? "AK", secretKey },
            { date, signedHeaders: c.signed_headers },
          );
          expect(signatureOf(signed.headers.get("authorization"))).toBe(
            createHmac("sha256", secretKey).update(stringToSign).digest("hex"),
          );
        });

      if (c.expected_authorization !== undefined)
        it("Authorization", async () => {
          const credentials = { accessKey: c.access_key as string, secretKey: c.secret_key as string };
          const input = requestOf(c);
          const signed = await signHuaweiRequest(input, credentials, {
            date,
            signedHeaders: c.signed_headers,
          });
          expect(signed.headers.get("authorization")).toBe(c.expected_authorization);
          expect(signed.headers.get("x-sdk-date")).toBe(c.headers["X-Sdk-Date"]);
          // The body went out unchanged and the input is still usable.
          expect(await signed.text()).toBe(c.body);
          expect(await input.text()).toBe(c.body);
        });

      // Our default signed set is the Java/Python one: cases signed that way need no override.
      if (c.expected_authorization !== undefined && DEFAULT_SIGNED.test(c.signed_headers.join(";")))
        it("Authorization with the default signed headers", async () => {
          const credentials = { accessKey: c.access_key as string, secretKey: c.secret_key as string };
          const signed = await signHuaweiRequest(requestOf(c), credentials, { date });
          expect(signed.headers.get("authorization")).toBe(c.expected_authorization);
        });
    });

  describe.each(vectors.canonical_query_cases)("$id", (q) => {
    it("canonical query from pairs", () => {
      expect(huaweiCanonicalQuery(q.params)).toBe(q.expected);
    });

    it("canonical query from a URL carrying the same pairs", () => {
      const search = [...q.params]
        .reverse()
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
        .join("&");
      const url = new URL(`https://example.com/?${search}`);
      expect(huaweiCanonicalQuery(huaweiQueryPairs(url.search))).toBe(q.expected);
    });
  });
});
