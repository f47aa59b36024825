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
import { reply, startServer, type TestServer } from "./helpers.js";

const none = new Headers();

describe("parseErrorBody", () => {
  it("reads Huawei's flat shape (MPC)", () => {
    const text = '{"error_code":"MPC.10208","error_msg":"Failed to verify the tenant ID."}';
    expect(parseErrorBody(text, none)).toEqual({
      code: "MPC.10208",
      message: "Failed to verify the tenant ID.",
      body: JSON.parse(text),
    });
  });

  it("reads Huawei's flat shape with details and encoded_authorization_message (DBSS)", () => {
    const body = {
      error_code: "DBSS.10000001",
      error_msg: "Invalid request message.",
      details: [{ error_code: "DBSS.10000002", error_msg: "project_id is wrong" }],
      encoded_authorization_message: "ZW5jb2RlZA==",
    };
    const parsed = parseErrorBody(JSON.stringify(body), none);
    expect(parsed.code).toBe("DBSS.10000001");
    expect(parsed.message).toBe("Invalid request message.");
    expect(parsed.body).toEqual(body);
  });

  it("reads Huawei's nested shape, with either spelling of code and message", () => {
    expect(parseErrorBody('{"error":{"error_code":"DBSS.1","error_msg":"bad"}}', none)).toMatchObject({
      code: "DBSS.1",
      message: "bad",
    });
    expect(parseErrorBody('{"error":{"code":"IAM.0001","message":"denied"}}', none)).toMatchObject({
      code: "IAM.0001",
      message: "denied",
    });
  });

  it("reads the API gateway's shape with its request_id (APIG)", () => {
    const text =
      '{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"c4d1e8e0"}';
    expect(parseErrorBody(text, none)).toMatchObject({
      code: "APIGW.0301",
      message: "Incorrect IAM authentication information: verify aksk signature fail",
      requestId: "c4d1e8e0",
    });
  });

  it("reads OBS-style XML (MPC's AccessDenied)", () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>AWS authentication requires a valid Date or x-amz-date header</Message><RequestId>0000018</RequestId></Error>';
    expect(parseErrorBody(text, none)).toEqual({
      code: "AccessDenied",
      message: "AWS authentication requires a valid Date or x-amz-date header",
      requestId: "0000018",
      body: text,
    });
  });

  it("reads Hitachi's {code, message, details}", () => {
    const text = '{"code":"NOT_FOUND","message":"User not found","details":"id -468170324"}';
    expect(parseErrorBody(text, none)).toMatchObject({
      code: "NOT_FOUND",
      message: "User not found (id -468170324)",
    });
  });

  it("reads ostor's XML, decoding entities", () => {
    const text =
      "<Error><Code>InvalidArgument</Code><Message>bucket &amp; user &lt;both&gt; set</Message></Error>";
    expect(parseErrorBody(text, none)).toMatchObject({
      code: "InvalidArgument",
      message: "bucket & user <both> set",
    });
  });

  it("reads ostor's X-Amz-Err-Message header when the body says nothing", () => {
    const headers = new Headers({ "X-Amz-Err-Message": "user already exists" });
    expect(parseErrorBody("", headers)).toEqual({ message: "user already exists", body: "" });
    expect(parseErrorBody("<Error><Code>Conflict</Code></Error>", headers)).toMatchObject({
      code: "Conflict",
      message: "user already exists",
    });
  });

  it("reads Swift's text and HTML bodies", () => {
    expect(parseErrorBody("Maximum limit is 10000\n", none)).toEqual({
      message: "Maximum limit is 10000",
      body: "Maximum limit is 10000\n",
    });
    const html =
      "<html><head><style>h1{}</style></head><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>";
    expect(parseErrorBody(html, none).message).toBe(
      "Unauthorized This server could not verify that you are authorized to access the document you requested.",
    );
  });

  it("reads Keystone's and Keycloak's errors", () => {
    const keystone =
      '{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}';
    expect(parseErrorBody(keystone, none)).toMatchObject({
      code: "Unauthorized",
      message: "The request you have made requires authentication.",
    });
    const keycloak = '{"error":"invalid_grant","error_description":"Invalid user credentials"}';
    expect(parseErrorBody(keycloak, none)).toMatchObject({
      code: "invalid_grant",
      message: "Invalid user credentials",
    });
  });

  it("keeps a body that only looks like JSON as text", () => {
    expect(parseErrorBody('{"error_code": "MPC.1', none)).toEqual({
      message: '{"error_code": "MPC.1',
      body: '{"error_code": "MPC.1',
    });
  });

  it("says nothing of an empty body", () => {
    expect(parseErrorBody("", none)).toEqual({ message: undefined, body: "" });
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

  const get = async (path: string) => {
    const request = new Request(`${server.url}${path}`);
    const response = await fetch(request);
    return ApiError.fromResponse(response, { provider: "prov", operation: "op", request });
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

  it.each(["X-Request-Id", "X-Trans-Id", "X-Openstack-Request-Id", "x-amz-request-id"])(
    "reads the request id from %s",
    async (header) => {
      const error = await get(`/500?id=${header}`);
      expect(error.requestId).toBe(`req-${header}`);
      expect(error.headers[header.toLowerCase()]).toBe(`req-${header}`);
    },
  );

  it("gives a RateLimitError the wait the server asked for", async () => {
    expect(((await get("/429?ra=7")) as RateLimitError).retryAfterMs).toBe(7000);
    expect(((await get("/429")) as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it("serialises to JSON with the documented fields only", async () => {
    const json = JSON.parse(JSON.stringify(await get("/404?id=X-Request-Id")));
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
  const context = { provider: "prov", operation: "getThing" };

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
      message: "prov getThing failed with HTTP 404 (NOT_FOUND: User not found (x))",
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

  it("prefers X-Request-Id, and finds the others", () => {
    expect(requestIdOf(new Headers({ "x-trans-id": "t", "x-request-id": "r" }))).toBe("r");
    expect(requestIdOf(new Headers({ "x-openstack-request-id": "o" }))).toBe("o");
    expect(requestIdOf(new Headers())).toBeUndefined();
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
