import { describe, expect, it } from "vitest";
import { checkCallOptions } from "../src/client.js";
import { InvalidInputError } from "../src/errors.js";

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
