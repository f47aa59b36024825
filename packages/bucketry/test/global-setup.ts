/**
 * Builds the package before the tests: the CLI tests spawn `node dist/cli/main.js` and the README
 * examples import `bucketry` through its exports, both of which need dist/. turbo's `^build` builds
 * only the dependencies, not this package. Runs the package's own `build` script, so the tests use
 * what is published.
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: { build: string };
  };
  execSync(scripts.build, { cwd: root, stdio: "inherit" });
}
