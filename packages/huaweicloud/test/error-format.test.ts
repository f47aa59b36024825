import { describe, expect, it } from "vitest";
import { HUAWEI_ERRORS } from "../src/errors.js";

const parse = (text: string) => HUAWEI_ERRORS.parse!(text, new Headers());

describe("HUAWEI_ERRORS", () => {
  it("reads Huawei's flat shape (MPC)", () => {
    const text = '{"error_code":"MPC.10208","error_msg":"Failed to verify the tenant ID."}';
    expect(parse(text)).toEqual({
      code: "MPC.10208",
      message: "Failed to verify the tenant ID.",
      requestId: undefined,
      body: JSON.parse(text),
    });
  });

  it("reads the flat shape with details and encoded_authorization_message (DBSS)", () => {
    const body = {
      error_code: "DBSS.10000001",
      error_msg: "Invalid request message.",
      details: [{ error_code: "DBSS.10000002", error_msg: "project_id is wrong" }],
      encoded_authorization_message: "ZW5jb2RlZA==",
    };
    const parsed = parse(JSON.stringify(body));
    expect(parsed.code).toBe("DBSS.10000001");
    expect(parsed.message).toBe("Invalid request message.");
    expect(parsed.body).toEqual(body);
  });

  it("reads the nested shape, with either spelling of code and message", () => {
    expect(parse('{"error":{"error_code":"DBSS.1","error_msg":"bad"}}')).toMatchObject({
      code: "DBSS.1",
      message: "bad",
    });
    expect(parse('{"error":{"code":"IAM.0001","message":"denied"}}')).toMatchObject({
      code: "IAM.0001",
      message: "denied",
    });
  });

  it("reads the API gateway's shape with its request_id (APIG)", () => {
    const text =
      '{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"c4d1e8e0"}';
    expect(parse(text)).toMatchObject({
      code: "APIGW.0301",
      message: "Incorrect IAM authentication information: verify aksk signature fail",
      requestId: "c4d1e8e0",
    });
  });

  it("reads OBS-style XML (MPC's AccessDenied)", () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>AWS authentication requires a valid Date or x-amz-date header</Message><RequestId>0000018</RequestId></Error>';
    expect(parse(text)).toEqual({
      code: "AccessDenied",
      message: "AWS authentication requires a valid Date or x-amz-date header",
      requestId: "0000018",
      body: text,
    });
  });

  it("names X-Request-Id as the request id header", () => {
    expect(HUAWEI_ERRORS.requestId).toBe("x-request-id");
  });
});
