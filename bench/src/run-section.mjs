// Runs one benchmark section in its own process (spawned by bench/src/main.mjs with --expose-gc) and
// writes its result as JSON to bench/.out/<section>.json (<section>.quick.json in quick mode).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { OUT } from "./lib/workspace.mjs";

const [name, ...flags] = process.argv.slice(2);
const quick = flags.includes("--quick");
const section = await import(`./sections/${name}.mjs`);
const result = await section.run({ quick });
writeFileSync(
  join(OUT, `${name}${quick ? ".quick" : ""}.json`),
  `${JSON.stringify({ ...result, quick, ranAt: new Date().toISOString(), load: loadavg() }, null, 2)}\n`,
);
