/**
 * Packs every publishable package once, with `pnpm pack` (which replaces `workspace:` ranges as a
 * publish does), into a temporary folder outside the workspace; the tests get the tarballs through
 * `inject("packed")`. turbo's `^build` has built each package's dist/ before this runs.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { publishablePackages } from "../scripts/packages.mjs";

/** What the tests receive: the folder and each package's tarball by npm name. */
export interface Packed {
  dir: string;
  tarballs: Record<string, string>;
  ms: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    packed: Packed;
  }
}

const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<() => void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "bucketry-packed-"));
  const tarballs: Record<string, string> = {};
  // Two at a time: pnpm pack is mostly process start-up, and the machine has two cores.
  const queue = publishablePackages();
  const worker = async () => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", dir], { cwd: pkg.path });
      // pnpm prints the contents, then the tarball's path on the last line.
      const last = stdout.trim().split("\n").at(-1) ?? "";
      tarballs[pkg.name] = join(dir, basename(last.trim()));
    }
  };
  await Promise.all([worker(), worker()]);
  project.provide("packed", { dir, tarballs, ms: Math.round(performance.now() - started) });
  return () => rmSync(dir, { recursive: true, force: true });
}
