/**
 * Inventory at scale, as users run it: one config file of 200 named sources over the five fakes
 * (60 Hitachi users, 45 MPC and 45 DBSS projects, 40 NAVER projects on ten Swift fakes, 10 ostor
 * sources on two clusters), secrets by environment reference, listed by `node dist/cli/main.js` in
 * child processes: whole, and as four shards side by side; with a fifth of the sources failing; and
 * against fakes that throttle. Few buckets per source, and assertions on counts, never on times.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ArchiveStorageFake,
  type DbssFake,
  type HitachiFake,
  type MpcFake,
  type OstorFake,
  startFakeServer,
} from "@bucketry/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Child processes listing 200 sources on a loaded 2-core machine: generous limits, never asserted on.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });

const PACKAGE = dirname(dirname(fileURLToPath(import.meta.url)));
const MAIN = join(PACKAGE, "dist", "cli", "main.js");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process with only `env` (plus PATH and a scratch HOME). */
function cli(args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      {
        cwd: home,
        env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, ...env },
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A port nothing listens on: a source whose endpoint is down. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

interface StatsLine {
  sources: {
    source: string;
    provider: string;
    status: string;
    buckets?: number;
    users?: number;
    pages: number;
    attempts: number;
    retries: number;
    throttled: number;
    project?: string;
    error?: string;
  }[];
}

/** The `--stats json` line on stderr. */
function statsOf(result: Result): StatsLine {
  const line = result.stderr.split("\n").find((l) => l.startsWith('{"sources":'));
  if (!line) throw new Error(`no stats line on stderr:\n${result.stderr}`);
  return JSON.parse(line) as StatsLine;
}

/** `source/name` of every ndjson record. */
function keys(result: Result): string[] {
  return result.stdout
    .trimEnd()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const record = JSON.parse(l) as { source: string; name?: string; email?: string };
      return `${record.source}/${record.name ?? record.email}`;
    })
    .sort();
}

const hex = (i: number, prefix = "") => `${prefix}${i.toString(16)}`.padStart(32, "0");
const FAST = { rate: 1000, burst: 1000 };

let home: string;
let hitachi: HitachiFake;
let mpc: MpcFake;
let dbss: DbssFake;
let swifts: ArchiveStorageFake[];
let ostors: OstorFake[];
const env: Record<string, string> = {};
let sources: Record<string, unknown>[];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "bucketry-inventory-"));
  const users = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i + 1, 2]));
  const projects = Array.from({ length: 44 }, (_, i) => ({ id: hex(i + 1, "a"), name: "cn-north-4" }));
  [hitachi, mpc, dbss, swifts, ostors] = await Promise.all([
    startFakeServer("hitachi-vsp-one-object", { users }),
    startFakeServer("huaweicloud-mpc", { buckets: 3, otherProjects: projects }),
    startFakeServer("huaweicloud-dbss", { buckets: 2, otherProjects: projects }),
    Promise.all(
      Array.from({ length: 10 }, (_, f) =>
        startFakeServer("ncloud-archive-storage", {
          containers: 3,
          projectId: hex(f + 1, "c"),
          extraProjectIds: [1, 2, 3].map((x) => hex(f * 10 + x, "d")),
        }),
      ),
    ),
    Promise.all([
      startFakeServer("virtuozzo-ostor", { users: 3 }),
      startFakeServer("virtuozzo-ostor", { users: 2 }),
    ]),
  ]);
  Object.assign(env, {
    VSP_PASSWORD: hitachi.credentials.password,
    HUAWEI_SK: mpc.credentials.secretKey,
    DBSS_SK: dbss.credentials.secretKey,
    OSTOR_SK_A: ostors[0]!.credentials.secretAccessKey,
    OSTOR_SK_B: ostors[1]!.credentials.secretAccessKey,
    ...Object.fromEntries(swifts.map((s, f) => [`NCLOUD_SK_${f + 1}`, s.credentials.secretKey])),
  });
  const huawei = (fake: MpcFake | typeof dbss, provider: string, prefix: string, ref: string) =>
    [fake.projectId, ...projects.map((p) => p.id)].map((projectId, i) => ({
      name: `${prefix}-p${String(i + 1).padStart(2, "0")}`,
      provider,
      endpoint: fake.url,
      region: "cn-north-4",
      projectId,
      accessKey: fake.credentials.accessKey,
      secretKey: { env: ref },
    }));
  sources = [
    ...Object.keys(users).map((id) => ({
      name: `vsp-u${id.padStart(3, "0")}`,
      provider: "hitachi-vsp-one-object",
      endpoint: hitachi.cluster.mapiUrl,
      tokenUrl: hitachi.cluster.tokenUrl,
      username: hitachi.credentials.username,
      password: { env: "VSP_PASSWORD" },
      userIds: [Number(id)],
    })),
    ...huawei(mpc, "huaweicloud-mpc", "mpc", "HUAWEI_SK"),
    ...huawei(dbss, "huaweicloud-dbss", "dbss", "DBSS_SK"),
    ...swifts.flatMap((swift, f) =>
      [swift.credentials.projectId, ...[1, 2, 3].map((x) => hex(f * 10 + x, "d"))].map((projectId, p) => ({
        name: `naver-${f + 1}-${p === 0 ? "main" : `x${p}`}`,
        provider: "ncloud-archive-storage",
        endpoint: swift.url,
        authUrl: `${swift.keystoneUrl}/v3`,
        accessKeyId: swift.credentials.accessKeyId,
        secretKey: { env: `NCLOUD_SK_${f + 1}` },
        domainId: swift.credentials.domainId,
        projectId,
      })),
    ),
    ...ostors.flatMap((ostor, c) =>
      Array.from({ length: 5 }, (_, i) => ({
        name: `ostor-${"ab"[c]}-${i + 1}`,
        provider: "virtuozzo-ostor",
        endpoint: ostor.url,
        accessKeyId: ostor.credentials.accessKeyId,
        secretAccessKey: { env: `OSTOR_SK_${"AB"[c]}` },
      })),
    ),
  ];
});

