// What section 2's forced GC does to its ratios (`node --expose-gc bench/src/overhead-gc.mjs`; not a
// section of `pnpm bench`; on a shared machine run it as `chrt -f 10 node …`). The section calls
// `gc()` before every batch so that no candidate pays for another's garbage; this probe times the
// same candidates both ways, interleaved, median of rounds: after a forced full GC, as the section
// does, and left to run as a client process does. Requests per second and ratios to bare openapi-fetch.
// The last two rows price an attempt's auth work inside the loop: three static headers (what a
// Huawei signature sets), and one HMAC and one hash (what it computes), each as the only step.
import { createHmac, hash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { staticToken } from "@bucketry/auth";
import { createPipeline } from "@bucketry/core";
import { createMpcClient } from "@bucketry/huaweicloud/mpc";
import { createArchiveStorageClient } from "@bucketry/ncloud";
import createClient from "openapi-fetch";
import { startChild } from "./lib/child.mjs";
import { floorFetch } from "./lib/floor-fetch.mjs";

const PROJECT = "0123456789abcdef0123456789abcdef";
const KEYS = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "huaweiExampleSecretKey0123456789abcdefgh" };
const params = { params: { path: { project_id: PROJECT } } };
const ROUNDS = Number(process.env.ROUNDS ?? 7);

if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
const server = await startChild(fileURLToPath(new URL("./servers/json.mjs", import.meta.url)));
const base = server.info.url;
const ok = ({ data, error, response }) => {
  if (error !== undefined || data === undefined) throw new Error(`status ${response.status}`);
};
const bare = createClient({ baseUrl: base });
const floor = createClient({ baseUrl: base, fetch: floorFetch });
const naver = createArchiveStorageClient({
  baseUrl: base,
  projectId: PROJECT,
  credentials: { type: "token", source: staticToken("bench-token") },
});
const mpc = createMpcClient({ baseUrl: base, projectId: PROJECT, credentials: { type: "aksk", ...KEYS } });
// The pipeline's loop (no retry, no timers) with one step.
const withStep = (prepare) =>
  createClient({
    baseUrl: base,
    fetch: createPipeline({ provider: "bench", steps: [{ prepare }] }, { retry: false, timeout: false }),
  });
const signature = `SDK-HMAC-SHA256 Access=${KEYS.accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${"0".repeat(64)}`;
const headers = withStep((request) => {
  request.headers.set("X-Sdk-Date", "20240501T120000Z");
  request.headers.set("X-Project-Id", PROJECT);
  request.headers.set("Authorization", signature);
});
const key = new TextEncoder().encode(KEYS.secretKey);
let digest = "";
const digests = withStep((request) => {
  const canonical = `GET\n${request.url}\n\nx-sdk-date:20240501T120000Z\n\nx-sdk-date\n`;
  digest = createHmac("sha256", key)
    .update(`SDK-HMAC-SHA256\n20240501T120000Z\n${hash("sha256", canonical, "hex")}`)
    .digest("hex");
});
const loop = withStep(() => {});
const candidates = [
  ["bare openapi-fetch", async () => ok(await bare.GET("/v1/{project_id}/buckets", params))],
  ["design's floor", async () => ok(await floor.GET("/v1/{project_id}/buckets", params))],
  ["NAVER client", async () => ok(await naver.GET("/v1/AUTH_{project_id}", params))],
  ["MPC client", async () => ok(await mpc.GET("/v1/{project_id}/buckets", params))],
  ["loop, an empty step", async () => ok(await loop.GET("/v1/{project_id}/buckets", params))],
  ["loop, three headers", async () => ok(await headers.GET("/v1/{project_id}/buckets", params))],
  ["loop, HMAC + hash", async () => ok(await digests.GET("/v1/{project_id}/buckets", params))],
];

async function drive(call, count, inFlight, forced) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await call();
    }
  };
  if (forced) globalThis.gc();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values) => values.toSorted((a, b) => a - b)[values.length >> 1];
const lines = [
  "| mode | candidate | req/s, forced GC per batch | ÷ bare | req/s, no forced GC | ÷ bare |",
  "|---|---|---|---|---|---|",
];
for (const [label, inFlight, count] of [
  ["sequential", 1, 2000],
  ["64 in flight", 64, 4000],
]) {
  for (const [, call] of candidates) await drive(call, count / 5, inFlight, false);
  const rates = { true: new Map(), false: new Map() };
  for (let round = 0; round < ROUNDS; round++) {
    for (const forced of round % 2 === 0 ? [true, false] : [false, true]) {
      for (let i = 0; i < candidates.length; i++) {
        const [name, call] = candidates[(i + round) % candidates.length];
        const list = rates[forced].get(name) ?? [];
        list.push(await drive(call, count, inFlight, forced));
        rates[forced].set(name, list);
      }
    }
  }
  for (const [name] of candidates) {
    const cells = [true, false].flatMap((forced) => {
      const of = rates[forced];
      const ratio = median(of.get(name).map((rate, i) => rate / of.get("bare openapi-fetch")[i]));
      return [Math.round(median(of.get(name))).toLocaleString("en-US"), `${ratio.toFixed(2)}x`];
    });
    lines.push(`| ${label} | ${name} | ${cells.join(" | ")} |`);
  }
}
process.stdout.write(`${lines.join("\n")}\n`);
if (digest.length !== 64) throw new Error("the HMAC step did not run");
await server.close();
