// Runs the integration suite against a real OpenStack Swift (`pnpm test:integration`, and .ci/run):
// builds the clients, installs Swift from Debian if missing, starts it and a Prism proxy that
// validates every exchange against specs/ncloud/archive-storage.yaml, runs integration/ with vitest,
// and stops everything it started, also on failure, exception, SIGINT or SIGTERM.
// Ends with `integration: N passed, N failed, N skipped`. When Swift cannot be installed or started
// the suite still runs, every test is SKIPPED (never passed), and the reason is printed.
// Usage: `pnpm test:integration [vitest args, e.g. test/ostor-v4.test.ts]`; a Swift to poke at by
// hand: `node scripts/swift/harness.mjs up`.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { countReports, formatTotals, integrationReportDir, root, withExit } from "./summary.mjs";
import { envOf, freePorts, installSwift, startSwift } from "./swift/harness.mjs";

const pkgDir = join(root, "integration");
const bin = (name) => join(pkgDir, "node_modules", ".bin", name);
// INTEGRATION_NCLOUD_SPEC points Prism at another copy, e.g. to try a spec change before making it.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script, which turbo does not run
const spec = process.env.INTEGRATION_NCLOUD_SPEC ?? join(root, "specs", "ncloud", "archive-storage.yaml");
// ostor's docs use the SigV4 region `ostor`; s3api checks the region, so Swift is set up with it.
const S3_REGION = "ostor";

// No first-run telemetry notice from the turbo builds below.
process.env.TURBO_TELEMETRY_DISABLED = "1";
const timings = [];
const abort = new AbortController();
let swift;
let vitest;
let interrupted;

// Ctrl-C reaches vitest and us (same process group; Swift runs in its own groups); SIGTERM may reach
// only us. Either way: stop vitest, then fall through to the cleanup below. A second signal kills now.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (interrupted) {
      swift?.killNow();
      process.exit(130);
    }
    interrupted = signal;
    log(`${signal}: stopping the suite, then Swift`);
    abort.abort(new Error(`interrupted by ${signal}`));
    vitest?.kill("SIGTERM");
  });
}
// Last resort (an exception escaping everything below): nothing may outlive this process.
process.on("exit", () => swift?.killNow());

rmSync(integrationReportDir, { recursive: true, force: true });
let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`integration runner failed: ${error?.stack ?? error}`);
} finally {
  if (swift) await timed("stop", () => swift.stop());
}
if (interrupted) exitCode = 1;

const totals = withExit(countReports([integrationReportDir]), exitCode);
log(`timings: ${timings.map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(", ")}`);
log(`integration: ${formatTotals(totals)}`);
process.exitCode = exitCode === 0 && totals.failed === 0 ? 0 : 1;

async function main() {
  // The tests import the packages' dist/; build them (turbo's cache makes this quick when unchanged).
  const build = await timed("build", () =>
    run("turbo", [
      "run",
      "build",
      "--filter=@bucketry-internal/integration^...",
      "--output-logs=errors-only",
    ]),
  );
  if (build !== 0) {
    log("building the packages failed; the integration suite did not run");
    return 1;
  }

  const env = { ...process.env };
  let skipReason;
  const installed = await timed("install", () => installSwift({ log }));
  if (!installed.ok) skipReason = `Swift could not be installed: ${installed.reason}`;
  else {
    try {
      swift = await timed("start", () => startSwift({ log, region: S3_REGION, signal: abort.signal }));
      Object.assign(env, envOf(swift));
    } catch (error) {
      if (interrupted) return 1;
      skipReason = `Swift could not be started: ${error?.message ?? error}`;
    }
  }
  if (swift) {
    // Prism in proxy mode forwards to Swift and reports every request or response that breaks the
    // spec in an `sl-violations` header; the tests fail on any. (Not --errors: that would turn a
    // request violation into a 422 and hide Swift's own answer, e.g. to limit=10001.)
    const [port] = await freePorts(1);
    const prismUrl = `http://127.0.0.1:${port}`;
    try {
      await timed("prism", async () => {
        swift.startProcess("prism", bin("prism"), [
          "proxy",
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          spec,
          swift.endpoint,
        ]);
        await swift.waitForHttp("prism", `${prismUrl}/`);
      });
      env.PRISM_URL = prismUrl;
    } catch (error) {
      if (interrupted) return 1;
      // Prism is a devDependency, so this is a project fault: its tests fail (not skip) with the reason.
      env.PRISM_ERROR = String(error?.message ?? error);
      log(`Prism could not be started: ${env.PRISM_ERROR}`);
    }
  }
  if (skipReason) {
    log(`SKIPPED: ${skipReason}`);
    env.INTEGRATION_SKIP_REASON = skipReason;
  }
  if (interrupted) return 1;

  // Extra arguments go to vitest, e.g. `pnpm test:integration test/ostor-v4.test.ts`.
  const args = ["run", ...process.argv.slice(2)];
  const status = await timed("suite", () => run(bin("vitest"), args, { cwd: pkgDir, env, track: true }));
  return status;
}

/** Runs a command with inherited output; resolves with its exit status (1 when killed or not started). */
function run(command, args, { cwd = root, env = process.env, track = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    if (track) vitest = child;
    child.on("error", (error) => {
      log(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code) => {
      if (track) vitest = undefined;
      resolve(code ?? 1);
    });
  });
}

async function timed(step, fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([step, performance.now() - t0]);
  }
}

function log(line) {
  process.stdout.write(`[integration] ${line}\n`);
}
