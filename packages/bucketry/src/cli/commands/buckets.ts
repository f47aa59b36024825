/** `bucketry buckets`: every configured provider's buckets as one table, JSON array or NDJSON stream. */

import { definedOnly } from "../../adapters/descriptor.js";
import { listBuckets } from "../../list.js";
import type { Bucket } from "../../model.js";
import { parseChoice, parseCount } from "../args.js";
import { loadConfig } from "../config.js";
import {
  type CliIo,
  type Column,
  formatBytes,
  formatCount,
  formatDate,
  outputWidth,
  renderTable,
  useColor,
  write,
} from "../output.js";
import { chooseSources, inventory, makeSources } from "../report.js";
import { parseShard } from "../select.js";
import { runListing } from "../stream.js";

/** Runs `bucketry buckets` with parsed flags; resolves to the exit code. */
export async function bucketsCommand(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = parseChoice(
    values.format as string | undefined,
    "format",
    ["table", "json", "ndjson"],
    "table",
    "buckets",
  );
  const limit = parseCount(values.limit as string | undefined, "limit", "buckets");
  const concurrency = parseCount(values.concurrency as string | undefined, "concurrency", "buckets") ?? 4;
  const selection = {
    provider: values.provider as string[] | undefined,
    source: values.source as string[] | undefined,
    shard: parseShard(values.shard as string | undefined, "buckets"),
  };
  const summary = parseChoice(
    values.stats as string | undefined,
    "stats",
    ["table", "json", "none"],
    "none",
    "buckets",
  );
  const config = loadConfig({ configPath: values.config as string | undefined, env: io.env, cwd: io.cwd });
  const chosen = chooseSources(selection, "buckets", config, "buckets");
  if (chosen.length === 0 && !selection.shard) {
    await write(
      io.stderr,
      "bucketry: no provider is configured; set the environment variables of one (see 'bucketry providers --help'),\nor try 'bucketry demo' (it needs @bucketry/testing installed next to bucketry: npm install @bucketry/testing)\n",
    );
    return 1;
  }
  const set = makeSources(chosen, config, { ...io, verbose: values.verbose === true });
  const perProvider = Object.fromEntries(
    [...set.pools].map(([provider, pool]) => [provider, pool.concurrency]),
  );
  const width = outputWidth(io.stdout, io.env);
  const color = useColor(io.stdout, io.env);
  return runListing(
    {
      list: (tracked, options) => listBuckets(tracked, { ...options, concurrency, perProvider }),
      sources: set.sources,
      failures: set.failures,
      stats: set.stats,
      summary: values.stats === undefined && inventory(config, selection) ? "table" : summary,
      record: (bucket, fetchedAt) => {
        const scope = set.stats.get(bucket.source);
        return {
          ...bucket,
          ...definedOnly({
            account: scope?.account,
            project: scope?.project,
            region: bucket.region ?? scope?.region,
          }),
          fetchedAt,
        };
      },
      format,
      limit,
      noun: "bucket",
      table: (rows) => bucketTable(rows, { width, color }),
    },
    io,
  );
}

/** The buckets as a table, sorted by provider then name; columns no bucket has a value for are left out. */
export function bucketTable(buckets: Bucket[], options: { width: number; color: boolean }): string {
  const sorted = [...buckets].sort(
    (a, b) => a.provider.localeCompare(b.provider) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const all: { column: Column; cell: (b: Bucket) => string; always?: boolean }[] = [
    { column: { title: "PROVIDER" }, cell: (b) => b.source, always: true },
    { column: { title: "NAME", primary: true }, cell: (b) => b.name, always: true },
    { column: { title: "ID", align: "right" }, cell: (b) => b.id ?? "" },
    { column: { title: "OWNER", align: "right" }, cell: (b) => b.owner ?? "" },
    { column: { title: "REGION" }, cell: (b) => b.region ?? "" },
    { column: { title: "CREATED (UTC)" }, cell: (b) => formatDate(b.createdAt) },
    { column: { title: "OBJECTS", align: "right" }, cell: (b) => formatCount(b.objectCount) },
    { column: { title: "SIZE", align: "right" }, cell: (b) => formatBytes(b.bytes) },
    {
      column: { title: "AUTHORIZED" },
      cell: (b) => (b.authorized === undefined ? "" : b.authorized ? "yes" : "no"),
    },
  ];
  const cells = all.map((c) => sorted.map(c.cell));
  const shown = all.map((c, i) => c.always || cells[i]?.some((cell) => cell !== "")).map(Boolean);
  const columns = all.filter((_, i) => shown[i]).map((c) => c.column);
  const rows = sorted.map((_, r) => cells.filter((_, i) => shown[i]).map((column) => column[r] as string));
  return renderTable(columns, rows, options);
}
