import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseErrorBody } from "../src/error-bodies.js";
import {
  AbortedError,
  ApiError,
  AuthenticationError,
  BucketryError,
  ConnectionError,
  CredentialsError,
  InvalidInputError,
  MalformedResponseError,
  malformedResponse,
  NotFoundError,
  PermissionError,
  parseRetryAfter,
  RateLimitError,
  requestIdOf,
  ServerError,
  TimeoutError,
} from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { SecretRegistry } from "../src/redact.js";
import { reply, startServer, type TestServer, testFormat } from "./helpers.js";

describe("parseErrorBody (the generic reading)", () => {
  it("reads code and message at the top level or under error", () => {
    const text = '{"code":"NOT_FOUND","message":"User not found"}';
    expect(parseErrorBody(text)).toEqual({
      code: "NOT_FOUND",
      message: "User not found",
      body: JSON.parse(text),
    });
    expect(parseErrorBody('{"error":{"code":"E1","message":"denied"}}')).toMatchObject({
      code: "E1",
      message: "denied",
    });
  });

  it("reads a provider's own JSON fields through its picker", () => {
    const text = '{"error_code":"MPC.10208","error_msg":"bad tenant","request_id":"r-1"}';
    const parsed = parseErrorBody(text, (json) => {
      const { error_code, error_msg, request_id } = json as Record<string, string>;
      return { code: error_code, message: error_msg, requestId: request_id };
    });
    expect(parsed).toEqual({
      code: "MPC.10208",
      message: "bad tenant",
      requestId: "r-1",
      body: JSON.parse(text),
    });
    // The generic picker finds neither field: nothing is made up.
    expect(parseErrorBody(text)).toEqual({ code: undefined, message: undefined, body: JSON.parse(text) });
  });

  it("reads XML's Code, Message and RequestId, decoding entities", () => {
    const text =
      "<Error><Code>InvalidArgument</Code><Message>bucket &amp; user &lt;both&gt; set</Message><RequestId>0018</RequestId></Error>";
    expect(parseErrorBody(text)).toEqual({
      code: "InvalidArgument",
      message: "bucket & user <both> set",
      requestId: "0018",
      body: text,
    });
  });

  it("reads an HTML page's text and a text's first line", () => {
    expect(parseErrorBody("Maximum limit is 10000\nmore\n")).toEqual({
      message: "Maximum limit is 10000",
      body: "Maximum limit is 10000\nmore\n",
    });
    const html =
      "<html><head><style>h1{}</style></head><h1>Unauthorized</h1><p>This server could not verify that you are authorized.</p></html>";
    expect(parseErrorBody(html).message).toBe(
      "Unauthorized This server could not verify that you are authorized.",
    );
  });

  it("keeps a body that only looks like JSON as text", () => {
    expect(parseErrorBody('{"error_code": "MPC.1')).toEqual({
      message: '{"error_code": "MPC.1',
      body: '{"error_code": "MPC.1',
    });
  });

  it("says nothing of an empty body", () => {
    expect(parseErrorBody("")).toEqual({ message: undefined, body: "" });
  });
});