afterAll(async () => {
  await Promise.all([hitachi, mpc, dbss, ...swifts, ...ostors].map((fake) => fake?.close()));
  await rm(home, { recursive: true, force: true });
});

async function writeConfig(file: string, body: Record<string, unknown>): Promise<string> {
  const path = join(home, file);
  await writeFile(path, JSON.stringify(body));
  return path;
}

const LIMITS = {
  "hitachi-vsp-one-object": { ...FAST, concurrency: 8 },
  "huaweicloud-mpc": { ...FAST, concurrency: 8 },
  "huaweicloud-dbss": { ...FAST, concurrency: 8 },
  "ncloud-archive-storage": { ...FAST, concurrency: 8 },
  "virtuozzo-ostor": { ...FAST, concurrency: 4 },
};

describe("200 sources over the five fakes", () => {
  it("the union of --shard 1/4 … 4/4, run side by side, is the unsharded listing; no source is in two shards", async () => {
    expect(sources).toHaveLength(200);
    const config = await writeConfig("all.json", { sources, limits: LIMITS });
    const args = ["--config", config, "--format", "ndjson", "--stats", "json", "--concurrency", "16"];
    const whole = await cli(["buckets", ...args], env);
    expect(whole.code, whole.stderr).toBe(0);
    const wholeStats = statsOf(whole);
    expect(wholeStats.sources).toHaveLength(190);
    expect(wholeStats.sources.every((s) => s.status === "done")).toBe(true);
    const all = keys(whole);
    expect(all).toHaveLength(60 * 2 + 45 * 3 + 45 * 2 + 10 * 3);

    const shards = await Promise.all(
      [1, 2, 3, 4].map((k) => cli(["buckets", ...args, "--shard", `${k}/4`], env)),
    );
    for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
    const shardSources = shards.map((s) => statsOf(s).sources.map((r) => r.source));
    const listed = shardSources.flat();
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(wholeStats.sources.map((s) => s.source).sort());
    expect(shardSources.every((names) => names.length > 0)).toBe(true);
    expect(shards.flatMap(keys).sort()).toEqual(all);

    // Each record says where it came from and when.
    const record = JSON.parse(whole.stdout.split("\n").find((l) => l.includes('"mpc-p02"')) as string);
    expect(record).toMatchObject({ source: "mpc-p02", provider: "huaweicloud-mpc", project: hex(1, "a") });
    expect(record.region).toBe("cn-north-4");
    expect(Number.isNaN(Date.parse(record.fetchedAt))).toBe(false);

    // The ostor sources are listed by `users`, sharded the same way.
    const users = await cli(["users", "--source", "ostor-*", ...args], env);
    expect(users.code, users.stderr).toBe(0);
    const userShards = await Promise.all(
      [1, 2, 3, 4].map((k) => cli(["users", "--source", "ostor-*", ...args, "--shard", `${k}/4`], env)),
    );
    expect(userShards.flatMap(keys).sort()).toEqual(keys(users));
    expect(keys(users)).toHaveLength(5 * ostors[0]!.users.length + 5 * ostors[1]!.users.length);
  });

  it("with 40 of 200 sources failing (bad credentials, endpoints down), every other source's buckets arrive, the summary names each failure, exit 1", async () => {
    const down = await deadUrl();
    const broken = new Set<string>();
    const failing = sources.map((source, i) => {
      // Every fifth source: alternately bad credentials and an endpoint that is down.
      if (i % 5 !== 0) return source;
      broken.add(source.name as string);
      if ((i / 5) % 2 === 1)
        return { ...source, endpoint: down, ...(source.tokenUrl ? { tokenUrl: `${down}/token` } : {}) };
      switch (source.provider) {
        case "hitachi-vsp-one-object":
          return { ...source, password: { env: "WRONG" } };
        case "huaweicloud-mpc":
        case "huaweicloud-dbss":
          // An AK of its own: the fake locks an AK after five failures, as Huawei does.
          return { ...source, accessKey: `BADAK${i}`, secretKey: { env: "WRONG" } };
        case "ncloud-archive-storage":
          return { ...source, secretKey: { env: "WRONG" } };
        default:
          return { ...source, secretAccessKey: { env: "WRONG" } };
      }
    });
    expect(broken.size).toBe(40);
    const config = await writeConfig("failing.json", { sources: failing, limits: LIMITS });
    const args = ["--config", config, "--format", "ndjson", "--stats", "json", "--concurrency", "16"];
    const env2 = { ...env, WRONG: "not-the-secret" };
    const result = await cli(["buckets", ...args], env2);
    expect(result.code).toBe(1);
    const stats = statsOf(result).sources;
    const bucketSources = failing
      .filter((s) => s.provider !== "virtuozzo-ostor")
      .map((s) => s.name as string);
    const failed = stats.filter((s) => s.status === "failed").map((s) => s.source);
    expect(failed.sort()).toEqual(bucketSources.filter((name) => broken.has(name)).sort());
    for (const s of stats.filter((r) => r.status === "failed")) expect(s.error).toBeTruthy();
    // Every other source listed in full.
    const good = stats.filter((s) => !broken.has(s.source));
    expect(good.every((s) => s.status === "done")).toBe(true);
    const got = new Set(keys(result).map((k) => k.split("/")[0]));
    for (const s of good) if ((s.buckets ?? 0) > 0) expect(got.has(s.source)).toBe(true);
    const expected = good.reduce((n, s) => n + (s.buckets ?? 0), 0);
    expect(keys(result)).toHaveLength(expected);
    expect(expected).toBe(
      good.filter((s) => s.provider === "hitachi-vsp-one-object").length * 2 +
        good.filter((s) => s.provider === "huaweicloud-mpc").length * 3 +
        good.filter((s) => s.provider === "huaweicloud-dbss").length * 2 +
        good.filter((s) => /^naver-\d+-main$/.test(s.source)).length * 3,
    );
    // One failure line per failed source on stderr, naming it.
    for (const name of failed) expect(result.stderr).toMatch(new RegExp(`^bucketry: ${name} failed: `, "m"));
    expect(result.stderr).not.toContain("not-the-secret");

    // Without --stats, a sources list gets the summary as a table on stderr: a row per source.
    const table = await cli(
      ["buckets", "--config", config, "--format", "ndjson", "--concurrency", "16"],
      env2,
    );
    expect(table.code).toBe(1);
    expect(table.stderr).toMatch(
      /^SOURCE\s+PROVIDER\s+STATUS\s+BUCKETS\s+PAGES\s+ATTEMPTS\s+RETRIES\s+429S\s+TIME\s+ERROR$/m,
    );
    for (const name of failed)
      expect(table.stderr).toMatch(new RegExp(`^${name}\\s+\\S+\\s+failed\\s+0\\s`, "m"));
    expect(table.stderr).toMatch(
      new RegExp(`^190 sources, ${failed.length} failed: ${expected} buckets, `, "m"),
    );
  });
});

