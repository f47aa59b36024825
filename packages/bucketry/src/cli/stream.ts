/** Streaming a listing (buckets or users) to stdout, shared by the commands that list. */
import { type CliIo, ClosedOutputError, toJson, write } from "./output.js";
import { progress } from "./progress.js";

/** What a streamed listing left behind for the table and the count line. */
export interface Streamed<T> {
  /** The items, kept only for a table (JSON and NDJSON were written as they came). */
  rows: T[];
  /** Items per source. */
  counts: Map<string, number>;
  /** Whether `--limit` stopped the listing. */
  stopped: boolean;
  /** Whether stdout's reader went away (`| head`): the rest is quietly skipped. */
  closed: boolean;
}

/**
 * Writes a listing as it arrives: NDJSON lines or one JSON array, or keeps the rows for a table.
 * Counts per source, ticks the live counter, and breaks out at `limit` (which aborts the requests in
 * flight and starts no others).
 */
export async function streamListing<T extends { source: string }>(
  open: () => AsyncIterable<T>,
  options: { format: string; limit: number | undefined; io: CliIo; noun: string; sources: string[] },
): Promise<Streamed<T>> {
  const { format, limit, io } = options;
  const result: Streamed<T> = {
    rows: [],
    counts: new Map(options.sources.map((name) => [name, 0])),
    stopped: false,
    closed: false,
  };
  const counter = progress(io.stderr, options.noun);
  let seen = 0;
  try {
    if (format === "json") await write(io.stdout, "[");
    for await (const item of open()) {
      result.counts.set(item.source, (result.counts.get(item.source) ?? 0) + 1);
      counter.tick(item.source);
      if (format === "table") result.rows.push(item);
      else if (format === "ndjson") await write(io.stdout, `${toJson(item)}\n`);
      else await write(io.stdout, `${seen === 0 ? "\n" : ",\n"}${toJson(item)}`);
      seen += 1;
      if (limit !== undefined && seen >= limit) {
        result.stopped = true;
        break;
      }
    }
    if (format === "json") await write(io.stdout, seen === 0 ? "]\n" : "\n]\n");
  } catch (error) {
    if (!(error instanceof ClosedOutputError)) throw error;
    result.closed = true;
  } finally {
    counter.done();
  }
  return result;
}
