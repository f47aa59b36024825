// The scale section's CPU share against a real OpenStack Swift instead of its synthetic server
// (`node bench/src/scale-real-swift.mjs [containers=20000]`; not a section of `pnpm bench`: filling
// the account takes about a minute per 20,000 containers). Starts the integration suite's Swift
// (scripts/swift/harness.mjs, installed from Debian if missing), creates the containers, then lists
// the account in pages of 10,000 through the same measured processes as section 4 (the facade's
// client and the floor), interleaved, each in a fresh process; prints a Markdown table.
import { fileURLToPath } from "node:url";
import { installSwift, startSwift } from "../../scripts/swift/harness.mjs";
import { measured } from "./lib/measured.mjs";
import { fixed, int, summarize, table } from "./lib/stats.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const containers = Number(process.argv[2] ?? 20_000);
const RUNS = 5;
const log = (line) => process.stderr.write(`${line}\n`);

const installed = installSwift({ log });
if (!installed.ok) throw new Error(`no Swift: ${installed.reason}`);
const swift = await startSwift({ log });
try {
  const { storageUrl, token } = swift;
  const started = Date.now();
  let next = 0;
  const create = async () => {
    while (next < containers) {
      const name = `bucket-${String(next++).padStart(7, "0")}`;
      const response = await fetch(`${storageUrl}/${name}`, {
        method: "PUT",
        headers: { "x-auth-token": token },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`PUT ${name}: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, create));
  log(`created ${int(containers)} containers in ${fixed((Date.now() - started) / 1000, 1)} s`);

  const fake = { api: "ncloud-archive-storage", authToken: token, storageUrl };
  const runs = { client: [], floor: [] };
  for (let r = 0; r < RUNS; r++) {
    const result = await measured(here("./scale-client.mjs"), { fakes: [fake], concurrency: 4 });
    const floor = await measured(here("./scale-floor.mjs"), { fake });
    for (const [name, got] of [
      ["client", result],
      ["floor", floor],
    ]) {
      if (got.buckets !== containers) throw new Error(`${name} listed ${got.buckets} of ${containers}`);
      runs[name].push(got);
    }
  }
  const row = (name, list) => {
    const ms = summarize(list.map((x) => x.ms)).median;
    const cpuMs = summarize(list.map((x) => x.cpuMs)).median;
    const share = summarize(list.map((x) => x.cpuMs / x.ms)).median;
    return [name, int(containers), int(ms), int(cpuMs), `${fixed(share * 100, 0)}%`];
  };
  process.stdout.write(
    `${table(
      ["lister", "containers", "ms (median)", "client CPU ms (median)", "CPU share of wall (median)"],
      [
        row("bucketry (facade over @bucketry/ncloud, as section 4)", runs.client),
        row("floor (fetch + response.json())", runs.floor),
      ],
    )}\n${RUNS} runs each, interleaved, each in a fresh process.\n`,
  );
} finally {
  await swift.stop();
}
