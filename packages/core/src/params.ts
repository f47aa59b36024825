/**
 * The one parameter checker: a value against the constraints its spec states, as `pnpm generate`
 * writes them into each provider's `src/generated/<service>-rules.ts`. Provider code passes the
 * rule and the name the caller knows the value by; it adds only what a spec cannot express.
 * Small on purpose: it is in every provider's bundle.
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
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: ParamRule;
}

// int64 as a JavaScript number: beyond 2^53 another id would be sent.
const FORMATS: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
// Pragmatic: one `@`, no spaces or controls, a local part of 1-64 and dot-separated domain labels.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@.\p{Cc}]+(?:\.[^\s@.\p{Cc}]+)*$/u;

/**
 * `value` checked against `rule` (undefined when optional and not given). Throws an
 * `InvalidInputError` for `field` naming the broken rule and the bad value (never a secret's); `note`
 * (e.g. "from the credentials") ends the message.
 */
export function checkParam<T = unknown>(value: unknown, rule: ParamRule, field: string, note?: string): T {
  const end = note ? `; ${note}` : "";
  const fail = (problem: string, ...keywords: (keyof ParamRule)[]): never => {
    // The pattern and the enum's values are in the problem already.
    const spec = keywords
      .filter((k) => rule[k] !== undefined)
      .map((k) => (k === "pattern" || k === "enum" ? k : `${k} ${rule[k]}`));
    const shown = isSecretField(field) ? "" : `, not ${show(value)}`;
    throw new InvalidInputError(
      field,
      `${problem}${shown}${spec.length ? ` (spec: ${spec.join(", ")})` : ""}${end}`,
    );
  };
  if (value === undefined || (rule.in === "path" && value === "")) {
    if (rule.required) throw new InvalidInputError(field, `is required${end}`);
    return value as T;
  }
  const { type } = rule;
  const typed =
    type === undefined ||
    (type === "array"
      ? Array.isArray(value)
      : typeof value === (type === "integer" ? "number" : type) &&
        !Number.isNaN(value) &&
        (type !== "integer" || Number.isInteger(value)));
  if (!typed) fail(`must be of type ${type}`, "type");
  if (typeof value === "string") {
    // A URL parser would resolve these into another resource.
    if (rule.in === "path" && /^\.\.?$|\//.test(value))
      fail('must be one path segment (not "." or "..", no "/")');
    if ((value as { isWellFormed?(): boolean }).isWellFormed?.() === false) {
      fail("must be well-formed Unicode (no lone surrogate)");
    }
    const length = [...value].length;
    if (length < (rule.minLength ?? 0) || length > (rule.maxLength ?? Infinity)) {
      fail(`must be of length ${span(rule.minLength, rule.maxLength)}`, "minLength", "maxLength");
    }
    if (rule.format === "email" && !EMAIL.test(value)) fail("must be an email address", "format");
    if (rule.pattern !== undefined && !new RegExp(rule.pattern, "u").test(value)) {
      fail(`must match ${rule.pattern}`, "pattern");
    }
  } else if (typeof value === "number") {
    const [low, high] = FORMATS[rule.format as string] ?? [-Infinity, Infinity];
    const min = Math.max(low, rule.minimum ?? low);
    const max = Math.min(high, rule.maximum ?? high);
    if (value < min || value > max) fail(`must be ${span(min, max)}`, "minimum", "maximum", "format");
  } else if (Array.isArray(value)) {
    if (value.length < (rule.minItems ?? 0) || value.length > (rule.maxItems ?? Infinity)) {
      fail(`must have ${span(rule.minItems, rule.maxItems)} items`, "minItems", "maxItems");
    }
    const { items } = rule;
    if (items) for (const [i, item] of value.entries()) checkParam(item, items, `${field}[${i}]`, note);
  }
  if (rule.enum && !rule.enum.includes(value))
    fail(`must be one of ${rule.enum.map(show).join(", ")}`, "enum");
  return value as T;
}

/** "1 to 64", "at least 1" or "at most 64": the bounds that are set. */
function span(min = -Infinity, max = Infinity): string {
  const [low, high] = [min, max].map(Number.isFinite);
  return low && high
    ? min === max
      ? `${min}`
      : `${min} to ${max}`
    : high
      ? `at most ${max}`
      : `at least ${min}`;
}

/** The bad value, short: JSON cut to 60 characters (a string's length added), or its type. */
function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  const json = /^(?:bigint|function|symbol|undefined)$/.test(typeof value)
    ? undefined
    : JSON.stringify(value);
  if (json === undefined) return `a ${typeof value}`;
  return json.length > 60
    ? `${json.slice(0, 60)}… (${typeof value === "string" ? `${value.length} characters` : "cut"})`
    : json;
}
