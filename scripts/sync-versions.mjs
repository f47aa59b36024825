// Writes each package's version from its package.json into its src/version.ts (the default
// User-Agent names it), after `changeset version` bumps the manifests (`pnpm version-packages`).
// With --check, writes nothing and fails naming every file that is behind (the release checks run it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const stale = [];
for (const name of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", name, "src", "version.ts");
  if (!existsSync(file)) continue;
  const { version } = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
  const text = readFileSync(file, "utf8");
  const next = text.replace(/export const VERSION = "[^"]*";/, `export const VERSION = "${version}";`);
  if (next === text) continue;
  stale.push(`packages/${name}/src/version.ts`);
  if (!check) writeFileSync(file, next);
}
if (check && stale.length > 0) {
  // biome-ignore lint/suspicious/noConsole: this is a script
  console.error(
    `version.ts behind package.json in: ${stale.join(", ")}\nRun: node scripts/sync-versions.mjs`,
  );
  process.exit(1);
}
