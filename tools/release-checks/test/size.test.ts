/**
 * Size budgets (size-budgets.json): each entry point bundled as users' bundlers would (esbuild,
 * minified ESM, platform neutral, with its whole dependency closure unless marked external), gzipped,
 * must stay within its budget; a crossing fails with both numbers. The root README states the budgets.
 */
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { facadeStatus, publishablePackages, root } from "../scripts/packages.mjs";
import { measure, overBudget, readBudgets } from "../scripts/size.mjs";

const { entries } = readBudgets();
const facade = facadeStatus();

describe.each(entries)("$name", (entry) => {
  const skipped = entry.needs === "facade" && !facade.ready ? ` (skipped: ${facadeReason()})` : "";
  it.skipIf(skipped !== "")(`stays within ${entry.budget} B min+gzip${skipped}`, async () => {
    const size = await measure(entry);
    expect(overBudget(entry, size)).toBeUndefined();
    // A bundle this small would mean the entry resolved to nothing real.
    expect(size.minified).toBeGreaterThan(1000);
  });
});

it("says by how much a bundle is over its budget", () => {
  const entry = { name: "@bucketry/x", imports: ["@bucketry/x"], includes: "x", budget: 6144 };
  expect(overBudget(entry, { minified: 20_000, gzipped: 6144 })).toBeUndefined();
  expect(overBudget(entry, { minified: 20_000, gzipped: 6200 })).toBe(
    "@bucketry/x: 6200 B min+gzip (6.05 KiB; 20000 B minified) is over its budget of 6144 B (6.00 KiB) by 56 B; see tools/release-checks/size-budgets.json",
  );
});

it("has a budget for every provider entry point", () => {
  const providers = publishablePackages().filter(
    (p) => !["core", "auth", "testing", "bucketry"].includes(p.dir),
  );
  const measured = entries.flatMap((e) => (e.imports.length === 1 ? e.imports : []));
  for (const pkg of providers) {
    for (const entry of pkg.entries) expect(measured).toContain(posix.join(pkg.name, entry));
  }
});

it("the root README states every budget", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  for (const entry of entries) {
    const row = readme.split("\n").find((line) => line.startsWith(`| ${entry.name} |`));
    expect(row, `README row for ${entry.name}`).toBeDefined();
    expect(row, `README budget for ${entry.name}`).toContain(`${entry.budget} B`);
  }
});

function facadeReason(): string {
  return facade.ready ? "" : facade.reason;
}
