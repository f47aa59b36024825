/**
 * Runs `changeset version` (the root's @changesets/cli) on a scratch copy of the workspace's
 * manifests and pending changesets, and checks what a release would write: each package named by a
 * changeset moves by exactly the bump it asked for (never to a major nobody asked for, the trap of
 * peer dependencies), every other publishable package moves by a patch at most, the changelogs carry
 * each changeset's sentence, published internal ranges accept the new versions, and private packages
 * (the root, `@bucketry-internal/*`) are never versioned.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  commitAll,
  copyPaths,
  DEPENDENCY_FIELDS,
  type PackageJson,
  readJson,
  removeScratch,
  repoRoot,
  scratchDir,
  type WorkspacePackage,
  workspacePackages,
} from "./repo-copy.js";

type Bump = "major" | "minor" | "patch";
const RANK: Record<Bump, number> = { patch: 1, minor: 2, major: 3 };

// The range check uses the semver that @changesets/cli itself resolves ranges with.
const semver = createRequire(createRequire(import.meta.url).resolve("@changesets/cli/package.json"))(
  "semver",
) as {
  inc(version: string, bump: Bump): string | null;
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
};
const changesetBin = createRequire(import.meta.url).resolve("@changesets/cli/bin.js");

interface Changeset {
  file: string;
  releases: Record<string, Bump>;
  summary: string;
}

/** The pending changesets of a `.changeset/` directory (every `*.md` but its README). */
function readChangesets(dir: string): Changeset[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const match = /^---\n([\s\S]*?)\n?---\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`.changeset/${file} has no front matter`);
      return { file, releases: (parse(match[1]!) ?? {}) as Record<string, Bump>, summary: match[2]!.trim() };
    });
}

/** Copies what `changeset version` reads: the manifests, the workspace file and `.changeset/`. */
function copyForVersioning(packages: WorkspacePackage[]): string {
  const dir = scratchDir("changesets");
  copyPaths(
    ["package.json", "pnpm-workspace.yaml", ".changeset", ...packages.map((p) => `${p.dir}/package.json`)],
    dir,
  );
  for (const p of packages) {
    if (existsSync(join(repoRoot, p.dir, "CHANGELOG.md"))) copyPaths([`${p.dir}/CHANGELOG.md`], dir);
  }
  return dir;
}

function changesetVersion(cwd: string): string {
  // The default `@changesets/cli/changelog` generator works offline; `commitAll` gives it hashes to cite.
  return execFileSync(process.execPath, [changesetBin, "version"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true" },
  });
}

/** What pnpm writes into the published manifest for a `workspace:` range, given the dependency's version. */
function publishedRange(range: string, version: string): string {
  const spec = range.slice("workspace:".length);
  if (spec === "*") return version;
  if (spec === "^" || spec === "~") return `${spec}${version}`;
  return spec;
}

const packages = workspacePackages();
const publishable = packages.filter((p) => !p.json.private);
const privates = packages.filter((p) => p.json.private);
const byName = new Map(packages.map((p) => [p.json.name, p]));

