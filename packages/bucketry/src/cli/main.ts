#!/usr/bin/env node
/** The `bucketry` executable: runs the CLI with this process's arguments, streams and environment. */
import { run } from "./run.js";

// A reader that goes away (`bucketry buckets | head`) is not an error: the listing stops quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

// Ctrl-C stops the command, which says how far it got; a second one exits at once.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort(new Error("interrupted"));
  process.once("SIGINT", () => process.exit(130));
});

try {
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
  });
  process.exitCode = interrupt.signal.aborted ? 130 : code;
} catch (error) {
  process.stderr.write(
    `bucketry: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
