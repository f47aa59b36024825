import { describe, expect, it } from "vitest";
import { MalformedResponseError, readBody, UnexpectedShape } from "../src/errors.js";
import { SecretRegistry } from "../src/redact.js";

const context = {
  provider: "test",
  operation: "listThings",
  request: { method: "GET", url: "https://x.example/things" },
};
const answer = () => new Response("{}", { status: 200, headers: { "x-request-id": "req-1" } });

describe("readBody", () => {
  it("returns what the reader read", () => {
    expect(readBody(answer(), context, () => 42)).toBe(42);
  });

  it("turns an UnexpectedShape into the call's MalformedResponseError, keeping only the body it names", () => {
    const secrets = new SecretRegistry();
    secrets.add("sk-secret-value");
    const error = (() => {
      try {
        readBody(answer(), { ...context, secrets }, () => {
          throw new UnexpectedShape('"things" must be an array', { things: "sk-secret-value" });
        });
      } catch (e) {
        return e;
      }
    })() as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toBe(
      'test listThings answered HTTP 200 with an unexpected body: "things" must be an array',
    );
    expect(error).toMatchObject({ status: 200, code: "MalformedResponse", requestId: "req-1" });
    expect(error.body).toEqual({ things: "[REDACTED]" });
  });

  it("keeps the fallback body when the reader names none, and lets other errors through", () => {
    const shape = () => {
      throw new UnexpectedShape("no list");
    };
    expect(() => readBody(answer(), context, shape, () => "{}")).toThrow(
      expect.objectContaining({ name: "MalformedResponseError", body: "{}" }),
    );
    const bug = new TypeError("a bug");
    expect(() =>
      readBody(answer(), context, () => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
