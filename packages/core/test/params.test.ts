/** checkParam against rules shaped as `pnpm generate` writes them from the specs. */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../src/errors.js";
import { checkParam, type ParamRule } from "../src/params.js";

const PROJECT = {
  in: "path",
  required: true,
  type: "string",
  pattern: "^[0-9A-Za-z-]+$",
  minLength: 32,
  maxLength: 64,
} as const;
const LIMIT = { type: "integer", minimum: 1, maximum: 10000 } as const;
const DELIMITER = { type: "string", minLength: 1, maxLength: 1 } as const;
const FORMAT = { type: "string", enum: ["json", "xml", "plain"] } as const;
const USER_ID = { required: true, type: "integer", format: "int64" } as const;
const COUNT = { type: "integer", format: "int32", minimum: 1 } as const;
const EMAIL = { type: "string", format: "email" } as const;
const IDS = { type: "array", maxItems: 2, items: { type: "integer", minimum: 0 } } as const;

function message(value: unknown, rule: ParamRule, field = "param", note?: string): string {
  try {
    checkParam(value, rule, field, note);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    // An item's error names its index: ids[1].
    expect((error as InvalidInputError).field.startsWith(field)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(value)} passed`);
}

const P32 = "0123456789abcdef0123456789abcdef";

describe("checkParam", () => {
  it.each([
    [P32, PROJECT],
    [10000, LIMIT],
    ["/", DELIMITER],
    ["xml", FORMAT],
    [-468170324, USER_ID],
    [2 ** 31 - 1, COUNT],
    ["user@example.com", EMAIL],
    [[0, 7], IDS],
    [undefined, LIMIT],
  ] as const)("passes %j and returns it", (value, rule) => {
    expect(checkParam(value, rule, "param")).toBe(value);
  });

  it.each([
    ["a missing required value", undefined, USER_ID, "userId", "userId: is required"],
    ["an empty path parameter", "", PROJECT, "projectId", "projectId: is required"],
    [
      "a dot segment",
      "..",
      PROJECT,
      "projectId",
      'projectId: must be one path segment (not "." or "..", no "/"), not ".."',
    ],
    ["a slash in a path parameter", "a/b", PROJECT, "projectId", "must be one path segment"],
    [
      "too short",
      "abc",
      PROJECT,
      "projectId",
      'projectId: must be of length 32 to 64, not "abc" (spec: minLength 32, maxLength 64)',
    ],
    [
      "too long, cut in the message",
      "a".repeat(65),
      PROJECT,
      "projectId",
      `must be of length 32 to 64, not "${"a".repeat(59)}… (65 characters)`,
    ],
    [
      "off the pattern",
      `${P32.slice(1)}_`,
      PROJECT,
      "projectId",
      `projectId: must match ^[0-9A-Za-z-]+$, not "${P32.slice(1)}_" (spec: pattern)`,
    ],
    [
      "not a string",
      42,
      PROJECT,
      "projectId",
      "projectId: must be of type string, not 42 (spec: type string)",
    ],
    [
      "below the minimum",
      0,
      LIMIT,
      "limit",
      "limit: must be 1 to 10000, not 0 (spec: minimum 1, maximum 10000)",
    ],
    ["above the maximum", 10001, LIMIT, "limit", "must be 1 to 10000, not 10001"],
    [
      "a fraction for an integer",
      2.5,
      LIMIT,
      "limit",
      "limit: must be of type integer, not 2.5 (spec: type integer)",
    ],
    ["NaN", Number.NaN, LIMIT, "limit", "must be of type integer, not NaN"],
    ["a numeric string", "10", LIMIT, "limit", 'must be of type integer, not "10" (spec: type integer)'],
    [
      "two characters for one",
      "ab",
      DELIMITER,
      "delimiter",
      'delimiter: must be of length 1, not "ab" (spec: minLength 1, maxLength 1)',
    ],
    [
      "an unknown enum value",
      "yaml",
      FORMAT,
      "format",
      'format: must be one of "json", "xml", "plain", not "yaml" (spec: enum)',
    ],
    [
      "beyond int32",
      2 ** 31,
      COUNT,
      "count",
      "count: must be 1 to 2147483647, not 2147483648 (spec: minimum 1, format int32)",
    ],
    [
      "an int64 a number cannot hold",
      2 ** 53,
      USER_ID,
      "userId",
      "must be -9007199254740991 to 9007199254740991, not 9007199254740992 (spec: format int64)",
    ],
    ["a bigint", 5n, USER_ID, "userId", "must be of type integer, not a bigint"],
    [
      "no email address",
      "user@",
      EMAIL,
      "emailAddress",
      'must be an email address, not "user@" (spec: format email)',
    ],
    ["a lone surrogate", "a\ud800", EMAIL, "emailAddress", "must be well-formed Unicode"],
    [
      "too many items",
      [1, 2, 3],
      IDS,
      "ids",
      "ids: must have at most 2 items, not [1,2,3] (spec: maxItems 2)",
    ],
    [
      "a bad item, named by index",
      [1, -1],
      IDS,
      "ids",
      "ids[1]: must be at least 0, not -1 (spec: minimum 0)",
    ],
    [
      "a boolean as text",
      "yes",
      { type: "boolean" },
      "reverse",
      'must be of type boolean, not "yes" (spec: type boolean)',
    ],
  ] as const)(
    "refuses %s, naming the parameter, the rule and the value",
    (_, value, rule, field, expected) => {
      expect(message(value, rule as ParamRule, field)).toContain(expected);
    },
  );

  it("adds the caller's note", () => {
    expect(message("short", PROJECT, "projectId", "from the credentials")).toBe(
      'projectId: must be of length 32 to 64, not "short" (spec: minLength 32, maxLength 64); from the credentials',
    );
    expect(message(undefined, PROJECT, "projectId", "pass projectId")).toBe(
      "projectId: is required; pass projectId",
    );
  });

  it("never quotes the value of a secret-named parameter", () => {
    const text = message("hunter2-is-my-password", { type: "string", maxLength: 4 }, "password");
    expect(text).toBe("password: must be of length at most 4 (spec: maxLength 4)");
    expect(text).not.toContain("hunter2");
  });

  it("counts characters as the spec does (code points), not UTF-16 units", () => {
    expect(checkParam("😀", DELIMITER, "delimiter")).toBe("😀");
  });
});
