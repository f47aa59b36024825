// Runs a measured listing process (bench/src/scale-client.mjs or scale-floor.mjs) in a fresh Node
// process, so each run pays its own start-up and JIT as a real listing would.
import { spawn } from "node:child_process";
import { basename } from "node:path";

/** Runs `script` once with `args` (JSON in argv[2]); resolves to the `RESULT {…}` it prints. */
export function measured(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", script, JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`${basename(script)} exited with ${code}`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
}
