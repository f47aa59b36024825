/**
 * A scratch npm project outside the workspace (in the OS temp folder), installed with plain
 * `npm install` from the packed tarballs: every `@bucketry/*` name is pointed at its tarball (as a
 * dependency and in `overrides`), so npm fetches only real registry packages such as openapi-fetch.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Packed } from "./global-setup.js";

const execFileAsync = promisify(execFile);

/** Exact versions of the registry packages a consumer adds (the workspace's own pins). */
export const TYPESCRIPT = "5.9.3";
export const TYPES_NODE = "20.19.43";

/** A command's outcome; never throws for a non-zero exit. */
export interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

export interface Scratch {
  dir: string;
  /** Runs a command in the project (npm's and pnpm's own variables removed from the environment). */
  run(command: string, args: string[]): Promise<Outcome>;
  /** The names under node_modules/@bucketry, sorted. */
  scoped(): string[];
  /**
   * Names of every package in package-lock.json that a production install has: not dev-only, and not
   * `devOptional` (here: the facade's optional peer `@bucketry/testing`, present only as a dev tool).
   */
  productionPackages(): string[];
  remove(): void;
}

/**
 * Creates and installs a scratch project.
 * @param dependencies npm names of packed packages to depend on
 * @param devDependencies npm names of packed packages, plus registry packages as `name@version`
 * @param fixture a folder under fixtures/ whose files are copied in
 */
export async function scratchProject(
  packed: Packed,
  options: { name: string; dependencies: string[]; devDependencies: string[]; fixture: string },
): Promise<Scratch & { installMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), `bucketry-${options.name}-`));
  const spec = (name: string): [string, string] => {
    const at = name.lastIndexOf("@");
    if (at > 0) return [name.slice(0, at), name.slice(at + 1)];
    const tarball = packed.tarballs[name];
    if (!tarball) throw new Error(`${name} was not packed`);
    return [name, `file:${tarball}`];
  };
  // The same spec string in `overrides` as in the dependencies: npm rejects an override that differs.
  const overrides = Object.fromEntries(Object.keys(packed.tarballs).map(spec));
  const manifest = {
    name: `bucketry-${options.name}`,
    version: "1.0.0",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(options.dependencies.map(spec)),
    devDependencies: Object.fromEntries(options.devDependencies.map(spec)),
    overrides,
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(import.meta.dirname, "..", "fixtures", options.fixture), dir, { recursive: true });

  const scratch: Scratch = {
    dir,
    async run(command, args) {
      try {
        const { stdout, stderr } = await execFileAsync(command, args, {
          cwd: dir,
          env: cleanEnv(),
          maxBuffer: 16 * 1024 * 1024,
        });
        return { status: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
        return {
          status: typeof e.code === "number" ? e.code : 1,
          stdout: e.stdout ?? "",
          stderr: e.stderr || e.message,
        };
      }
    },
    scoped() {
      const scope = join(dir, "node_modules", "@bucketry");
      return existsSync(scope) ? readdirSync(scope).sort() : [];
    },
    productionPackages() {
      const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
      };
      return Object.entries(lock.packages)
        .filter(([path, entry]) => path !== "" && !entry.dev && !entry.devOptional)
        .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length))
        .sort();
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const started = performance.now();
  const install = await scratch.run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--ignore-scripts",
    "--loglevel=error",
  ]);
  if (install.status !== 0) {
    scratch.remove();
    throw new Error(
      `npm install in ${dir} failed (${install.status}):\n${install.stderr}\n${install.stdout}`,
    );
  }
  return { ...scratch, installMs: Math.round(performance.now() - started) };
}

/** The environment without what pnpm and turbo set for their own runs (npm would read it as config). */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep =
    /^npm_config_(registry|cache|userconfig|globalconfig|https?_proxy|proxy|noproxy|strict_ssl|cafile)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.test(key)),
  );
}
