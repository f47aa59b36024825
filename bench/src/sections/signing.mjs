// Section 1 of `pnpm bench`: signing throughput of our signers against the peers (aws4, aws4fetch,
// @smithy/signature-v4, Huawei's AKSKSigner, a minimal V2 signer), on Node and in the Web Crypto
// build: the request parts → headers functions the clients' pipeline steps call, and the
// `Request`-in, `Request`-out wrappers. Every candidate must produce the identical Authorization
// header before it is timed.
import { createHash, createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import * as auth from "@bucketry/auth";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import aws4 from "aws4";
import { AwsClient } from "aws4fetch";
import { build } from "esbuild";
import { interleave } from "../lib/interleave.mjs";
import { fixed, int, ratio, spread, summarize, table } from "../lib/stats.mjs";
import { OUT, packageVersion } from "../lib/workspace.mjs";

const require = createRequire(import.meta.url);
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");

const DATE = new Date("2024-05-01T12:00:00Z");
const AMZ_DATE = "20240501T120000Z";
const AWS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const S3_HOST = "examplebucket.s3.amazonaws.com";
const S3_PATH = "/?list-type=2&max-keys=100&prefix=photos%2F2024";
const S3_URL = `https://${S3_HOST}${S3_PATH}`;
const HUAWEI = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "huaweiExampleSecretKey0123456789abcdefgh" };
const PROJECT = "0123456789abcdef0123456789abcdef";
const MPC_HOST = "mpc.cn-north-4.myhuaweicloud.com";
const MPC_URL = `https://${MPC_HOST}/v1/${PROJECT}/buckets`;
const OSTOR_URL = "https://s3.example.com/?ostor-users&emailAddress=user%40example.com";

/** `@smithy/hash-node`'s Hash on node:crypto (`@aws-crypto/sha256-js` does not load in this install). */
class NodeSha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}
const bytes = (data) =>
  typeof data === "string" || data instanceof Uint8Array
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The smallest hand-written ostor V2 signer: resource `/?<first token>`, HMAC-SHA1, nothing else. */
function minimalOstorV2(method, url, date, credentials) {
  const parsed = new URL(url);
  const first = parsed.search.slice(1).split("&")[0];
  const resource = parsed.pathname === "/" && first.startsWith("ostor-") ? `/?${first}` : parsed.pathname;
  const stringToSign = `${method}\n\n\n${date.toUTCString()}\n${resource}`;
  const signature = createHmac("sha1", credentials.secretAccessKey).update(stringToSign).digest("base64");
  return `AWS ${credentials.accessKeyId}:${signature}`;
}