describe("ApiError.fromResponse over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    // GET /<status>?id=<header>&ra=<retry-after> answers that status with that request-id header.
    server = await startServer((seen, _, res) => {
      const url = new URL(seen.url, "http://x");
      const headers: Record<string, string> = {};
      const idHeader = url.searchParams.get("id");
      if (idHeader) headers[idHeader] = `req-${idHeader}`;
      const ra = url.searchParams.get("ra");
      if (ra) headers["retry-after"] = ra;
      reply(res, Number(url.pathname.slice(1)), '{"error_code":"E.1","error_msg":"it failed"}', headers);
    });
  });
  afterAll(() => server.close());

  const format = { ...testFormat, requestId: "x-trans-id" };
  const get = async (path: string) => {
    const request = new Request(`${server.url}${path}`);
    const response = await fetch(request);
    return ApiError.fromResponse(response, { provider: "prov", operation: "op", request, format });
  };

  it.each([
    [400, ApiError],
    [401, AuthenticationError],
    [403, PermissionError],
    [404, NotFoundError],
    [409, ApiError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError],
  ])("turns HTTP %i into %o", async (status, Class) => {
    const error = await get(`/${status}`);
    expect(error.constructor).toBe(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(BucketryError);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe("E.1");
    expect(error.message).toBe(`prov op failed with HTTP ${status} (E.1: it failed)`);
    expect(error.request).toEqual({ method: "GET", url: `${server.url}/${status}` });
    expect(error.body).toEqual({ error_code: "E.1", error_msg: "it failed" });
  });

  it("reads the request id from the format's header, and no other", async () => {
    expect((await get("/500?id=X-Trans-Id")).requestId).toBe("req-X-Trans-Id");
    const other = await get("/500?id=X-Request-Id");
    expect(other.requestId).toBeUndefined();
    expect(other.headers["x-request-id"]).toBe("req-X-Request-Id");
  });

  it("gives a RateLimitError the wait the server asked for", async () => {
    expect(((await get("/429?ra=7")) as RateLimitError).retryAfterMs).toBe(7000);
    expect(((await get("/429")) as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it("serialises to JSON with the documented fields only", async () => {
    const json = JSON.parse(JSON.stringify(await get("/404?id=X-Trans-Id")));
    expect(Object.keys(json).sort()).toEqual(
      [
        "body",
        "code",
        "headers",
        "message",
        "name",
        "operation",
        "provider",
        "request",
        "requestId",
        "retryable",
        "status",
      ].sort(),
    );
    expect(json.name).toBe("NotFoundError");
  });
});

describe("expectOk", () => {
  interface paths {
    "/thing": { get: { responses: { 200: { content: { "application/json": { id: number } } } } } };
  }
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((seen, _, res) => {
      if (seen.url === "/thing?ok") reply(res, 200, '{"id":1}');
      else if (seen.url === "/thing?json")
        reply(res, 404, '{"code":"NOT_FOUND","message":"User not found","details":"x"}');
      else reply(res, 412, "Bad delimiter", { "content-type": "text/plain", "x-trans-id": "tx1" });
    });
  });
  afterAll(() => server.close());

  const client = () => createClient<paths>({ baseUrl: server.url });
  const context = { provider: "prov", operation: "getThing", format: { requestId: "x-trans-id" } };

  it("returns the data of a success", async () => {
    const result = await client().GET("/thing", { querySerializer: () => "ok" });
    expect(await expectOk(result, context)).toEqual({ id: 1 });
  });

  it("throws the typed error for a JSON error body openapi-fetch already parsed", async () => {
    const result = await client().GET("/thing", { querySerializer: () => "json" });
    const error = await expectOk(result, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      code: "NOT_FOUND",
      message: "prov getThing failed with HTTP 404 (NOT_FOUND: User not found)",
    });
  });

  it("throws the typed error for a text body, kept as it was", async () => {
    const result = await client().GET("/thing", { querySerializer: () => "text" });
    const error = (await expectOk(result, context).catch((e: unknown) => e)) as ApiError;
    expect(error.constructor).toBe(ApiError);
    expect(error.body).toBe("Bad delimiter");
    expect(error.requestId).toBe("tx1");
    expect(error.message).toBe("prov getThing failed with HTTP 412 (Bad delimiter)");
  });
});

describe("the error family", () => {
  it("nests the classes where callers branch", () => {
    const init = { provider: "p", operation: "o" };
    expect(new TimeoutError("t", init)).toBeInstanceOf(ConnectionError);
    expect(new AbortedError("a", init)).not.toBeInstanceOf(ConnectionError);
    expect(new CredentialsError("HUAWEICLOUD_SDK_AK", "is missing")).toBeInstanceOf(InvalidInputError);
    const error = new InvalidInputError("projectId", "must be 32 hex characters");
    expect(error.message).toBe("projectId: must be 32 hex characters");
    expect(error.field).toBe("projectId");
    expect(error).toBeInstanceOf(BucketryError);
  });
});

describe("parseRetryAfter and requestIdOf", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("1")).toBe(1000);
    expect(parseRetryAfter(" 2.5 ")).toBe(2500);
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("reads X-Request-Id by default, or the format's header", () => {
    const headers = new Headers({ "x-trans-id": "t", "x-request-id": "r" });
    expect(requestIdOf(headers)).toBe("r");
    expect(requestIdOf(headers, { requestId: "x-trans-id" })).toBe("t");
    expect(requestIdOf(new Headers({ "x-openstack-request-id": "o" }))).toBeUndefined();
    expect(requestIdOf(new Headers(), { requestId: "x-trans-id" })).toBeUndefined();
  });
});

describe("MalformedResponseError", () => {
  it("is an ApiError with the code MalformedResponse unless told otherwise", () => {
    const error = new MalformedResponseError("m", { provider: "p", operation: "o" });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ name: "MalformedResponseError", code: "MalformedResponse" });
    expect(new MalformedResponseError("m", { provider: "p", operation: "o", code: "X" }).code).toBe("X");
  });

  it("malformedResponse() describes the answer, secrets scrubbed and redacted, the body only when given", () => {
    const secrets = new SecretRegistry();
    secrets.add("s3cr3t-value");
    const response = new Response("{}", {
      status: 200,
      headers: { "x-request-id": "req-1", "x-auth-token": "tok", "content-type": "application/json" },
    });
    const context = {
      provider: "p",
      operation: "listThings",
      request: { method: "GET", url: "https://h.example/things?sig=abc&marker=s3cr3t-value" },
      secrets,
    };
    const error = malformedResponse(response, 'an unexpected body: "items" holds s3cr3t-value', context);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toBe(
      'p listThings answered HTTP 200 with an unexpected body: "items" holds [REDACTED]',
    );
    expect(error).toMatchObject({
      status: 200,
      code: "MalformedResponse",
      requestId: "req-1",
      request: { method: "GET", url: "https://h.example/things?sig=[REDACTED]&marker=[REDACTED]" },
      body: undefined,
    });
    expect(error.headers["x-auth-token"]).toBe("[REDACTED]");
    const withBody = malformedResponse(response, "an unexpected body", context, { SecretKey: "k", n: 1 });
    expect(withBody.body).toEqual({ SecretKey: "[REDACTED]", n: 1 });
  });
});
