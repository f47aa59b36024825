// The runtime matrix (`pnpm test:runtimes`, and .ci/run): packs every package, installs the
// tarballs into a plain npm project outside the workspace, and runs one set of checks
// (scripts/runtimes/checks.mjs) there on Node 20, 22, 24, Deno, Bun, workerd and headless Chromium,
// against the fakes of @bucketry/testing started on Node; plus the CLI's --help and demo where there
// is a CLI (Node, Deno, Bun). Every runtime is installed by this script into the run's own temp
// folder, with its own npm cache; one that cannot be installed is reported SKIPPED, never passed.
// Ends with `runtimes: N passed, N failed, N skipped` (an expected, documented "cannot" that fails
// as documented counts as passed). Usage: `pnpm test:runtimes [--only=node22,deno] [--keep]`
// (--keep leaves the temp folder for a look).
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packTarballs } from "../tools/release-checks/scripts/packages.mjs";
import { firstLine, installChromium, installNpmRuntimes, npm } from "./runtimes/install.mjs";
import { formatTotals, root, runtimesReportDir, withExit } from "./summary.mjs";

const here = join(root, "scripts", "runtimes");
const ESBUILD = "0.28.2";
/** Each runtime: how its checks run, and whether it has the CLI (a Node-compatible process). */
const RUNTIMES = [
  { name: "node20", kind: "node", platform: "node", cli: true },
  { name: "node22", kind: "node", platform: "node", cli: true },
  { name: "node24", kind: "node", platform: "node", cli: true },
  { name: "deno", kind: "deno", platform: "deno", cli: true },
  { name: "bun", kind: "bun", platform: "bun", cli: true },
  { name: "workerd", kind: "workerd", platform: "workerd", cli: false },
  { name: "chromium", kind: "browser", platform: "browser", cli: false },
];
const RUN_TIMEOUT_MS = 120_000;

const argv = process.argv.slice(2);
const only = argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const keep = argv.includes("--keep");
// Node 20 always runs: its signatures are what every other runtime is compared with.
const selected = RUNTIMES.filter((r) => r.name === "node20" || !only || only.includes(r.name));

// A report left from an earlier run must not be counted (scripts/summary.mjs reads it).
rmSync(runtimesReportDir, { recursive: true, force: true });
const tmp = mkdtempSync(join(tmpdir(), "bucketry-runtimes-"));
const cache = join(tmp, "npm-cache");
// HOME, Deno's and Bun's caches inside the run too: nothing from an earlier run is reused.
const runEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
  HOME: join(tmp, "home"),
  XDG_CACHE_HOME: join(tmp, "home", ".cache"),
  DENO_DIR: join(tmp, "deno-dir"),
  BUN_INSTALL_CACHE_DIR: join(tmp, "bun-cache"),
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
};
mkdirSync(runEnv.HOME, { recursive: true });
const rows = new Map(); // check name -> Map(runtime -> { status, detail })
const timings = [];
const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    cleanup();
    process.exit(130);
  });
}

async function main() {
  const build = await timed("build", () =>
    run(
      join(root, "node_modules", ".bin", "turbo"),
      ["run", "build", "--filter=./packages/*", "--output-logs=errors-only"],
      { cwd: root },
    ),
  );
  if (build.status !== 0) throw new Error(`building the packages failed:\n${build.stderr}`);

  const needNode20 = !process.versions.node.startsWith("20.") && selected.some((r) => r.name === "node20");
  const npmNames = [
    ...(needNode20 ? ["node20"] : []),
    ...selected
      .filter((r) => ["node22", "node24", "deno", "bun", "workerd"].includes(r.name))
      .map((r) => r.name),
    ...(selected.some((r) => r.kind === "browser") ? ["playwright-core"] : []),
  ];
  const [consumer, installed, chromium] = await Promise.all([
    timed("consumer", () => consumerProject()),
    timed("runtimes", () => installNpmRuntimes(npmNames, { dir: tmp, cache, log })),
    selected.some((r) => r.kind === "browser")
      ? timed("apt chromium", () => installChromium({ dir: tmp, log }))
      : Promise.resolve({ reason: "not selected" }),
  ]);
  if (!needNode20) installed.node20 = { bin: process.execPath };

  const testing = await import(
    pathToFileURL(join(consumer, "node_modules", "@bucketry", "testing", "dist", "index.js")).href
  );
  let reference;
  for (const runtime of selected) {
    const where = runtimeBinary(runtime, installed, chromium);
    if (where.reason) {
      log(`${runtime.name}: SKIPPED: ${where.reason}`);
      skipAll(runtime, where.reason);
      continue;
    }
    const outcome = await timed(runtime.name, () =>
      runOne(runtime, where, { consumer, testing, reference, installed }),
    );
    if (runtime.name === "node20") reference = outcome.vectors && { vectors: outcome.vectors };
  }
  return 0;
}

