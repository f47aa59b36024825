/**
 * `huaweiAkSk()` over real HTTP: an openapi-fetch client sending through core's pipeline with the
 * step (and its retries) talks to a loopback server that recomputes every signature itself (node:crypto, from the raw
 * request line, headers and body bytes as received), answers 503 once and then 200.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { huaweiAkSk } from "@bucketry/auth/signers";
import { type AttemptStep, CredentialsError, createPipeline, type RetryPolicy } from "@bucketry/core";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HuaweiCredentials, huaweiCredentials, huaweiCredentialsFromEnv } from "../src/credentials.js";

interface paths {
  "/v1/{project_id}/buckets": {
    get: {
      parameters: {
        path: { project_id: string };
        query?: { limit?: number; marker?: string; tag?: string[] };
      };
      responses: { 200: { content: { "application/json": { buckets: string[] } } } };
    };
  };
  "/v1/{project_id}/objects/{key}": {
    post: {
      parameters: { path: { project_id: string; key: string } };
      requestBody: { content: { "application/json": Record<string, unknown> } };
      responses: { 200: { content: { "application/json": { buckets: string[] } } } };
    };
  };
}

const PROJECT = "0123456789abcdef0123456789abcdef";
const SECRETS = new Map<string, string>(); // AK → SK, as the gateway knows them

interface Attempt {
  ok: boolean;
  reason: string;
  date: string;
  signedHeaders: string[];
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const attempts: Attempt[] = [];
let failFirst = true;
let retryAfter: string | undefined;
let server: Server;
let baseUrl: string;

/** RFC 3986 encoding, written here independently of the library's encoder. */
const strict = (text: string) =>
  Array.from(new TextEncoder().encode(text), (byte) =>
    /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");

/** The gateway's side: recomputes the signature from what arrived. */
function verify(req: IncomingMessage, body: Buffer): Attempt {
  const headers = req.headers;
  const base = { date: String(headers["x-sdk-date"]), headers, body, signedHeaders: [] as string[] };
  const auth = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
    String(headers.authorization),
  );
  if (!auth) return { ...base, ok: false, reason: "malformed Authorization" };
  const [, accessKey, signed, signature] = auth as unknown as [string, string, string, string];
  const secretKey = SECRETS.get(accessKey);
  if (secretKey === undefined) return { ...base, ok: false, reason: "unknown AK" };
  const signedHeaders = signed.split(";");
  if (!signedHeaders.includes("x-sdk-date"))
    return { ...base, signedHeaders, ok: false, reason: "date unsigned" };
  const skew = Math.abs(
    Date.parse(base.date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z")) -
      Date.now(),
  );
  if (!(skew < 15 * 60_000)) return { ...base, signedHeaders, ok: false, reason: "date skew" };

  const target = req.url as string;
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  let uri = path
    .split("/")
    .map((segment) => strict(decodeURIComponent(segment)))
    .join("/");
  if (!uri.endsWith("/")) uri += "/";
  const pairs = (q === -1 ? "" : target.slice(q + 1))
    .split("&")
    .filter((piece) => piece !== "")
    .map((piece) => {
      const [name = "", ...rest] = piece.split("=");
      return [decodeURIComponent(name), decodeURIComponent(rest.join("="))] as const;
    })
    .sort(
      ([n1, v1], [n2, v2]) =>
        Buffer.compare(Buffer.from(n1), Buffer.from(n2)) || Buffer.compare(Buffer.from(v1), Buffer.from(v2)),
    );
  const query = pairs.map(([name, value]) => `${strict(name)}=${strict(value)}`).join("&");
  const lines = signedHeaders.map((name) => `${name}:${String(headers[name] ?? "").trim()}\n`).join("");
  const unsigned = headers["x-sdk-content-sha256"] === "UNSIGNED-PAYLOAD";
  const payloadHash = unsigned ? "UNSIGNED-PAYLOAD" : createHash("sha256").update(body).digest("hex");
  const canonical = [req.method, uri, query, lines, signedHeaders.join(";"), payloadHash].join("\n");
  const stringToSign = `SDK-HMAC-SHA256\n${base.date}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const expected = createHmac("sha256", secretKey).update(stringToSign).digest("hex");
  return {
    ...base,
    signedHeaders,
    ok: expected === signature,
    reason: expected === signature ? "" : canonical,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const attempt = verify(req, Buffer.concat(chunks));
      attempts.push(attempt);
      res.setHeader("content-type", "application/json");
      if (!attempt.ok) {
        res
          .writeHead(401)
          .end(JSON.stringify({ error_code: "APIGW.0301", error_msg: "verify aksk signature fail" }));
      } else if (failFirst && attempts.length === 1) {
        res
          .writeHead(503, retryAfter === undefined ? {} : { "retry-after": retryAfter })
          .end(JSON.stringify({ error_code: "APIGW.0503", error_msg: "busy" }));
      } else {
        res.writeHead(200).end(JSON.stringify({ buckets: ["a"] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  attempts.length = 0;
  failFirst = true;
  retryAfter = undefined;
});

/** An openapi-fetch client sending through the pipeline, every operation (POSTs too) retried. */
function pipelineClient(step: AttemptStep, retry: RetryPolicy = { baseDelayMs: 10 }) {
  const fetch = createPipeline(
    {
      provider: "test",
      steps: [step],
      describe: (method, path) => ({ operation: `${method} ${path}`, safe: true }),
    },
    { retry },
  );
  return createClient<paths>({ baseUrl, fetch });
}

function client(
  credentials: HuaweiCredentials | (() => Promise<HuaweiCredentials>),
  unsignedPayload = false,
) {
  return pipelineClient(huaweiAkSk(credentials, { projectId: PROJECT, unsignedPayload }));
}

function keys(accessKey: string, secretKey: string, securityToken?: string): HuaweiCredentials {
  SECRETS.set(accessKey, secretKey);
  return huaweiCredentials({ accessKey, secretKey, securityToken });
}

describe("huaweiAkSk step over HTTP", () => {
  it("re-signs a retried GET: both attempts verify and carry different X-Sdk-Dates", async () => {
    const credentials = keys("AKTEMPORARY01", "sk/With+Symbols=ü", "temporary-security-token.abc_123");
    // A 1 s wait puts the second attempt in a later second than the first.
    retryAfter = "1";
    const { data, response } = await client(credentials).GET("/v1/{project_id}/buckets", {
      params: {
        path: { project_id: PROJECT },
        query: { limit: 2, marker: "a b/ü!*'()", tag: ["z", "a", ""] },
      },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ buckets: ["a"] });
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.reason).toBe("");
      expect(attempt.ok).toBe(true);
      // Project id and the temporary credentials' token are sent and signed.
      expect(attempt.signedHeaders).toEqual(["host", "x-project-id", "x-sdk-date", "x-security-token"]);
      expect(attempt.headers["x-project-id"]).toBe(PROJECT);
      expect(attempt.headers["x-security-token"]).toBe("temporary-security-token.abc_123");
    }
    expect(attempts[1]?.date).not.toBe(attempts[0]?.date);
    expect(Number(attempts[1]?.date.replace(/\D/g, ""))).toBeGreaterThan(
      Number(attempts[0]?.date.replace(/\D/g, "")),
    );
  });

  it("hashes the exact body bytes of a POST, on every attempt", async () => {
    const credentials = keys("AKPOSTBODY01", "SecretKeyForPosts");
    const body = { name: "日本 ü € 😀", nested: { list: [1, "two", null] }, text: "line\nnext\u2028" };
    const { response } = await client(credentials).POST("/v1/{project_id}/objects/{key}", {
      params: { path: { project_id: PROJECT, key: "dir/file (1)*.txt" } },
      body,
    });
    expect(response.status).toBe(200);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.reason).toBe("");
      expect(attempt.body.toString("utf8")).toBe(JSON.stringify(body));
    }
  });

  it("sends a binary body unchanged and signs it byte for byte", async () => {
    const credentials = keys("AKBINARY0001", "SecretKeyForBytes");
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256);
    const { response } = await client(credentials).POST("/v1/{project_id}/objects/{key}", {
      params: { path: { project_id: PROJECT, key: "blob" } },
      body: bytes as unknown as Record<string, unknown>,
      bodySerializer: (b) => b,
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(response.status).toBe(200);
    for (const attempt of attempts) {
      expect(attempt.reason).toBe("");
      expect(new Uint8Array(attempt.body)).toEqual(bytes);
    }
  });

  it("with unsignedPayload sends and signs X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD", async () => {
    const credentials = keys("AKUNSIGNED01", "SecretKeyUnsigned");
    failFirst = false;
    const { response } = await client(credentials, true).POST("/v1/{project_id}/objects/{key}", {
      params: { path: { project_id: PROJECT, key: "big" } },
      body: { size: "large" },
    });
    expect(response.status).toBe(200);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.reason).toBe("");
    expect(attempts[0]?.headers["x-sdk-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    expect(attempts[0]?.signedHeaders).toContain("x-sdk-content-sha256");
  });

  it("asks a credentials function again for every attempt", async () => {
    const tokens = ["first-token", "second-token"];
    SECRETS.set("AKROTATING01", "RotatingSecret");
    let calls = 0;
    const source = async () =>
      huaweiCredentials({
        accessKey: "AKROTATING01",
        secretKey: "RotatingSecret",
        securityToken: tokens[calls++],
      });
    const { response } = await client(source).GET("/v1/{project_id}/buckets", {
      params: { path: { project_id: PROJECT } },
    });
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
    expect(attempts.map((a) => [a.ok, a.headers["x-security-token"]])).toEqual([
      [true, "first-token"],
      [true, "second-token"],
    ]);
  });

  it("is caught by the server when the secret key is wrong, and a 401 is not retried", async () => {
    SECRETS.set("AKWRONGSK001", "TheRealSecret");
    const credentials = huaweiCredentials({ accessKey: "AKWRONGSK001", secretKey: "NotTheRealSecret" });
    const { response, error } = await client(credentials).GET("/v1/{project_id}/buckets", {
      params: { path: { project_id: PROJECT } },
    });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error_code: "APIGW.0301" });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.ok).toBe(false);
  });

  it("signs with credentials from the environment, project id included", async () => {
    SECRETS.set("AKFROMENV001", "EnvSecretKey");
    const credentials = huaweiCredentialsFromEnv({
      HUAWEICLOUD_SDK_AK: "AKFROMENV001",
      HUAWEICLOUD_SDK_SK: "EnvSecretKey",
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
    });
    failFirst = false;
    const { response } = await pipelineClient(huaweiAkSk(credentials), {}).GET("/v1/{project_id}/buckets", {
      params: { path: { project_id: PROJECT } },
    });
    expect(response.status).toBe(200);
    expect(attempts[0]?.ok).toBe(true);
    expect(attempts[0]?.headers["x-project-id"]).toBe(PROJECT);
    expect(attempts[0]?.signedHeaders).toEqual(["host", "x-project-id", "x-sdk-date"]);
  });

  it("names the environment variable when a credential is missing or malformed", () => {
    const env = { HUAWEICLOUD_SDK_AK: "AK", HUAWEICLOUD_SDK_SK: "SK-secret-value" };
    const failure = (vars: Record<string, string | undefined>) => {
      try {
        huaweiCredentialsFromEnv(vars);
      } catch (error) {
        return error;
      }
      throw new Error("no error");
    };
    for (const [vars, field] of [
      [{ ...env, HUAWEICLOUD_SDK_AK: undefined }, "HUAWEICLOUD_SDK_AK"],
      [{ ...env, HUAWEICLOUD_SDK_AK: "AK WITH SPACE" }, "HUAWEICLOUD_SDK_AK"],
      [{ ...env, HUAWEICLOUD_SDK_SK: "" }, "HUAWEICLOUD_SDK_SK"],
      [{ ...env, HUAWEICLOUD_SDK_PROJECT_ID: "not/a/project" }, "HUAWEICLOUD_SDK_PROJECT_ID"],
      [{ ...env, HUAWEICLOUD_SDK_SECURITY_TOKEN: "token with\nnewline" }, "HUAWEICLOUD_SDK_SECURITY_TOKEN"],
    ] as const) {
      const error = failure(vars);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).field).toBe(field);
      expect((error as Error).message).toContain(field);
      expect((error as Error).message).not.toContain("SK-secret-value");
    }
  });
});
