/**
 * awsV4SignatureHeaders, signAwsV4Request and the awsV4 step: what is sent, what is signed, what is refused. The
 * signatures themselves are proven by aws-v4-suite (AWS's vectors) and aws-v4-differential (smithy);
 * here hashes are recomputed with node:crypto and signed-header lists read from the Authorization.
 */
import { createHash } from "node:crypto";
import { CredentialsError, createPipeline, InvalidInputError } from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { awsV4, awsV4SignatureHeaders, signAwsV4Request } from "../src/signers/aws-v4.js";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const s3 = { region: "us-east-1", service: "s3", date: new Date("2015-08-30T12:36:00Z") };
const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const signedHeadersOf = (request: Request) =>
  /SignedHeaders=([^,]+)/.exec(request.headers.get("authorization") ?? "")?.[1]?.split(";");

describe("signAwsV4Request", () => {
  it("returns a new signed Request and leaves the input usable", async () => {
    const input = new Request("https://s3.example.com/bucket/key", { method: "PUT", body: "hello" });
    const signed = await signAwsV4Request(input, credentials, s3);
    expect(signed).not.toBe(input);
    expect(signed.headers.get("authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers.get("x-amz-date")).toBe("20150830T123600Z");
    expect(await signed.text()).toBe("hello");
    expect(await input.text()).toBe("hello");
    expect(input.headers.has("authorization")).toBe(false);
  });

  it("sends the path and query in the canonical encoding it signs (flags stay flags, fragment dropped)", async () => {
    const input = new Request("https://s3.example.com/b/a(1)!%7E*'/%zz?x=(a)&y+z=1&flag&&e=#frag");
    const signed = await signAwsV4Request(input, credentials, s3);
    expect(signed.url).toBe("https://s3.example.com/b/a%281%29%21~%2A%27/%25zz?x=%28a%29&y%2Bz=1&flag&e=");
    const plain = new Request("https://s3.example.com/b/k?list-type=2");
    expect((await signAwsV4Request(plain, credentials, s3)).url).toBe(plain.url);
  });

  it("s3: signs x-amz-content-sha256 of the exact body bytes", async () => {
    const body = "Ünïcode body\r\n";
    const signed = await signAwsV4Request(
      new Request("https://s3.example.com/b/k", { method: "PUT", body }),
      credentials,
      s3,
    );
    expect(signed.headers.get("x-amz-content-sha256")).toBe(sha256(body));
    expect(signedHeadersOf(signed)).toEqual(["content-type", "host", "x-amz-content-sha256", "x-amz-date"]);
    const empty = await signAwsV4Request(new Request("https://s3.example.com/b/k"), credentials, s3);
    expect(empty.headers.get("x-amz-content-sha256")).toBe(sha256(""));
  });

  it("unsignedPayload: UNSIGNED-PAYLOAD, the body is sent but not hashed", async () => {
    const signed = await signAwsV4Request(
      new Request("https://s3.example.com/b/k", { method: "PUT", body: "big" }),
      credentials,
      { ...s3, unsignedPayload: true },
    );
    expect(signed.headers.get("x-amz-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    expect(await signed.text()).toBe("big");
  });

  it("a caller-set x-amz-content-sha256 names the payload hash itself", async () => {
    const input = new Request("https://s3.example.com/b/k", {
      method: "PUT",
      headers: { "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
      body: "x",
    });
    const signed = await signAwsV4Request(input, credentials, s3);
    expect(signed.headers.get("x-amz-content-sha256")).toBe("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    // Another body, same signature: the body was not hashed.
    const other = await signAwsV4Request(
      new Request(input, { body: "a different body", duplex: "half" } as RequestInit),
      credentials,
      s3,
    );
    expect(other.headers.get("authorization")).toBe(signed.headers.get("authorization"));
  });

  it("other services: no x-amz-content-sha256 unless asked; the path is normalised for signing only", async () => {
    const options = { region: "eu-central-1", service: "execute-api", date: s3.date };
    const signed = await signAwsV4Request(
      new Request("https://api.example.com//v1//items/"),
      credentials,
      options,
    );
    expect(signed.headers.has("x-amz-content-sha256")).toBe(false);
    expect(new URL(signed.url).pathname).toBe("//v1//items/");
    const normalised = await signAwsV4Request(
      new Request("https://api.example.com/v1/items/"),
      credentials,
      options,
    );
    expect(signed.headers.get("authorization")).toBe(normalised.headers.get("authorization"));
    const asked = await signAwsV4Request(new Request("https://api.example.com/v1"), credentials, {
      ...options,
      contentSha256Header: true,
    });
    expect(signedHeadersOf(asked)).toContain("x-amz-content-sha256");
  });

  it("signs custom headers and the session token, never hop-by-hop or platform headers", async () => {
    const input = new Request("https://s3.example.com/b/k", {
      headers: {
        "X-Amz-Meta-Note": "  a   b  ",
        "user-agent": "test",
        "cache-control": "no-cache",
        "proxy-x": "1",
        authorization: "stale",
        "x-amz-date": "19990101T000000Z",
      },
    });
    const signed = await signAwsV4Request(input, { ...credentials, sessionToken: "TOKEN/+=" }, s3);
    expect(signedHeadersOf(signed)).toEqual([
      "host",
      "x-amz-content-sha256",
      "x-amz-date",
      "x-amz-meta-note",
      "x-amz-security-token",
    ]);
    expect(signed.headers.get("x-amz-security-token")).toBe("TOKEN/+=");
    expect(signed.headers.get("x-amz-date")).toBe("20150830T123600Z");
    expect(signed.headers.get("user-agent")).toBe("test");
  });

  it("refuses bad credentials and options before signing, without echoing the secret", async () => {
    const request = new Request("https://s3.example.com/b/k");
    const bad: [Record<string, unknown>, Record<string, unknown>, typeof InvalidInputError, string][] = [
      [{ secretAccessKey: "S3CRET" }, s3, CredentialsError, "accessKeyId"],
      [{ accessKeyId: "AK/ID", secretAccessKey: "S3CRET" }, s3, CredentialsError, "accessKeyId"],
      [{ accessKeyId: "AKID", secretAccessKey: "" }, s3, CredentialsError, "secretAccessKey"],
      [
        { accessKeyId: "AKID", secretAccessKey: "S3CRET", sessionToken: "a\nb" },
        s3,
        CredentialsError,
        "sessionToken",
      ],
      [
        { accessKeyId: "AKID", secretAccessKey: "S3CRET" },
        { ...s3, region: "" },
        InvalidInputError,
        "region",
      ],
      [
        { accessKeyId: "AKID", secretAccessKey: "S3CRET" },
        { ...s3, region: "us east/1" },
        InvalidInputError,
        "region",
      ],
      [
        { accessKeyId: "AKID", secretAccessKey: "S3CRET" },
        { ...s3, service: undefined },
        InvalidInputError,
        "service",
      ],
      [
        { accessKeyId: "AKID", secretAccessKey: "S3CRET" },
        { ...s3, date: new Date("x") },
        InvalidInputError,
        "date",
      ],
    ];
    for (const [creds, options, type, field] of bad) {
      const error = await signAwsV4Request(request, creds as never, options as never).catch(
        (e: unknown) => e,
      );
      expect(error, field).toBeInstanceOf(type);
      expect((error as InvalidInputError).field).toBe(field);
      expect((error as Error).message).not.toContain("S3CRET");
    }
    expect(() => awsV4({ accessKeyId: "", secretAccessKey: "x" }, { region: "r", service: "s3" })).toThrow(
      CredentialsError,
    );
    expect(() => awsV4(credentials, { region: "r", service: "" })).toThrow(InvalidInputError);
  });
});

describe("awsV4SignatureHeaders", () => {
  it("returns the headers and the canonical URL to send, leaving the parts untouched", async () => {
    const headers = new Headers({ "x-amz-meta-note": "n" });
    const parts = {
      method: "PUT",
      url: "https://s3.example.com/b/a(1)",
      headers,
      body: new TextEncoder().encode("x"),
    };
    const signature = await awsV4SignatureHeaders(parts, credentials, s3);
    expect(signature.url).toBe("https://s3.example.com/b/a%281%29");
    expect(Object.keys(signature.headers).sort()).toEqual([
      "authorization",
      "x-amz-content-sha256",
      "x-amz-date",
    ]);
    expect(signature.headers["x-amz-content-sha256"]).toBe(sha256("x"));
    expect([...headers]).toEqual([["x-amz-meta-note", "n"]]);
    const signed = await signAwsV4Request(
      new Request(parts.url, { method: "PUT", body: parts.body, headers }),
      credentials,
      s3,
    );
    expect(signature.headers.authorization).toBe(signed.headers.get("authorization"));
    expect(signed.url).toBe(signature.url);
    // No URL when it is already canonical.
    const plain = { ...parts, url: "https://s3.example.com/b/k?list-type=2" };
    expect((await awsV4SignatureHeaders(plain, credentials, s3)).url).toBeUndefined();
  });
});

describe("awsV4 step", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("signs each attempt afresh, in place: a new date, the provider's current credentials, the canonical URL", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-05-01T10:00:00Z"));
    const keys = ["AKIDFIRST", "AKIDSECOND"];
    let calls = 0;
    const provider = async () => ({ accessKeyId: keys[calls++]!, secretAccessKey: "secret" });
    const sent: { url: string; headers: Headers; body: string }[] = [];
    const fetch = createPipeline(
      {
        provider: "test",
        steps: [awsV4(provider, { region: "ostor", service: "s3" })],
        describe: () => ({ operation: "put", safe: true }),
      },
      {
        retry: { baseDelayMs: 0 },
        fetch: async (request) => {
          sent.push({ url: request.url, headers: request.headers, body: await request.text() });
          // The next attempt starts 7 s later.
          vi.setSystemTime(new Date("2024-05-01T10:00:07Z"));
          return sent.length === 1
            ? new Response("{}", { status: 503 })
            : new Response("{}", { headers: { "content-type": "application/json" } });
        },
      },
    );
    const client = createClient<{
      "/b/{key}": {
        put: {
          parameters: { path: { key: string } };
          requestBody: { content: { "application/json": { n: number } } };
          responses: { 200: { content: { "application/json": unknown } } };
        };
      };
    }>({ baseUrl: "https://s3.example.com", fetch });
    const { response } = await client.PUT("/b/{key}", { params: { path: { key: "k(1)" } }, body: { n: 1 } });
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers.get("x-amz-date"))).toEqual(["20240501T100000Z", "20240501T100007Z"]);
    expect(sent[1]!.headers.get("authorization")).toContain(
      "Credential=AKIDSECOND/20240501/ostor/s3/aws4_request",
    );
    for (const request of sent) {
      expect(request.url).toBe("https://s3.example.com/b/k%281%29");
      expect(request.headers.get("x-amz-content-sha256")).toBe(sha256(JSON.stringify({ n: 1 })));
      expect(request.body).toBe(JSON.stringify({ n: 1 }));
    }
    expect(calls).toBe(2);
  });
});
