// The workspace's publishable packages (packages/* that are not private), their entry points, and
// packing them as a publish would: used by the release checks (test/*.test.ts, test/global-setup.ts),
// scripts/size.mjs and the runtime matrix (scripts/test-runtimes.mjs).
// @ts-check
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

/** The monorepo's root directory. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * @typedef {object} Publishable
 * @property {string} name the npm name, e.g. `@bucketry/huaweicloud`
 * @property {string} dir the folder name under packages/, e.g. `huaweicloud`
 * @property {string} path the absolute path of the package
 * @property {Record<string, any>} manifest its package.json
 * @property {string[]} entries its `exports` subpaths other than `./package.json`, e.g. `["./mpc", "./dbss"]`
 */

/** @returns {Publishable[]} every package under packages/ that is not private, sorted by folder */
export function publishablePackages() {
  return readdirSync(join(root, "packages"))
    .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
    .sort()
    .map((dir) => {
      const path = join(root, "packages", dir);
      const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
      const entries = Object.keys(manifest.exports ?? {}).filter((key) => key !== "./package.json");
      return { name: manifest.name, dir, path, manifest, entries };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * What the facade's adapters say about themselves (`ADAPTERS` of packages/bucketry's built
 * dist/adapters/registry.js): each adapter's subpath export and provider package. Read in a child
 * process, so this stays synchronous; undefined when the facade is not built.
 * @returns {{ adapter: string, packageName: string, provider: string }[] | undefined}
 */
export function facadeAdapters() {
  const registry = join(root, "packages", "bucketry", "dist", "adapters", "registry.js");
  if (!existsSync(registry)) return undefined;
  const script = `const { ADAPTERS } = await import(${JSON.stringify(pathToFileURL(registry).href)});
console.log(JSON.stringify(ADAPTERS.map(({ adapter, packageName, provider }) => ({ adapter, packageName, provider }))));`;
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
  );
}

/**
 * Whether the facade is far enough along for the checks that use its adapters: it is built, its
 * package.json exports every adapter its descriptors name and has each one's provider package as a
 * peer dependency. `reason` says what is missing.
 * @returns {{ ready: true } | { ready: false, reason: string }}
 */
export function facadeStatus() {
  const path = join(root, "packages", "bucketry");
  const adapters = facadeAdapters();
  if (!adapters) {
    return {
      ready: false,
      reason: "packages/bucketry/dist/adapters/registry.js does not exist (facade not built or not finished)",
    };
  }
  const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
  const entries = [...new Set(adapters.map((a) => `./${a.adapter.replace(/^bucketry\//, "")}`))];
  const missing = entries.filter((entry) => !manifest.exports?.[entry]);
  if (missing.length > 0) {
    return { ready: false, reason: `packages/bucketry/package.json does not export ${missing.join(", ")}` };
  }
  const peers = [...new Set(adapters.map((a) => a.packageName))].filter(
    (name) => !manifest.peerDependencies?.[name],
  );
  if (peers.length > 0) {
    return {
      ready: false,
      reason: `packages/bucketry/package.json has no peer dependency on ${peers.join(", ")}`,
    };
  }
  return { ready: true };
}

/**
 * Packs every publishable package with `pnpm pack` (which replaces `workspace:` and `catalog:`
 * ranges as a publish does) into `dir`; their dist/ must be built.
 * @param {string} dir
 * @returns {Promise<Record<string, string>>} each tarball's path by npm name
 */
export async function packTarballs(dir) {
  const run = promisify(execFile);
  /** @type {Record<string, string>} */
  const tarballs = {};
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
  return tarballs;
}
