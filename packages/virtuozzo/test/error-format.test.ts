import { describe, expect, it } from "vitest";
import { OSTOR_ERRORS } from "../src/errors.js";

const parse = (text: string, headers = new Headers()) => OSTOR_ERRORS.parse!(text, headers);

describe("OSTOR_ERRORS", () => {
  it("reads S3-style XML, decoding entities", () => {
    const text =
      "<Error><Code>InvalidArgument</Code><Message>bucket &amp; user &lt;both&gt; set</Message></Error>";
    expect(parse(text)).toMatchObject({ code: "InvalidArgument", message: "bucket & user <both> set" });
  });

  it("reads the X-Amz-Err-Message header when the body says nothing", () => {
    const headers = new Headers({ "X-Amz-Err-Message": "user already exists" });
    expect(parse("", headers)).toEqual({ message: "user already exists", body: "" });
    expect(parse("<Error><Code>Conflict</Code></Error>", headers)).toMatchObject({
      code: "Conflict",
      message: "user already exists",
    });
    // A body's own <Message> says more than the header.
    expect(parse("<Error><Code>C</Code><Message>from the body</Message></Error>", headers).message).toBe(
      "from the body",
    );
  });

  it("names x-amz-request-id as the request id header", () => {
    expect(OSTOR_ERRORS.requestId).toBe("x-amz-request-id");
  });
});
