// The workspace's publishable packages (packages/* that are not private) and their entry points:
// used by the release checks (test/*.test.ts, test/global-setup.ts) and scripts/size.mjs.
// @ts-check
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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
