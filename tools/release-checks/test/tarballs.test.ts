/**
 * Every publishable package as npm would publish it (the `pnpm pack` tarball): publint and attw
 * (profile esm-only) find nothing, and the manifest and contents are what users rely on.
 */
import { execFile } from "node:child_process";
import { type Dirent, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { publishablePackages, root } from "../scripts/packages.mjs";

const run = promisify(execFile);
const bin = (name: string) => join(import.meta.dirname, "..", "node_modules", ".bin", name);
const packed = inject("packed");
const packages = publishablePackages();

const ENGINES = "^20.19.0 || >=22.12.0";
const REPOSITORY_URL = "git+https://github.com/bucketry/bucketry.git";
/** The sections every provider README has (the house template, style.md rule 21). */
const PROVIDER_SECTIONS = [
  "Install",
  "Platforms",
  "Quick start",
  "Auth",
  "Errors",
  "Pagination",
  "Generated code",
];

/** `{ status, output }` of a command that may fail. */
async function attempt(command: string, args: string[]): Promise<{ status: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
    return { status: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The tarball unpacked (once per package): its file list (paths inside `package/`) and a reader. */
const unpacked = new Map<string, Promise<{ files: string[]; read: (file: string) => string }>>();
function contents(tarball: string): Promise<{ files: string[]; read: (file: string) => string }> {
  let result = unpacked.get(tarball);
  if (!result) {
    result = (async () => {
      const dir = mkdtempSync(join(packed.dir, "unpacked-"));
      await run("tar", ["-xzf", tarball, "-C", dir]);
      const base = join(dir, "package");
      const files = (readdirSync(base, { recursive: true, withFileTypes: true }) as Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => relative(base, join(entry.parentPath, entry.name)).replace(/\\/g, "/"))
        .sort();
      return { files, read: (file: string) => readFileSync(join(base, file), "utf8") };
    })();
    unpacked.set(tarball, result);
  }
  return result;
}

it("packs every publishable package", () => {
  expect(Object.keys(packed.tarballs).sort()).toEqual(packages.map((p) => p.name).sort());
  expect(packages.map((p) => p.name)).toEqual(
    expect.arrayContaining(["@bucketry/core", "@bucketry/huaweicloud"]),
  );
});

// Concurrent: attw and publint are separate processes, and the machine has two cores.
describe.concurrent.each(packages)("$name", (pkg) => {
  const tarball = () => packed.tarballs[pkg.name] as string;

  it("passes publint with nothing to report", async ({ expect }) => {
    const { status, output } = await attempt(bin("publint"), ["run", tarball()]);
    expect(output, output).toContain("All good!");
    expect(status, output).toBe(0);
  });

  it("passes attw --profile esm-only on every entry point", async ({ expect }) => {
    const { status, output } = await attempt(bin("attw"), [
      tarball(),
      "--profile",
      "esm-only",
      "--format",
      "json",
    ]);
    const report = JSON.parse(output.slice(output.indexOf("{"))) as {
      analysis: { entrypoints: Record<string, unknown> };
      problems: Record<string, Array<{ entrypoint: string; resolutionKind?: string }>>;
    };
    // esm-only ignores node10 (no `exports` support) and node16-cjs (`require()` needs require(esm)).
    const counted = Object.values(report.problems)
      .flat()
      .filter((p) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs");
    expect(counted, JSON.stringify(counted, null, 2)).toEqual([]);
    expect(status, output.slice(0, 4000)).toBe(0);
    // attw looked at every entry point the package exports, so a pass means something.
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(
      [...pkg.entries, "./package.json"].sort(),
    );
  });

  it("publishes resolved dependency ranges and an exports map with types first", async ({ expect }) => {
    const { read } = await contents(tarball());
    const manifest = JSON.parse(read("package.json"));
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${name}`).not.toMatch(/^(workspace|catalog):/);
      }
    }
    expect(manifest.type).toBe("module");
    for (const entry of pkg.entries) {
      const target = manifest.exports[entry];
      expect(Object.keys(target)[0], `exports["${entry}"]`).toBe("types");
    }
    expect(manifest.exports["./package.json"]).toBe("./package.json");
  });

  it("ships dist, the sources its maps point at, README and LICENSE, and nothing else", async ({
    expect,
  }) => {
    const { files, read } = await contents(tarball());
    // A package with a bin also ships the committed launchers its manifest names (bin/, see bucketry's).
    const bins = Object.values<string>(JSON.parse(read("package.json")).bin ?? {}).map((p) =>
      p.replace(/^\.\//, ""),
    );
    const unexpected = files.filter(
      (f) => !/^(dist|src)\//.test(f) && !["package.json", "README.md", "LICENSE", ...bins].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /(^|\/)test\/|\.test\.ts$|\.test-d\.ts$|tsconfig/.test(f))).toEqual([]);
    // Every entry's JS file has its declarations (dist/chunks/ holds code entries share, imported
    // only by them); every declaration map's source is in the tarball.
    for (const js of files.filter((f) => /^dist\/(?!chunks\/).*\.js$/.test(f))) {
      expect(files, `${js}'s .d.ts`).toContain(js.replace(/\.js$/, ".d.ts"));
    }
    for (const map of files.filter((f) => f.endsWith(".d.ts.map"))) {
      const { sources } = JSON.parse(read(map)) as { sources: string[] };
      for (const source of sources) {
        const resolved = join(map, "..", source).replace(/\\/g, "/");
        expect(files, `${map} points at ${source}`).toContain(resolved);
      }
    }
  });

  it("has the registry metadata users and npm rely on", async ({ expect }) => {
    const { read } = await contents(tarball());
    const manifest = JSON.parse(read("package.json"));
    expect(manifest).toMatchObject({
      license: "MIT",
      sideEffects: false,
      engines: { node: ENGINES },
      publishConfig: { access: "public" },
      repository: { type: "git", url: REPOSITORY_URL, directory: `packages/${pkg.dir}` },
      bugs: { url: "https://github.com/bucketry/bucketry/issues" },
    });
    expect(manifest.description?.length).toBeGreaterThan(20);
    expect(manifest.keywords).toEqual(expect.arrayContaining(["bucketry"]));
    expect(manifest.homepage).toBe(
      `https://github.com/bucketry/bucketry/tree/main/packages/${pkg.dir}#readme`,
    );
    expect(manifest.files).toEqual(manifest.bin ? ["bin", "dist", "src"] : ["dist", "src"]);
  });

  it("ships the root LICENSE and a README with the sections users look for", async ({ expect }) => {
    const { read } = await contents(tarball());
    expect(read("LICENSE")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
    const readme = read("README.md");
    expect(readme.startsWith(`# ${pkg.name}\n`)).toBe(true);
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    // A provider (a package with generated code) documents the whole house template.
    const wanted = existsSync(join(pkg.path, "src", "generated")) ? PROVIDER_SECTIONS : ["Install"];
    expect(headings).toEqual(expect.arrayContaining([...wanted, "License"]));
    expect(readme).toMatch(new RegExp(`npm install (--save-dev )?${pkg.name.replace("/", "\\/")}`));
    // The examples use top-level await, which a CommonJS project (npm init -y) refuses: say how to run them.
    const install = /^## Install\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
    expect(install).toMatch(/\.mjs/);
    expect(install).toMatch(/type=module|"type": "module"/);
    expect(install).toMatch(/"module": "nodenext"/);
  });
});
