// A throwaway OpenStack Swift on 127.0.0.1 from Debian's packages, for `scripts/test-integration.mjs`
// (import `startSwift`) and for developers (`node scripts/swift/harness.mjs up|install|sweep`).
//
// What runs: memcached (tempauth keeps its tokens there), account, container and object servers, the
// container-updater (it carries object counts up to the account) and the proxy with tempauth and
// s3api (AWS SigV2/SigV4 checked against the same users). One replica, one device folder, a fresh
// state folder per start (/dev/shm when usable, else the temp folder), free loopback ports, every
// process in its own process group, stopped by its recorded id; a watchdog and the next start clean
// up after an owner that was killed outright. Nothing listens beyond 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** Debian 12 packages (swift 2.30.1); curl is not needed, Node does the HTTP. */
export const PACKAGES = [
  "swift",
  "swift-proxy",
  "swift-account",
  "swift-container",
  "swift-object",
  "memcached",
];
const BINARIES = [
  "swift-proxy-server",
  "swift-account-server",
  "swift-container-server",
  "swift-object-server",
  "swift-container-updater",
  "memcached",
];
const STATE_PREFIX = "bucketry-swift-";
const SHM = "/dev/shm";
const SERVICES = ["account", "container", "object"];

/** Tempauth users: `account:user` is also the S3 access key id, the key is the S3 secret. */
export const USERS = {
  // The listing account the tests fill with containers.
  tester: { user: "test:tester", key: "testing", account: "AUTH_test", admin: true },
  // A second account, never written to: empty listings, and its token is refused on AUTH_test (403).
  other: { user: "test2:tester2", key: "testing2", account: "AUTH_test2", admin: true },
  // Same account as tester but without `.admin`: refused (403) unless an ACL allows it.
  reader: { user: "test:tester3", key: "testing3", account: "AUTH_test", admin: false },
  // Its own account for metadata and object counts, so the listing account's names stay fixed.
  meta: { user: "meta:tester", key: "testing4", account: "AUTH_meta", admin: true },
  // The S3 (s3api) user: a small account, so ListBuckets answers stay short.
  s3: { user: "s3:tester", key: "testing5", account: "AUTH_s3", admin: true },
  // Holds metadata that breaks the spec, to prove the validating proxy checks responses.
  control: { user: "ctl:tester", key: "testing6", account: "AUTH_ctl", admin: true },
};

/** Which of the packages' programs are missing (empty when Swift can run). */
export function missingBinaries() {
  const missing = BINARIES.filter((bin) => !onPath(bin));
  // The servers read the packaged swift.conf (hash prefix/suffix, storage policy 0) whatever swift_dir says.
  if (!existsSync("/etc/swift/swift.conf")) missing.push("/etc/swift/swift.conf");
  if (!existsSync("/usr/bin/python3")) missing.push("/usr/bin/python3");
  return missing;
}

/**
 * Installs the Debian packages when something is missing. Returns `{ ok: true }`, or `{ ok: false,
 * reason }` in plain words (not root, apt failed, ...) for the runner to print before skipping.
 */
