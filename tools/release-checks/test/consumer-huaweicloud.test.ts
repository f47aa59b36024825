/**
 * "Install only the provider you need", checked as a user would: a project outside the workspace
 * installs `@bucketry/huaweicloud` from its packed tarball with plain npm (plus `@bucketry/core` to
 * catch errors by class, `@bucketry/testing` and TypeScript as dev tools), compiles a consumer under
 * strict TypeScript whose `@ts-expect-error` lines must stay errors, and runs it against the MPC fake,
 * from ESM and from CommonJS (`require()`, typed by TypeScript's "module": "nodenext").
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Outcome, type Scratch, scratchProject, TYPES_NODE, TYPESCRIPT } from "./scratch.js";

const packed = inject("packed");
let project: Scratch;
let tsc: Outcome;

beforeAll(async () => {
  project = await scratchProject(packed, {
    name: "huaweicloud-consumer",
    fixture: "huaweicloud-consumer",
    dependencies: ["@bucketry/huaweicloud", "@bucketry/core"],
    devDependencies: ["@bucketry/testing", `typescript@${TYPESCRIPT}`, `@types/node@${TYPES_NODE}`],
  });
  // Compiles main.ts (and main.cts) into dist/: the runs below use the output.
  tsc = await project.run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
});
afterAll(() => project?.remove());

describe("a project with only @bucketry/huaweicloud", () => {
  it("installs no other provider package and not the facade", () => {
    // auth and core are huaweicloud's own dependencies; testing is the dev-only fake.
    expect(project.scoped()).toEqual(["auth", "core", "huaweicloud", "testing"]);
    expect(project.productionPackages()).toEqual([
      "@bucketry/auth",
      "@bucketry/core",
      "@bucketry/huaweicloud",
      "openapi-fetch",
      "openapi-typescript-helpers",
    ]);
  });

  it("type-checks under strict TypeScript, every @ts-expect-error still an error", () => {
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("runs against the MPC fake: the helper, the raw typed call and typed errors", async () => {
    const out = await project.run(process.execPath, ["dist/main.js"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({
      names: ["alpha", "beta", "gamma"],
      created: "2022-10-26T15:25:11.000Z",
      raw: ["alpha", "beta", "gamma"],
      error: null,
      refused: "AuthenticationError 401",
      invalid: "InvalidInputError projectId",
    });
  });

  it("works from CommonJS through require(), as the same module import() gives", async () => {
    // main.cts, compiled by the type check above (`import x = require()` under "module": "nodenext").
    const out = await project.run(process.execPath, ["dist/main.cjs"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ sameModule: true, names: ["one", "two"] });
  });

  it("fails on a runtime without require(esm) with Node's message saying to use import()", async () => {
    // What Node < 20.19 and 22.0-22.11 do (outside `engines`): the flag turns require(esm) off here.
    const out = await project.run(process.execPath, ["--no-experimental-require-module", "dist/main.cjs"]);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain("ERR_REQUIRE_ESM");
    expect(out.stderr).toMatch(/@bucketry[/\\]huaweicloud[/\\]dist[/\\]mpc\.js/);
    expect(out.stderr).toContain("to a dynamic import() which is available in all CommonJS modules");
  });
});
