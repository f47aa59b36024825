/** What every listing command shares: choosing providers, making their sources, and reporting failures. */
import { ApiError, type PipelineEvent } from "@bucketry/core";
import { createRateLimiter, type RateLimiter } from "../limiter.js";
import { type ProviderName, type Source, SourceError } from "../model.js";
import { type Command, UsageError } from "./args.js";
import {
  buildSource,
  type Config,
  ConfigError,
  PROVIDERS,
  providerSpec,
  type SourceConfig,
  sourceScope,
} from "./config.js";
import { type CliIo, styles, useColor, write } from "./output.js";
import { globToRegExp, type Shard, shardOf, sourcePatterns } from "./select.js";
import { count, newStats, type SourceStats } from "./stats.js";

/** A provider that could not be listed, and why. */
export interface Failure {
  provider: string;
  error: unknown;
}

/** How the sources of a listing were chosen. */
export interface Selection {
  /** The flags, as parsed. */
  provider?: string[] | undefined;
  source?: string[] | undefined;
  shard?: Shard | undefined;
}

/**
 * The sources a command lists: every configured one that lists `kind`, or those `--provider`
 * (`huaweicloud` is both Huawei services) and `--source` (names or globs) name, then the `--shard`.
 * A name or pattern that matches nothing is a usage error, so a typo never lists nothing quietly.
 */
export function chooseSources(
  selection: Selection,
  kind: "buckets" | "users",
  config: Config,
  command: Command,
): SourceConfig[] {
  let chosen = config.sources.filter((s) => s.spec.lists === kind);
  if (selection.provider && selection.provider.length > 0) {
    const names = new Set<ProviderName>();
    for (const name of selection.provider.flatMap((flag) => flag.split(",")).map((n) => n.trim())) {
      if (name === "huaweicloud") {
        names.add("huaweicloud-mpc");
        names.add("huaweicloud-dbss");
        continue;
      }
      const spec = providerSpec(name);
      if (!spec) {
        throw new UsageError(
          `unknown provider "${name}"; one of ${PROVIDERS.map((p) => p.provider).join(", ")}, huaweicloud`,
          command,
        );
      }
      if (spec.lists !== kind) throw new UsageError(`${name} ${otherKind(spec.lists)}`, command);
      names.add(spec.provider);
    }
    chosen = chosen.filter((s) => names.has(s.spec.provider));
    // A provider named but not configured: its shorthand entry, so the failure says what is missing.
    for (const shorthand of config.providers) {
      if (
        names.has(shorthand.spec.provider) &&
        !chosen.some((s) => s.spec.provider === shorthand.spec.provider)
      )
        chosen.push(shorthand);
    }
    const order = PROVIDERS.map((p) => p.provider);
    chosen.sort((a, b) => order.indexOf(a.spec.provider) - order.indexOf(b.spec.provider));
  }
  const patterns = sourcePatterns(selection.source);
  if (patterns.length > 0) {
    const matchers = patterns.map((pattern) => ({ pattern, re: globToRegExp(pattern) }));
    for (const { pattern, re } of matchers) {
      if (chosen.some((s) => re.test(s.name))) continue;
      const other = config.sources.find((s) => re.test(s.name));
      if (other)
        throw new UsageError(
          `source ${other.name} (${other.spec.provider}) ${otherKind(other.spec.lists)}`,
          command,
        );
      const names = config.sources.filter((s) => s.spec.lists === kind).map((s) => s.name);
      const shown = names.length > 12 ? `${names.slice(0, 12).join(", ")}, …` : names.join(", ");
      throw new UsageError(
        `no configured source matches "${pattern}"${names.length > 0 ? `; configured: ${shown}` : ""}`,
        command,
      );
    }
    chosen = chosen.filter((s) => matchers.some(({ re }) => re.test(s.name)));
  }
  const { shard } = selection;
  if (shard) chosen = chosen.filter((s) => shardOf(s.name, shard.count) === shard.index);
  return chosen;
}

/** Whether a listing is an inventory (a `sources` list, `--source` or `--shard`): its summary is on by default. */
export function inventory(config: Config, selection: Selection): boolean {
  return (
    config.sources.some((s) => s.form === "list") ||
    sourcePatterns(selection.source).length > 0 ||
    selection.shard !== undefined
  );
}

