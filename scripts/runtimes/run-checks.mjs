// Entry of the shared checks on runtimes that run a package's files as they are (Node, Deno, Bun):
// `<runtime> run-checks.mjs <config.json>` prints the results as one marked JSON line.
import { readFileSync } from "node:fs";
import process from "node:process";
import { runChecks } from "./checks.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const outcome = await runChecks(config);
process.stdout.write(`\n@@bucketry-results@@${JSON.stringify(outcome)}\n`);