describe("changeset version on the pending changesets", () => {
  const changesets = readChangesets(join(repoRoot, ".changeset"));
  // The bump each package asked for: the highest over every changeset that names it.
  const asked = new Map<string, Bump>();
  for (const changeset of changesets) {
    for (const [name, bump] of Object.entries(changeset.releases)) {
      if (!(bump in RANK)) throw new Error(`.changeset/${changeset.file}: "${name}" has bump "${bump}"`);
      if (RANK[bump] > RANK[asked.get(name) ?? "patch"] || !asked.has(name)) asked.set(name, bump);
    }
  }

  let dir: string;
  let output: string;
  const after = (p: WorkspacePackage) => readJson(join(dir, p.dir, "package.json"));

  beforeAll(() => {
    dir = copyForVersioning(packages);
    commitAll(dir, "scratch copy");
    output = changesetVersion(dir);
  });
  afterAll(() => removeScratch(dir));

  it("names only packages of this workspace", () => {
    const unknown = [...asked.keys()].filter((name) => !byName.has(name));
    expect(unknown, "changesets naming packages that do not exist").toEqual([]);
  });

  it("releases every package still at 0.0.0 as 0.1.0 (no package ships without a first changeset)", () => {
    const unreleased = publishable.filter((p) => p.json.version === "0.0.0");
    for (const p of unreleased) {
      expect(asked.get(p.json.name), `${p.json.name} is at 0.0.0 but no changeset names it`).toBeDefined();
      expect(after(p).version, `${p.json.name}: ${explainPeers(p)}`).toBe("0.1.0");
    }
  });

  it.each(publishable.map((p) => [p.json.name, p] as const))("versions %s as its changesets ask", (_, p) => {
    const bump = asked.get(p.json.name);
    const version = after(p).version;
    if (bump) {
      expect(
        version,
        `${p.json.name} asked for a ${bump} bump of ${p.json.version}; ${explainPeers(p)}`,
      ).toBe(semver.inc(p.json.version, bump));
    } else {
      // Unnamed: untouched, or a patch release for an updated dependency.
      expect([p.json.version, semver.inc(p.json.version, "patch")]).toContain(version);
    }
  });

  it.each(publishable.map((p) => [p.json.name, p] as const))("writes the changelog of %s", (_, p) => {
    const version = after(p).version;
    const file = join(dir, p.dir, "CHANGELOG.md");
    if (version === p.json.version) {
      const before = join(repoRoot, p.dir, "CHANGELOG.md");
      expect(existsSync(file), `${p.json.name} was not released but got a changelog`).toBe(
        existsSync(before),
      );
      if (existsSync(file)) expect(readFileSync(file, "utf8")).toBe(readFileSync(before, "utf8"));
      return;
    }
    const changelog = readFileSync(file, "utf8");
    expect(changelog.startsWith(`# ${p.json.name}\n`)).toBe(true);
    const section = changelog.split(/^## /m).find((s) => s.startsWith(`${version}\n`));
    expect(section, `CHANGELOG.md of ${p.json.name} has no "## ${version}" section`).toBeDefined();
    for (const changeset of changesets.filter((c) => c.releases[p.json.name])) {
      expect(section).toContain(changeset.summary);
    }
  });

  it("publishes internal ranges that accept the new versions", () => {
    const problems: string[] = [];
    for (const p of publishable) {
      const json = after(p);
      for (const field of DEPENDENCY_FIELDS.filter((f) => f !== "devDependencies")) {
        for (const [name, range] of Object.entries(json[field] ?? {})) {
          const dependency = byName.get(name);
          if (!dependency) continue;
          const version = after(dependency).version;
          if (!range.startsWith("workspace:")) {
            problems.push(`${p.json.name} ${field}.${name} is "${range}", not a workspace: range`);
            continue;
          }
          const published = publishedRange(range, version);
          if (!semver.validRange(published) || !semver.satisfies(version, published)) {
            problems.push(
              `${p.json.name} ${field}.${name} would publish "${published}", excluding ${version}`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("never versions a private package or the root", () => {
    for (const p of privates) {
      expect(readFileSync(join(dir, p.dir, "package.json"), "utf8")).toBe(
        readFileSync(join(repoRoot, p.dir, "package.json"), "utf8"),
      );
      expect(existsSync(join(dir, p.dir, "CHANGELOG.md")), `${p.json.name} got a CHANGELOG.md`).toBe(
        existsSync(join(repoRoot, p.dir, "CHANGELOG.md")),
      );
    }
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(
      readFileSync(join(repoRoot, "package.json"), "utf8"),
    );
  });

  it("consumes every changeset it applied", () => {
    expect(readChangesets(join(dir, ".changeset"))).toEqual([]);
    if (changesets.length > 0) expect(output).toContain("All files have been updated");
  });
});

describe("changeset version and private packages", () => {
  const [privatePackage] = privates;
  const [publicPackage] = publishable;
  let dir: string;

  /** A scratch copy whose only pending changesets are `files` (name → contents). */
  function copyWith(files: Record<string, string>): string {
    const copy = copyForVersioning(packages);
    for (const file of readdirSync(join(copy, ".changeset"))) {
      if (file.endsWith(".md") && file !== "README.md") rmSync(join(copy, ".changeset", file));
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(join(copy, ".changeset", name), text);
    commitAll(copy, "scratch copy");
    return copy;
  }

  afterAll(() => removeScratch(dir));

  it("skips a changeset naming a private package and releases the public one beside it", () => {
    dir = copyWith({
      "private.md": `---\n"${privatePackage!.json.name}": minor\n---\n\nAn internal change.\n`,
      "public.md": `---\n"${publicPackage!.json.name}": patch\n---\n\nA fix.\n`,
    });
    changesetVersion(dir);
    const privateAfter = readJson<PackageJson>(join(dir, privatePackage!.dir, "package.json"));
    expect(privateAfter.version).toBe(privatePackage!.json.version);
    expect(existsSync(join(dir, privatePackage!.dir, "CHANGELOG.md"))).toBe(false);
    const publicAfter = readJson<PackageJson>(join(dir, publicPackage!.dir, "package.json"));
    expect(publicAfter.version).toBe(semver.inc(publicPackage!.json.version, "patch"));
    expect(readFileSync(join(dir, publicPackage!.dir, "CHANGELOG.md"), "utf8")).toContain("A fix.");
  });

  it("refuses one changeset that mixes a private and a public package", () => {
    const copy = copyWith({
      "mixed.md": `---\n"${privatePackage!.json.name}": minor\n"${publicPackage!.json.name}": patch\n---\n\nMixed.\n`,
    });
    try {
      expect(() => changesetVersion(copy)).toThrow(
        /Mixed changesets that contain both ignored and not ignored/,
      );
      expect(readJson<PackageJson>(join(copy, publicPackage!.dir, "package.json")).version).toBe(
        publicPackage!.json.version,
      );
    } finally {
      removeScratch(copy);
    }
  });
});

/** Why a package may have been bumped further than asked: changesets' rule for peer dependents. */
function explainPeers(p: WorkspacePackage): string {
  const peers = Object.entries(p.json.peerDependencies ?? {}).filter(([name]) => byName.has(name));
  if (peers.length === 0) return "see the changesets naming it";
  return (
    `it has internal peers (${peers.map(([n, r]) => `${n}@${r}`).join(", ")}); changesets bumps a peer ` +
    "dependent to a new major when a peer's new version leaves the declared range " +
    "(onlyUpdatePeerDependentsWhenOutOfRange), so the peer range must admit the peers' next versions"
  );
}

describe("version.ts", () => {
  it("every package's VERSION (its default User-Agent) equals its package.json version", () => {
    execFileSync(process.execPath, [join(repoRoot, "scripts", "sync-versions.mjs"), "--check"], {
      stdio: "pipe",
    });
  });
});
