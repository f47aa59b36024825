// Counts test results from the vitest JSON reports: used by scripts/test.mjs (unit line),
// scripts/test-integration.mjs (integration line) and .ci/run (`node scripts/summary.mjs`, the one
// combined `N passed, N failed, N skipped` line over unit + integration + runtimes that CI reads
// last); scripts/test-runtimes.mjs writes its own report.json, counted here too.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The workspace folders whose `test` task `pnpm test` runs: packages/* and tools/* (the release checks). */
const UNIT_PARENTS = ["packages", "tools"];

/** The reports `pnpm test` writes: the spec tests' and each package's (packages/* and tools/*). */
export function unitReportDirs() {
  return [join(root, ".test-results")].concat(
    UNIT_PARENTS.filter((parent) => existsSync(join(root, parent))).flatMap((parent) =>
      readdirSync(join(root, parent)).map((dir) => join(root, parent, dir, ".test-results")),
    ),
  );
}

/** The report `pnpm test:integration` writes. */
export const integrationReportDir = join(root, "integration", ".test-results");

/** The report `pnpm test:runtimes` writes (`report.json`: its own totals, not vitest's). */
export const runtimesReportDir = join(root, "scripts", "runtimes", ".test-results");

/** `{ passed, failed, skipped }` of the runtime matrix's report, or zeros when there is none. */
export function runtimesTotals() {
  const file = join(runtimesReportDir, "report.json");
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const { passed, failed, skipped } = JSON.parse(readFileSync(file, "utf8"));
  return { passed, failed, skipped };
}

/** `{ passed, failed, skipped }` of the reports that exist (a missing report counts nothing). */
export function countReports(dirs) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const dir of dirs) {
    const report = readReport(dir);
    if (!report) continue;
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    // Skipped (`it.skip`, `describe.skipIf`) tests are "pending" in vitest's JSON; todos are not run either.
    total.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  }
  return total;
}

export function readReport(dir) {
  const file = join(dir, "vitest.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/**
 * The tasks of the last `turbo run --summarize` that failed (`.turbo/runs`); `["turbo"]` when turbo
 * failed without writing a summary.
 */
export function failedTurboTasks(turboFailed) {
  const runs = join(root, ".turbo", "runs");
  const [summary] = existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith(".json")) : [];
  if (!summary) return turboFailed ? ["turbo"] : [];
  const { tasks } = JSON.parse(readFileSync(join(runs, summary), "utf8"));
  return tasks
    .filter((t) => t.execution?.exitCode !== 0 && t.execution?.exitCode !== undefined)
    .map((t) => t.taskId);
}

/**
 * Unit totals: the reports, plus one failure per failed task that has no failing report of its own
 * (drift check, type check, a suite that could not load), so a red run never prints "0 failed".
 */
export function unitTotals({ turboFailed = false } = {}) {
  const total = countReports(unitReportDirs());
  const failedTasks = failedTurboTasks(turboFailed);
  total.failed += failedTasks.filter((task) => !task.endsWith("#test") || !reportedFailures(task)).length;
  return { ...total, failedTasks };
}

function reportedFailures(taskId) {
  const pkg = taskId.split("#")[0];
  const dir = pkg === "//" ? root : packageDir(pkg);
  return dir !== undefined && (readReport(join(dir, ".test-results"))?.numFailedTests ?? 0) > 0;
}

/** The folder of the workspace package named `name` (under packages/ or tools/), if there is one. */
function packageDir(name) {
  for (const parent of UNIT_PARENTS.filter((p) => existsSync(join(root, p)))) {
    for (const dir of readdirSync(join(root, parent))) {
      const manifest = join(root, parent, dir, "package.json");
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === name) {
        return join(root, parent, dir);
      }
    }
  }
  return undefined;
}

/** A suite that exited non-zero counts at least one failure, report or not. */
export function withExit(total, exitCode) {
  return exitCode !== 0 && total.failed === 0 ? { ...total, failed: 1 } : total;
}

export function formatTotals({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

// `node scripts/summary.mjs [--unit-exit=N] [--integration-exit=N] [--runtimes-exit=N]`: the combined
// line; exits 1 when anything failed. The exit codes make a suite that died before writing its report count as failed.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const exitOf = (name) =>
    Number(process.argv.find((a) => a.startsWith(`--${name}-exit=`))?.split("=")[1] ?? 0);
  const unitExit = exitOf("unit");
  const integrationExit = exitOf("integration");
  const unit = withExit(unitTotals({ turboFailed: unitExit !== 0 }), unitExit);
  const integration = withExit(countReports([integrationReportDir]), integrationExit);
  const runtimesExit = exitOf("runtimes");
  const runtimes = withExit(runtimesTotals(), runtimesExit);
  const suites = [unit, integration, runtimes];
  const sum = (key) => suites.reduce((n, suite) => n + suite[key], 0);
  const total = { passed: sum("passed"), failed: sum("failed"), skipped: sum("skipped") };
  process.stdout.write(`${formatTotals(total)}\n`);
  process.exitCode =
    total.failed > 0 || unitExit !== 0 || integrationExit !== 0 || runtimesExit !== 0 ? 1 : 0;
}
