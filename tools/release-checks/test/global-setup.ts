/**
 * Packs every publishable package once, with `pnpm pack` (which replaces `workspace:` ranges as a
 * publish does), into a temporary folder outside the workspace; the tests get the tarballs through
 * `inject("packed")`. turbo's `^build` has built each package's dist/ before this runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { packTarballs } from "../scripts/packages.mjs";

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

export default async function setup(project: TestProject): Promise<() => void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "bucketry-packed-"));
  const tarballs = await packTarballs(dir);
  project.provide("packed", { dir, tarballs, ms: Math.round(performance.now() - started) });
  return () => rmSync(dir, { recursive: true, force: true });
}
