// @bucketry/virtuozzo's SigV4 mode against a real verifier: Swift's s3api recomputes AWS Signature V4
// for every request. Requests the ostor client signs (`/?ostor-users` plus its selectors) must be
// accepted (200; s3api answers them as ListBuckets, which is fine: the point is the signature), and the
// same requests with a wrong secret or a header/query changed after signing must be refused (403).
import { createOstorClient, type OstorClient, s3Credentials } from "@bucketry/virtuozzo";
import { describe, expect, it } from "vitest";
import { announceSkip, available, s3 } from "./support.js";

announceSkip("ostor-v4.test.ts");

/** Every answer s3api sent, as it came (the client then checks it is ostor's JSON, which it is not). */
const answers: { status: number; url: string; body: string }[] = [];

/** A fetch that sends `request` (tampered with, if asked) and records the answer. */
function recording(tamper?: (request: Request) => Request) {
  return async (request: Request): Promise<Response> => {
    const response = await fetch(tamper ? tamper(request) : request);
    answers.push({ status: response.status, url: response.url, body: await response.clone().text() });
    return response;
  };
}

function client(options: { secret?: string; tamper?: (request: Request) => Request } = {}): OstorClient {
  return createOstorClient({
    baseUrl: s3.endpoint,
    signature: "v4",
    region: s3.region,
    // tempauth names S3 keys `account:user`; the key id is used as Swift gives it.
    credentials: {
      type: "aksk",
      from: s3Credentials({
        accessKeyId: s3.accessKeyId,
        secretAccessKey: options.secret ?? s3.secretAccessKey,
      }),
    },
    fetch: recording(options.tamper),
    retry: false,
  });
}

/** The admin calls ostor's V4 mode sends: the bare service flag, and each selector. */
const QUERIES = [
  {},
  { space: true },
  { emailAddress: "user@example.com" },
  { emailAddress: "first.last+tag@example.com", space: true },
  { id: "b09693b73b3c7686" },
] as const;

/**
 * One raw `GET /?ostor-users` call, and s3api's answer as recorded. A 200 ends in the client's
 * MalformedResponseError (s3api answers ListBuckets XML, not ostor's JSON): the point is the signature.
 */
async function call(ostor: OstorClient, query: (typeof QUERIES)[number]) {
  answers.length = 0;
  await ostor.GET("/?ostor-users", { params: { query } }).catch(() => undefined);
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

describe.skipIf(!available)("ostor SigV4 against Swift's s3api", () => {
  it.each(QUERIES)("accepts a request signed by the client: %o", async (query) => {
    const seen: string[] = [];
    const ostor = createOstorClient({
      baseUrl: s3.endpoint,
      signature: "v4",
      region: s3.region,
      credentials: {
        type: "aksk",
        from: s3Credentials({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }),
      },
      fetch: (request) => {
        seen.push(request.url);
        return recording()(request);
      },
      retry: false,
    });
    const { status, body } = await call(ostor, query);
    expect(status, body).toBe(200);
    // s3api answered as ListBuckets (an S3 XML body) after checking the signature.
    expect(body).toContain("ListAllMyBucketsResult");
    // What was signed and sent: the bare flag first, then the selectors.
    expect(new URL(seen[0]!).search).toMatch(/^\?ostor-users(&|$)/);
  });

  it.each(QUERIES)("refuses the same request signed with a wrong secret: %o", async (query) => {
    const { status, body } = await call(client({ secret: `${s3.secretAccessKey}x` }), query);
    expect(status).toBe(403);
    expect(body).toContain("SignatureDoesNotMatch");
  });

  it("refuses a request whose signed x-amz-date was changed after signing", async () => {
    const tamper = (request: Request) => {
      const headers = new Headers(request.headers);
      const date = headers.get("x-amz-date")!;
      // One second later: still within the clock skew s3api allows, so only the signature can fail.
      const later = new Date(
        Date.parse(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z")) + 1000,
      );
      headers.set("x-amz-date", later.toISOString().replace(/[-:]|\.\d{3}/g, ""));
      return new Request(request, { headers });
    };
    const { status, body } = await call(client({ tamper }), { space: true });
    expect(status).toBe(403);
    expect(body).toContain("SignatureDoesNotMatch");
  });

  it("refuses a request whose signed x-amz-content-sha256 was changed after signing", async () => {
    const tamper = (request: Request) => {
      const headers = new Headers(request.headers);
      expect(headers.get("x-amz-content-sha256")).toMatch(/^[0-9a-f]{64}$/);
      headers.set("x-amz-content-sha256", "0".repeat(64));
      return new Request(request, { headers });
    };
    const { status } = await call(client({ tamper }), {});
    expect(status).toBe(403);
  });

  it("refuses a request whose selector was changed after signing", async () => {
    const tamper = (request: Request) =>
      new Request(
        request.url.replace("emailAddress=user%40example.com", "emailAddress=root%40example.com"),
        request,
      );
    const { status, url, body } = await call(client({ tamper }), { emailAddress: "user@example.com" });
    expect(url).toContain("root%40example.com");
    expect(status).toBe(403);
    expect(body).toContain("SignatureDoesNotMatch");
  });

  it("gets past the signature check in the listUsers helper too (the ListBuckets XML is not an ostor body)", async () => {
    await expect(client().listUsers().all()).rejects.toMatchObject({
      status: 200,
      code: "MalformedResponse",
    });
  });
});
