// Section 4 of `pnpm bench`: listing 10,000, 100,000 and 1,000,000 buckets through the facade's async
// iterator (time, client CPU, peak memory), five providers listed concurrently vs one after another,
// and the exhaustive walks (lib/walks.mjs), which fail the run if an item is skipped or repeated.
// Servers and the measured client each run in their own process (the walks' client runs here).
import { fileURLToPath } from "node:url";
import { startChild } from "../lib/child.mjs";
import { measured } from "../lib/measured.mjs";
import { bytes, fixed, int, ratio, summarize, table } from "../lib/stats.mjs";
import { exhaustiveWalks } from "../lib/walks.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const HITACHI_USER = -468170324;

/** Runs scale-client.mjs once; resolves to its RESULT. */
function client(fakes, concurrency, gcEvery = 0) {
  return measured(here("../scale-client.mjs"), { fakes, concurrency, gcEvery });
}

export async function run({ quick }) {
  const sizes = quick ? [1_000, 5_000] : [10_000, 100_000, 1_000_000];
  const rows = [];
  const perSize = [];
  for (const size of sizes) {
    const server = await startChild(here("../servers/swift-paging.mjs"), [String(size)]);
    try {
      const runs = quick ? 1 : size >= 1_000_000 ? 2 : 3;
      const results = [];
      const floors = [];
      // Interleaved with the client's runs: the floor's share is the least any client can have here.
      for (let r = 0; r < runs; r++) {
        const result = await client([server.info], 4);
        if (result.buckets !== size) throw new Error(`listed ${result.buckets} of ${size} buckets`);
        results.push(result);
        const floor = await measured(here("../scale-floor.mjs"), { fake: server.info });
        if (floor.buckets !== size) throw new Error(`the floor listed ${floor.buckets} of ${size} buckets`);
        floors.push(floor);
      }
      // One more run forcing a full GC every tenth of the listing: what stays reachable, not GC slack.
      const traced = await client([server.info], 4, Math.max(1000, size / 10));
      const ms = summarize(results.map((r) => r.ms)).median;
      const cpuMs = summarize(results.map((r) => r.cpuMs)).median;
      const floorShare = summarize(floors.map((f) => f.cpuMs / f.ms)).median;
      const peakRss = Math.max(...results.map((r) => r.peakRss));
      const rssAbove = Math.max(...results.map((r) => r.peakRss - r.baseRss));
      const peakHeap = Math.max(...results.map((r) => r.peakHeap));
      perSize.push({ size, ms, cpuMs, floorShare, peakRss, retained: traced.retainedHeap });
      rows.push([
        int(size),
        int(ms),
        int((size / ms) * 1000),
        fixed((ms / size) * 1000, 2),
        `${int(cpuMs)} (${fixed((cpuMs / ms) * 100, 0)}%)`,
        `${fixed(floorShare * 100, 0)}%`,
        bytes(peakRss),
        bytes(rssAbove),
        bytes(peakHeap),
        bytes(traced.retainedHeap),
        String(runs),
      ]);
    } finally {
      await server.close();
    }
  }

  const first = perSize[0];
  const last = perSize.at(-1);
  const linear = last.ms / last.size / (first.ms / first.size);
  const growth = last.peakRss - first.peakRss;
  const retainedGrowth = last.retained - first.retained;
  const targets = [
    {
      what: `time per bucket at ${int(last.size)} ÷ at ${int(first.size)} (linear time)`,
      target: "≤ 1.50x",
      actual: ratio(linear),
      met: linear <= 1.5,
    },
    {
      what: `peak RSS at ${int(last.size)} minus at ${int(first.size)} (flat memory)`,
      target: "≤ 20 MiB",
      actual: bytes(growth),
      met: growth <= 20 * 1024 * 1024,
    },
    {
      what: `client CPU share of wall time at ${int(last.size)} (throughput bounded by the server)`,
      target: "≤ 50%",
      actual: `${fixed((last.cpuMs / last.ms) * 100, 0)}% (floor: ${fixed(last.floorShare * 100, 0)}%)`,
      met: last.cpuMs / last.ms <= 0.5,
    },
    {
      what: `heap reachable after a full GC at ${int(last.size)} minus at ${int(first.size)} (no retention)`,
      target: "≤ 20 MiB",
      actual: bytes(retainedGrowth),
      met: retainedGrowth <= 20 * 1024 * 1024,
    },
  ];

  // Five providers at once vs one after another, each fake with latency like a real network.
  const seed = quick ? 300 : 10_000;
  const latencyMs = quick ? 5 : 50;
  const pageSize = quick ? 100 : 1000;
  const wanted = [
    { api: "hitachi-vsp-one-object", options: { users: { [HITACHI_USER]: seed }, latencyMs } },
    { api: "huaweicloud-mpc", options: { buckets: seed, latencyMs } },
    { api: "huaweicloud-dbss", options: { buckets: seed, latencyMs } },
    { api: "ncloud-archive-storage", options: { containers: seed, latencyMs } },
    { api: "virtuozzo-ostor", options: { users: quick ? 20 : 200, latencyMs } },
  ];
  // Each fake in its own process, as each provider is its own server.
  const servers = await Promise.all(
    wanted.map((w) => startChild(here("../servers/fakes.mjs"), [JSON.stringify([w])])),
  );
  const fakes = { close: () => Promise.all(servers.map((s) => s.close())) };
  const five = [];
  try {
    const infos = servers
      .map((s) => s.info[0])
      .map((f) =>
        f.api === "hitachi-vsp-one-object"
          ? { ...f, userIds: [HITACHI_USER], pageSize }
          : f.api === "ncloud-archive-storage"
            ? { ...f, pageSize }
            : f,
      );
    const runs = quick ? 1 : 3;
    const samples = { concurrent: [], sequential: [] };
    for (let r = 0; r < runs; r++) {
      for (const mode of r % 2 === 0 ? ["concurrent", "sequential"] : ["sequential", "concurrent"]) {
        const result = await client(infos, mode === "concurrent" ? 5 : 1);
        if (result.buckets !== seed * 4) throw new Error(`listed ${result.buckets} of ${seed * 4} buckets`);
        samples[mode].push(result);
      }
    }
    for (const mode of ["sequential", "concurrent"]) {
      const s = samples[mode];
      five.push([
        mode === "concurrent" ? "concurrently (concurrency 5)" : "one after another (concurrency 1)",
        `${int(s[0].buckets)} buckets + ${int(s[0].users)} users`,
        int(summarize(s.map((x) => x.ms)).median),
        int(summarize(s.map((x) => x.cpuMs)).median),
        bytes(Math.max(...s.map((x) => x.peakRss))),
      ]);
    }
    const speedup =
      summarize(samples.sequential.map((x) => x.ms)).median /
      summarize(samples.concurrent.map((x) => x.ms)).median;
    five.push(["speed-up", "", ratio(speedup), "", ""]);
  } finally {
    await fakes.close();
  }

  const walks = await exhaustiveWalks({ quick });

  return {
    id: "scale",
    title: "4. Scale",
    intro: [
      'One NAVER Archive Storage source listed through `listBuckets()` of `bucketry` (the `bucketry/ncloud` adapter over `@bucketry/ncloud`: Keystone token, then Swift pages of 10,000 by marker), counting buckets and keeping none. The server is a purpose-built Swift account listing in its own process that generates each page on demand (O(page); the `@bucketry/testing` fake recomputes account totals over every container on every request, which at 1,000,000 containers costs ~0.6 s a page and 680 MB); its tokens come from the real Keystone fake. The client runs in a fresh process per run, sampling `process.memoryUsage()` every 10 ms; "above start" is the peak minus the RSS after imports and client set-up.',
      "Client CPU next to wall time shows who bounds throughput: a client CPU share well under 100% means the client waits on the server.",
      "The floor (bench/src/scale-floor.mjs) lists the same account with no client: global `fetch` and `response.json()` per page, counting entries, in a fresh process like the client's and interleaved with its runs. Any client does at least that work, so no client's CPU share on this machine and server can be below the floor's.",
    ],
    tables: [
      {
        caption: "Listing one source",
        markdown: table(
          [
            "buckets",
            "ms (median)",
            "buckets/s",
            "µs/bucket",
            "client CPU ms (share of wall)",
            "floor's CPU share",
            "peak RSS",
            "RSS above start",
            "peak heap",
            "heap after full GC (max)",
            "runs",
          ],
          rows,
        ),
      },
      {
        caption: `Five providers from the @bucketry/testing fakes (each in its own process, ${latencyMs} ms latency per request, ${int(seed)} buckets each for Hitachi and NAVER in pages of ${int(pageSize)}, MPC and DBSS in one answer; ostor lists users)`,
        markdown: table(["mode", "listed", "ms (median)", "client CPU ms", "peak RSS"], five),
      },
      {
        caption: `Exhaustive walks: ${int(walks.seed)} items of each @bucketry/testing fake (in its own process, no latency) through the provider client, checked to be every item exactly once and in order, with the expected number of page requests (a violation fails the run); one run each`,
        markdown: table(
          ["listing", "page size", "items", "page requests", "ms", "µs per page request"],
          walks.rows,
        ),
      },
    ],
    targets,
  };
}
