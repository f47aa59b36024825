// The workspace's publishable packages (packages/* that are not private), their entry points, and
// packing them as a publish would: used by the release checks (test/*.test.ts, test/global-setup.ts),
// scripts/size.mjs and the runtime matrix (scripts/test-runtimes.mjs).
// @ts-check
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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

/** The adapters the facade (`bucketry`) is expected to export once it is finished. */
export const FACADE_ADAPTERS = ["./hitachi", "./huaweicloud", "./ncloud", "./virtuozzo"];

/**
 * Whether the facade is far enough along for the checks that use its adapters: it is built with
 * `dist/adapters` and its package.json exports every adapter. `reason` says what is missing.
 * @returns {{ ready: true } | { ready: false, reason: string }}
 */
export function facadeStatus() {
  const path = join(root, "packages", "bucketry");
  if (!existsSync(join(path, "dist", "adapters"))) {
    return {
      ready: false,
      reason: "packages/bucketry/dist/adapters does not exist (facade not built or not finished)",
    };
  }
  const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
  const missing = FACADE_ADAPTERS.filter((entry) => !manifest.exports?.[entry]);
  if (missing.length > 0) {
    return { ready: false, reason: `packages/bucketry/package.json does not export ${missing.join(", ")}` };
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