describe("throttling fakes", () => {
  it("lists 30 Swift projects within the configured limit, and with a limit far above the fake's, slows down on 429 instead of failing", async () => {
    const swift = await startFakeServer("ncloud-archive-storage", {
      containers: 2,
      extraProjectIds: Array.from({ length: 29 }, (_, i) => hex(i + 1, "e")),
      throttle: { rate: 20, burst: 5, match: (r) => r.target.startsWith("/v1/") },
    });
    try {
      const projectIds = [
        swift.credentials.projectId,
        ...Array.from({ length: 29 }, (_, i) => hex(i + 1, "e")),
      ];
      const throttled = projectIds.map((projectId, i) => ({
        name: `swift-${i + 1}`,
        provider: "ncloud-archive-storage",
        endpoint: swift.url,
        authUrl: `${swift.keystoneUrl}/v3`,
        accessKeyId: swift.credentials.accessKeyId,
        secretKey: { env: "SWIFT_SK" },
        domainId: swift.credentials.domainId,
        projectId,
      }));
      const env3 = { SWIFT_SK: swift.credentials.secretKey };
      const listings = (r: Result) => r.stdout.trimEnd().split("\n").filter(Boolean).length;
      const statuses = () => swift.log.filter((r) => r.target.startsWith("/v1/")).map((r) => r.status);

      // Within the fake's rate: done, with (almost) nothing refused.
      const within = await writeConfig("within.json", {
        sources: throttled,
        limits: { "ncloud-archive-storage": { rate: 10, burst: 5, concurrency: 8 } },
      });
      const calm = await cli(["buckets", "--config", within, "--format", "ndjson", "--stats", "json"], env3);
      expect(calm.code, calm.stderr).toBe(0);
      expect(listings(calm)).toBe(2);
      const calmStats = statsOf(calm).sources;
      expect(calmStats.filter((s) => s.status !== "done")).toEqual([]);
      const first = statuses();
      expect(first.filter((s) => s === 200)).toHaveLength(30);
      // A loaded machine may bunch requests on their way in; a handful of 429s at most.
      expect(first.filter((s) => s === 429).length).toBeLessThanOrEqual(5);

      // Far above it: the fake refuses many, every refusal is waited out, no source fails.
      const above = await writeConfig("above.json", {
        sources: throttled,
        limits: { "ncloud-archive-storage": { rate: 1000, burst: 1000, concurrency: 30 } },
      });
      const before = statuses().length;
      const busy = await cli(
        ["buckets", "--config", above, "--format", "ndjson", "--stats", "json", "--concurrency", "30"],
        env3,
      );
      expect(busy.code, busy.stderr).toBe(0);
      expect(listings(busy)).toBe(2);
      const busyStats = statsOf(busy).sources;
      expect(busyStats.filter((s) => s.status !== "done")).toEqual([]);
      const second = statuses().slice(before);
      expect(second.filter((s) => s === 200)).toHaveLength(30);
      const refused = second.filter((s) => s === 429).length;
      expect(refused).toBeGreaterThan(0);
      expect(busyStats.reduce((n, s) => n + s.throttled, 0)).toBe(refused);
      expect(busyStats.reduce((n, s) => n + s.retries, 0)).toBe(refused);
    } finally {
      await swift.close();
    }
  });

  it("waits out the Huawei gateway's APIG.0308 with 0 failed sources", async () => {
    const projects = Array.from({ length: 3 }, (_, i) => ({ id: hex(i + 1, "f"), name: "cn-north-4" }));
    const fake = await startFakeServer("huaweicloud-mpc", {
      buckets: 2,
      otherProjects: projects,
      throttle: { rate: 1, burst: 2 },
    });
    try {
      const config = await writeConfig("apig.json", {
        sources: [fake.projectId, ...projects.map((p) => p.id)].map((projectId, i) => ({
          name: `mpc-${i + 1}`,
          provider: "huaweicloud-mpc",
          endpoint: fake.url,
          projectId,
          accessKey: fake.credentials.accessKey,
          secretKey: { env: "MPC_SK" },
        })),
        limits: { "huaweicloud-mpc": { rate: 1000, burst: 1000, concurrency: 4 } },
      });
      const result = await cli(["buckets", "--config", config, "--format", "ndjson", "--stats", "json"], {
        MPC_SK: fake.credentials.secretKey,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trimEnd().split("\n")).toHaveLength(8);
      const stats = statsOf(result).sources;
      expect(stats.filter((s) => s.status !== "done")).toEqual([]);
      const refused = fake.log.filter((r) => r.status === 429).length;
      expect(refused).toBeGreaterThan(0);
      expect(stats.reduce((n, s) => n + s.throttled, 0)).toBe(refused);
    } finally {
      await fake.close();
    }
  });
});