/** The binary (or what is missing) for a runtime; Chromium also needs playwright-core. */
function runtimeBinary(runtime, installed, chromium) {
  if (runtime.kind === "browser") {
    if (chromium.reason) return { reason: chromium.reason };
    if (installed["playwright-core"]?.reason) return { reason: installed["playwright-core"].reason };
    return { bin: chromium.bin, driver: installed["playwright-core"].bin };
  }
  return installed[runtime.name] ?? { reason: "not installed" };
}

/** Packs every package and installs the tarballs (plus esbuild, to bundle) into a plain npm project. */
async function consumerProject() {
  const packed = join(tmp, "packed");
  mkdirSync(packed);
  const tarballs = await packTarballs(packed);
  const dir = join(tmp, "consumer");
  mkdirSync(dir);
  const file = (name) => `file:${tarballs[name]}`;
  const manifest = {
    name: "bucketry-runtime-consumer",
    version: "1.0.0",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(Object.keys(tarballs).map((name) => [name, file(name)])),
    devDependencies: { esbuild: ESBUILD },
    // Every @bucketry name from its tarball, also where a tarball depends on another.
    overrides: Object.fromEntries(Object.keys(tarballs).map((name) => [name, file(name)])),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const name of ["checks.mjs", "run-checks.mjs", "worker.mjs", "page.mjs"]) {
    copyFileSync(join(here, name), join(dir, name));
  }
  await npm(["install", "--ignore-scripts"], { cwd: dir, cache });
  return dir;
}

/** Starts the fakes on Node, runs the checks and the CLI on one runtime, records the cells. */
async function runOne(runtime, where, { consumer, testing, reference }) {
  const cors = runtime.kind === "browser";
  const fakes = await startFakes(testing, cors);
  let outcome = { results: [], vectors: undefined };
  try {
    const config = { runtime: runtime.name, platform: runtime.platform, reference, ...fakes.config };
    try {
      outcome = await drivers[runtime.kind](where, config, consumer);
    } catch (error) {
      outcome.results.push({ name: "run the checks", status: "failed", detail: firstLine(error) });
    }
    outcome.results.push(ostorDateCheck(runtime, fakes.ostor));
  } finally {
    await fakes.close();
  }
  if (runtime.cli) outcome.results.push(...(await cliChecks(runtime, where.bin, consumer)));
  for (const { name, status, detail } of outcome.results) record(name, runtime.name, status, detail);
  const failed = outcome.results.filter((r) => r.status === "failed").length;
  log(`${runtime.name}: ${outcome.results.length - failed} of ${outcome.results.length} passed`);
  return outcome;
}

/** What the fake received: V2 requests carry the time in `Date`, or in `x-amz-date` from a page. */
function ostorDateCheck(runtime, ostor) {
  const name = "fake saw the V2 time header this platform sends";
  const v2 = ostor.log.filter((r) => r.headers.authorization?.startsWith("AWS "));
  const want = runtime.kind === "browser" ? "x-amz-date" : "date";
  const other = want === "date" ? "x-amz-date" : "date";
  if (v2.length === 0) return { name, status: "failed", detail: "no V2 request arrived" };
  const wrong = v2.filter((r) => r.headers[want] === undefined || r.headers[other] !== undefined);
  return wrong.length === 0
    ? { name, status: "passed", detail: `${v2.length} V2 requests with ${want}, none with ${other}` }
    : { name, status: "failed", detail: `${wrong.length} of ${v2.length} V2 requests without only ${want}` };
}

async function startFakes(testing, cors) {
  const { startFakeServer } = testing;
  const [hitachi, mpc, dbss, ncloud, ostor] = await Promise.all([
    startFakeServer("hitachi-vsp-one-object", {
      cors,
      users: { 42: ["vsp-alpha", "vsp-beta", "vsp-gamma"] },
    }),
    startFakeServer("huaweicloud-mpc", { cors, buckets: ["media-a", "media-b"] }),
    startFakeServer("huaweicloud-dbss", { cors, buckets: ["audit-a", "audit-b", "audit-c"] }),
    startFakeServer("ncloud-archive-storage", { cors, containers: [{ name: "logs" }, { name: "media" }] }),
    startFakeServer("virtuozzo-ostor", { cors, users: 3 }),
  ]);
  const refusedUrl = await closedPortUrl();
  const config = {
    refusedUrl,
    fakes: {
      hitachi: {
        mapiUrl: hitachi.cluster.mapiUrl,
        tokenUrl: hitachi.cluster.tokenUrl,
        credentials: hitachi.credentials,
      },
      mpc: { url: mpc.url, projectId: mpc.projectId, credentials: mpc.credentials },
      dbss: { url: dbss.url, projectId: dbss.projectId, credentials: dbss.credentials },
      ncloud: { url: ncloud.url, keystoneUrl: ncloud.keystoneUrl, credentials: ncloud.credentials },
      ostor: { url: ostor.url, credentials: ostor.credentials },
    },
    expected: {
      hitachiUserId: 42,
      hitachi: ["vsp-alpha", "vsp-beta", "vsp-gamma"],
      mpc: ["media-a", "media-b"],
      dbss: ["audit-a", "audit-b", "audit-c"],
      ncloud: ["logs", "media"],
      ostor: ostor.users.map((user) => user.UserEmail).sort(),
    },
  };
  return {
    config,
    ostor,
    close: () => Promise.all([hitachi, mpc, dbss, ncloud, ostor].map((fake) => fake.close())),
  };
}

