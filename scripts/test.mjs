// Runs every check and test (`pnpm test`, for developers and CI): the generated-code drift check, the
// spec example tests, type checks and every package's tests, through turbo so unchanged work is
// served from its cache. Ends with the `N passed, N failed` line CI reads (counting: scripts/summary.mjs).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { root, unitReportDirs, unitTotals } from "./summary.mjs";

const tasks = ["generate:check", "test:specs", "typecheck", "test"];

// A report left from an earlier run must not be counted; turbo restores the reports of cached tasks.
for (const dir of unitReportDirs()) rmSync(dir, { recursive: true, force: true });
rmSync(join(root, ".turbo", "runs"), { recursive: true, force: true });

const turbo = spawnSync("turbo", ["run", ...tasks, "--continue", "--summarize", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  // No first-run telemetry notice for a newcomer (turbo's own switch).
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
});

const { passed, failed, failedTasks } = unitTotals({ turboFailed: turbo.status !== 0 });
if (failedTasks.length > 0) log(`\nFailed tasks: ${failedTasks.join(", ")}`);

log(`${passed} passed, ${failed} failed`);
process.exitCode = turbo.status === 0 && failed === 0 ? 0 : 1;

function log(line) {
  // biome-ignore lint/suspicious/noConsole: this is a script
  console.log(line);
}
