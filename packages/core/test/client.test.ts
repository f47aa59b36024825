import { describe, expect, it } from "vitest";
import { checkCallOptions, httpUrl, requiredText } from "../src/client.js";
import { CredentialsError, InvalidInputError } from "../src/errors.js";

describe("checkCallOptions", () => {
  it("returns the signal of { signal }, or undefined", () => {
    const signal = new AbortController().signal;
    expect(checkCallOptions({ signal })).toBe(signal);
    expect(checkCallOptions({})).toBeUndefined();
    expect(checkCallOptions(undefined)).toBeUndefined();
  });

  it.each([
    ["options that are not an object", "fast", "options", "must be an object like { signal }"],
    ["null options", null, "options", "must be an object like { signal }"],
    ["a signal that is a string", { signal: "stop" }, "signal", "must be an AbortSignal, not string"],
    ["a null signal", { signal: null }, "signal", "must be an AbortSignal, not null"],
  ])("refuses %s, naming the field", (_, options, field, message) => {
    const error = (() => {
      try {
        checkCallOptions(options);
      } catch (e) {
        return e;
      }
    })() as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${message}`);
  });
});

describe("httpUrl and requiredText", () => {
  it("accept an absolute http(s) URL, and refuse anything else naming the field", () => {
    expect(httpUrl("https://iam.example/v3", "endpoint").href).toBe("https://iam.example/v3");
    expect(() => httpUrl("iam.example", "endpoint")).toThrow("endpoint: must be an absolute http(s) URL");
    expect(() => httpUrl("ftp://iam.example", "endpoint")).toThrow("endpoint: must be an http(s) URL");
  });

  it("hand back a credential's text, trimmed unless asked not to, and refuse a blank one", () => {
    expect(requiredText("username", " alice ")).toBe("alice");
    expect(requiredText("password", " p w ", false)).toBe(" p w ");
    for (const value of [undefined, "", "  ", 42]) {
      expect(() => requiredText("password", value)).toThrow(CredentialsError);
    }
    expect(() => requiredText("password", "")).toThrow("password: is missing or empty");
  });
});
