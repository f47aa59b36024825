// Runs a command and measures it: wall time, and peak RSS and CPU over every Node process it starts
// (through lib/rusage-preload.cjs, so no /usr/bin/time is needed). Used by sections/codegen.mjs; and
// the wall time of a `node -e` snippet, for the cold imports of sections/size.mjs and cold-import-layouts.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH, OUT } from "./workspace.mjs";

const preload = fileURLToPath(new URL("./rusage-preload.cjs", import.meta.url));

/** Runs `command args` in `cwd`; throws with its output when it fails. */
export function measure(command, args, { cwd }) {
  const file = join(OUT, `rusage-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      BENCH_RUSAGE_FILE: file,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require=${preload}`.trim(),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${child.status}):\n${child.stdout}\n${child.stderr}`,
    );
  }
  const lines = existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : [];
  rmSync(file, { force: true });
  const usages = lines.map((l) => JSON.parse(l));
  return {
    ms,
    maxRssKb: Math.max(0, ...usages.map((u) => u.maxRssKb)),
    cpuMs: usages.reduce((sum, u) => sum + u.cpuUs, 0) / 1000,
    processes: usages.length,
    output: child.stdout + child.stderr,
  };
}

/** Wall time of `node --input-type=module -e <code>` in ms (from spawn to exit), and the number it printed. */
export function nodeWall(code) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: BENCH,
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node -e ${code} failed: ${child.stderr}`);
  return { ms, inner: Number.parseFloat(child.stdout) };
}
