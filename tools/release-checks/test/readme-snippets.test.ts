/**
 * The README examples compile: every ```ts block of each publishable package's README is written
 * out as its own module and type-checked (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess) against the packages' published types (through
 * this package's workspace links, which resolve to their exports' dist/). A block must be complete on
 * its own, imports included. The facade's README and the root README's examples are compiled and run
 * by packages/bucketry's own tests (test/readme.test.ts).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { transform } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { publishablePackages, root } from "../scripts/packages.mjs";

const run = promisify(execFile);
const here = join(import.meta.dirname, "..");
// Inside node_modules: ignored by git and Biome, and the packages resolve from here as from test/.
const out = join(here, "node_modules", ".cache", "readme-snippets");

interface Snippet {
  readme: string;
  /** The line of the README the block's code starts on. */
  line: number;
  file: string;
}

const readmes = publishablePackages()
  .filter((pkg) => pkg.dir !== "bucketry")
  .map((pkg) => join(pkg.path, "README.md"))
  .filter((file) => existsSync(file));

/** The ```ts blocks of a README with the line each starts on. */
function blocks(readme: string): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const lines = readFileSync(readme, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```ts") continue;
    const end = lines.indexOf("```", i + 1);
    found.push({ line: i + 2, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return found;
}

/** Where block `n` (from 1) of a README is written. */
function snippetFile(readme: string, n: number): string {
  const name = relative(root, readme).replace(/[/\\]/g, "_").replace(/\.md$/, "");
  return join(out, `${name}_${n}.ts`);
}

let snippets: Snippet[] = [];
let diagnostics: string[] = [];

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  snippets = readmes.flatMap((readme) =>
    blocks(readme).map(({ line, code }, n) => {
      const file = snippetFile(readme, n + 1);
      // `export {}` makes each block a module of its own (top-level await, no shared names).
      writeFileSync(file, `${code}\nexport {};\n`);
      return { readme, line, file };
    }),
  );
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../../../tsconfig.base.json",
      // The strictest consumer: `baseUrl: process.env.X` must compile (optional options take undefined).
      compilerOptions: {
        types: ["node"],
        noEmit: true,
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
      },
      include: ["*.ts"],
    }),
  );
  const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
  try {
    await run(process.execPath, [tsc, "-p", join(out, "tsconfig.json"), "--pretty", "false"], { cwd: here });
  } catch (error) {
    diagnostics = String((error as { stdout?: string }).stdout ?? error)
      .split("\n")
      .filter(Boolean);
  }
}, 120_000);

it("finds examples in every README", () => {
  expect(readmes.length).toBeGreaterThanOrEqual(7);
  for (const readme of readmes) {
    expect(
      snippets.some((s) => s.readme === readme),
      relative(root, readme),
    ).toBe(true);
  }
});

describe.each(readmes.map((readme) => ({ readme, name: relative(root, readme) })))("$name", ({ readme }) => {
  it("has examples that compile under strict TypeScript", () => {
    const mine = snippets.filter((s) => s.readme === readme);
    const errors = diagnostics
      .map((line) => {
        const snippet = mine.find(
          (s) => line.includes(`${relative(out, s.file)}(`) || line.startsWith(s.file),
        );
        if (!snippet) return undefined;
        // tsc: `file(line,col): error TS…`; point at the README line instead.
        const at = /\((\d+),(\d+)\)/.exec(line);
        const readmeLine = at ? snippet.line + Number(at[1]) - 1 : snippet.line;
        return `${relative(root, readme)}:${readmeLine}: ${line.slice(line.indexOf("error"))}`;
      })
      .filter(Boolean);
    expect(errors).toEqual([]);
  });

  it.each(runnable(readme))("runs example $n against the fake", async ({ snippet }) => {
    // Compiled as is (types stripped) next to the .ts, so the packages resolve the same way.
    const js = snippet.file.replace(/\.ts$/, ".mjs");
    const result = await transform(readFileSync(snippet.file, "utf8"), { loader: "ts", format: "esm" });
    writeFileSync(js, result.code);
    const { stderr } = await run(process.execPath, [js], { cwd: out, timeout: 60_000 });
    expect(stderr).toBe("");
  });
});

/** The README's examples that start a loopback fake: complete programs, so they are run too. */
function runnable(readme: string): Array<{ n: number; snippet: Snippet }> {
  return blocks(readme)
    .map(({ code }, i) => ({ n: i + 1, code }))
    .filter(({ code }) => code.includes("startFakeServer("))
    .map(({ n }) => ({ n, snippet: { readme, line: 0, file: snippetFile(readme, n) } }));
}

it("reports no compiler error outside the examples", () => {
  const known = snippets.map((s) => relative(out, s.file));
  expect(
    diagnostics.filter((line) => line.includes("error TS") && !known.some((f) => line.includes(f))),
  ).toEqual([]);
});
