/** What every listing command shares: choosing providers, making their sources, and reporting failures. */
import { ApiError, type PipelineEvent } from "@bucketry/core";
import { type ProviderName, type Source, SourceError } from "../model.js";
import { type Command, UsageError } from "./args.js";
import { buildSource, type Config, ConfigError, PROVIDERS, providerSpec } from "./config.js";
import { type CliIo, styles, useColor, write } from "./output.js";

/** A provider that could not be listed, and why. */
export interface Failure {
  provider: string;
  error: unknown;
}

/**
 * The providers named by `--provider` (repeatable, comma-separated; `huaweicloud` is both Huawei
 * services), or every configured one that lists `kind`. Unknown names are usage errors.
 */
export function chooseProviders(
  flags: string[] | undefined,
  kind: "buckets" | "users",
  config: Config,
  command: Command,
): ProviderName[] {
  if (!flags || flags.length === 0) {
    return config.providers.filter((p) => p.configured && p.spec.lists === kind).map((p) => p.spec.name);
  }
  const names = new Set<ProviderName>();
  for (const name of flags.flatMap((flag) => flag.split(",")).map((n) => n.trim())) {
    if (name === "huaweicloud") {
      names.add("huaweicloud-mpc");
      names.add("huaweicloud-dbss");
      continue;
    }
    const spec = providerSpec(name);
    if (!spec) {
      throw new UsageError(
        `unknown provider "${name}"; one of ${PROVIDERS.map((p) => p.name).join(", ")}, huaweicloud`,
        command,
      );
    }
    if (spec.lists !== kind) {
      const other = spec.lists === "users" ? "has users, not buckets: use 'bucketry users'" : "has no users";
      throw new UsageError(`${name} ${other}`, command);
    }
    names.add(spec.name);
  }
  // The documented order, whatever the order of the flags.
  return PROVIDERS.map((p) => p.name).filter((name) => names.has(name));
}

/**
 * The sources of `names`; a provider whose settings are incomplete becomes a failure instead. With
 * `verbose`, every pipeline event of every source is written to stderr (already redacted).
 */
export function makeSources(
  names: ProviderName[],
  config: Config,
  io?: CliIo & { verbose?: boolean },
): { sources: Source[]; failures: Failure[] } {
  const client = io?.verbose
    ? { onEvent: (event: PipelineEvent) => write(io.stderr, eventLine(event)).catch(() => {}) }
    : {};
  const sources: Source[] = [];
  const failures: Failure[] = [];
  for (const name of names) {
    const settings = config.providers.find((p) => p.spec.name === name);
    if (!settings) continue;
    try {
      sources.push(buildSource(settings, client));
    } catch (error) {
      failures.push({ provider: name, error });
    }
  }
  return { sources, failures };
}

/** One `--verbose` line: `bucketry: <provider> <operation> #<attempt> …`, from a redacted event. */
export function eventLine(event: PipelineEvent): string {
  const head = `bucketry: ${event.provider} ${event.operation} #${event.attempt}`;
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
  // The failure line names the source already: "hitachi failed: …", not "… hitachi (hitachi): …".
  if (error instanceof SourceError) return describeError(error.cause);
  if (error instanceof ConfigError) return `${error.message} (see 'bucketry providers')`;
  if (!(error instanceof Error)) return String(error);
  const requestId = error instanceof ApiError && error.requestId ? ` (request id ${error.requestId})` : "";
  return `${error.name}: ${error.message}${requestId}`;
}
