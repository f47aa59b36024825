/**
 * What importing an entry costs before any call: each entry point is one bundled file (plus the
 * chunks it shares with its package's other entries), and importing a client must not load Node's
 * fetch implementation (undici, tens of milliseconds) or node:crypto (sixteen internal modules),
 * which are wanted only at the first request or signature. The fakes (@bucketry/testing) need both.
 * Each entry is imported by a fresh `node`, through the workspace links, as a user's program would.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { publishablePackages, root } from "../scripts/packages.mjs";

const entries = publishablePackages().flatMap((pkg) =>
  pkg.entries.map((entry) => ({ pkg, specifier: posix.join(pkg.name, entry) })),
);

describe.each(entries)("$specifier", ({ pkg, specifier }) => {
  it("imports without loading fetch or node:crypto, and reads only its package's bundled files", () => {
    const script = `await import(${JSON.stringify(specifier)});
console.log(JSON.stringify({
  undici: process.moduleLoadList.filter((name) => name.includes("undici")),
  crypto: process.moduleLoadList.includes("NativeModule crypto"),
}));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(root, "tools", "release-checks"),
      encoding: "utf8",
    });
    const loaded = JSON.parse(out);
    expect(loaded.undici).toEqual([]);
    if (pkg.name !== "@bucketry/testing") expect(loaded.crypto).toBe(false);
    // One file per entry and the shared chunks; none of the sources' per-module files.
    const built = readdirSync(join(pkg.path, "dist"), { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".js") && !file.startsWith("chunks"),
    );
    expect(built.length).toBeLessThanOrEqual(pkg.entries.length + extraEntries(pkg.manifest));
  });
});

/** Entries built besides the exports: `imports` targets and the sources a build script names. */
function extraEntries(manifest: { imports?: object; scripts?: { build?: string } }): number {
  const imports = new Set(JSON.stringify(manifest.imports ?? {}).match(/[\w./-]+\.js(?=")/g)).size;
  const named = manifest.scripts?.build?.match(/\bsrc\/\S+\.ts\b/g)?.length ?? 0;
  return imports + named;
}
