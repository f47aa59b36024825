// The workspace's publishable packages (packages/* that are not private) and their entry points:
// used by the release checks (test/*.test.ts, test/global-setup.ts) and scripts/size.mjs.
// @ts-check
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
