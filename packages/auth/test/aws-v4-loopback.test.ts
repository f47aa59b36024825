/**
 * End to end over loopback HTTP: an openapi-fetch client sending through core's pipeline with the
 * `awsV4` step (and the pipeline's retries) against a node:http server that verifies every SigV4 signature with AWS's own signer
 * (`@smithy/signature-v4`, configured as S3 verifies: the path as received, x-amz-content-sha256 checked
 * against the body). The server answers 503 first, then 200: the retry must carry a new X-Amz-Date and
 * a new signature, and both attempts must verify.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createPipeline } from "@bucketry/core";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsV4Credentials, awsV4 } from "../src/signers/aws-v4.js";
import { NodeSha256 } from "./smithy-sha256.js";

const ACCESS_KEY_ID = "OSTORKEYID0123456789";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEXAMPLE//token+value=";

interface Attempt {
  amzDate: string;
  authorization: string;
  verified: boolean;
  path: string;
}

/** Verifies a received request with smithy: same signed headers, path as received, decoded query. */
async function verify(req: IncomingMessage, body: Buffer): Promise<boolean> {
  const authorization = String(req.headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
  if (!match) return false;
  const [, keyId, , region, service, signedList] = match as unknown as string[];
  const signed = signedList!.split(";");
  // What S3 insists on: host, date and payload hash signed, and the hash matching the bytes received.
  if (
    keyId !== ACCESS_KEY_ID ||
    !["host", "x-amz-date", "x-amz-content-sha256"].every((h) => signed.includes(h))
  ) {
    return false;
  }
  const payload = String(req.headers["x-amz-content-sha256"]);
  if (payload !== "UNSIGNED-PAYLOAD" && payload !== createHash("sha256").update(body).digest("hex"))
    return false;
  const amzDate = String(req.headers["x-amz-date"]);
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  if (Math.abs(signingDate.getTime() - Date.now()) > 15 * 60_000) return false;

  const [path = "", rawQuery = ""] = req.url!.split("?");
  const query: Record<string, string | string[]> = {};
  for (const piece of rawQuery.split("&").filter(Boolean)) {
    const eq = piece.indexOf("=");
    const name = decodeURIComponent(eq === -1 ? piece : piece.slice(0, eq));
    const value = eq === -1 ? "" : decodeURIComponent(piece.slice(eq + 1));
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  const headers: Record<string, string> = {};
  for (const name of signed) headers[name] = String(req.headers[name]);
  const token = req.headers["x-amz-security-token"];
  const smithy = new SignatureV4({
    service: service!,
    region: region!,
    credentials: {
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET,
      sessionToken: token ? String(token) : undefined,
    },
    sha256: NodeSha256,
    uriEscapePath: service !== "s3",
  });
  const expected = await smithy.sign(
    new HttpRequest({
      method: req.method!,
      protocol: "http:",
      hostname: "127.0.0.1",
      path,
      query,
      headers,
      body,
    }),
    { signingDate },
  );
  return expected.headers.authorization === authorization;
}

describe("awsV4 in the pipeline over loopback HTTP, verified by @smithy/signature-v4", () => {
  const attempts: Attempt[] = [];
  let plan: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const verified = await verify(req, Buffer.concat(chunks));
    attempts.push({
      amzDate: String(req.headers["x-amz-date"]),
      authorization: String(req.headers.authorization),
      verified,
      path: req.url!,
    });
    const status = verified ? (plan.shift() ?? 200) : 403;
    res.writeHead(status, {
      "content-type": "application/json",
      ...(status === 503 ? { "retry-after": "1" } : {}),
    });
    res.end(JSON.stringify(status === 200 ? { ok: true } : { error: status }));
  });
  let baseUrl = "";

  interface Paths {
    "/{bucket}/{key}": {
      get: {
        parameters: {
          path: { bucket: string; key: string };
          query?: { prefix?: string; "list-type"?: string };
        };
        responses: { 200: { content: { "application/json": { ok: boolean } } } };
      };
    };
  }

  /** Up to 3 attempts; jitter 0, so a wait is exactly the server's Retry-After (1 s) and the dates differ. */
  const client = (credentials: AwsV4Credentials) =>
    createClient<Paths>({
      baseUrl,
      fetch: createPipeline(
        {
          provider: "test",
          steps: [awsV4(credentials, { region: "ostor", service: "s3" })],
        },
        {
          retry: { maxAttempts: 3, random: () => 0 },
        },
      ),
    });

  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("503 then 200: two attempts, two X-Amz-Date values, both signatures verified", async () => {
    attempts.length = 0;
    plan = [503, 200];
    const signed = client({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN });
    const { data, response } = await signed.GET("/{bucket}/{key}", {
      params: {
        path: { bucket: "my-bucket", key: "a b(1)+ü's*.txt" },
        query: { prefix: "x y+z", "list-type": "2" },
      },
    });

    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(attempts).toHaveLength(2);
    expect(attempts.every((a) => a.verified)).toBe(true);
    expect(attempts[0]!.amzDate).not.toBe(attempts[1]!.amzDate);
    expect(attempts[0]!.authorization).not.toBe(attempts[1]!.authorization);
    // The key went out in the canonical encoding it was signed with.
    expect(attempts[0]!.path).toBe(
      "/my-bucket/a%20b%281%29%2B%C3%BC%27s%2A.txt?prefix=x%20y%2Bz&list-type=2",
    );
  });

  it("the verifier rejects a wrong secret, and the 403 is not retried", async () => {
    attempts.length = 0;
    plan = [];
    const wrong = client({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: "not-the-secret" });
    const { response } = await wrong.GET("/{bucket}/{key}", { params: { path: { bucket: "b", key: "k" } } });
    expect(response.status).toBe(403);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.verified).toBe(false);
  });
});
