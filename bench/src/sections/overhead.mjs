// Section 2 of `pnpm bench`: per-request overhead on 127.0.0.1 against a server in its own process:
// raw fetch, bare openapi-fetch, our full client and its layers, axios and ky; sequential and 64 in
// flight; requests per second and client CPU per request.
import { fileURLToPath } from "node:url";
import { huaweiAkSk, huaweiCredentials } from "@bucketry/auth";
import { useStandardMiddleware } from "@bucketry/core";
import { createMpcClient } from "@bucketry/huaweicloud/mpc";
import axios from "axios";
import ky from "ky";
import createClient from "openapi-fetch";
import { startChild } from "../lib/child.mjs";
import { fixed, int, ratio, spread, summarize, table } from "../lib/stats.mjs";
import { packageVersion } from "../lib/workspace.mjs";

const PROJECT = "0123456789abcdef0123456789abcdef";
const KEYS = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "huaweiExampleSecretKey0123456789abcdefgh" };
const PATH = "/v1/{project_id}/buckets";
const params = { params: { path: { project_id: PROJECT } } };

function candidates(base) {
  const url = `${base}/v1/${PROJECT}/buckets`;
  const ok = ({ data, error, response }) => {
    if (error !== undefined || data === undefined) throw new Error(`status ${response.status}`);
  };
  const bare = createClient({ baseUrl: base });
  const signedOnly = createClient({ baseUrl: base });
  signedOnly.use(huaweiAkSk(huaweiCredentials({ ...KEYS, projectId: PROJECT })));
  const coreOnly = createClient({ baseUrl: base });
  useStandardMiddleware(coreOnly, { provider: "bench", auth: [] });
  // Price tags for the lead: one Request re-creation per call, and what timeout() does per attempt.
  const rebuilt = createClient({ baseUrl: base });
  rebuilt.use({ onRequest: ({ request }) => new Request(request) });
  const timed = createClient({ baseUrl: base });
  timed.use({
    onRequest: ({ request }) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      timer.unref();
      return new Request(request, { signal: AbortSignal.any([request.signal, controller.signal]) });
    },
  });
  const full = createMpcClient({ baseUrl: base, projectId: PROJECT, credentials: { type: "aksk", ...KEYS } });
  const http = axios.create();
  return [
    {
      name: "raw fetch",
      call: async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`status ${response.status}`);
        await response.json();
      },
    },
    {
      name: `openapi-fetch ${packageVersion("openapi-fetch")} (bare)`,
      call: async () => ok(await bare.GET(PATH, params)),
    },
    {
      name: "openapi-fetch + a middleware returning `new Request(request)`",
      call: async () => ok(await rebuilt.GET(PATH, params)),
    },
    {
      name: "openapi-fetch + a middleware adding a timer and `AbortSignal.any` (one `new Request`)",
      call: async () => ok(await timed.GET(PATH, params)),
    },
    {
      name: "openapi-fetch + core middleware (no auth)",
      call: async () => ok(await coreOnly.GET(PATH, params)),
    },
    {
      name: "openapi-fetch + huaweiAkSk (auth only)",
      call: async () => ok(await signedOnly.GET(PATH, params)),
    },
    {
      name: "@bucketry/huaweicloud createMpcClient (full: auth + retry + timeout + errors)",
      full: true,
      call: async () => ok(await full.GET(PATH, params)),
    },
    {
      name: `axios ${packageVersion("axios")}`,
      call: async () => {
        const response = await http.get(url);
        if (response.status !== 200 || typeof response.data !== "object") throw new Error("bad answer");
      },
    },
    { name: `ky ${packageVersion("ky")}`, call: async () => void (await ky.get(url).json()) },
  ];
}

/** `count` calls, `inFlight` at a time; wall seconds and client CPU microseconds. */
async function drive(call, count, inFlight) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await call();
    }
  };
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rate: count / seconds, cpuPerCall: (used.user + used.system) / count };
}

export async function run({ quick }) {
  const server = await startChild(fileURLToPath(new URL("../servers/json.mjs", import.meta.url)));
  try {
    const list = candidates(server.info.url);
    // Every candidate must get the server's answer before anything is timed.
    for (const c of list) await c.call();
    const rounds = quick ? 1 : 5;
    const modes = [
      { id: "sequential", label: "sequential", inFlight: 1, count: quick ? 40 : 2000 },
      { id: "concurrent", label: "64 in flight", inFlight: 64, count: quick ? 128 : 4000 },
    ];
    const samples = {};
    for (const m of modes) for (const c of list) samples[`${m.id}/${c.name}`] = [];
    // Warm-up (JIT, connection pools), untimed.
    for (const m of modes) for (const c of list) await drive(c.call, Math.ceil(m.count / 5), m.inFlight);
    for (let round = 0; round < rounds; round++) {
      for (const m of modes) {
        for (let i = 0; i < list.length; i++) {
          const c = list[(i + round) % list.length];
          samples[`${m.id}/${c.name}`].push(await drive(c.call, m.count, m.inFlight));
        }
      }
    }

    const tables = [];
    const targets = [];
    const [raw, bare] = list;
    const full = list.find((c) => c.full);
    for (const m of modes) {
      const of = (c) => samples[`${m.id}/${c.name}`];
      const pairedRatio = (a, b) => summarize(of(a).map((x, i) => x.rate / of(b)[i].rate));
      const rows = list.map((c) => {
        const rate = summarize(of(c).map((x) => x.rate));
        const cpu = summarize(of(c).map((x) => x.cpuPerCall));
        const vsRaw = pairedRatio(c, raw);
        const vsBare = pairedRatio(c, bare);
        return [
          c.name,
          int(rate.median),
          spread(rate),
          fixed(cpu.median, 0),
          ratio(vsRaw.median),
          ratio(vsBare.median),
        ];
      });
      tables.push({
        caption: `${m.label}: ${int(m.count)} GETs per candidate per round, ${rounds} rounds`,
        markdown: table(
          ["client", "req/s (median)", "p25–p75", "client CPU µs/req", "÷ raw fetch", "÷ bare openapi-fetch"],
          rows,
        ),
      });
      const r1 = pairedRatio(full, raw).median;
      const r2 = pairedRatio(full, bare).median;
      targets.push(
        { what: `full client ÷ raw fetch, ${m.label}`, target: "≥ 0.80x", actual: ratio(r1), met: r1 >= 0.8 },
        {
          what: `full client ÷ bare openapi-fetch, ${m.label}`,
          target: "≥ 0.97x (within 3%)",
          actual: ratio(r2),
          met: r2 >= 0.97,
        },
      );
    }
    return {
      id: "overhead",
      title: "2. Per-request overhead",
      intro: [
        "`GET /v1/{project_id}/buckets` on 127.0.0.1 against a minimal `node:http` server in its own process (200, a small fixed JSON body, nothing verified), so the server's CPU is not the client's. Each call reads and parses the JSON. Client CPU is `process.cpuUsage()` (user + system) of the client process over the batch, per request, garbage collection included. Candidates interleaved, order rotated each round; ratios are medians of per-round ratios.",
        "The full client is `createMpcClient` with AK/SK: `mapNetworkErrors` → `timeout` → `huaweiAkSk` (signs every attempt) → `retry`. The rows between bare openapi-fetch and the full client price its parts: one `Request` re-created by a middleware, a timer plus `AbortSignal.any` (what `timeout()` adds per attempt), the core chain without auth, and the signer alone.",
      ],
      tables,
      targets,
    };
  } finally {
    await server.close();
  }
}
