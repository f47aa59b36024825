/**
 * Every example in every spec must validate against its schema. Redocly's lint checks media-type
 * examples too; this test is the independent second opinion (Ajv, JSON Schema 2020-12, the dialect
 * of OpenAPI 3.1), and it also covers parameter, header and schema-level examples.
 */
import { resolve } from "node:path";
import { bundle, loadConfig } from "@redocly/openapi-core";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";

interface Example {
  where: string;
  schema: unknown;
  value: unknown;
}

const root = resolve(import.meta.dirname, "..");
const config = await loadConfig({ configPath: resolve(root, "redocly.yaml") });

function newValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ["int32", "int64", "float", "double", "byte", "binary", "password"]) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

/** Walks a dereferenced OpenAPI document and collects every example with the schema it illustrates. */
function collectExamples(
  node: unknown,
  where: string,
  out: Example[] = [],
  seen = new Set<unknown>(),
): Example[] {
  if (node === null || typeof node !== "object" || seen.has(node)) return out;
  seen.add(node);
  const obj = node as Record<string, unknown>;
  const schema = obj.schema;
  // Parameters, headers and media types: `example` / `examples.{name}.value` illustrate `schema`.
  if (schema && typeof schema === "object") {
    if ("example" in obj) out.push({ where: `${where}.example`, schema, value: obj.example });
    const examples = obj.examples as Record<string, { value?: unknown }> | undefined;
    for (const [name, example] of Object.entries(examples ?? {})) {
      if (example && "value" in example)
        out.push({ where: `${where}.examples.${name}`, schema, value: example.value });
    }
  }
  // Schema objects: `examples: [...]` (and the deprecated `example`) illustrate the schema itself.
  if (looksLikeSchema(obj)) {
    if (Array.isArray(obj.examples)) {
      obj.examples.forEach((value, i) => {
        out.push({ where: `${where}.examples[${i}]`, schema: obj, value });
      });
    }
    if ("example" in obj && !("schema" in obj))
      out.push({ where: `${where}.example`, schema: obj, value: obj.example });
  }
  for (const [key, child] of Object.entries(obj)) {
    if (key === "example" || (key === "examples" && !looksLikeSchema(obj))) continue;
    if (key === "examples" && Array.isArray(child)) continue;
    collectExamples(child, `${where}.${key}`, out, seen);
  }
  return out;
}

function looksLikeSchema(obj: Record<string, unknown>): boolean {
  return ["type", "properties", "items", "oneOf", "anyOf", "allOf", "enum", "const"].some((k) => k in obj);
}

for (const [name, api] of Object.entries(config.apis)) {
  describe(`${name} (${api.root})`, async () => {
    const { bundle: document } = await bundle({ ref: resolve(root, api.root), config, dereference: true });
    const examples = collectExamples(document.parsed, "#");

    it("has examples to check", () => {
      expect(examples.length).toBeGreaterThan(0);
    });

    for (const example of examples) {
      it(`${example.where} matches its schema`, () => {
        const validate = newValidator().compile(example.schema as object);
        const valid = validate(example.value);
        expect(valid, JSON.stringify(validate.errors, null, 2)).toBe(true);
      });
    }
  });
}

describe("the example check itself", () => {
  it("rejects an example that breaks its schema", () => {
    const document = {
      paths: {
        "/x": {
          get: {
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
                    examples: { bad: { value: { n: "1" } } },
                  },
                },
              },
            },
          },
        },
      },
    };
    const [example] = collectExamples(document, "#");
    expect(example).toBeDefined();
    expect(newValidator().compile(example!.schema as object)(example!.value)).toBe(false);
  });
});
