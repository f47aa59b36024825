#!/usr/bin/env node
/** The `bucketry` executable: runs the CLI with this process's arguments, streams and environment. */
import { run } from "./run.js";

// A reader that goes away (`bucketry buckets | head`) is not an error: the listing stops quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

try {
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
} catch (error) {
  process.stderr.write(
    `bucketry: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
