// What the module layout costs a cold import (`node bench/src/cold-import-layouts.mjs [entry]`; not a
// section of `pnpm bench`). The same code is imported three ways: as published (the entry, its chunk,
// core, auth and openapi-fetch as separate modules), bundled by esbuild into one file of ours with
// openapi-fetch left as its own package, and bundled whole into one file; openapi-fetch alone and a
// bare `node` alongside. Each in a fresh process, 15 rounds interleaved and rotated; medians of the
// in-process `import()` time and of the wall time above bare node. Prints a Markdown table.
import { join } from "node:path";
import { build } from "esbuild";
import { nodeWall as wall } from "./lib/measure.mjs";
import { fixed, summarize, table } from "./lib/stats.mjs";
import { BENCH, OUT } from "./lib/workspace.mjs";

const entry = process.argv[2] ?? "@bucketry/huaweicloud/mpc";
const ROUNDS = 15;

async function bundle(name, external) {
  const outfile = join(OUT, `layout-${name}.mjs`);
  await build({
    stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: BENCH, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    external,
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

const layouts = [
  { name: "bare node", code: "console.log(0)" },
  { name: "openapi-fetch alone", spec: "openapi-fetch" },
  { name: `${entry} as published`, spec: entry },
  { name: "one file of ours + openapi-fetch", spec: await bundle("ours", ["openapi-fetch"]) },
  { name: "one file, openapi-fetch included", spec: await bundle("whole", []) },
];
for (const layout of layouts) {
  layout.code ??= `const t = performance.now(); await import(${JSON.stringify(layout.spec)}); console.log(performance.now() - t);`;
}

const samples = layouts.map(() => []);
for (const layout of layouts) wall(layout.code); // the file-system cache
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < layouts.length; i++) {
    const at = (i + round) % layouts.length;
    samples[at].push(wall(layouts[at].code));
  }
}
const [bare] = samples;
const rows = layouts.slice(1).map((layout, i) => {
  const runs = samples[i + 1];
  const above = summarize(runs.map((s, r) => s.ms - bare[r].ms)).median;
  return [layout.name, fixed(summarize(runs.map((s) => s.inner)).median), fixed(above)];
});
const header = ["layout", "in-process import() ms (median)", "ms above bare node (median)"];
process.stdout.write(`bare node: ${fixed(summarize(bare.map((s) => s.ms)).median)} ms, ${ROUNDS} rounds\n\n`);
process.stdout.write(`${table(header, rows)}\n`);
