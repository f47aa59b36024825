import { parseErrorBody, requestIdOf } from "@bucketry/core/internal";
import { describe, expect, it } from "vitest";
import { SWIFT_ERRORS } from "../src/errors.js";

describe("SWIFT_ERRORS", () => {
  it("leaves Swift's text and HTML bodies to the generic reading", () => {
    expect(SWIFT_ERRORS.parse).toBeUndefined();
    expect(parseErrorBody("Maximum limit is 10000\n")).toEqual({
      message: "Maximum limit is 10000",
      body: "Maximum limit is 10000\n",
    });
    const html =
      "<html><head><style>h1{}</style></head><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>";
    expect(parseErrorBody(html).message).toBe(
      "Unauthorized This server could not verify that you are authorized to access the document you requested.",
    );
  });

  it("reads the request id from X-Trans-Id", () => {
    const headers = new Headers({ "x-trans-id": "tx1", "x-request-id": "other" });
    expect(requestIdOf(headers, SWIFT_ERRORS)).toBe("tx1");
  });
});
