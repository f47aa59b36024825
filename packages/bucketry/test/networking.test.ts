/**
 * NODE_EXTRA_CA_CERTS, as the providers' READMEs describe it: the CLI in a child process against the
 * five fakes over HTTPS with @bucketry/testing's private test CA. The variable is read once, when
 * Node starts, so only a child process can show it (the in-process cases are each provider's
 * test/networking.test.ts).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { testCertificates } from "@bucketry/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fakes, SEED, startFakes } from "./fakes.js";

const MAIN = join(dirname(dirname(fileURLToPath(import.meta.url))), "dist", "cli", "main.js");

let fakes: Fakes;
let home: string;
let caFile: string;
beforeAll(async () => {
  fakes = await startFakes({ tls: testCertificates });
  home = await mkdtemp(join(tmpdir(), "bucketry-tls-"));
  caFile = join(home, "private-ca.pem");
  await writeFile(caFile, testCertificates.ca);
});
afterAll(async () => {
  await fakes?.close();
  await rm(home, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: home, env: { PATH: process.env.PATH, HOME: home, ...fakes.env, ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("NODE_EXTRA_CA_CERTS", () => {
  it("lets the CLI list every provider behind the private CA", async () => {
    expect(fakes.ostor.url).toMatch(/^https:/);
    const result = await cli(["buckets", "--format", "json"], { NODE_EXTRA_CA_CERTS: caFile });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const buckets = JSON.parse(result.stdout) as Array<{ provider: string }>;
    expect(buckets).toHaveLength(SEED.hitachi + SEED.mpc + SEED.dbss + SEED.ncloud);
    const users = await cli(["users", "--format", "json"], { NODE_EXTRA_CA_CERTS: caFile });
    expect(users.code).toBe(0);
    expect((JSON.parse(users.stdout) as unknown[]).length).toBeGreaterThanOrEqual(SEED.ostorUsers);
  });

  it("without it, every source fails naming the certificate problem, and no secret is printed", async () => {
    const result = await cli(["buckets", "--format", "json"]);
    expect(result.code).toBe(1);
    for (const provider of [
      "hitachi-vsp-one-object",
      "huaweicloud-mpc",
      "huaweicloud-dbss",
      "ncloud-archive-storage",
    ]) {
      expect(result.stderr).toMatch(new RegExp(`${provider}.*UNABLE_TO_VERIFY_LEAF_SIGNATURE`));
    }
    const users = await cli(["users", "--format", "json"]);
    expect(users.code).toBe(1);
    expect(users.stderr).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    for (const secret of fakes.secrets) {
      expect(result.stdout + result.stderr + users.stdout + users.stderr).not.toContain(secret);
    }
  });
});
