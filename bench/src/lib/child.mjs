// Starts a server script of bench/src/servers/ in its own Node process and waits for its
// `READY <json>` line; used by the sections so that no server shares the measured client's CPU.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** Spawns `node <script> ...args`; resolves to `{ info, child, close() }` once it prints `READY`. */
export function startChild(script, args = [], { nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const fail = (why) => reject(new Error(`${script}: ${why}`));
    child.once("exit", (code) => fail(`exited with ${code} before it was ready`));
    child.once("error", (error) => fail(error.message));
    lines.on("line", (line) => {
      if (!line.startsWith("READY ")) return;
      child.removeAllListeners("exit");
      resolve({
        info: JSON.parse(line.slice(6)),
        child,
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            // Closing stdin ends the server (see servers/*.mjs); SIGTERM in case it does not.
            child.stdin.end();
            setTimeout(() => child.kill("SIGTERM"), 2000).unref();
          }),
      });
    });
  });
}
