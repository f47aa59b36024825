/**
 * A listing command from the first item to the exit code, shared by `buckets` and `users`: items
 * streamed as they arrive (or kept for a table), `--limit`, a reader that goes away, Ctrl-C, and
 * where each source had got to when the listing ended.
 */
import type { Source, SourceError } from "../model.js";
import {
  type CliIo,
  ClosedOutputError,
  counted,
  outputWidth,
  styles,
  toJson,
  useColor,
  write,
} from "./output.js";
import { progress } from "./progress.js";
import { describeError, type Failure, reportFailures } from "./report.js";
import { type SourceStats, statsJson, statsTable } from "./stats.js";

/** Where a source had got to when the listing ended. */
export type Reached = "waiting" | "running" | "done" | "failed";

/** What {@link runListing} needs from a command. */
export interface Listing<T> {
  /** Lists `sources` (the command's, wrapped to follow their progress). */
  list(
    sources: Source[],
    options: { signal?: AbortSignal; onError: (error: SourceError) => void },
  ): AsyncIterable<T>;
  sources: Source[];
  /** Failures so far (sources that could not be made); the listing's own are added. */
  failures: Failure[];
  format: string;
  limit: number | undefined;
  /** Singular: `bucket`, `user`. */
  noun: string;
  /** The items as a table (the `table` format). */
  table(rows: T[]): string;
  /** Each source's counters (from {@link makeSources}); items, status and time are added here. */
  stats?: Map<string, SourceStats>;
  /** The per-source summary at the end: a table or one JSON line on stderr, or none. */
  summary?: "table" | "json" | "none";
  /** What a `json`/`ndjson` record adds to an item: its source's scope, when it was fetched. */
  record?: (item: T, fetchedAt: string) => unknown;
}

/** Runs a listing to its end and reports it; resolves to the exit code (0, 1 a source failed, 130 Ctrl-C). */
export async function runListing<T extends { source: string }>(
  listing: Listing<T>,
  io: CliIo,
): Promise<number> {
  const { format, limit, failures } = listing;
  const reached = new Map<string, Reached>(listing.sources.map((s) => [s.name, "waiting"]));
  const counts = new Map<string, number>(listing.sources.map((s) => [s.name, 0]));
  const rows: T[] = [];
  const counter = progress(io.stderr, listing.noun);
  let seen = 0;
  let stopped = false;
  let closed = false;
  let interrupted = false;
  const stats = listing.stats ?? new Map<string, SourceStats>();
  const record = listing.record ?? ((item: T) => item);
  const items = listing.list(
    listing.sources.map((source) => followed(source, reached, stats.get(source.name))),
    {
      signal: io.signal,
      onError: (error) => {
        const counters = stats.get(error.source);
        if (counters) counters.endedAt = performance.now();
        failures.push({ provider: error.source, error: error.cause });
      },
    },
  );
  try {
    if (format === "json") await write(io.stdout, "[");
    try {
      for await (const item of items) {
        counts.set(item.source, (counts.get(item.source) ?? 0) + 1);
        counter.tick(item.source);
        if (format === "table") rows.push(item);
        else if (format === "ndjson")
          await write(io.stdout, `${toJson(record(item, new Date().toISOString()))}\n`);
        else
          await write(
            io.stdout,
            `${seen === 0 ? "\n" : ",\n"}${toJson(record(item, new Date().toISOString()))}`,
          );
        seen += 1;
        if (limit !== undefined && seen >= limit) {
          stopped = true;
          break;
        }
      }
    } catch (error) {
      if (!io.signal?.aborted) throw error;
      interrupted = true;
    } finally {
      counter.done();
    }
    if (format === "json") await write(io.stdout, seen === 0 ? "]\n" : "\n]\n");
  } catch (error) {
    if (!(error instanceof ClosedOutputError)) throw error;
    closed = true;
  }
  for (const { provider } of failures) if (reached.has(provider)) reached.set(provider, "failed");
  const summarise = async () => {
    if (!listing.stats || (listing.summary ?? "none") === "none") return;
    for (const [name, counters] of stats) {
      counters.items = counts.get(name) ?? 0;
      const state = reached.get(name);
      const failure = failures.find((f) => f.provider === name);
      counters.status = failure
        ? "failed"
        : state === "done"
          ? "done"
          : state === "running"
            ? "unfinished"
            : "waiting";
      if (failure) counters.error = describeError(failure.error);
    }
    if (listing.summary === "json") {
      await write(io.stderr, `${toJson(statsJson(stats.values(), listing.noun))}\n`);
    } else {
      await write(io.stderr, statsTable(stats.values(), listing.noun, outputWidth(io.stderr, io.env)));
    }
  };

  if (interrupted) {
    await write(io.stderr, `bucketry: ${interruptedLine(listing.noun, counts, reached)}\n`);
    await summarise();
    await reportFailures(failures, io);
    return 130;
  }
  if (format === "table" && !closed) {
    const color = useColor(io.stdout, io.env);
    const note = stopped ? ` (stopped at --limit ${limit?.toLocaleString("en-US")})` : "";
    try {
      if (rows.length > 0) await write(io.stdout, listing.table(rows));
      await write(io.stdout, countLine(listing.noun, counts, reached, failures, color, note));
    } catch (error) {
      if (!(error instanceof ClosedOutputError)) throw error;
    }
  }
  await summarise();
  await reportFailures(failures, io);
  return failures.length > 0 ? 1 : 0;
}

