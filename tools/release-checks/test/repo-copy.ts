/**
 * Scratch copies of this repository for the release-engineering tests: the workspace's packages,
 * a partial copy (only the files a tool reads) or a full copy of the tracked files, each in its own
 * temporary directory that the caller removes.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, "..", "..", "..");

/** One workspace package: its directory relative to the root and its package.json. */
export interface WorkspacePackage {
  dir: string;
  json: PackageJson;
}

/** The package.json fields these tests read. */
export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** The dependency fields that can name another workspace package. */
export const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
] as const;

/**
 * The workspace packages under `root`, from its pnpm-workspace.yaml (`dir` and `dir/*` patterns,
 * the only forms this repository uses; anything else is an error so a new form is not silently missed).
 */
export function workspacePackages(root = repoRoot): WorkspacePackage[] {
  const { packages: patterns } = parse(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")) as {
    packages: string[];
  };
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith("/*") && !pattern.slice(0, -2).includes("*")) {
      const parent = pattern.slice(0, -2);
      if (!existsSync(join(root, parent))) continue;
      for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
      }
    } else if (!pattern.includes("*") && !pattern.startsWith("!")) {
      dirs.push(pattern);
    } else {
      throw new Error(
        `pnpm-workspace.yaml pattern ${JSON.stringify(pattern)} is not understood by repo-copy.ts`,
      );
    }
  }
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")))
    .sort()
    .map((dir) => ({ dir, json: readJson(join(root, dir, "package.json")) }));
}

/** A new empty temporary directory; remove it with {@link removeScratch}. */
export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `bucketry-${label}-`));
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Copies the listed files and directories (relative to the repository root) into `to`. */
export function copyPaths(paths: string[], to: string): void {
  for (const path of paths) {
    mkdirSync(dirname(join(to, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(to, path), { recursive: true });
  }
}

/**
 * The files git tracks plus the untracked ones it does not ignore: what a clone would have once the
 * work in progress is committed (deleted files that are still tracked are left out).
 */
export function repoFiles(): string[] {
  const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(output.split("\0").filter(Boolean))].filter((file) => existsSync(join(repoRoot, file)));
}

/** Makes `dir` a git repository on branch `main` with everything committed (changesets needs one). */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", ...args], {
      cwd: dir,
      stdio: "pipe",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "release-checks",
        GIT_AUTHOR_EMAIL: "release-checks@invalid",
        GIT_COMMITTER_NAME: "release-checks",
        GIT_COMMITTER_EMAIL: "release-checks@invalid",
      },
    });
  if (!existsSync(join(dir, ".git"))) git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "--no-gpg-sign", "--allow-empty", "-m", message);
}

export function readJson<T = PackageJson>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
