/**
 * The ostor fake's signature verifiers as pure functions: Signature V2 against the published AWS
 * answers and the derived ostor vectors, Signature V4 against the whole AWS SigV4 test suite
 * (header-signing cases, as distributed in awslabs/aws-c-auth).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ostorCanonicalResource,
  ostorStringToSignV2,
  type S3SignableRequest,
  sigV4CanonicalQuery,
  verifyOstorSigV2,
  verifySigV4,
} from "../src/fakes/virtuozzo.js";

interface V2Case {
  id: string;
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

const v2 = JSON.parse(readFileSync(new URL("./fixtures/s3-sigv2-ostor.json", import.meta.url), "utf8")) as {
  cases: V2Case[];
};

/** The request a V2 case describes: its URL's path and query, its Date and x-amz headers. */
function v2Request(c: V2Case): S3SignableRequest {
  if (c.url) {
    const url = new URL(c.url);
    const rawHeaders = ["Host", url.host, "Date", c.date as string];
    for (const [name, value] of Object.entries(c.amz_headers ?? {})) rawHeaders.push(name, value);
    rawHeaders.push("Authorization", `AWS ${c.access_key_id ?? "SYSTEMKEY"}:${c.expected_signature}`);
    return { method: c.method ?? "GET", target: `${url.pathname}${url.search}`, rawHeaders };
  }
  // The AWS doc cases only give the string to sign: GET, no MD5/type, Date, then the resource.
  const [method, , , date, resource] = c.string_to_sign.split("\n") as [
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    method,
    target: resource,
    rawHeaders: ["Date", date, "Authorization", `AWS ${c.access_key_id}:${c.expected_signature}`],
  };
}

describe("Signature V2 (ostor canonical resource)", () => {
  it("has the expected cases", () => {
    expect(v2.cases.map((c) => c.id)).toEqual([
      "aws-doc-current",
      "aws-doc-older",
      "ostor-list-users",
      "ostor-user-by-id",
      "ostor-gmt-date",
      "ostor-unsigned-payload-amz-header",
      "generic-v2-wrong-for-ostor",
    ]);
  });

  for (const c of v2.cases) {
    it(`${c.id}: ${c.negative ? "refuses" : "accepts"} the vector's signature`, () => {
      const request = v2Request(c);
      if (!c.negative) expect(ostorStringToSignV2(request)).toBe(c.string_to_sign);
      const dateHeader = request.rawHeaders[request.rawHeaders.indexOf("Date") + 1] as string;
      const result = verifyOstorSigV2(request, () => c.secret, { now: Date.parse(dateHeader) });
      expect(result.ok).toBe(!c.negative);
      if (!result.ok) {
        expect(result).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
        // What the fake signed instead: the ostor resource, not "/".
        expect(result.stringToSign?.endsWith("\n/?ostor-users")).toBe(true);
      }
    });
  }

  it("signs only the first query token; x-amz-date empties the Date line", () => {
    expect(ostorCanonicalResource("/?ostor-users&id=b09693b73b3c7686&space")).toBe("/?ostor-users");
    expect(ostorCanonicalResource("/?ostor-users")).toBe("/?ostor-users");
    expect(ostorCanonicalResource("/")).toBe("/");
    const sts = ostorStringToSignV2({
      method: "GET",
      target: "/?ostor-users&space",
      rawHeaders: [
        "Date",
        "ignored",
        "X-Amz-Date",
        "Wed, 24 Mar 2021 15:01:11 GMT",
        "Content-Type",
        "application/json",
        "X-Amz-Meta-B",
        " two ",
        "x-amz-meta-b",
        "three",
      ],
    });
    expect(sts).toBe(
      "GET\n\napplication/json\n\nx-amz-date:Wed, 24 Mar 2021 15:01:11 GMT\nx-amz-meta-b:two,three\n/?ostor-users",
    );
  });

  it("refuses a request time more than 15 minutes off, or none", () => {
    const c = v2.cases.find((x) => x.id === "ostor-gmt-date") as V2Case;
    const at = Date.parse(c.date as string);
    const secretOf = () => c.secret;
    expect(verifyOstorSigV2(v2Request(c), secretOf, { now: at + 15 * 60_000 }).ok).toBe(true);
    expect(verifyOstorSigV2(v2Request(c), secretOf, { now: at + 16 * 60_000 })).toMatchObject({
      ok: false,
      code: "RequestTimeTooSkewed",
    });
    const undated = v2Request(c);
    undated.rawHeaders = undated.rawHeaders.filter((_, i, all) => all[i] !== "Date" && all[i - 1] !== "Date");
    expect(verifyOstorSigV2(undated, secretOf, { now: at })).toMatchObject({
      ok: false,
      code: "AccessDenied",
    });
    expect(verifyOstorSigV2(v2Request(c), () => undefined, { now: at })).toMatchObject({
      ok: false,
      code: "InvalidAccessKeyId",
    });
  });
});

