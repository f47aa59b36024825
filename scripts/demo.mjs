// The README's first command (`pnpm demo`): regenerates every client from its spec and builds every
// package, then says what it did. The facade's CLI demo replaces this once it exists.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
for (const [label, command, args] of [
  ["Regenerating every client from specs/", "node", ["scripts/generate.mjs"]],
  ["Building every package", "turbo", ["run", "build", "--output-logs=errors-only"]],
]) {
  log(`==> ${label}`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) process.exit(status ?? 1);
}
log("\nDone: five typed clients generated from their OpenAPI specs and built into packages/*/dist.");
log("Next: `pnpm test` runs every check and test.");

function log(line) {
  // biome-ignore lint/suspicious/noConsole: this is a script
  console.log(line);
}
