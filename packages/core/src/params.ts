/**
 * The one parameter checker: a value against the constraints its spec states, as `pnpm generate`
 * writes them into each provider's `src/generated/<service>-rules.ts`. Provider code passes the
 * rule and the name the caller knows the value by; it adds only what a spec cannot express.
 */
import { InvalidInputError } from "./errors.js";
import { isSecretField } from "./redact.js";

/** One parameter's constraints, as JSON Schema keywords of its spec (the generated rules). */
export interface ParamRule {
  readonly in?: "path";
  readonly required?: boolean;
  readonly type?: "string" | "integer" | "number" | "boolean" | "array";
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: ParamRule;
}

// int64 as a JavaScript number: beyond 2^53 another id would be sent.
const INT_RANGE: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Pragmatic: one `@`, no spaces or controls, a local part of 1-64 and dot-separated domain labels.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@.\p{Cc}]+(?:\.[^\s@.\p{Cc}]+)*$/u;

/**
 * `value` checked against `rule` (undefined when optional and not given). Throws an
 * `InvalidInputError` for `field` naming the broken rule and the bad value (never a secret's); `note`
 * (e.g. "from the credentials") is added to the message.
 */
export function checkParam<T = unknown>(value: unknown, rule: ParamRule, field: string, note?: string): T {
  const fail = (problem: string, keywords?: string): never => {
    const shown = value === undefined || isSecretField(field) ? "" : `, not ${show(value)}`;
    const spec = keywords ? ` (spec: ${keywords})` : "";
    throw new InvalidInputError(field, `${problem}${shown}${spec}${note ? `; ${note}` : ""}`);
  };
  if (value === undefined || (rule.in === "path" && value === "")) {
    if (rule.required) throw new InvalidInputError(field, `is required${note ? `; ${note}` : ""}`);
    return value as T;
  }
  const { type } = rule;
  if (type === "string") {
    if (typeof value !== "string") fail("must be a string", "type");
    const text = value as string;
    if (rule.in === "path" && (text === "." || text === ".." || text.includes("/"))) {
      fail('must not be "." or ".." or contain "/" (a path segment)');
    }
    if (LONE_SURROGATE.test(text)) fail("is not valid Unicode (a lone surrogate cannot be sent as UTF-8)");
    const length = [...text].length;
    const { minLength = 0, maxLength = Number.POSITIVE_INFINITY } = rule;
    if (length < minLength || length > maxLength) {
      fail(
        `is ${length} characters; it must be ${range(minLength, maxLength, " characters")}`,
        keys(rule, "minLength", "maxLength"),
      );
    }
    if (rule.format === "email" && !EMAIL.test(text)) fail("must be an email address", "format email");
  } else if (type === "integer" || type === "number") {
    if (typeof value !== "number" || Number.isNaN(value)) fail("must be a number", "type");
    const n = value as number;
    if (type === "integer" && !Number.isInteger(n)) fail("must be a whole number", "type integer");
    const [low, high] = INT_RANGE[rule.format ?? ""] ?? [-Infinity, Infinity];
    if ((n < low || n > high) && rule.format === "int64") {
      fail("must be within ±(2^53-1), where a JavaScript number holds an int64 exactly", "format int64");
    }
    const min = Math.max(low, rule.minimum ?? -Infinity);
    const max = Math.min(high, rule.maximum ?? Infinity);
    if (n < min || n > max) {
      fail(
        `must be ${type === "integer" ? "a whole number " : ""}${range(min, max)}`,
        keys(rule, "minimum", "maximum", "format"),
      );
    }
    if (n <= (rule.exclusiveMinimum ?? -Infinity))
      fail(`must be above ${rule.exclusiveMinimum}`, "exclusiveMinimum");
    if (n >= (rule.exclusiveMaximum ?? Infinity))
      fail(`must be below ${rule.exclusiveMaximum}`, "exclusiveMaximum");
  } else if (type === "boolean") {
    if (typeof value !== "boolean") fail("must be true or false", "type");
  } else if (type === "array") {
    if (!Array.isArray(value)) fail("must be an array", "type");
    const list = value as unknown[];
    const { minItems = 0, maxItems = Number.POSITIVE_INFINITY } = rule;
    if (list.length < minItems || list.length > maxItems) {
      fail(
        `has ${list.length} items; it must have ${range(minItems, maxItems, " items")}`,
        keys(rule, "minItems", "maxItems"),
      );
    }
    const items = rule.items;
    if (items) for (const [i, item] of list.entries()) checkParam(item, items, `${field}[${i}]`, note);
  }
  if (rule.enum && !rule.enum.includes(value)) fail(`must be ${choices(rule.enum)}`, "enum");
  if (typeof value === "string" && rule.pattern !== undefined && !new RegExp(rule.pattern, "u").test(value)) {
    fail(`must match ${rule.pattern}`, "pattern");
  }
  return value as T;
}

/** "from 1 to 64", "at least 1" or "at most 64": the bounds that are set (0 counts as unset for lengths). */
function range(min: number, max: number, unit = ""): string {
  if (Number.isFinite(max) && Number.isFinite(min) && (min !== 0 || unit === "")) {
    return min === max
      ? `exactly ${max}${max === 1 ? unit.slice(0, -1) : unit}`
      : `from ${min} to ${max}${unit}`;
  }
  return Number.isFinite(max) ? `at most ${max}${unit}` : `at least ${min}${unit}`;
}

function keys(rule: ParamRule, ...names: (keyof ParamRule)[]): string {
  return names
    .filter((name) => rule[name] !== undefined)
    .map((name) => `${name} ${rule[name]}`)
    .join(", ");
}

function choices(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}` : `${shown[0]}`;
}

/** The bad value, short: a string quoted and cut, a number as is, anything else by its type. */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return "a bigint";
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
