/**
 * Differential test: our SigV4 against AWS's own signer, `@smithy/signature-v4` (the one in the AWS
 * SDK for JavaScript v3), over seeded random requests: `s3` and `execute-api`, reserved, unicode and
 * `%` characters in paths and queries, repeated, empty and value-less query parameters, string and
 * binary bodies, session tokens, `UNSIGNED-PAYLOAD`. The Authorization headers must be identical.
 *
 * Smithy is configured the way the AWS SDK configures it: for `s3`, `uriEscapePath: false` (the path is
 * signed as sent) and `applyChecksum: true` (it adds `x-amz-content-sha256`); for other services,
 * `uriEscapePath: true` (normalised, encoded again) and `applyChecksum` as our `contentSha256Header`.
 * It is given what a careful client puts on the wire (each path segment RFC 3986-encoded, decoded
 * query values, the headers the Request carries), while our signer gets the URL as an application
 * writes it (openapi-fetch's `encodeURIComponent`, raw characters left for `new URL`, or already
 * canonical), so our re-encoding is tested too.
 *
 * Smithy hashes with the SHA-256 the AWS SDK uses on Node (`@smithy/hash-node`, a thin node:crypto
 * wrapper, re-created in smithy-sha256.ts): `@aws-crypto/sha256-js` cannot load in this install (its `tslib`
 * dependency is missing from node_modules).
 *
 * Not generated, with the reason:
 * - whole `.`/`..` path segments: `new URL` resolves them before anything can be signed;
 * - a `Date` header: smithy deletes it from the request it signs, we sign what is sent;
 * - a query parameter named `X-Amz-Signature`: smithy drops it (presigning leftovers);
 * - an empty parameter name (`?&` or `?=v`): not a parameter; we drop `&&` pieces, smithy's query
 *   object cannot tell them apart;
 * - non-Latin-1 header values: WHATWG `Headers` rejects them.
 */
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { signAwsV4Request } from "../src/signers/aws-v4.js";
import { NodeSha256 } from "./smithy-sha256.js";

const CASES = 600;
const SEED = 0x5167_0004;

/** mulberry32: small, seeded, good enough to spread cases. */
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

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

const UNRESERVED = "abcxyzABCXYZ0189-._~";
const RESERVED = "!$&'()*+,;=:@/?#[]";
const OTHER = ' "<>\\^`{|}%';
const UNICODE = ["é", "ü", "日本", "ሴ", "😀", "Ω", "\u00a0"];

function text(maxLength: number): string {
  let out = "";
  const length = int(maxLength + 1);
  for (let i = 0; i < length; i++) {
    const r = random();
    out +=
      r < 0.55
        ? pick([...UNRESERVED])
        : r < 0.75
          ? pick([...RESERVED])
          : r < 0.88
            ? pick([...OTHER])
            : pick(UNICODE);
  }
  return out;
}