export function installSwift({ log = defaultLog } = {}) {
  const before = missingBinaries();
  if (before.length === 0) return { ok: true, installed: false };
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      reason: `missing ${before.join(", ")} and not root; install with: apt-get install -y --no-install-recommends ${PACKAGES.join(" ")}`,
    };
  }
  // The packages' postinst runs `invoke-rc.d <service> start`; those stock services would read
  // /etc/swift and take ports 8080/11211. A policy-rc.d that exits 101 denies every start, but
  // only add one for the install if the image has none, and remove only our own.
  const policy = "/usr/sbin/policy-rc.d";
  const ownPolicy = !existsSync(policy);
  if (ownPolicy)
    writeFileSync(
      policy,
      "#!/bin/sh\n# bucketry swift harness: no service starts during install\nexit 101\n",
      { mode: 0o755 },
    );
  const aptLog = join(tmpdir(), "bucketry-apt-swift.log");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    apt(["install", "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confold", ...PACKAGES]);
  const apt = (args) => {
    const result = spawnSync("apt-get", args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    writeFileSync(aptLog, `$ apt-get ${args.join(" ")}\n${result.stdout ?? ""}${result.stderr ?? ""}\n`, {
      flag: "a",
    });
    return result.status === 0;
  };
  try {
    log(`installing ${PACKAGES.join(" ")} (apt log: ${aptLog})`);
    // Package lists missing or stale on a fresh machine: refresh once, then retry.
    const ok = install() || (apt(["update"]) && install());
    if (!ok) return { ok: false, reason: `apt-get install failed; see ${aptLog}` };
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
  const after = missingBinaries();
  if (after.length > 0) return { ok: false, reason: `still missing after install: ${after.join(", ")}` };
  return { ok: true, installed: true };
}

/**
 * Starts a fresh Swift and resolves once tempauth hands out a token that lists the account.
 * Returns the endpoints, credentials and `stop()`. Whatever fails, nothing it started is left running.
 */
export async function startSwift({
  log = defaultLog,
  region = "us-east-1",
  updaterInterval = 1,
  containersPerSecond = 10,
  signal,
} = {}) {
  sweepStale({ log });
  const dir = mkdtempSync(join(stateRoot(), STATE_PREFIX));
  const procs = new ProcessGroup(dir, signal, log);
  try {
    const [proxy, account, container, object, memcache] = await freePorts(5);
    const ports = { proxy, account, container, object, memcache };
    writeConfigs(dir, ports, { region, updaterInterval, containersPerSecond });
    buildRings(dir, ports);
    checkXattrs(dir, log);

    const etc = join(dir, "etc");
    const asRoot = process.getuid?.() === 0 ? ["-u", "root"] : [];
    // -U 0: no UDP; small memory and connection limits are plenty for one test run.
    procs.start("memcached", "memcached", [
      "-l",
      "127.0.0.1",
      "-p",
      String(memcache),
      "-U",
      "0",
      "-m",
      "16",
      ...asRoot,
    ]);
    for (const service of SERVICES) {
      procs.start(`${service}-server`, `swift-${service}-server`, [
        join(etc, `${service}-server.conf`),
        "-v",
      ]);
    }
    procs.start("proxy-server", "swift-proxy-server", [join(etc, "proxy-server.conf"), "-v"]);
    const base = (port) => `http://127.0.0.1:${port}`;
    await Promise.all([
      ...SERVICES.map((s) => waitHealthy(procs, `${s}-server`, base(ports[s]))),
      waitHealthy(procs, "proxy-server", base(proxy)),
    ]);
    // The updater is a daemon without a port; it only needs the container server to be up.
    procs.start("container-updater", "swift-container-updater", [join(etc, "container-server.conf"), "-v"]);

    const endpoint = base(proxy);
    const token = await waitForAuth(procs, endpoint, USERS.tester);
    return {
      dir,
      endpoint,
      ports,
      region,
      authUrl: `${endpoint}/auth/v1.0`,
      storageUrl: `${endpoint}/v1/${USERS.tester.account}`,
      token,
      users: USERS,
      pids: procs.pids(),
      /** Starts another process (e.g. a validating proxy) that is stopped, and swept, with Swift. */
      startProcess: (name, command, args, env) => procs.start(name, command, args, env),
      /** Resolves once `url` answers any HTTP status; rejects if process `name` exits first. */
      waitForHttp: (name, url) => waitHttp(procs, name, url, () => true),
      /** Stops every process this start launched; safe to call more than once. */
      stop: () => procs.stopAll(),
      /** Synchronous last resort for `process.on("exit")`: SIGKILL whatever is still running. */
      killNow: () => procs.killAllNow(),
      logs: join(dir, "log"),
    };
  } catch (error) {
    await procs.stopAll();
    throw error;
  }
}

/** The environment the integration tests read: endpoints, the ready token, and every user. */
export function envOf(swift) {
  return {
    SWIFT_ENDPOINT: swift.endpoint,
    SWIFT_AUTH_URL: swift.authUrl,
    SWIFT_STORAGE_URL: swift.storageUrl,
    SWIFT_AUTH_TOKEN: swift.token,
    SWIFT_USERS: JSON.stringify(USERS),
    S3_ENDPOINT: swift.endpoint,
    S3_REGION: swift.region,
    S3_ACCESS_KEY_ID: USERS.s3.user,
    S3_SECRET_ACCESS_KEY: USERS.s3.key,
  };
}

/**
 * Stops what an earlier run left behind when it was killed outright (SIGKILL gives no chance to
 * clean up): state folders whose owner process is gone. Only processes recorded in such a folder
 * whose command line is still the recorded one are signalled.
 */
export function sweepStale({ log = defaultLog } = {}) {
  const dirs = [];
  for (const parent of new Set([SHM, tmpdir()])) {
    try {
      for (const name of readdirSync(parent))
        if (name.startsWith(STATE_PREFIX)) dirs.push(join(parent, name));
    } catch {
      // no such folder
    }
  }
  for (const dir of dirs) {
    const state = readState(dir);
    if (state && isAlive(state.owner)) continue;
    // Another run may have just made its folder and not yet written its state.
    if (!state && Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 60_000) continue;
    for (const proc of state?.procs ?? []) {
      if (cmdlineOf(proc.pid) === proc.cmdline) {
        log(`stopping ${proc.name} (pid ${proc.pid}) left by an earlier run`);
        signalGroup(proc.pid, "SIGKILL");
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The processes of one start, recorded in `<dir>/state.json` as they are launched. */
class ProcessGroup {
  constructor(dir, signal, log) {
    this.dir = dir;
    this.signal = signal;
    this.log = log;
    this.procs = [];
    this.stopping = undefined;
    mkdirSync(join(dir, "log"), { recursive: true });
    this.save();
    this.watchdog = startWatchdog(dir);
  }

  start(name, command, args, env = {}) {
    this.signal?.throwIfAborted();
    const logFd = openSync(join(this.dir, "log", `${name}.log`), "a");
    // detached: its own process group, so a terminal's Ctrl-C reaches only the runner (which then
    // stops everything in order) and a group signal also reaches the updater's forked children.
    const child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      // EVENTLET_NO_GREENDNS skips eventlet's DNS module (~0.4 s per process); we use literal IPs.
      env: { ...process.env, EVENTLET_NO_GREENDNS: "yes", PYTHONDONTWRITEBYTECODE: "1", ...env },
    });
    closeSync(logFd);
    const proc = { name, child, pid: child.pid, exited: false, code: null };
    child.on("exit", (code, signal) => {
      proc.exited = true;
      proc.code = code ?? signal;
    });
    child.on("error", (error) => {
      proc.exited = true;
      proc.code = error.message;
    });
    child.unref();
    this.procs.push(proc);
    this.save();
    return proc;
  }

  get(name) {
    return this.procs.find((proc) => proc.name === name);
  }

  pids() {
    return Object.fromEntries(this.procs.map((proc) => [proc.name, proc.pid]));
  }

  logTail(name, lines = 20) {
    try {
      return readFileSync(join(this.dir, "log", `${name}.log`), "utf8")
        .trimEnd()
        .split("\n")
        .slice(-lines)
        .join("\n");
    } catch {
      return "";
    }
  }

  save() {
    const procs = this.procs
      .filter((proc) => proc.pid !== undefined)
      .map(({ name, pid }) => ({ name, pid, cmdline: cmdlineOf(pid) }));
    writeFileSync(join(this.dir, "state.json"), JSON.stringify({ owner: process.pid, procs }, null, 2));
  }

  /** SIGTERM to every group, wait for all together, SIGKILL what is left after 10 s; then delete the state. */
  stopAll() {
    this.stopping ??= (async () => {
      const t0 = performance.now();
      const running = this.procs.filter((proc) => !proc.exited && proc.pid !== undefined);
      for (const proc of running) signalGroup(proc.pid, "SIGTERM");
      const deadline = Date.now() + 10_000;
      while (running.some((proc) => !proc.exited) && Date.now() < deadline) await sleep(50);
      for (const proc of running) {
        if (proc.exited) continue;
        this.log(`${proc.name} (pid ${proc.pid}) ignored SIGTERM for 10 s; killing it`);
        signalGroup(proc.pid, "SIGKILL");
      }
      while (running.some((proc) => !proc.exited) && Date.now() < deadline + 2_000) await sleep(50);
      // The updater's forked sweepers live in its group; make sure none outlives it.
      for (const proc of this.procs) if (proc.pid !== undefined) signalGroup(proc.pid, "SIGKILL");
      const t1 = performance.now();
      rmSync(this.dir, { recursive: true, force: true });
      const seconds = (ms) => (ms / 1000).toFixed(1);
      this.log(
        `stopped ${running.length} processes in ${seconds(t1 - t0)} s, removed the state in ${seconds(performance.now() - t1)} s`,
      );
      signalGroup(this.watchdog, "SIGKILL");
    })();
    return this.stopping;
  }

  killAllNow() {
    for (const proc of this.procs)
      if (proc.pid !== undefined && !proc.exited) signalGroup(proc.pid, "SIGKILL");
  }
}

/**
 * A detached shell that outlives this process only to clean up after it: if the owner dies without
 * stopping (SIGKILL, OOM), it kills every process recorded in the state folder and deletes it. It
 * exits by itself once the folder is gone (a normal stop).
 */
function startWatchdog(dir) {
  const script = `
while [ -d "$1" ] && kill -0 "$2" 2>/dev/null; do sleep 1; done
[ -f "$1/state.json" ] || exit 0
for pid in $(grep -o '"pid": [0-9]*' "$1/state.json" | grep -o '[0-9]*$'); do
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
done
rm -rf "$1"`;
  const child = spawn("sh", ["-c", script, "swift-watchdog", dir, String(process.pid)], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return child.pid;
}

function writeConfigs(dir, ports, { region, updaterInterval, containersPerSecond }) {
  const etc = join(dir, "etc");
  const srv = join(dir, "srv");
  mkdirSync(etc, { recursive: true });
  mkdirSync(join(srv, "d1"), { recursive: true });
  mkdirSync(join(dir, "cache"), { recursive: true });
  const user = userInfo().username;
  // workers = 0: one process per server, so the recorded pid is the server itself.
  // mount_check = false: the device is a plain folder, not a mounted disk.
  const common = (service) => `[DEFAULT]
devices = ${srv}
mount_check = false
disable_fallocate = true
bind_ip = 127.0.0.1
bind_port = ${ports[service]}
workers = 0
user = ${user}
swift_dir = ${etc}
recon_cache_path = ${join(dir, "cache")}
log_name = ${service}-server
log_level = INFO

[pipeline:main]
pipeline = healthcheck ${service}-server

[app:${service}-server]
use = egg:swift#${service}

[filter:healthcheck]
use = egg:swift#healthcheck
`;
  writeFileSync(
    join(etc, "account-server.conf"),
    `${common("account")}\n[account-replicator]\n[account-auditor]\n[account-reaper]\n`,
  );
  // The updater reports each container's object count and bytes to its account. Its default sweep
  // interval (300 s) is far too slow for a test that waits for X-Account-Object-Count, so it sweeps
  // every second; but each container costs it ~11 ms of CPU, so with thousands of containers it is
  // rate-limited (containers_per_second) to stay off the 2 cores the suite needs.
  writeFileSync(
    join(etc, "container-server.conf"),
    `${common("container")}\n[container-replicator]\n[container-updater]\ninterval = ${updaterInterval}\nconcurrency = 1\ncontainers_per_second = ${containersPerSecond}\n[container-auditor]\n[container-sync]\n`,
  );
  writeFileSync(
    join(etc, "object-server.conf"),
    `${common("object")}\n[object-replicator]\n[object-updater]\n[object-auditor]\n`,
  );
  writeFileSync(
    join(etc, "proxy-server.conf"),
    `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${ports.proxy}
workers = 0
user = ${user}
swift_dir = ${etc}
log_name = proxy-server
log_level = INFO

[pipeline:main]
# s3api before tempauth: it turns an S3 signature into auth details tempauth verifies.
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${ports.memcache}

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:s3api]
use = egg:swift#s3api
# SigV4's credential scope must name this region.
location = ${region}
s3_acl = false
allowable_clock_skew = 900

[filter:tempauth]
use = egg:swift#tempauth
token_life = 86400
${Object.values(USERS)
  .map(({ user, key, admin }) => {
    const [account, name] = user.split(":");
    return `user_${account}_${name} = ${key}${admin ? " .admin" : ""}`;
  })
  .join("\n")}

[filter:copy]
use = egg:swift#copy
`,
  );
}

function buildRings(dir, ports) {
  // One Python process with Swift's own RingBuilder instead of nine `swift-ring-builder` calls
  // (~0.5 s each). Same result as `create 6 1 1`, `add r1z1-127.0.0.1:<port>/d1 1`, `rebalance`.
  const script = `
import sys
from swift.common.ring import RingBuilder
etc = sys.argv[1]
for kind, port in zip(("account", "container", "object"), sys.argv[2:5]):
    b = RingBuilder(6, 1, 1)
    b.add_dev({"region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
               "replication_ip": "127.0.0.1", "replication_port": int(port),
               "device": "d1", "weight": 1.0, "meta": ""})
    b.rebalance()
    b.get_ring().save("%s/%s.ring.gz" % (etc, kind))
`;
  // Debian's python3, which has the swift modules (a pyenv python3 on PATH would not).
  const result = spawnSync(
    "/usr/bin/python3",
    ["-c", script, join(dir, "etc"), String(ports.account), String(ports.container), String(ports.object)],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`building the rings failed: ${result.stderr || result.error}`);
}

function checkXattrs(dir, log) {
  // The object server stores metadata in user xattrs; without them every object PUT fails.
  if (!xattrsWork(join(dir, "srv", "d1"))) log(`warning: no user xattrs under ${dir}; object PUTs will fail`);
}

function waitHealthy(procs, name, base) {
  return waitHttp(procs, name, `${base}/healthcheck`, (status) => status === 200);
}

async function waitHttp(procs, name, url, ready) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    procs.signal?.throwIfAborted();
    const proc = procs.get(name);
    if (proc.exited) throw new Error(`${name} exited (${proc.code}) while starting:\n${procs.logTail(name)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (ready(response.status)) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} not answering ${url} after 60 s:\n${procs.logTail(name)}`);
}

async function waitForAuth(procs, endpoint, { user, key, account }) {
  // tempauth keeps tokens in memcached: prove a full token round trip before calling Swift ready.
  const deadline = Date.now() + 30_000;
  let last = "";
  while (Date.now() < deadline) {
    procs.signal?.throwIfAborted();
    try {
      const auth = await fetch(`${endpoint}/auth/v1.0`, {
        headers: { "X-Auth-User": user, "X-Auth-Key": key },
        signal: AbortSignal.timeout(5_000),
      });
      const token = auth.headers.get("x-auth-token");
      if (token) {
        const listing = await fetch(`${endpoint}/v1/${account}`, {
          headers: { "X-Auth-Token": token },
          signal: AbortSignal.timeout(5_000),
        });
        if (listing.status === 204 || listing.status === 200) return token;
        last = `account GET answered ${listing.status}`;
      } else last = `auth answered ${auth.status} without a token`;
    } catch (error) {
      last = String(error);
    }
    if (procs.get("memcached").exited) throw new Error(`memcached exited:\n${procs.logTail("memcached")}`);
    await sleep(200);
  }
  throw new Error(`tempauth round trip failed (${last}):\n${procs.logTail("proxy-server")}`);
}

/**
 * Where state folders go: /dev/shm when it is a tmpfs with room and user xattrs (Swift's databases
 * then skip the disk: on this machine's ext4 with online discard, deleting the 2,500 container
 * databases alone took 15 s), else the temp folder.
 */
function stateRoot() {
  try {
    const { bavail, bsize } = statfsSync(SHM);
    if (bavail * bsize < 512 * 1024 * 1024) return tmpdir();
    const probe = mkdtempSync(join(SHM, STATE_PREFIX));
    const ok = xattrsWork(probe);
    rmSync(probe, { recursive: true, force: true });
    return ok ? SHM : tmpdir();
  } catch {
    return tmpdir();
  }
}

function xattrsWork(dir) {
  const probe = join(dir, ".xattr-probe");
  const result = spawnSync(
    "/usr/bin/python3",
    [
      "-c",
      "import os,sys; p=sys.argv[1]; open(p,'w').close(); os.setxattr(p,'user.probe',b'1'); os.unlink(p)",
      probe,
    ],
    { encoding: "utf8" },
  );
  rmSync(probe, { force: true });
  return result.status === 0;
}

/** `n` distinct free loopback ports: hold them all open at once so none is handed out twice. */
export async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return undefined;
  }
}

function readState(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
  } catch {
    return undefined;
  }
}

function onPath(bin) {
  return (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, bin)));
}

function defaultLog(line) {
  process.stderr.write(`[swift] ${line}\n`);
}

// CLI for developers: `up` starts Swift, prints the endpoints and keeps it running until Ctrl-C.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? "up";
  if (command === "install") {
    const result = installSwift();
    defaultLog(result.ok ? "Swift is installed" : result.reason);
    process.exitCode = result.ok ? 0 : 1;
  } else if (command === "sweep") {
    sweepStale();
  } else if (command === "up") {
    const result = installSwift();
    if (!result.ok) {
      defaultLog(result.reason);
      process.exit(1);
    }
    const t0 = performance.now();
    const swift = await startSwift();
    defaultLog(`ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; logs in ${swift.logs}`);
    for (const [name, value] of Object.entries(envOf(swift))) {
      process.stdout.write(`export ${name}='${value}'\n`);
    }
    defaultLog("Ctrl-C stops it");
    const stop = async () => {
      await swift.stop();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    setInterval(() => {}, 1 << 30);
  } else {
    process.stderr.write("usage: node scripts/swift/harness.mjs [up|install|sweep]\n");
    process.exitCode = 2;
  }
}
