// Runs every check and test (`pnpm test`, for developers and CI): the generated-code drift check, the
// spec example tests, type checks and every package's tests, through turbo so unchanged work is
// served from its cache. Ends with the `N passed, N failed` line CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tasks = ["generate:check", "test:specs", "typecheck", "test"];
const reports = [join(root, ".test-results")].concat(
  readdirSync(join(root, "packages")).map((dir) => join(root, "packages", dir, ".test-results")),
);

// A report left from an earlier run must not be counted; turbo restores the reports of cached tasks.
for (const dir of reports) rmSync(dir, { recursive: true, force: true });
rmSync(join(root, ".turbo", "runs"), { recursive: true, force: true });

const turbo = spawnSync("turbo", ["run", ...tasks, "--continue", "--summarize", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});

let passed = 0;
let failed = 0;
for (const dir of reports) {
  const file = join(dir, "vitest.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

// A task that failed without a report of its own (drift check, type check, a suite that could not
// load) counts as one failure, so a red run can never print "0 failed".
const failedTasks = failedTaskNames();
const unreported = failedTasks.filter((task) => !task.endsWith("#test") || !reportedFailures(task));
failed += unreported.length;
if (failedTasks.length > 0) log(`\nFailed tasks: ${failedTasks.join(", ")}`);

log(`${passed} passed, ${failed} failed`);
process.exitCode = turbo.status === 0 && failed === 0 ? 0 : 1;

function failedTaskNames() {
  const runs = join(root, ".turbo", "runs");
  if (!existsSync(runs)) return turbo.status === 0 ? [] : ["turbo"];
  const [summary] = readdirSync(runs).filter((f) => f.endsWith(".json"));
  if (!summary) return turbo.status === 0 ? [] : ["turbo"];
  const { tasks: run } = JSON.parse(readFileSync(join(runs, summary), "utf8"));
  return run
    .filter((t) => t.execution?.exitCode !== 0 && t.execution?.exitCode !== undefined)
    .map((t) => t.taskId);
}

function reportedFailures(taskId) {
  const pkg = taskId.split("#")[0];
  const dir =
    pkg === "//" ? ".test-results" : join("packages", pkg.replace(/^@bucketry\//, ""), ".test-results");
  const file = join(root, dir, "vitest.json");
  return existsSync(file) && JSON.parse(readFileSync(file, "utf8")).numFailedTests > 0;
}

function log(line) {
  // biome-ignore lint/suspicious/noConsole: this is a script
  console.log(line);
}