/** `source` with its progress recorded in `reached`: running from its first request, done once it has listed all. */
function followed(source: Source, reached: Map<string, Reached>, stats: SourceStats | undefined): Source {
  async function* follow<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
    reached.set(source.name, "running");
    if (stats) stats.startedAt = performance.now();
    yield* items;
    reached.set(source.name, "done");
    if (stats) stats.endedAt = performance.now();
  }
  const { buckets, users } = source;
  return {
    provider: source.provider,
    name: source.name,
    ...(buckets ? { buckets: (signal: AbortSignal) => follow(buckets.call(source, signal)) } : {}),
    ...(users
      ? { users: (options: Parameters<typeof users>[0]) => follow(users.call(source, options)) }
      : {}),
  };
}

/** "3,000 buckets: hitachi-vsp-one-object 800, ncloud-archive-storage 2,200 (unfinished), huaweicloud-dbss failed". */
export function countLine(
  noun: string,
  counts: Map<string, number>,
  reached: Map<string, Reached>,
  failures: Failure[],
  color: boolean,
  note = "",
): string {
  const style = styles(color);
  let total = 0;
  for (const n of counts.values()) total += n;
  const parts = [...counts].map(([name, n]) => {
    const count = n.toLocaleString("en-US");
    switch (reached.get(name)) {
      case "failed":
        return style.red(n === 0 ? `${name} failed` : `${name} failed after ${count}`);
      case "done":
        return `${name} ${count}`;
      default:
        return style.yellow(`${name} ${count} (unfinished)`);
    }
  });
  // Sources that could not even be made.
  for (const name of new Set(failures.map((f) => f.provider))) {
    if (!counts.has(name)) parts.push(style.red(`${name} failed`));
  }
  return `${counted(total, noun)}${note}${parts.length ? `: ${parts.join(", ")}` : ""}\n`;
}

/** "interrupted after 57 buckets from 1 source; still running: huaweicloud-mpc; not started: ncloud-archive-storage". */
function interruptedLine(noun: string, counts: Map<string, number>, reached: Map<string, Reached>): string {
  let total = 0;
  let from = 0;
  for (const n of counts.values()) {
    total += n;
    if (n > 0) from += 1;
  }
  const named = (state: Reached) => [...reached].filter(([, r]) => r === state).map(([name]) => name);
  const running = named("running");
  const waiting = named("waiting");
  return [
    `interrupted after ${counted(total, noun)}${from > 0 ? ` from ${counted(from, "source")}` : ""}`,
    ...(running.length > 0 ? [`still running: ${running.join(", ")}`] : []),
    ...(waiting.length > 0 ? [`not started: ${waiting.join(", ")}`] : []),
  ].join("; ");
}
