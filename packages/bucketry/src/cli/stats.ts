/**
 * What each source of a listing did, for the summary at its end (stderr, or one JSON line with
 * `--stats json`): items, pages (answers of 2xx), attempts (requests sent), retries, throttled
 * answers (429), time, and the error of a source that failed. Counted from the pipeline's events.
 */
import type { PipelineEvent } from "@bucketry/core";
import type { SourceScope } from "../adapters/descriptor.js";
import { renderTable } from "./output.js";

/** One source's counters. */
export interface SourceStats extends SourceScope {
  source: string;
  provider: string;
  /** `done`, `failed`, `unfinished` (stopped by --limit or Ctrl-C while running) or `waiting` (never started). */
  status: "done" | "failed" | "unfinished" | "waiting";
  /** Buckets (or users) listed. */
  items: number;
  pages: number;
  attempts: number;
  retries: number;
  throttled: number;
  /** From its first request to its end, in ms; undefined when it never started. */
  ms: number | undefined;
  /** The failure, as one line. */
  error?: string;
  /** When it started and ended (performance.now()), for `ms`. */
  startedAt?: number;
  endedAt?: number;
}

/** Fresh counters for a source. */
export function newStats(source: string, provider: string, scope: SourceScope): SourceStats {
  return {
    source,
    provider,
    ...scope,
    status: "waiting",
    items: 0,
    pages: 0,
    attempts: 0,
    retries: 0,
    throttled: 0,
    ms: undefined,
  };
}

/** Counts one pipeline event. */
export function count(stats: SourceStats, event: PipelineEvent): void {
  switch (event.type) {
    case "request":
      stats.attempts += 1;
      break;
    case "retry":
      stats.retries += 1;
      break;
    case "response":
      if (event.status >= 200 && event.status < 300) stats.pages += 1;
      if (event.status === 429) stats.throttled += 1;
      break;
  }
}

/** The summary's records, timing fields resolved. */
export function statsRecords(stats: Iterable<SourceStats>): Omit<SourceStats, "startedAt" | "endedAt">[] {
  return [...stats].map(({ startedAt, endedAt, ...rest }) => ({
    ...rest,
    ms: startedAt === undefined ? undefined : Math.round((endedAt ?? performance.now()) - startedAt),
  }));
}

/** The summary as JSON: `items` named after what was listed (`buckets`, `users`). */
export function statsJson(stats: Iterable<SourceStats>, noun: string): unknown {
  return {
    sources: statsRecords(stats).map(({ items, ...rest }) => {
      const { source, provider, account, project, region, status, ...counts } = rest;
      return { source, provider, account, project, region, status, [`${noun}s`]: items, ...counts };
    }),
  };
}

/** The summary as a table for stderr, with a totals line. */
export function statsTable(stats: Iterable<SourceStats>, noun: string, width: number): string {
  const records = statsRecords(stats);
  const rows = records.map((r) => [
    r.source,
    r.provider,
    r.status,
    String(r.items),
    String(r.pages),
    String(r.attempts),
    String(r.retries),
    String(r.throttled),
    r.ms === undefined ? "" : `${(r.ms / 1000).toFixed(1)} s`,
    r.error ?? "",
  ]);
  const table = renderTable(
    [
      { title: "SOURCE" },
      { title: "PROVIDER" },
      { title: "STATUS" },
      { title: `${noun.toUpperCase()}S`, align: "right" },
      { title: "PAGES", align: "right" },
      { title: "ATTEMPTS", align: "right" },
      { title: "RETRIES", align: "right" },
      { title: "429S", align: "right" },
      { title: "TIME", align: "right" },
      { title: "ERROR", primary: true },
    ],
    rows,
    { width, color: false },
  );
  const failed = records.filter((r) => r.status === "failed").length;
  const sum = (key: "items" | "attempts" | "retries" | "throttled") =>
    records.reduce((n, r) => n + r[key], 0);
  return `${table}${records.length} sources, ${failed} failed: ${sum("items")} ${noun}s, ${sum("attempts")} attempts, ${sum("retries")} retries, ${sum("throttled")} throttled\n`;
}
