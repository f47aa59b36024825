/**
 * The two implementations behind `#crypto` (src/crypto.ts on Web Crypto, src/crypto-node.ts on
 * node:crypto): the same exports, the same answers as node:crypto itself over seeded random inputs,
 * and the signers really running on the one this vitest project selected (vitest.config.ts runs the
 * signer tests once per implementation).
 */
import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as selected from "#crypto";
import * as web from "../src/crypto.js";
import * as node from "../src/crypto-node.js";
import { awsV4, awsV4SignatureHeaders, signAwsV4Request } from "../src/signers/aws-v4.js";
import { huaweiAkSk, huaweiSignatureHeaders, signHuaweiRequest } from "../src/signers/huawei.js";
import { ostorV2, ostorV2SignatureHeaders, signOstorV2Request } from "../src/signers/ostor-v2.js";
import type { RequestParts } from "../src/signers/signing-step.js";

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

const random = prng(0xc0ffee);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
const text = (n: number) =>
  Array.from({ length: n }, () =>
    String.fromCodePoint([0x41, 0xe9, 0x65e5, 0x1f600][Math.floor(random() * 4)]!),
  ).join("");

/** Inputs in every accepted form: strings (UTF-8), Uint8Array, a view into a larger buffer, an ArrayBuffer. */
const inputs: { label: string; value: web.BytesLike; raw: Buffer }[] = [];
for (const size of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 200, 20_000]) {
  const s = text(size);
  inputs.push({ label: `string(${size})`, value: s, raw: Buffer.from(s) });
  const b = bytes(size);
  inputs.push({ label: `Uint8Array(${size})`, value: b, raw: Buffer.from(b) });
  const padded = bytes(size + 7);
  const view = new DataView(padded.buffer, 3, size);
  inputs.push({ label: `DataView(${size})`, value: view, raw: Buffer.from(padded.subarray(3, 3 + size)) });
  inputs.push({ label: `ArrayBuffer(${size})`, value: b.slice().buffer, raw: Buffer.from(b) });
}

describe("#crypto implementations", () => {
  it("#crypto is the implementation this project runs", () => {
    expect(["node-crypto", "web-crypto"]).toContain(process.env.BUCKETRY_CRYPTO);
    expect(selected.implementation).toBe(process.env.BUCKETRY_CRYPTO);
    expect(web.implementation).toBe("web-crypto");
    expect(node.implementation).toBe("node-crypto");
  });

  it("both export the same names", () => {
    expect(Object.keys(node).sort()).toEqual(Object.keys(web).sort());
  });

  check("web", web);
  check("node", node);
});

/** What both modules provide, the prepared key opaque (a CryptoKey promise on the web, bytes on Node). */
interface CryptoModule<Key> {
  toBytes(data: web.BytesLike): Uint8Array;
  sha256Hex(data: web.BytesLike): string | Promise<string>;
  sha256HexSync(data: web.BytesLike): string;
  sha256(bytes: Uint8Array): Uint8Array;
  hmacKey(hash: web.HashName, key: web.BytesLike): Key;
  hmac(hash: web.HashName, key: web.BytesLike | Key, data: web.BytesLike): Uint8Array | Promise<Uint8Array>;
  hmacHex(hash: web.HashName, key: web.BytesLike | Key, data: web.BytesLike): string | Promise<string>;
  hmacBase64(hash: web.HashName, key: web.BytesLike | Key, data: web.BytesLike): string | Promise<string>;
  toHex(buffer: ArrayBuffer | Uint8Array): string;
  toBase64(buffer: ArrayBuffer | Uint8Array): string;
}

