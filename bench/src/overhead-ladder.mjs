// Where a loopback request's client CPU goes (`node --expose-gc bench/src/overhead-ladder.mjs`; not a
// section of `pnpm bench`): a ladder from raw fetch to the full clients, one layer added per rung,
// timed as main-thread CPU per request (Linux schedstat: what a sequential caller waits for, without
// the GC and compiler threads), interleaved, median of rounds. On a shared machine run it as
// `chrt -f 10 node …` so the other load cannot preempt it. Then two costs of the platform in isolation.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { huaweiAkSk, staticToken, tokenAuth } from "@bucketry/auth";
import { createApiClient, createPipeline } from "@bucketry/core";
import { CallRequest } from "@bucketry/core/internal";
import { createMpcClient, huaweiCredentials } from "@bucketry/huaweicloud/mpc";
import { createArchiveStorageClient } from "@bucketry/ncloud";
import createClient from "openapi-fetch";
import { startChild } from "./lib/child.mjs";

const PROJECT = "0123456789abcdef0123456789abcdef";
const KEYS = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "huaweiExampleSecretKey0123456789abcdefgh" };
const PATH = "/v1/{project_id}/buckets";
const params = { params: { path: { project_id: PROJECT } } };
const COUNT = Number(process.env.COUNT ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

// Falls back to the process's CPU (all threads) where /proc is not there.
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const mainThreadUs = () => {
  try {
    return Number(readFileSync(schedstat, "utf8").split(" ")[0]) / 1000;
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
};

const server = await startChild(fileURLToPath(new URL("./servers/json.mjs", import.meta.url)));
const base = server.info.url;
const url = `${base}/v1/${PROJECT}/buckets`;
const ok = ({ data, error, response }) => {
  if (error !== undefined || data === undefined) throw new Error(`status ${response.status}`);
};
const timed = (init) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  timer.unref();
  return { init: { ...init, signal: controller.signal }, done: () => clearTimeout(timer) };
};
const pipe = (setup, options) => createPipeline({ provider: "ladder", ...setup }, options);
const loop = pipe({}, { retry: false, timeout: false });
const loopTimers = pipe({}, {});
const loopAgent = pipe({ userAgent: "bucketry-ladder/0.0.0" }, {});
const loopToken = pipe({ steps: [tokenAuth(staticToken("ladder-token"))] }, {});
const loopSigned = pipe({ steps: [huaweiAkSk(huaweiCredentials({ ...KEYS, projectId: PROJECT }))] }, {});
const bare = createClient({ baseUrl: base });
const mpc = createMpcClient({ baseUrl: base, projectId: PROJECT, credentials: { type: "aksk", ...KEYS } });
const naver = createArchiveStorageClient({
  baseUrl: base,
  projectId: PROJECT,
  credentials: { type: "token", source: staticToken("ladder-token") },
});
const light = createApiClient((request) => fetch(request.url, request), { baseUrl: base });
const headers = () => new Headers({ accept: "application/json" });
const viaPipeline = (pipeline) => async () => {
  const response = await pipeline(new CallRequest(url, { headers: headers() }));
  await response.json();
};

const rungs = {
  "raw fetch + json()": async () => {
    const response = await fetch(url, { headers: headers() });
    await response.json();
  },
  "+ an AbortSignal and timer": async () => {
    const { init, done } = timed({ headers: headers() });
    const response = await fetch(url, init);
    await response.json();
    done();
  },
  "+ headers copied, body read as bytes, decoded and parsed": async () => {
    const { init, done } = timed({ headers: new Headers(headers()) });
    const response = await fetch(url, init);
    JSON.parse(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer())));
    done();
  },
  "pipeline: loop only (no retry, no timers)": viaPipeline(loop),
  "pipeline: + retry and timers": viaPipeline(loopTimers),
  "pipeline: + a default User-Agent": viaPipeline(loopAgent),
  "pipeline: + token step (instead of the User-Agent)": viaPipeline(loopToken),
  "pipeline: + Huawei AK/SK step (instead of the token)": viaPipeline(loopSigned),
  "openapi-fetch with a trivial fetch (createApiClient)": async () => ok(await light.GET(PATH, params)),
  "openapi-fetch bare": async () => ok(await bare.GET(PATH, params)),
  "full NAVER client (GET)": async () => ok(await naver.GET("/v1/AUTH_{project_id}", params)),
  "full MPC client (GET)": async () => ok(await mpc.GET(PATH, params)),
};

async function drive(call) {
  globalThis.gc?.();
  const cpu = mainThreadUs();
  for (let i = 0; i < COUNT; i++) await call();
  return (mainThreadUs() - cpu) / COUNT;
}
const names = Object.keys(rungs);
for (const name of names) await drive(rungs[name]);
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    samples[name].push(await drive(rungs[name]));
  }
}
await server.close();
const print = (line) => process.stdout.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const bareUs = median(samples["openapi-fetch bare"]);
print(`| rung | main-thread CPU µs/request | ÷ bare openapi-fetch's |`);
print(`| --- | --- | --- |`);
for (const name of names) {
  const us = median(samples[name]);
  print(`| ${name} | ${us.toFixed(1)} | ${(bareUs / us).toFixed(2)}x |`);
}

// Two platform costs the ladder's signal rung is made of, without a network.
function perCall(make) {
  const count = 50_000;
  let start = 0n;
  for (let round = 0; round < 3; round++) {
    start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) make();
  }
  return Number(process.hrtime.bigint() - start) / count / 1000;
}
const target = `${base}/x`;
print(`\n| platform operation | µs |`);
print(`| --- | --- |`);
print(`| new Request(url) | ${perCall(() => new Request(target)).toFixed(2)} |`);
print(
  `| new Request(url, { signal }) | ${perCall(() => new Request(target, { signal: new AbortController().signal })).toFixed(2)} |`,
);
print(
  `| new AbortController() + one abort listener | ${perCall(() => new AbortController().signal.addEventListener("abort", () => {}, { once: true })).toFixed(2)} |`,
);