// --- Signature V4 ------------------------------------------------------------------------------

const suiteDir = new URL("./fixtures/aws-sigv4/", import.meta.url);
const suiteCases = readdirSync(suiteDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function suiteFile(name: string, file: string): string {
  return readFileSync(new URL(`${name}/${file}`, suiteDir), "utf8");
}

/** Parses a suite `header-signed-request.txt` into the request as a server would receive it. */
function parseSignedRequest(text: string): S3SignableRequest {
  const [head = "", ...rest] = text.split("\n\n");
  const lines = head.split("\n");
  const requestLine = lines.shift() as string;
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(" HTTP/1.1"));
  const rawHeaders: string[] = [];
  for (const line of lines) {
    if (/^\s/.test(line)) {
      // An obsolete folded continuation line: part of the previous header's value.
      rawHeaders[rawHeaders.length - 1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    rawHeaders.push(line.slice(0, colon), line.slice(colon + 1));
  }
  const length = rawHeaders.findIndex((v, i) => i % 2 === 0 && v.toLowerCase() === "content-length");
  const body = length === -1 ? "" : rest.join("\n\n").slice(0, Number(rawHeaders[length + 1]));
  return { method, target, rawHeaders, body };
}

describe("Signature V4 verifier against the AWS SigV4 test suite", () => {
  it("has the 38 cases of the suite", () => {
    expect(suiteCases).toHaveLength(38);
  });

  for (const name of suiteCases) {
    it(name, () => {
      const context = JSON.parse(suiteFile(name, "context.json"));
      const request = parseSignedRequest(suiteFile(name, "header-signed-request.txt"));
      const result = verifySigV4(
        request,
        (id) =>
          id === context.credentials.access_key_id ? context.credentials.secret_access_key : undefined,
        {
          now: Date.parse(context.timestamp),
          service: context.service,
          normalizePath: context.normalize,
          requireContentSha256: false,
        },
      );
      expect(result.canonicalRequest).toBe(suiteFile(name, "header-canonical-request.txt"));
      expect(result.stringToSign).toBe(suiteFile(name, "header-string-to-sign.txt"));
      expect(result.ok).toBe(true);
    });
  }

  it("get-vanilla-query-order-key-case: the figure quoted in providers.md §5.3.1", () => {
    const request: S3SignableRequest = {
      method: "GET",
      target: "/?Param2=value2&Param1=value1",
      rawHeaders: [
        "Host",
        "example.amazonaws.com",
        "X-Amz-Date",
        "20150830T123600Z",
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
      ],
    };
    const secretOf = (id: string) =>
      id === "AKIDEXAMPLE" ? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" : undefined;
    const options = { now: Date.UTC(2015, 7, 30, 12, 36), service: "service", requireContentSha256: false };
    expect(verifySigV4(request, secretOf, options).ok).toBe(true);
    // One changed character in the signature, or the wrong service, is refused.
    const tampered = {
      ...request,
      rawHeaders: request.rawHeaders.map((v) => v.replace("b97d918c", "b97d918d")),
    };
    expect(verifySigV4(tampered, secretOf, options)).toMatchObject({
      ok: false,
      code: "SignatureDoesNotMatch",
    });
    expect(verifySigV4(request, secretOf, { ...options, service: "s3" })).toMatchObject({
      ok: false,
      code: "SignatureDoesNotMatch",
    });
  });

  it("writes the bare ostor flag as `ostor-users=` and sorts it with the rest", () => {
    expect(sigV4CanonicalQuery("ostor-users")).toBe("ostor-users=");
    expect(sigV4CanonicalQuery("ostor-users&id=b09693b73b3c7686&space")).toBe(
      "id=b09693b73b3c7686&ostor-users=&space=",
    );
    expect(sigV4CanonicalQuery("ostor-users&emailAddress=user%40example.com")).toBe(
      "emailAddress=user%40example.com&ostor-users=",
    );
  });
});
