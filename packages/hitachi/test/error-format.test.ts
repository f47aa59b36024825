import { describe, expect, it } from "vitest";
import { VSP_ONE_OBJECT_ERRORS } from "../src/errors.js";

const parse = (text: string) => VSP_ONE_OBJECT_ERRORS.parse!(text, new Headers());

describe("VSP_ONE_OBJECT_ERRORS", () => {
  it("reads {code, message, details}", () => {
    const text = '{"code":"NOT_FOUND","message":"User not found","details":"id -468170324"}';
    expect(parse(text)).toEqual({
      code: "NOT_FOUND",
      message: "User not found (id -468170324)",
      body: JSON.parse(text),
    });
    expect(parse('{"code":"E","details":"only details"}').message).toBe("only details");
  });

  it("reads its Keycloak's OAuth errors", () => {
    const text = '{"error":"invalid_grant","error_description":"Invalid user credentials"}';
    expect(parse(text)).toMatchObject({ code: "invalid_grant", message: "Invalid user credentials" });
  });

  it("names X-Request-Id as the request id header", () => {
    expect(VSP_ONE_OBJECT_ERRORS.requestId).toBe("x-request-id");
  });
});