/** @bucketry/auth bundled for browsers (esbuild, `browser` condition): the Web Crypto build. */
async function webBuild() {
  const outfile = `${OUT}/auth.browser.mjs`;
  await build({
    stdin: { contents: 'export * from "@bucketry/auth";', resolveDir: process.cwd() },
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile,
    logLevel: "error",
  });
  const code = await readFile(outfile, "utf8");
  if (/["']node:|require\(/.test(code))
    throw new Error("the browser build of @bucketry/auth references Node");
  if (!code.includes("crypto.subtle"))
    throw new Error("the browser build of @bucketry/auth does not use Web Crypto");
  return import(pathToFileURL(outfile).href);
}

/** Runs every candidate once and checks they all produce `expected`'s Authorization. */
async function sameHeader(group, candidates) {
  const headers = [];
  for (const c of candidates) headers.push([c.name, await c.authorization(await c.run(c.prepare(0)))]);
  const distinct = new Set(headers.map(([, h]) => h));
  if (distinct.size !== 1 || headers[0][1] === undefined) {
    throw new Error(
      `${group}: the candidates sign differently:\n${headers.map((h) => h.join(": ")).join("\n")}`,
    );
  }
  return headers[0][1];
}

export async function run({ quick }) {
  const web = await webBuild();
  const rounds = quick ? 3 : 21;
  const batch = quick ? 100 : 2000;
  const fromRequest = (r) => r.headers.get("authorization");
  const fromSignature = (signature) => signature.headers.authorization;

  const s3Client = new AwsClient({ ...AWS, service: "s3", region: "us-east-1" });
  const smithy = new SignatureV4({
    credentials: AWS,
    region: "us-east-1",
    service: "s3",
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: true,
  });
  const sigv4Options = { region: "us-east-1", service: "s3", date: DATE, unsignedPayload: true };
  const ourRequest = () => new Request(S3_URL);
  // What a pipeline attempt hands its steps: plain parts, with a fresh Headers.
  const s3Parts = () => ({ method: "GET", url: S3_URL, headers: new Headers(), body: null });
  const sigv4 = {
    ours: {
      name: "@bucketry/auth awsV4SignatureHeaders, parts → headers (node:crypto)",
      ours: true,
      prepare: s3Parts,
      run: (parts) => auth.awsV4SignatureHeaders(parts, AWS, sigv4Options),
      authorization: fromSignature,
    },
    oursPartsWeb: {
      name: "@bucketry/auth awsV4SignatureHeaders, parts → headers (Web Crypto build)",
      ours: true,
      prepare: s3Parts,
      run: (parts) => web.awsV4SignatureHeaders(parts, AWS, sigv4Options),
      authorization: fromSignature,
    },
    oursRequest: {
      name: "@bucketry/auth signAwsV4Request, Request → Request (node:crypto)",
      ours: true,
      prepare: ourRequest,
      run: (r) => auth.signAwsV4Request(r, AWS, sigv4Options),
      authorization: fromRequest,
    },
    oursWeb: {
      name: "@bucketry/auth signAwsV4Request, Request → Request (Web Crypto build)",
      ours: true,
      prepare: ourRequest,
      run: (r) => web.signAwsV4Request(r, AWS, sigv4Options),
      authorization: fromRequest,
    },
    pure: {
      name: "@bucketry/auth pure functions, no Request (awsV4CanonicalRequest → awsV4StringToSign → awsV4Signature)",
      ours: true,
      prepare: () => ({
        method: "GET",
        path: "/",
        query: S3_PATH.slice(2),
        headers: [
          ["host", S3_HOST],
          ["x-amz-content-sha256", "UNSIGNED-PAYLOAD"],
          ["x-amz-date", AMZ_DATE],
        ],
        payloadHash: "UNSIGNED-PAYLOAD",
      }),
      run: async (parts) => {
        const { canonicalRequest, signedHeaders } = auth.awsV4CanonicalRequest(parts, { service: "s3" });
        const scope = `${AMZ_DATE.slice(0, 8)}/us-east-1/s3/aws4_request`;
        const stringToSign = await auth.awsV4StringToSign(canonicalRequest, AMZ_DATE, scope);
        const signature = await auth.awsV4Signature(AWS.secretAccessKey, stringToSign);
        return `AWS4-HMAC-SHA256 Credential=${AWS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
      },
      authorization: (header) => header,
    },
    aws4: {
      name: `aws4 ${packageVersion("aws4")}`,
      sync: true,
      prepare: () => ({
        host: S3_HOST,
        path: S3_PATH,
        service: "s3",
        region: "us-east-1",
        headers: { "X-Amz-Date": AMZ_DATE, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" },
      }),
      run: (o) => aws4.sign(o, AWS),
      authorization: (o) => o.headers.Authorization,
    },
    aws4fetch: {
      name: `aws4fetch ${packageVersion("aws4fetch")} (Web Crypto)`,
      prepare: ourRequest,
      run: (r) => s3Client.sign(r, { aws: { datetime: AMZ_DATE } }),
      authorization: fromRequest,
    },
    smithy: {
      name: `@smithy/signature-v4 ${packageVersion("@smithy/signature-v4")}`,
      prepare: () =>
        new HttpRequest({
          method: "GET",
          protocol: "https:",
          hostname: S3_HOST,
          path: "/",
          query: { "list-type": "2", "max-keys": "100", prefix: "photos/2024" },
          headers: { host: S3_HOST, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
        }),
      run: (r) => smithy.sign(r, { signingDate: DATE }),
      authorization: (r) => r.headers.authorization,
    },
  };

  const huaweiRequest = () => new Request(`${MPC_URL}?limit=10`, { headers: { "X-Project-Id": PROJECT } });
  const huaweiCredential = { getAk: () => HUAWEI.accessKey, getSk: () => HUAWEI.secretKey };
  // As huaweiAkSk signs: the project id is an option, sent and signed as X-Project-Id.
  const huaweiParts = () => ({
    method: "GET",
    url: `${MPC_URL}?limit=10`,
    headers: new Headers(),
    body: null,
  });
  const huaweiOptions = { date: DATE, projectId: PROJECT };
  const huawei = {
    ours: {
      name: "@bucketry/auth huaweiSignatureHeaders, parts → headers (node:crypto)",
      ours: true,
      prepare: huaweiParts,
      run: (parts) => auth.huaweiSignatureHeaders(parts, HUAWEI, huaweiOptions),
      authorization: fromSignature,
    },
    oursPartsWeb: {
      name: "@bucketry/auth huaweiSignatureHeaders, parts → headers (Web Crypto build)",
      ours: true,
      prepare: huaweiParts,
      run: (parts) => web.huaweiSignatureHeaders(parts, HUAWEI, huaweiOptions),
      authorization: fromSignature,
    },
    oursRequest: {
      name: "@bucketry/auth signHuaweiRequest, Request → Request (node:crypto)",
      ours: true,
      prepare: huaweiRequest,
      run: (r) => auth.signHuaweiRequest(r, HUAWEI, { date: DATE }),
      authorization: fromRequest,
    },
    oursWeb: {
      name: "@bucketry/auth signHuaweiRequest, Request → Request (Web Crypto build)",
      ours: true,
      prepare: huaweiRequest,
      run: (r) => web.signHuaweiRequest(r, HUAWEI, { date: DATE }),
      authorization: fromRequest,
    },
    vendor: {
      name: `@huaweicloud/huaweicloud-sdk-core ${packageVersion("@huaweicloud/huaweicloud-sdk-core")} AKSKSigner`,
      sync: true,
      prepare: () => ({
        endpoint: MPC_URL,
        method: "GET",
        headers: { "X-Sdk-Date": AMZ_DATE, "X-Project-Id": PROJECT },
        queryParams: { limit: "10" },
        data: "",
      }),
      run: (r) => AKSKSigner.sign(r, huaweiCredential),
      authorization: (h) => h.Authorization,
    },
  };

  const ostorRequest = () => new Request(OSTOR_URL);
  const ostorParts = () => ({ method: "GET", url: OSTOR_URL, headers: new Headers(), body: null });
  const ostor = {
    ours: {
      name: "@bucketry/auth ostorV2SignatureHeaders, parts → headers (node:crypto)",
      ours: true,
      prepare: ostorParts,
      run: (parts) => auth.ostorV2SignatureHeaders(parts, AWS, { date: DATE }),
      authorization: fromSignature,
    },
    oursPartsWeb: {
      name: "@bucketry/auth ostorV2SignatureHeaders, parts → headers (Web Crypto build)",
      ours: true,
      prepare: ostorParts,
      run: (parts) => web.ostorV2SignatureHeaders(parts, AWS, { date: DATE }),
      authorization: fromSignature,
    },
    oursRequest: {
      name: "@bucketry/auth signOstorV2Request, Request → Request (node:crypto)",
      ours: true,
      prepare: ostorRequest,
      run: (r) => auth.signOstorV2Request(r, AWS, { date: DATE }),
      authorization: fromRequest,
    },
    oursWeb: {
      name: "@bucketry/auth signOstorV2Request, Request → Request (Web Crypto build)",
      ours: true,
      prepare: ostorRequest,
      run: (r) => web.signOstorV2Request(r, AWS, { date: DATE }),
      authorization: fromRequest,
    },
    minimal: {
      name: "minimal V2 signer (node:crypto HMAC-SHA1)",
      sync: true,
      prepare: () => OSTOR_URL,
      run: (url) => minimalOstorV2("GET", url, DATE, AWS),
      authorization: (h) => h,
    },
  };

  const groups = [
    { id: "sigv4", title: "AWS SigV4 (S3 ListObjectsV2, UNSIGNED-PAYLOAD)", set: sigv4 },
    { id: "huawei", title: "Huawei SDK-HMAC-SHA256 (MPC list buckets)", set: huawei },
    { id: "ostor", title: "ostor SigV2 (GET /?ostor-users)", set: ostor },
  ];
  const checked = {};
  for (const g of groups) checked[g.id] = await sameHeader(g.title, Object.values(g.set));

  const results = {};
  for (const g of groups) {
    const candidates = Object.values(g.set);
    const samples = await interleave(candidates, { rounds, batch, warmup: 2 });
    results[g.id] = { samples, candidates };
  }

  /** Per-round ratio of a to b (paired: same round, same machine state), summarised. */
  const paired = (id, a, b) => {
    const { samples } = results[id];
    return summarize(samples[a].map((x, i) => x / samples[b][i]));
  };

  const tables = [];
  const targets = [];
  for (const g of groups) {
    const { samples, candidates } = results[g.id];
    const oursName = g.set.ours.name;
    const rows = candidates.map((c) => {
      const s = summarize(samples[c.name]);
      const r = paired(g.id, oursName, c.name);
      return [
        c.name,
        int(s.median),
        spread(s),
        fixed(1e6 / s.median, 2),
        c.name === oursName ? "1.00x" : `${ratio(r.median)} (${ratio(r.p25)}–${ratio(r.p75)})`,
      ];
    });
    tables.push({
      caption: `${g.title}. Every row signed to the identical header: \`${checked[g.id]}\``,
      markdown: table(
        ["signer", "signs/s (median)", "p25–p75", "µs/sign", "ours (parts, node) ÷ this"],
        rows,
      ),
    });
    const peers = candidates.filter((c) => !c.ours);
    const fastest = peers
      .map((c) => ({ c, median: summarize(samples[c.name]).median }))
      .sort((a, b) => b.median - a.median)[0].c;
    const r = paired(g.id, oursName, fastest.name);
    targets.push({
      what: `${g.title}: ours (parts → headers, node) ÷ fastest peer (${fastest.name})`,
      target: "≥ 1.10x",
      actual: ratio(r.median),
      met: r.median >= 1.1,
    });
  }
  const webRatio = paired("sigv4", sigv4.oursWeb.name, sigv4.aws4fetch.name);
  targets.push({
    what: "AWS SigV4 in the Web Crypto build: signAwsV4Request (Request → Request, as aws4fetch) ÷ aws4fetch",
    target: "≥ 1.50x",
    actual: ratio(webRatio.median),
    met: webRatio.median >= 1.5,
  });

  return {
    id: "signing",
    title: "1. Signing throughput",
    intro: [
      `Each candidate signs a fresh request (built before the clock starts) in its native form: our parts → headers functions the plain parts a pipeline attempt hands its steps (\`{ method, url, headers, body }\`, a fresh \`Headers\`) and return the headers to set, which is the path the clients run; our \`sign*Request\` wrappers and aws4fetch a WHATWG \`Request\` (and return a new signed \`Request\`); aws4 an options object, smithy an \`HttpRequest\`, Huawei's signer an \`IHttpRequest\`. ${batch} signs per batch, ${rounds} rounds, candidates interleaved and rotated each round, \`gc()\` between batches. Ratios are the median of per-round ratios (p25–p75 in brackets), against our parts → headers row on node:crypto; the targets compare that row with the fastest peer.`,
      "The SigV4 group also times the exported pure functions (`awsV4CanonicalRequest` → `awsV4StringToSign` → `awsV4Signature`) on pre-split parts. The distance from the parts row to the `Request` rows is the price of the `Request`-in, `Request`-out API: reading the body from a clone and one undici `Request` per signature, with an `AbortSignal` that follows the input's.",
      "On Node, `@bucketry/auth` resolves `#crypto` to its node:crypto implementation (package.json `imports`, `node` condition); the Web Crypto build is the same package bundled by esbuild for `platform: browser` (no Node module in it, checked), run here on Node's Web Crypto. It keeps every HMAC in Web Crypto (keys imported once per credentials object and reused) and hashes short public data (the canonical request) with a small synchronous SHA-256, so a signature costs one async hop where aws4fetch pays two (digest, then import + sign).",
    ],
    tables,
    targets,
  };
}
