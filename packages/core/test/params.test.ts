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
      'projectId: must not be "." or ".." or contain "/" (a path segment), not ".."',
    ],
    ["a slash in a path parameter", "a/b", PROJECT, "projectId", 'must not be "." or ".." or contain "/"'],
    [
      "too short",
      "abc",
      PROJECT,
      "projectId",
      'projectId: is 3 characters; it must be from 32 to 64 characters, not "abc" (spec: minLength 32, maxLength 64)',
    ],
    [
      "too long, cut in the message",
      "a".repeat(65),
      PROJECT,
      "projectId",
      `is 65 characters; it must be from 32 to 64 characters, not "${"a".repeat(40)}…"`,
    ],
    [
      "off the pattern",
      `${P32.slice(1)}_`,
      PROJECT,
      "projectId",
      `must match ^[0-9A-Za-z-]+$, not "${P32.slice(1)}_" (spec: pattern)`,
    ],
    ["not a string", 42, PROJECT, "projectId", "projectId: must be a string, not 42 (spec: type)"],
    [
      "below the minimum",
      0,
      LIMIT,
      "limit",
      "limit: must be a whole number from 1 to 10000, not 0 (spec: minimum 1, maximum 10000)",
    ],
    ["above the maximum", 10001, LIMIT, "limit", "from 1 to 10000, not 10001"],
    [
      "a fraction for an integer",
      2.5,
      LIMIT,
      "limit",
      "limit: must be a whole number, not 2.5 (spec: type integer)",
    ],
    ["NaN", Number.NaN, LIMIT, "limit", "must be a number, not NaN (spec: type)"],
    ["a numeric string", "10", LIMIT, "limit", 'must be a number, not "10" (spec: type)'],
    [
      "two characters for one",
      "ab",
      DELIMITER,
      "delimiter",
      "is 2 characters; it must be exactly 1 character,",
    ],
    [
      "an unknown enum value",
      "yaml",
      FORMAT,
      "format",
      'format: must be "json", "xml" or "plain", not "yaml" (spec: enum)',
    ],
    [
      "beyond int32",
      2 ** 31,
      COUNT,
      "count",
      "count: must be a whole number from 1 to 2147483647, not 2147483648 (spec: minimum 1, format int32)",
    ],
    ["an int64 a number cannot hold", 2 ** 53, USER_ID, "userId", "must be within ±(2^53-1)"],
    ["a bigint", 5n, USER_ID, "userId", "must be a number, not a bigint"],
    [
      "no email address",
      "user@",
      EMAIL,
      "emailAddress",
      'must be an email address, not "user@" (spec: format email)',
    ],
    ["a lone surrogate", "a\ud800", EMAIL, "emailAddress", "is not valid Unicode"],
    [
      "too many items",
      [1, 2, 3],
      IDS,
      "ids",
      "ids: has 3 items; it must have at most 2 items, not an array (spec: maxItems 2)",
    ],
    [
      "a bad item, named by index",
      [1, -1],
      IDS,
      "ids",
      "ids[1]: must be a whole number at least 0, not -1 (spec: minimum 0)",
    ],
    [
      "a boolean as text",
      "yes",
      { type: "boolean" },
      "reverse",
      'must be true or false, not "yes" (spec: type)',
    ],
  ] as const)(
    "refuses %s, naming the parameter, the rule and the value",
    (_, value, rule, field, expected) => {
      const text = message(value, rule as ParamRule, field);
      expect(text).toContain(expected);
    },
  );

  it("adds the caller's note", () => {
    expect(message("short", PROJECT, "projectId", "from the credentials")).toMatch(
      /^projectId: is 5 characters; .* \(spec: minLength 32, maxLength 64\); from the credentials$/,
    );
    expect(message(undefined, PROJECT, "projectId", "pass projectId")).toBe(
      "projectId: is required; pass projectId",
    );
  });

  it("never quotes the value of a secret-named parameter", () => {
    const text = message("hunter2-is-my-password", { type: "string", maxLength: 4 }, "password");
    expect(text).toBe("password: is 22 characters; it must be at most 4 characters (spec: maxLength 4)");
    expect(text).not.toContain("hunter2");
  });

  it("counts characters as the spec does (code points), not UTF-16 units", () => {
    expect(checkParam("😀", DELIMITER, "delimiter")).toBe("😀");
  });
});