/** RFC 3986: every UTF-8 byte but the unreserved ones escaped (what botocore and the AWS SDKs send). */
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A segment or query piece as an application might write it into a URL. */
function spell(value: string, style: "openapi" | "raw" | "canonical", query: boolean): string {
  if (style === "openapi") return encodeURIComponent(value);
  if (style === "canonical") return rfc3986(value);
  // Raw: leave what `new URL` can take literally; escape what would change the URL's structure.
  // Trailing spaces too: the URL parser strips them from the end of the whole URL.
  const structural = query ? /[%&=#+]| +$/g : /[%/?#\\]| +$/g;
  return value.replace(structural, (c) => (c === "+" && query && chance(0.5) ? "+" : rfc3986(c)));
}

interface Generated {
  ourUrl: string;
  method: string;
  smithyPath: string;
  query: Record<string, string | string[]>;
  headers: [string, string][];
  body: string | Uint8Array<ArrayBuffer> | undefined;
  service: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  date: Date;
  unsignedPayload: boolean;
  contentSha256Header: boolean;
  /** What the case exercises, counted so the generator cannot silently stop covering something. */
  features: string[];
}

function generate(): Generated {
  const service = chance(0.5) ? "s3" : "execute-api";
  const style = pick(["openapi", "raw", "canonical"] as const);
  const host = pick(["example.amazonaws.com", "s3.example.com:8443", "bucket.s3.eu-central-1.amazonaws.com"]);

  const segments: string[] = [];
  for (let i = int(5); i > 0; i--) {
    let segment = chance(0.1) ? "" : text(8);
    if (segment === "." || segment === "..") segment = `${segment}x`;
    segments.push(segment);
  }
  if (segments.length > 0 && chance(0.2)) segments.push(""); // trailing slash
  const ourPath = `/${segments.map((s) => spell(s, style, false)).join("/")}`;
  const smithyPath = `/${segments.map(rfc3986).join("/")}`;

  const names = ["a", "prefix", "max-keys", "x y", "ü", "list-type", text(5) || "z"];
  const query: Record<string, string | string[]> = {};
  const pieces: string[] = [];
  for (let i = int(6); i > 0; i--) {
    const name = chance(0.15) ? text(4) || "n" : pick(names);
    if (name.toLowerCase() === "x-amz-signature") continue;
    const flag = chance(0.15);
    const value = flag || chance(0.15) ? "" : text(10);
    pieces.push(flag ? spell(name, style, true) : `${spell(name, style, true)}=${spell(value, style, true)}`);
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  const search = pieces.length > 0 ? `?${pieces.join("&")}` : "";

  const method = pick(["GET", "HEAD", "DELETE", "PUT", "POST"]);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if ((method === "PUT" || method === "POST") && chance(0.8)) {
    body = chance(0.5) ? text(40) : Uint8Array.from({ length: int(64) }, () => int(256));
  }

  const headers: [string, string][] = [];
  for (let i = int(5); i > 0; i--) {
    const name = pick([
      "x-amz-meta-note",
      "content-type",
      "x-custom",
      "accept",
      "x-amz-acl",
      "user-agent",
      "cache-control",
    ]);
    const value = `${chance(0.3) ? "  " : ""}${pick(["a", "b  c", "d\t\te", '"q   r"', "text/plain", "x,y"])}${chance(0.3) ? " " : ""}`;
    headers.push([name, value]);
  }

  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const secretAlphabet = `${alphabet}abcdefghijklmnopqrstuvwxyz/+`;
  const credentials: Generated["credentials"] = {
    accessKeyId: Array.from({ length: 16 + int(5) }, () => pick([...alphabet])).join(""),
    secretAccessKey: Array.from({ length: 40 }, () => pick([...secretAlphabet])).join(""),
  };
  if (chance(0.3))
    credentials.sessionToken = Array.from({ length: 60 }, () => pick([...secretAlphabet, "="])).join("");

  const unsignedPayload = chance(0.2);
  const decoded = [...segments, ...Object.keys(query), ...Object.values(query).flat()].join("");
  const features = [
    service,
    `spelling:${style}`,
    ...(credentials.sessionToken ? ["session token"] : []),
    ...(unsignedPayload ? ["UNSIGNED-PAYLOAD"] : []),
    ...(body === undefined ? [] : [typeof body === "string" ? "string body" : "binary body"]),
    ...(/%/.test(decoded) ? ["% in path or query"] : []),
    ...(/[^ -~]/.test(decoded) ? ["unicode in path or query"] : []),
    ...(/[!$&'()*+,;=:@]/.test(decoded) ? ["reserved in path or query"] : []),
    ...(Object.values(query).some(Array.isArray) ? ["repeated query name"] : []),
    ...(pieces.some((piece) => !piece.includes("=")) ? ["value-less query flag"] : []),
    ...(pieces.some((piece) => piece.endsWith("=")) ? ["empty query value"] : []),
    ...(segments.includes("") ? ["empty path segment"] : []),
  ];

  return {
    ourUrl: `https://${host}${ourPath}${search}`,
    method,
    smithyPath,
    query,
    headers,
    body,
    service,
    region: pick(["us-east-1", "eu-central-1", "ostor", "ap-northeast-2"]),
    credentials,
    date: new Date(Date.UTC(2001, 0, 1) + int(35 * 365 * 86_400_000)),
    unsignedPayload,
    contentSha256Header: service === "s3" || chance(0.3),
    features,
  };
}

describe("SigV4 differential against @smithy/signature-v4", () => {
  it(`signs ${CASES} generated requests exactly as smithy does`, async () => {
    let compared = 0;
    const seen = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      const g = generate();
      const input = new Request(g.ourUrl, { method: g.method, headers: g.headers, body: g.body ?? null });
      const signed = await signAwsV4Request(input, g.credentials, {
        region: g.region,
        service: g.service,
        date: g.date,
        unsignedPayload: g.unsignedPayload,
        contentSha256Header: g.contentSha256Header,
      });

      const url = new URL(signed.url);
      const smithy = new SignatureV4({
        service: g.service,
        region: g.region,
        credentials: g.credentials,
        sha256: NodeSha256,
        uriEscapePath: g.service !== "s3",
        applyChecksum: g.contentSha256Header,
      });
      const reference = await smithy.sign(
        new HttpRequest({
          method: g.method,
          protocol: "https:",
          hostname: url.hostname,
          path: g.smithyPath,
          query: g.query,
          // The headers the request carries on the wire (Request adds content-type for string bodies).
          headers: { ...Object.fromEntries(input.headers), host: url.host },
          // A body smithy cannot hash makes it sign UNSIGNED-PAYLOAD.
          body: g.unsignedPayload ? { stream: true } : g.body,
        }),
        { signingDate: g.date },
      );

      const context = `case ${n}: ${g.method} ${g.ourUrl} (${g.service})`;
      expect(signed.headers.get("authorization"), context).toBe(reference.headers.authorization);
      expect(signed.headers.get("x-amz-content-sha256") ?? undefined, context).toBe(
        reference.headers["x-amz-content-sha256"],
      );
      // What we signed is what we send: the sent path is the one smithy was given.
      expect(url.pathname, context).toBe(g.smithyPath);
      compared++;
      for (const feature of g.features) seen.set(feature, (seen.get(feature) ?? 0) + 1);
    }
    expect(compared).toBe(CASES);
    expect(compared).toBeGreaterThanOrEqual(500);
    const coverage = Object.fromEntries([...seen].sort());
    for (const feature of [
      "s3",
      "execute-api",
      "session token",
      "UNSIGNED-PAYLOAD",
      "string body",
      "binary body",
    ]) {
      expect(seen.get(feature) ?? 0, feature).toBeGreaterThanOrEqual(30);
    }
    for (const feature of ["% in path or query", "unicode in path or query", "reserved in path or query"]) {
      expect(seen.get(feature) ?? 0, feature).toBeGreaterThanOrEqual(100);
    }
    for (const feature of [
      "repeated query name",
      "value-less query flag",
      "empty query value",
      "empty path segment",
    ]) {
      expect(seen.get(feature) ?? 0, feature).toBeGreaterThanOrEqual(30);
    }
    process.stdout.write(
      `SigV4 differential: ${compared} generated requests signed identically to @smithy/signature-v4; ` +
        `coverage ${JSON.stringify(coverage)}\n`,
    );
  });
});
