// Paths and facts the benchmark sections share: the repo root, the output folder, installed package
// versions, and the machine (CPU model, cores, memory) for BENCHMARKS.md.
import { mkdirSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ */
export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The repository root. */
export const ROOT = resolve(BENCH, "..");
/** Scratch output (bundles, JSON results); git-ignored. */
export const OUT = join(BENCH, ".out");
mkdirSync(OUT, { recursive: true });

/** The installed version of a package bench/ depends on (or any package the root can resolve). */
export function packageVersion(name) {
  for (const base of [join(BENCH, "node_modules"), join(ROOT, "node_modules")]) {
    try {
      return JSON.parse(readFileSync(join(base, name, "package.json"), "utf8")).version;
    } catch {}
  }
  return "?";
}

/** CPU model, cores, memory and Node version. */
export function machine() {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
