// Preloaded into every Node process of a measured command (NODE_OPTIONS=--require, set by
// lib/measure.mjs): appends its peak RSS and CPU time to $BENCH_RUSAGE_FILE when it exits.
const { appendFileSync } = require("node:fs");

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const line = { maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
