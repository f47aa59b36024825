/**
 * Test-side helpers for the Huawei fakes: a minimal `SDK-HMAC-SHA256` signer written from the
 * signing guide with node:crypto (deliberately separate from the fake's verifier), token and raw
 * HTTP helpers. Not a test file itself.
 */
import { createHash, createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";

/** The fixed clock the tests run the fakes on. */
export const NOW = Date.UTC(2024, 0, 1, 0, 0, 0);

/** `YYYYMMDDTHHMMSSZ`. */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** RFC 3986: encodeURIComponent plus the five characters it leaves alone. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** What to sign. */
export interface SignInput {
  method?: string;
  url: string;
  /** Headers to send and sign (besides `Host`, which is always signed, and `X-Sdk-Date`). */
  headers?: Record<string, string>;
  /** Headers to send without signing them. */
  unsignedHeaders?: Record<string, string>;
  body?: string;
  accessKey: string;
  secretKey: string;
  date?: number;
  /** Send `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` (signed) and hash the payload as that literal. */
  unsignedPayload?: boolean;
}

/** The headers of a signed request (including `Authorization`, excluding `Host`, which fetch sets). */
export function signHuawei(input: SignInput): Record<string, string> {
  const url = new URL(input.url);
  const toSign: Record<string, string> = {
    host: url.host,
    "x-sdk-date": sdkDate(input.date ?? NOW),
  };
  for (const [name, value] of Object.entries(input.headers ?? {})) toSign[name.toLowerCase()] = value;
  if (input.unsignedPayload) toSign["x-sdk-content-sha256"] = "UNSIGNED-PAYLOAD";
  const names = Object.keys(toSign).sort();
  const segments = url.pathname.split("/").map((s) => rfc3986(decodeURIComponent(s)));
  let uri = segments.join("/");
  if (!uri.endsWith("/")) uri += "/";
  const query = url.search
    .slice(1)
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const [k = "", v = ""] = p.split("=");
      return `${rfc3986(decodeURIComponent(k))}=${rfc3986(decodeURIComponent(v))}`;
    })
    .sort()
    .join("&");
  const payload = input.unsignedPayload
    ? "UNSIGNED-PAYLOAD"
    : createHash("sha256")
        .update(input.body ?? "")
        .digest("hex");
  const canonical = [
    input.method ?? "GET",
    uri,
    query,
    names.map((n) => `${n}:${(toSign[n] as string).trim()}\n`).join(""),
    names.join(";"),
    payload,
  ].join("\n");
  const stringToSign = `SDK-HMAC-SHA256\n${toSign["x-sdk-date"]}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", input.secretKey).update(stringToSign).digest("hex");
  const { host: _host, ...sent } = toSign;
  return {
    ...sent,
    ...input.unsignedHeaders,
    authorization: `SDK-HMAC-SHA256 Access=${input.accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}

/** A response read in full. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

/** fetch + read the body (JSON parsed when it parses). */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Obtains an IAM token by password (scope: project id/name, domain, or none). */
export async function getToken(
  baseUrl: string,
  iam: { accountName: string; userName: string; password: string },
  scope?: { project?: { id?: string; name?: string }; domain?: { name: string } },
): Promise<Answer & { token: string }> {
  const answer = await call(`${baseUrl}/v3/auth/tokens?nocatalog=true`, {
    method: "POST",
    headers: { "content-type": "application/json;charset=utf8" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: { name: iam.userName, password: iam.password, domain: { name: iam.accountName } },
          },
        },
        ...(scope ? { scope } : {}),
      },
    }),
  });
  return { ...answer, token: answer.headers.get("x-subject-token") ?? "" };
}

/** A request with full control of the request line and headers (node:http; fetch cannot set Host). */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        setHost: !Object.keys(options.headers).some((h) => h.toLowerCase() === "host"),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
