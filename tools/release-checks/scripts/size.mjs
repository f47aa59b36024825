// Measures what each entry point costs a bundle (esbuild --bundle --minify --format=esm
// --platform=neutral, then gzip -9) and compares it with size-budgets.json: imported by
// test/size.test.ts; run by hand as `pnpm size` (root) to print the README's table. Needs dist/ built.
// @ts-check
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { facadeStatus } from "./packages.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..");

/**
 * @typedef {object} Budget
 * @property {string} name how the README's table names it
 * @property {string[]} imports the module specifiers bundled together (every export kept)
 * @property {string} includes what the bundle holds, for the README's table
 * @property {string[]} [external] packages left out of the bundle
 * @property {"facade"} [needs] measured only once the facade is ready (packages.mjs `facadeStatus`)
 * @property {number} budget the most min+gzip bytes allowed
 */

/** @returns {{ entries: Budget[] }} size-budgets.json */
export function readBudgets() {
  return JSON.parse(readFileSync(join(pkgDir, "size-budgets.json"), "utf8"));
}

/**
 * Bundles `imports` together as one ESM module that re-exports everything, minified.
 * @param {Budget} entry
 * @returns {Promise<{ minified: number, gzipped: number }>} sizes in bytes
 */
export async function measure(entry) {
  const contents = entry.imports
    .map((spec, i) => `export * as m${i} from ${JSON.stringify(spec)};`)
    .join("\n");
  const result = await build({
    stdin: { contents, resolveDir: pkgDir, loader: "js", sourcefile: "entry.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: entry.external ?? [],
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${entry.name}`);
  return { minified: output.contents.length, gzipped: gzipSync(output.contents, { level: 9 }).length };
}

/**
 * The failure message when `size` is over the entry's budget, with both numbers; undefined within it.
 * @param {Budget} entry
 * @param {{ minified: number, gzipped: number }} size
 * @returns {string | undefined}
 */
export function overBudget(entry, size) {
  if (size.gzipped <= entry.budget) return undefined;
  return `${entry.name}: ${size.gzipped} B min+gzip (${kib(size.gzipped)}; ${size.minified} B minified) is over its budget of ${entry.budget} B (${kib(entry.budget)}) by ${size.gzipped - entry.budget} B; see tools/release-checks/size-budgets.json`;
}

/** @param {number} bytes */
export function kib(bytes) {
  return `${(bytes / 1024).toFixed(2)} KiB`;
}

// `node scripts/size.mjs`: every measurement as the README's Markdown table; exits 1 over a budget.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const facade = facadeStatus();
  const rows = ["| entry | bundles | min | min+gzip | budget (min+gzip) |", "|---|---|--:|--:|--:|"];
  let over = 0;
  for (const entry of readBudgets().entries) {
    if (entry.needs === "facade" && !facade.ready) {
      rows.push(
        `| ${entry.name} | ${entry.includes} | not measured: ${facade.reason} | | ${entry.budget} B |`,
      );
      continue;
    }
    const size = await measure(entry);
    const message = overBudget(entry, size);
    if (message) {
      over += 1;
      process.stderr.write(`${message}\n`);
    }
    const mark = message ? " **over**" : "";
    rows.push(
      `| ${entry.name} | ${entry.includes} | ${size.minified} B | ${size.gzipped} B (${kib(size.gzipped)})${mark} | ${entry.budget} B (${kib(entry.budget)}) |`,
    );
  }
  process.stdout.write(`${rows.join("\n")}\n`);
  process.exitCode = over > 0 ? 1 : 0;
}
