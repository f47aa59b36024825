/**
 * Every header-signing case of the AWS SigV4 test suite (fixtures/aws-sigv4/: awslabs/aws-c-auth,
 * Apache-2.0, see its README). Each case is checked at two levels:
 *
 * - the pure functions on the raw parts of `request.txt` (method, path and query exactly as written,
 *   every header line, multi-line values kept): canonical request, string to sign, signature and
 *   Authorization, for all cases;
 * - end to end through `signAwsV4Request` on a WHATWG `Request`, for every case a `Request` can
 *   express. The others are listed in RAW_ONLY with the reason: `Headers` joins repeated lines with
 *   `, ` (and fetch sends one line), rejects multi-line values, and `new URL` resolves dot segments and
 *   percent-encodes raw spaces and UTF-8 (after which AWS's non-S3 double encoding rightly yields
 *   `%2520`; the suite's raw request line is not valid on the wire).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  awsV4CanonicalRequest,
  awsV4Signature,
  awsV4StringToSign,
  signAwsV4Request,
} from "../src/signers/aws-v4.js";

const SUITE = fileURLToPath(new URL("./fixtures/aws-sigv4/", import.meta.url));

const RAW_ONLY: Record<string, string> = {
  "get-header-key-duplicate": "repeated header lines: Headers joins them with ', ' into one line",
  "get-header-value-order": "repeated header lines: Headers joins them with ', ' into one line",
  "get-header-value-multiline": "a folded multi-line value: Headers rejects newlines",
  "get-relative-unnormalized": "new URL resolves '..' before anything is signed",
  "get-relative-relative-unnormalized": "new URL resolves '..' before anything is signed",
  "get-slash-dot-slash-unnormalized": "new URL resolves '.' before anything is signed",
  "get-slash-pointless-dot-unnormalized": "new URL resolves '.' before anything is signed",
  "get-space-normalized": "a raw space in the request line: new URL sends %20, which AWS encodes again",
  "get-space-unnormalized": "a raw space in the request line: new URL sends %20, which AWS encodes again",
  "get-utf8": "raw UTF-8 in the request line: new URL sends %E1%88%B4, which AWS encodes again",
};

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

interface RawRequest {
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: string;
}

/** Parses a raw HTTP/1.1 request as the suite writes it: continuation lines stay in the value. */
function parseRaw(text: string): RawRequest {
  const blank = text.indexOf("\n\n");
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? "" : text.slice(blank + 2);
  const [requestLine = "", ...lines] = head.split("\n");
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(" HTTP/"));
  const q = target.indexOf("?");
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === "") continue;
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last[1] += `\n${line}`;
    else headers.push([line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]);
  }
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    query: q === -1 ? "" : target.slice(q + 1),
    headers,
    body,
  };
}

interface Case {
  name: string;
  context: Context;
  raw: RawRequest;
  canonical: string;
  stringToSign: string;
  signature: string;
  signed: RawRequest;
}

const read = (dir: string, file: string) => readFileSync(join(SUITE, dir, file), "utf8");
const cases: Case[] = readdirSync(SUITE)
  .filter((name) => statSync(join(SUITE, name)).isDirectory())
  .sort()
  .map((name) => ({
    name,
    context: JSON.parse(read(name, "context.json")) as Context,
    raw: parseRaw(read(name, "request.txt")),
    canonical: read(name, "header-canonical-request.txt"),
    stringToSign: read(name, "header-string-to-sign.txt"),
    signature: read(name, "header-signature.txt").trim(),
    signed: parseRaw(read(name, "header-signed-request.txt")),
  }));

const header = (request: RawRequest, name: string) =>
  request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const amzDateOf = (c: Case) => c.context.timestamp.replace(/[-:]/g, "");
const scopeOf = (c: Case) =>
  `${amzDateOf(c).slice(0, 8)}/${c.context.region}/${c.context.service}/aws4_request`;
/** Whether the session token is part of the signature (the suite's `omit_session_token` adds it afterwards). */
const signsToken = (c: Case) => c.context.credentials.token !== undefined && !c.context.omit_session_token;

