/**
 * The facade as a user installs it: `bucketry` with two of its providers (`@bucketry/huaweicloud`,
 * `@bucketry/virtuozzo`) from their packed tarballs with plain npm, outside the workspace; a strict
 * TypeScript consumer listing from both fakes; the providers left out are not installed, and an
 * adapter whose provider is missing says what to install. Runs once the facade is ready
 * (scripts/packages.mjs `facadeStatus`), otherwise is skipped with the reason.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { facadeStatus } from "../scripts/packages.mjs";
import { type Outcome, type Scratch, scratchProject, TYPES_NODE, TYPESCRIPT } from "./scratch.js";

const packed = inject("packed");
const facade = facadeStatus();

describe.skipIf(!facade.ready)(
  "a project with bucketry, @bucketry/huaweicloud and @bucketry/virtuozzo",
  () => {
    let project: Scratch;
    let tsc: Outcome;
    beforeAll(async () => {
      project = await scratchProject(packed, {
        name: "facade-consumer",
        fixture: "facade-consumer",
        dependencies: ["bucketry", "@bucketry/huaweicloud", "@bucketry/virtuozzo"],
        devDependencies: ["@bucketry/testing", `typescript@${TYPESCRIPT}`, `@types/node@${TYPES_NODE}`],
      });
      // Compiles main.ts into dist/: the runs below use the output.
      tsc = await project.run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
    });
    afterAll(() => project?.remove());

    it("installs the two providers asked for and no other", () => {
      expect(project.scoped()).toEqual(["auth", "core", "huaweicloud", "testing", "virtuozzo"]);
      const production = project.productionPackages();
      expect(production.filter((name) => name.startsWith("@bucketry/") || name === "bucketry")).toEqual([
        "@bucketry/auth",
        "@bucketry/core",
        "@bucketry/huaweicloud",
        "@bucketry/virtuozzo",
        "bucketry",
      ]);
    });

    it("type-checks under strict TypeScript, every @ts-expect-error still an error", () => {
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
    });

    it("lists MPC buckets and ostor users through the facade", async () => {
      const out = await project.run(process.execPath, ["dist/main.js"]);
      expect(out.stderr).toBe("");
      expect(JSON.parse(out.stdout)).toEqual({
        buckets: ["huaweicloud-mpc:alpha", "huaweicloud-mpc:beta"],
        errors: 0,
        users: expect.any(Number),
        userProviders: ["virtuozzo-ostor"],
        raw: 2,
      });
      expect(JSON.parse(out.stdout).users).toBeGreaterThan(0);
    });

    it("an adapter whose provider is not installed fails with what to install", async () => {
      const out = await project.run(process.execPath, ["missing-provider.mjs"]);
      expect(out.stderr).toBe("");
      expect(JSON.parse(out.stdout)).toEqual({
        errors: 1,
        missing: true,
        message: "bucketry/ncloud needs @bucketry/ncloud: npm install @bucketry/ncloud",
      });
    });
  },
);

if (!facade.ready) {
  // biome-ignore lint/suspicious/noConsole: says why the suite is skipped
  console.warn(`[release-checks] facade consumer skipped: ${facade.reason}`);
  describe("the facade consumer", () => {
    it.skip(`is skipped: ${facade.reason}`, () => {});
  });
}