function otherKind(lists: "buckets" | "users"): string {
  return lists === "users" ? "has users, not buckets: use 'bucketry users'" : "has no users";
}

/** Shared by every source of one provider: its limiter, and how many of its sources run at once. */
export interface ProviderPool {
  limiter: RateLimiter;
  concurrency: number;
}

/** What the sources of one listing share, and what each has done. */
export interface SourceSet {
  sources: Source[];
  failures: Failure[];
  /** Each source's counters, by name (sources that could not be made included). */
  stats: Map<string, SourceStats>;
  /** Per provider: the limiter and concurrency its sources share. */
  pools: Map<string, ProviderPool>;
}

/**
 * The sources of `chosen`; one that cannot be made (settings incomplete) becomes a failure instead.
 * Every source of a provider shares one rate limiter (the provider's `limits`), throttled answers
 * are retried up to 10 times (slowing the provider down instead of failing), and every request is
 * counted for the summary. With `verbose`, every pipeline event is written to stderr (redacted).
 */
export function makeSources(
  chosen: SourceConfig[],
  config: Config,
  io?: CliIo & { verbose?: boolean },
): SourceSet {
  const sources: Source[] = [];
  const failures: Failure[] = [];
  const stats = new Map<string, SourceStats>();
  const pools = new Map<string, ProviderPool>();
  for (const settings of chosen) {
    const provider = settings.spec.provider;
    let pool = pools.get(provider);
    if (!pool) {
      const limits = config.limits[provider] ?? settings.spec.limits;
      pool = { limiter: createRateLimiter(limits), concurrency: limits.concurrency };
      pools.set(provider, pool);
    }
    const counters = newStats(settings.name, provider, sourceScope(settings));
    stats.set(settings.name, counters);
    const named = settings.form === "list" ? settings.name : undefined;
    const onEvent = (event: PipelineEvent) => {
      count(counters, event);
      if (io?.verbose) write(io.stderr, eventLine(event, named)).catch(() => {});
    };
    try {
      sources.push(
        buildSource(settings, { onEvent, limiter: pool.limiter, retry: { maxThrottledAttempts: 10 } }),
      );
    } catch (error) {
      failures.push({ provider: settings.name, error });
    }
  }
  return { sources, failures, stats, pools };
}

/** One `--verbose` line: `bucketry: <provider> <operation> #<attempt> …`, from a redacted event. */
export function eventLine(event: PipelineEvent, source?: string): string {
  const head = `bucketry: ${source === undefined ? "" : `${source}: `}${event.provider} ${event.operation} #${event.attempt}`;
  switch (event.type) {
    case "request":
      return `${head} → ${event.method} ${event.url}\n`;
    case "response":
      return `${head} ← HTTP ${event.status} in ${event.ms} ms${event.requestId ? ` (request id ${event.requestId})` : ""}\n`;
    case "retry":
      return `${head} retry in ${Math.round(event.delayMs)} ms: ${event.reason}\n`;
    case "refresh":
      return `${head} ${event.what === "csrf" ? "CSRF cookies" : "token"} refreshed after HTTP ${event.status}\n`;
  }
}

/** One line per failure on stderr: the provider, the error's class and message, its request id. */
export async function reportFailures(failures: Failure[], io: CliIo): Promise<void> {
  const style = styles(useColor(io.stderr, io.env));
  for (const { provider, error } of failures) {
    await write(io.stderr, `${style.red("bucketry:")} ${provider} failed: ${describeError(error)}\n`);
  }
}

/** An error as one line: `ServerError: … (request id …)`; configuration problems without a class name. */
export function describeError(error: unknown): string {
  // The failure line names the source already: "hitachi-vsp-one-object failed: …", not "… (hitachi-vsp-one-object): …".
  if (error instanceof SourceError) return describeError(error.cause);
  if (error instanceof ConfigError) return `${error.message} (see 'bucketry providers')`;
  if (!(error instanceof Error)) return String(error);
  const requestId = error instanceof ApiError && error.requestId ? ` (request id ${error.requestId})` : "";
  return `${error.name}: ${error.message}${requestId}`;
}