describe("AWS SigV4 test suite (header signing)", () => {
  it("holds all 38 header cases, and every RAW_ONLY entry names one of them", () => {
    expect(cases.length).toBe(38);
    for (const name of Object.keys(RAW_ONLY)) expect(cases.map((c) => c.name)).toContain(name);
  });

  describe.each(cases)("$name", (c) => {
    const expectedAuthorization = header(c.signed, "Authorization");

    it("raw parts: canonical request, string to sign, signature and Authorization", async () => {
      const payloadHash = sha256(c.raw.body);
      const headers: [string, string][] = [...c.raw.headers, ["X-Amz-Date", amzDateOf(c)]];
      if (signsToken(c)) headers.push(["X-Amz-Security-Token", c.context.credentials.token!]);
      if (c.context.sign_body) headers.push(["x-amz-content-sha256", payloadHash]);
      const { canonicalRequest, signedHeaders } = awsV4CanonicalRequest(
        { method: c.raw.method, path: c.raw.path, query: c.raw.query, headers, payloadHash },
        { service: c.context.service, normalizePath: c.context.normalize },
      );
      expect(canonicalRequest).toBe(c.canonical);
      const stringToSign = await awsV4StringToSign(canonicalRequest, amzDateOf(c), scopeOf(c));
      expect(stringToSign).toBe(c.stringToSign);
      const signature = await awsV4Signature(c.context.credentials.secret_access_key, stringToSign);
      expect(signature).toBe(c.signature);
      expect(
        `AWS4-HMAC-SHA256 Credential=${c.context.credentials.access_key_id}/${scopeOf(c)}, ` +
          `SignedHeaders=${signedHeaders}, Signature=${signature}`,
      ).toBe(expectedAuthorization);
    });

    if (c.name in RAW_ONLY) {
      it(`cannot be a WHATWG Request as written (${RAW_ONLY[c.name]})`, () => {
        // The exclusion holds: Headers throws or merges lines, or new URL changes the path.
        let changed: boolean;
        try {
          changed = [...new Headers(c.raw.headers)].length !== c.raw.headers.length;
        } catch {
          changed = true;
        }
        changed ||= new URL(c.raw.path, "https://example.amazonaws.com").pathname !== c.raw.path;
        expect(changed).toBe(true);
      });
      return;
    }

    it("signAwsV4Request on a WHATWG Request", async () => {
      const host = header(c.raw, "Host")!;
      const input = new Request(`https://${host}${c.raw.path}${c.raw.query ? `?${c.raw.query}` : ""}`, {
        method: c.raw.method,
        headers: c.raw.headers.filter(([name]) => name.toLowerCase() !== "host"),
        body: c.raw.body === "" ? null : c.raw.body,
      });
      const { access_key_id, secret_access_key, token } = c.context.credentials;
      const signed = await signAwsV4Request(
        input,
        {
          accessKeyId: access_key_id,
          secretAccessKey: secret_access_key,
          sessionToken: signsToken(c) ? token : undefined,
        },
        {
          region: c.context.region,
          service: c.context.service,
          date: new Date(c.context.timestamp),
          normalizePath: c.context.normalize,
          contentSha256Header: c.context.sign_body,
        },
      );
      // `omit_session_token`: the token travels but was added after signing.
      if (c.context.omit_session_token) signed.headers.set("x-amz-security-token", token!);

      expect(signed.headers.get("authorization")).toBe(expectedAuthorization);
      // Every header of the suite's signed request is sent, with its value, and nothing else.
      const expected = c.signed.headers
        .filter(([name]) => name.toLowerCase() !== "host")
        .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      expect([...signed.headers]).toEqual(expected);
      expect(new URL(signed.url).host).toBe(host);
      if (c.raw.body !== "") expect(await signed.text()).toBe(c.raw.body);

      // The canonical request of what is actually sent, rebuilt from the signed Request.
      const url = new URL(signed.url);
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(expectedAuthorization!)![1]!.split(";");
      const { canonicalRequest } = awsV4CanonicalRequest(
        {
          method: signed.method,
          path: url.pathname,
          query: url.search.slice(1),
          headers: signedHeaders.map((name) => [
            name,
            name === "host" ? url.host : signed.headers.get(name)!,
          ]),
          payloadHash: sha256(c.raw.body),
        },
        { service: c.context.service, normalizePath: c.context.normalize },
      );
      expect(canonicalRequest).toBe(c.canonical);
      expect(await awsV4StringToSign(canonicalRequest, amzDateOf(c), scopeOf(c))).toBe(c.stringToSign);
      // The input is untouched and still usable.
      expect(input.headers.has("authorization")).toBe(false);
      if (c.raw.body !== "") expect(await input.text()).toBe(c.raw.body);
    });
  });
});
