/**
 * The READMEs cannot go stale: every ```ts block of the root README and of this package's README is
 * compiled with tsc (strict, with exactOptionalPropertyTypes and noUncheckedIndexedAccess) and run with node against the fakes. The
 * convention the examples follow: endpoints and credentials come from the documented environment
 * variables (BUCKETRY_*_ENDPOINT, HUAWEICLOUD_SDK_*, OS_*, OSTOR_*, VSP_OBJECT_*), which the test
 * points at the fakes. The blocks are written into a scratch directory inside this package, so
 * `bucketry` resolves to the built package (by its own name) and the providers to its devDependencies.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS } from "../src/adapters/registry.js";
import { loadConfig } from "../src/cli/config.js";
import { type Fakes, startFakes } from "./fakes.js";

const PACKAGE = dirname(dirname(fileURLToPath(import.meta.url)));
const SCRATCH = join(PACKAGE, ".readme-test");
const READMES = { root: join(PACKAGE, "..", "..", "README.md"), bucketry: join(PACKAGE, "README.md") };

interface Example {
  file: string;
  readme: string;
  line: number;
  code: string;
}

/** The ```ts blocks of a README, with the line each starts on. */
async function examples(readme: string, label: string): Promise<Example[]> {
  const text = await readFile(readme, "utf8");
  const out: Example[] = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, match.index).split("\n").length + 1;
    out.push({ file: `${label}-${out.length + 1}.ts`, readme: label, line, code: match[1] as string });
  }
  return out;
}

function exec(file: string, args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { cwd: SCRATCH, env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let fakes: Fakes;
let all: Example[] = [];
let compiled: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  fakes = await startFakes();
  all = [...(await examples(READMES.root, "root")), ...(await examples(READMES.bucketry, "bucketry"))];
  await rm(SCRATCH, { recursive: true, force: true });
  await mkdir(SCRATCH, { recursive: true });
  for (const example of all) await writeFile(join(SCRATCH, example.file), example.code);
  await writeFile(
    join(SCRATCH, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      // The strictest consumer: `baseUrl: process.env.X` must compile (optional options take undefined).
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        types: ["node"],
        rootDir: ".",
        outDir: "out",
        declaration: false,
        declarationMap: false,
        sourceMap: false,
      },
      include: ["*.ts"],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  compiled = await exec(process.execPath, [tsc, "-p", "."], {});
}, 60_000);

afterAll(async () => {
  await fakes.close();
  await rm(SCRATCH, { recursive: true, force: true });
});

describe("README examples", () => {
  it("has examples in both READMEs", () => {
    expect(all.filter((e) => e.readme === "root").length).toBeGreaterThanOrEqual(2);
    expect(all.filter((e) => e.readme === "bucketry").length).toBeGreaterThanOrEqual(4);
  });

  it("compiles every example", () => {
    // Name each error by its README line rather than the scratch file's.
    const report = compiled.stdout.replace(/^(\w+)-(\d+)\.ts\((\d+),(\d+)\)/gm, (_, readme, n, line, col) => {
      const example = all.find((e) => e.file === `${readme}-${n}.ts`);
      return `${readme} README line ${(example?.line ?? 0) + Number(line) - 1}:${col}`;
    });
    expect(report).toBe("");
    expect(compiled.code).toBe(0);
  });

  it("runs every example against the fakes", async () => {
    for (const example of all) {
      const result = await exec(
        process.execPath,
        [join("out", example.file.replace(/\.ts$/, ".js"))],
        fakes.env,
      );
      const where = `${example.readme} README, block at line ${example.line}`;
      expect({ where, code: result.code, stderr: result.stderr }).toEqual({ where, code: 0, stderr: "" });
      expect(result.stdout, where).not.toBe("");
      for (const secret of fakes.secrets) expect(result.stdout, where).not.toContain(secret);
    }
    // One Node process per example, one after another: on a loaded 2-core machine each may take seconds.
  }, 90_000);

  it("documents every setting each adapter's descriptor has, with its variable and file field", async () => {
    const text = await readFile(READMES.bucketry, "utf8");
    for (const adapter of ADAPTERS) {
      for (const field of adapter.fields) {
        expect(text, `${adapter.provider} ${field.env}`).toMatch(
          new RegExp(`\\| \`${field.env}\`[^|]*\\| \`${field.key}\``),
        );
      }
    }
  });

  it("shows a config file the CLI accepts", async () => {
    const text = await readFile(READMES.bucketry, "utf8");
    const blocks = [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(0);
    for (const [i, block] of blocks.entries()) {
      const path = join(SCRATCH, `config-${i}.json`);
      await writeFile(path, block);
      const config = loadConfig({ configPath: path, env: {}, cwd: SCRATCH });
      expect(config.sources.length).toBeGreaterThan(0);
    }
  });
});
