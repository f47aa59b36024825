// Where an entry's bytes come from: each budget's bundle built again from the packages' sources
// (so bytes are attributed to src/ files, not to dist/ bundles), minified, with esbuild's metafile.
// `node scripts/size-breakdown.mjs [name-substring] [--top N]`; sizes are minified bytes per file
// (gzip shrinks them all about threefold; the total's min+gzip is printed for comparison).
// @ts-check
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { root } from "./packages.mjs";
import { readBudgets } from "./size.mjs";

/** @type {import("esbuild").Plugin} resolves workspace packages and `#crypto` to their sources */
const sources = {
  name: "sources",
  setup(b) {
    b.onResolve({ filter: /^(@bucketry\/[^/]+|bucketry)(\/.*)?$|^#/ }, (args) => {
      if (args.path.startsWith("#")) {
        const pkg = args.importer.match(/packages\/([^/]+)\//)?.[1];
        const file = join(root, "packages", pkg ?? "", "src", `${args.path.slice(1)}.ts`);
        return existsSync(file) ? { path: file } : undefined;
      }
      const [, name = "", sub] = args.path.match(/^(@bucketry\/[^/]+|bucketry)(\/.*)?$/) ?? [];
      const dir = join(root, "packages", name === "bucketry" ? "bucketry" : name.slice(10));
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const target = manifest.exports?.[`.${sub ?? ""}`]?.default;
      if (!target) return undefined;
      return { path: join(dir, target.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) };
    });
  },
};

const args = process.argv.slice(2);
const topIndex = args.indexOf("--top");
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
const [filter = ""] = args;
for (const entry of readBudgets().entries.filter((e) => e.name.includes(filter))) {
  const contents = entry.imports
    .map((spec, i) => `export * as m${i} from ${JSON.stringify(spec)};`)
    .join("\n");
  const result = await build({
    stdin: { contents, resolveDir: join(root, "tools", "release-checks"), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: entry.external ?? [],
    plugins: [sources],
    write: false,
    metafile: true,
    outfile: "out.js",
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {});
  const byPackage = new Map();
  for (const [file, { bytesInOutput }] of inputs) {
    const key =
      file.match(/packages\/([^/]+)\//)?.[1] ?? file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? file;
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const gz = output ? gzipSync(output.contents, { level: 9 }).length : 0;
  process.stdout.write(`\n## ${entry.name}: ${output?.contents.length} B min, ${gz} B min+gzip\n`);
  process.stdout.write(
    `by package: ${[...byPackage]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}\n`,
  );
  for (const [file, { bytesInOutput }] of inputs
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, top)) {
    if (bytesInOutput > 0)
      process.stdout.write(`${String(bytesInOutput).padStart(7)}  ${file.replace(/^(\.\.\/)+/, "")}\n`);
  }
}