function check<Key>(name: string, impl: CryptoModule<Key>): void {
  describe(name, () => {
    it("sha256Hex, sha256HexSync and sha256 match node:crypto for every input form and padding boundary", async () => {
      for (const { label, value, raw } of inputs) {
        const expected = createHash("sha256").update(raw).digest();
        expect(await impl.sha256Hex(value), label).toBe(expected.toString("hex"));
        expect(impl.sha256HexSync(value), label).toBe(expected.toString("hex"));
        expect(Buffer.from(impl.sha256(impl.toBytes(value))), label).toEqual(expected);
      }
    });

    it("HMAC (raw and prepared keys, SHA-256 and SHA-1) matches node:crypto", async () => {
      for (const [hash, algorithm] of [
        ["SHA-256", "sha256"],
        ["SHA-1", "sha1"],
      ] as const) {
        for (const key of inputs.filter((i) => i.raw.length > 0 && i.raw.length <= 120)) {
          for (const { label, value, raw } of inputs) {
            const expected = createHmac(algorithm, key.raw).update(raw);
            const digest = expected.digest();
            const why = `${hash} key ${key.label} data ${label}`;
            expect(await impl.hmacHex(hash, key.value, value), why).toBe(digest.toString("hex"));
            const prepared = impl.hmacKey(hash, key.value);
            expect(await impl.hmacBase64(hash, prepared, value), why).toBe(digest.toString("base64"));
            expect(Buffer.from(await impl.hmac(hash, prepared, value)), why).toEqual(digest);
          }
        }
      }
      // Hundreds of async Web Crypto calls: minutes of headroom on a loaded 2-core machine.
    }, 180_000);

    it("toHex and toBase64 of bytes and ArrayBuffers", () => {
      for (const size of [0, 1, 2, 3, 31, 32, 33]) {
        const b = bytes(size);
        expect(impl.toHex(b)).toBe(Buffer.from(b).toString("hex"));
        expect(impl.toHex(b.slice().buffer)).toBe(Buffer.from(b).toString("hex"));
        expect(impl.toBase64(b)).toBe(Buffer.from(b).toString("base64"));
        expect(impl.toBase64(b.slice().buffer)).toBe(Buffer.from(b).toString("base64"));
      }
    });

    it("toBytes encodes strings as UTF-8 and views without copying the wrong span", () => {
      for (const { label, value, raw } of inputs)
        expect(Buffer.from(impl.toBytes(value)), label).toEqual(raw);
    });
  });
}

describe("the signers run on the selected implementation", () => {
  afterEach(() => vi.restoreAllMocks());

  it("Web Crypto is called exactly when it is the one selected", async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, "sign");
    const digest = vi.spyOn(globalThis.crypto.subtle, "digest");
    // A body over the synchronous-digest limit (16 KiB), so the Web Crypto build digests it there too.
    const request = new Request("https://obs.example.com/v1/p/buckets?limit=2", {
      method: "PUT",
      body: "x".repeat(20_000),
    });
    const date = new Date("2024-05-01T12:00:00Z");
    await signHuaweiRequest(request, { accessKey: "AK", secretKey: "SK" }, { date });
    await signAwsV4Request(
      request,
      { accessKeyId: "AKID", secretAccessKey: `secret-${random()}` },
      { region: "us-east-1", service: "s3", date },
    );
    await signOstorV2Request(request, { accessKeyId: "AKID", secretAccessKey: "secret" }, { date });
    const web = process.env.BUCKETRY_CRYPTO === "web-crypto";
    expect(sign.mock.calls.length > 0).toBe(web);
    expect(digest.mock.calls.length > 0).toBe(web);
  });
});

describe("signing steps on the selected implementation", () => {
  const attempt = { number: 1, signal: new AbortController().signal, emit() {} };
  const date = new Date("2024-05-01T12:00:00Z");
  const parts = () => ({
    method: "GET",
    url: "http://127.0.0.1:8080/v1/0123456789abcdef0123456789abcdef/buckets?limit=2",
    headers: new Headers({ "content-type": "application/json" }),
    body: null,
  });
  const huawei = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "huaweiExampleSecretKey0123456789abcdefgh" };
  const s3 = {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const steps = [
    {
      name: "huaweiAkSk",
      step: huaweiAkSk(huawei),
      sign: (p: RequestParts) => huaweiSignatureHeaders(p, huawei, { date }),
    },
    {
      name: "awsV4",
      step: awsV4(s3, { region: "us-east-1", service: "s3" }),
      sign: (p: RequestParts) => awsV4SignatureHeaders(p, s3, { region: "us-east-1", service: "s3", date }),
    },
    {
      name: "ostorV2",
      step: ostorV2(s3),
      sign: (p: RequestParts) => ostorV2SignatureHeaders(p, s3, { date }),
    },
  ];

  for (const { name, step, sign } of steps) {
    it(`${name} stamps at once on node:crypto (no async hop), through a promise on Web Crypto, to the documented function's headers`, async () => {
      vi.useFakeTimers({ now: date, toFake: ["Date"] });
      try {
        const request = parts();
        const stamped = step.prepare?.(request, attempt);
        expect(stamped instanceof Promise).toBe(process.env.BUCKETRY_CRYPTO === "web-crypto");
        await stamped;
        const expected = await sign(parts());
        for (const [header, value] of Object.entries(expected.headers)) {
          expect(request.headers.get(header), header).toBe(value);
        }
        expect(request.headers.get("authorization")).toMatch(/\S{20,}/);
      } finally {
        vi.useRealTimers();
      }
    });
  }
});
