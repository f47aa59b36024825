// Builds the package in the current directory (each package's `build` script): declarations by tsc,
// JavaScript by esbuild, one bundled file per entry point. A client's import then loads a handful of
// files instead of forty: Node's ESM loader costs about a millisecond per file, which made a cold
// import of a provider entry several times slower than the code it runs (BENCHMARKS.md, section 3).
// Entries: every `exports` and `imports` target, and the sources given as arguments (a bin's module,
// or a file another tool reads from dist/). Dependencies stay imports; code two entries share goes
// to dist/chunks/, so each class is defined once however many entries a program loads. An entry that
// re-exports another entry (a barrel such as core's index of its internal entry) imports that
// entry's file instead: one file fewer to load than a shared chunk would make.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const entries = new Set(process.argv.slice(2));
for (const target of [...targets(manifest.exports), ...targets(manifest.imports)]) {
  const source = target.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts");
  if (!existsSync(source)) fail(`${target} (package.json) has no source ${source}`);
  entries.add(source);
}

// dist/ is rewritten in place, not emptied first: another process (a test's setup, a packing
// release check) may be reading it. What this build did not write is removed at the end.
const tsc = spawnSync(
  join(import.meta.dirname, "..", "node_modules", ".bin", "tsc"),
  ["-p", "tsconfig.build.json", "--emitDeclarationOnly", "--listEmittedFiles"],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (tsc.status !== 0) {
  process.stdout.write(tsc.stdout);
  process.exit(tsc.status ?? 1);
}
const written = new Set(
  tsc.stdout
    .split("\n")
    .filter((line) => line.startsWith("TSFILE: "))
    .map((line) => resolve(line.slice(8).trim())),
);

const { metafile } = await build({
  entryPoints: [...entries],
  outdir: "dist",
  outbase: "src",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // Other packages (and `#crypto`, chosen at run time by package.json `imports`) are not bundled.
  packages: "external",
  external: ["#crypto"],
  plugins: [entriesStayImports([...entries].map((entry) => resolve(entry)))],
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
});
for (const output of Object.keys(metafile.outputs)) written.add(resolve(output));
for (const file of readdirSync("dist", { recursive: true, encoding: "utf8" })) {
  const path = resolve("dist", file);
  if (/\.(js|map|ts)$/.test(file) && !written.has(path)) rmSync(path);
}

/** Resolves an entry point's relative import of another entry point to that entry's output file. */
function entriesStayImports(sources) {
  const known = new Set(sources);
  return {
    name: "entries-stay-imports",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!known.has(args.importer)) return undefined;
        const target = resolve(dirname(args.importer), args.path.replace(/\.js$/, ".ts"));
        if (!known.has(target) || target === args.importer) return undefined;
        const path = relative(dirname(args.importer), target).replace(/\.ts$/, ".js");
        return { path: path.startsWith(".") ? path : `./${path}`, external: true };
      });
    },
  };
}

/** The `.js` targets of an `exports` or `imports` map, however deeply nested its conditions are. */
function targets(map) {
  if (typeof map === "string") return map.endsWith(".js") ? [map] : [];
  if (map === null || typeof map !== "object") return [];
  return Object.values(map).flatMap(targets);
}

function fail(message) {
  process.stderr.write(`build-package: ${message}\n`);
  process.exit(1);
}