/** A loopback URL nothing listens on: a port just bound and released. */
function closedPortUrl() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

/** How each kind of runtime runs checks.mjs; each resolves to `{ results, vectors }`. */
const drivers = {
  node: (where, config, consumer) => runScript([where.bin, "run-checks.mjs"], config, consumer),
  deno: (where, config, consumer) => runScript([where.bin, "run", "-A", "run-checks.mjs"], config, consumer),
  bun: (where, config, consumer) => runScript([where.bin, "run-checks.mjs"], config, consumer),
  workerd: runWorkerd,
  browser: runBrowser,
};

async function runScript([command, ...args], config, consumer) {
  const file = join(tmp, `config-${config.runtime}.json`);
  writeFileSync(file, JSON.stringify(config));
  const out = await run(command, [...args, file], { cwd: consumer, env: runEnv });
  const line = out.stdout.split("\n").find((l) => l.startsWith("@@bucketry-results@@"));
  if (!line)
    throw new Error(`exit ${out.status}, no results: ${(out.stderr || out.stdout).trim().slice(0, 2000)}`);
  return JSON.parse(line.slice("@@bucketry-results@@".length));
}

/** Bundles the checks as wrangler would and serves them from workerd, loopback allowed outbound. */
async function runWorkerd(where, config, consumer) {
  await bundle(consumer, "worker.mjs", "worker.js", [
    "--platform=neutral",
    "--conditions=workerd,worker,browser",
  ]);
  const port = Number(new URL(await closedPortUrl()).port);
  // workerd's default `internet` service refuses loopback (restrictPeers); the fakes are on 127.0.0.1.
  const capnp = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback-net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-07-01",
  globalOutbound = "loopback-net",
);
`;
  writeFileSync(join(consumer, "config.capnp"), capnp);
  const server = start(where.bin, ["serve", "config.capnp"], { cwd: consumer, env: runEnv });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitFor(url, server);
    const answer = await fetch(url, {
      method: "POST",
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
    });
    const text = await answer.text();
    if (!answer.ok)
      throw new Error(`workerd answered ${answer.status}: ${text.slice(0, 2000)} ${server.output()}`);
    return JSON.parse(text);
  } finally {
    server.child.kill("SIGTERM");
  }
}

/** Bundles the checks as an app bundler would, serves a page, and runs them in headless Chromium. */
async function runBrowser(where, config, consumer) {
  await bundle(consumer, "page.mjs", "page.js", ["--platform=browser"]);
  const html =
    '<!doctype html><meta charset="utf-8"><title>bucketry</title><script type="module" src="/page.js"></script>';
  const script = readFileSync(join(consumer, "page.js"));
  const site = createServer((req, res) => {
    const isScript = req.url === "/page.js";
    res.writeHead(200, { "content-type": isScript ? "text/javascript" : "text/html; charset=utf-8" });
    res.end(isScript ? script : html);
  });
  await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
  const playwright = await import(pathToFileURL(where.driver).href);
  const { chromium } = playwright.default ?? playwright;
  const browser = await chromium.launch({
    executablePath: where.bin,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    env: runEnv,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    await page.waitForFunction(() => typeof globalThis.runChecks === "function", null, { timeout: 30_000 });
    const outcome = await page.evaluate((c) => globalThis.runChecks(c), config);
    if (errors.length > 0)
      outcome.results.push({ name: "page errors", status: "failed", detail: errors.join("; ") });
    return outcome;
  } finally {
    await browser.close();
    site.close();
  }
}

async function bundle(consumer, entry, out, flags) {
  const esbuild = join(consumer, "node_modules", "esbuild", "bin", "esbuild");
  const result = await run(
    process.execPath,
    [esbuild, entry, "--bundle", "--format=esm", `--outfile=${out}`, ...flags],
    {
      cwd: consumer,
    },
  );
  if (result.status !== 0) throw new Error(`esbuild ${entry} failed: ${result.stderr}`);
}

/** `bucketry --help` and `bucketry demo` from the consumer's installed bin, on this runtime. */
async function cliChecks(runtime, bin, consumer) {
  const cli = join(consumer, "node_modules", "bucketry", "bin", "bucketry.js");
  const prefix = runtime.kind === "deno" ? [bin, "run", "-A", cli] : [bin, cli];
  const [command, ...rest] = prefix;
  const help = await run(command, [...rest, "--help"], { cwd: consumer, env: runEnv });
  const demo = await run(command, [...rest, "demo"], { cwd: consumer, env: runEnv });
  const helpOk = help.status === 0 && help.stdout.includes("Usage: bucketry <command>");
  const demoOk = demo.status === 0 && demo.stdout.includes("Every provider answered.");
  const buckets = demo.stdout.match(/(\d[\d,]*) buckets?/)?.[0];
  return [
    {
      name: "cli --help",
      status: helpOk ? "passed" : "failed",
      detail: helpOk ? "usage printed" : `exit ${help.status}: ${(help.stderr || help.stdout).slice(0, 500)}`,
    },
    {
      name: "cli demo",
      status: demoOk ? "passed" : "failed",
      detail: demoOk
        ? `every provider answered${buckets ? ` (${buckets})` : ""}`
        : `exit ${demo.status}: ${(demo.stderr || demo.stdout).slice(-800)}`,
    },
  ];
}

/** Every check Node 20 ran (or a placeholder) marked skipped for a runtime that is not there. */
function skipAll(runtime, reason) {
  const names = [...rows.keys()].filter((name) => runtime.cli || !name.startsWith("cli "));
  for (const name of names.length > 0 ? names : ["all checks"]) record(name, runtime.name, "skipped", reason);
}

function record(check, runtime, status, detail) {
  if (!rows.has(check)) rows.set(check, new Map());
  rows.get(check).set(runtime, { status, detail });
}

/** Prints the matrix and what is not a plain pass, writes the report; returns the totals. */
function report() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const mark = { passed: "ok", failed: "FAIL", cannot: "cannot", skipped: "skip" };
  const names = selected.map((r) => r.name);
  const width = Math.max(...[...rows.keys()].map((k) => k.length), 10);
  const lines = [`${"check".padEnd(width)}  ${names.map((n) => n.padEnd(8)).join(" ")}`];
  const notes = [];
  for (const [check, cells] of rows) {
    const row = names.map((runtime) => {
      const cell = cells.get(runtime);
      if (!cell) return "-".padEnd(8);
      if (cell.status === "failed") totals.failed += 1;
      else if (cell.status === "skipped") totals.skipped += 1;
      else totals.passed += 1;
      // A skipped runtime's reason once, not once per check.
      const note =
        cell.status === "skipped"
          ? `${runtime}: skipped: ${cell.detail}`
          : `${runtime} / ${check}: ${cell.status}: ${cell.detail}`;
      if (cell.status !== "passed" && !notes.includes(note)) notes.push(note);
      return mark[cell.status].padEnd(8);
    });
    lines.push(`${check.padEnd(width)}  ${row.join(" ")}`);
  }
  log(`\n${lines.join("\n")}\n${notes.map((n) => `  ${n}`).join("\n")}`);
  mkdirSync(runtimesReportDir, { recursive: true });
  const cells = Object.fromEntries([...rows].map(([check, c]) => [check, Object.fromEntries(c)]));
  writeFileSync(join(runtimesReportDir, "report.json"), `${JSON.stringify({ ...totals, cells }, null, 2)}\n`);
  return totals;
}

function cleanup() {
  for (const child of children) child.kill("SIGKILL");
  if (keep) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

/** Runs a command to its end (killed after RUN_TIMEOUT_MS); never rejects. */
function run(command, args, { cwd, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${RUN_TIMEOUT_MS / 1000} s)`;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.on("error", (error) => {
      stderr += error.message;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ status: code ?? 1, stdout, stderr });
    });
  });
}

/** Starts a server process; `output()` is what it printed so far. */
function start(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  child.on("close", () => children.delete(child));
  return { child, output: () => output };
}

async function waitFor(url, server) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`workerd exited: ${server.output()}`);
    try {
      await fetch(url, { method: "HEAD" });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`workerd did not listen in 30 s: ${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
  process.stdout.write(`[runtimes] ${line}\n`);
}

// Last, once every function and table above exists.
let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`runtime matrix failed: ${error?.stack ?? error}`);
  for (const runtime of selected) record("harness", runtime.name, "failed", String(error?.message ?? error));
} finally {
  cleanup();
}
const totals = withExit(report(), exitCode);
log(`timings: ${timings.map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(", ")}`);
log(`runtimes: ${formatTotals(totals)}`);
process.exitCode = exitCode === 0 && totals.failed === 0 ? 0 : 1;
