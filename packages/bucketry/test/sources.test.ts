/** The config file's sources list, environment references, and how --source and --shard choose. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/cli/config.js";
import { chooseSources } from "../src/cli/report.js";
import { globToRegExp, parseShard, shardOf } from "../src/cli/select.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bucketry-sources-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(body: unknown, env: Record<string, string> = {}) {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(body));
  return loadConfig({ configPath: path, env, cwd: dir });
}

const mpc = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  provider: "huaweicloud-mpc",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  accessKey: "AK",
  secretKey: { env: "MPC_SK" },
  ...extra,
});

describe("the sources list", () => {
  it("reads secrets by environment reference and names an unset one", async () => {
    const config = await load(
      { sources: [mpc("mpc-a"), mpc("mpc-b", { secretKey: { env: "MPC_SK_B" } })] },
      { MPC_SK: "s" },
    );
    expect(config.sources.map((s) => s.name)).toEqual(["mpc-a", "mpc-b"]);
    expect(config.sources[0]?.values.secretKey).toBe("s");
    expect(config.sources[0]?.origins.secretKey).toBe("file → $MPC_SK");
    expect(config.sources[1]?.unset).toEqual({ secretKey: "MPC_SK_B" });
  });

  it("adds no shorthand source from the environment alone when the file has a sources list", async () => {
    const env = { MPC_SK: "s", OS_AUTH_URL: "https://kr.archive.ncloudstorage.com:5000/v3" };
    const listed = await load({ sources: [mpc("mpc-a")] }, env);
    expect(listed.sources.map((s) => s.name)).toEqual(["mpc-a"]);
    const shorthand = await load({}, env);
    expect(shorthand.sources.map((s) => s.name)).toEqual(["ncloud-archive-storage"]);
  });

  it("refuses an inline secret unless allowInlineSecrets is true", async () => {
    await expect(load({ sources: [mpc("a", { secretKey: "inline" })] })).rejects.toThrow(
      /is a secret: give it as \{ "env"/,
    );
    const config = await load({ allowInlineSecrets: true, sources: [mpc("a", { secretKey: "inline" })] });
    expect(config.sources[0]?.values.secretKey).toBe("inline");
  });

  it("refuses unknown providers and fields, duplicate and malformed names, and bad limits", async () => {
    await expect(load({ sources: [{ name: "x", provider: "aws" }] })).rejects.toThrow(ConfigError);
    await expect(load({ sources: [mpc("a", { colour: "red" })] })).rejects.toThrow(/unknown field/);
    await expect(load({ sources: [mpc("a"), mpc("a")] })).rejects.toThrow(/two sources are named "a"/);
    await expect(load({ sources: [mpc("a,b")] })).rejects.toThrow(/without spaces, commas/);
    await expect(load({ limits: { "ncloud-archive-storage": { rate: 0 } } })).rejects.toThrow(/above 0/);
    await expect(load({ limits: { "ncloud-archive-storage": { concurrency: 1.5 } } })).rejects.toThrow(
      /whole number/,
    );
  });

  it("lays the file's limits over each provider's documented defaults", async () => {
    const config = await load({ limits: { "ncloud-archive-storage": { rate: 3 } } });
    expect(config.limits["ncloud-archive-storage"]).toEqual({ concurrency: 4, rate: 3, burst: 20 });
    expect(config.limits["huaweicloud-mpc"]?.rate).toBeCloseTo(100 / 60);
  });
});

describe("--source and --shard", () => {
  it("matches names and globs, and refuses a pattern that matches nothing", async () => {
    const config = await load({ sources: ["mpc-bj", "mpc-sh", "mpc-gz", "dbss-bj"].map((n) => mpc(n)) });
    const names = (source: string[]) =>
      chooseSources({ source }, "buckets", config, "buckets").map((s) => s.name);
    expect(names(["mpc-*"])).toEqual(["mpc-bj", "mpc-sh", "mpc-gz"]);
    expect(names(["*-bj,mpc-s?"])).toEqual(["mpc-bj", "mpc-sh", "dbss-bj"]);
    expect(() => names(["nope*"])).toThrow(/no configured source matches "nope\*"/);
  });

  it("puts every source in exactly one of N shards, by its name alone", async () => {
    const all = Array.from({ length: 100 }, (_, i) => `source-${i}`);
    const config = await load({ sources: all.map((n) => mpc(n)) });
    const shards = [1, 2, 3].map((index) =>
      chooseSources({ shard: { index, count: 3 } }, "buckets", config, "buckets").map((s) => s.name),
    );
    expect(shards.flat().sort()).toEqual([...all].sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(20);
    // Stable: the same name, the same shard, whatever else is configured.
    expect(shardOf("source-7", 3)).toBe(shardOf("source-7", 3));
    expect(shards[shardOf("source-7", 3) - 1]).toContain("source-7");
  });

  it("parses K/N and refuses anything else", () => {
    expect(parseShard("2/4", "buckets")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3"])
      expect(() => parseShard(bad, "buckets")).toThrow();
    expect(globToRegExp("a[bc]?.*").test("ac1.x")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });
});
