/**
 * Builds the package before the tests: the CLI tests spawn `node dist/cli/main.js` and the README
 * examples import `bucketry` through its exports, both of which need dist/. turbo's `^build` builds
 * only the dependencies, not this package.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
