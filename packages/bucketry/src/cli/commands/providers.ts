/**
 * `bucketry providers`: for each provider, whether its package is installed, whether it is
 * configured (and the client accepts the settings), and where the settings were read from.
 * Secret values are never shown, only that they are set.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ProviderSource } from "../../model.js";
import { parseChoice } from "../args.js";
import { buildSource, type Config, loadConfig, type ProviderConfig } from "../config.js";
import { type CliIo, outputWidth, renderTable, styles, toJson, useColor, write } from "../output.js";
import { describeError } from "../report.js";

/** What `bucketry providers` reports about one provider. */
export interface ProviderStatus {
  /** The provider, or a listed source's name. */
  name: string;
  provider: string;
  title: string;
  adapter: string;
  package: string;
  /** The installed version of the package, or null when it is missing. */
  installed: string | null;
  /** `ok`, `incomplete` (settings missing or refused), or `not configured`. */
  status: "ok" | "incomplete" | "not configured";
  /** Where its settings came from: environment variable names and/or `file`. */
  from: string[];
  /** Why it is incomplete. */
  problem?: string;
  /** Each setting: its value, or [REDACTED] for secrets; and where it came from. */
  settings: Record<string, { value: unknown; from: string }>;
}

/** Runs `bucketry providers`; resolves to the exit code. */
export async function providersCommand(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = parseChoice(
    values.format as string | undefined,
    "format",
    ["table", "json"],
    "table",
    "providers",
  );
  const config = loadConfig({ configPath: values.config as string | undefined, env: io.env, cwd: io.cwd });
  const listed = config.sources.filter((s) => s.form === "list");
  const statuses = await Promise.all([...config.providers, ...listed].map(providerStatus));
  if (format === "json") {
    await write(io.stdout, `${toJson({ configFile: config.location, providers: statuses }, 2)}\n`);
    return 0;
  }
  const color = useColor(io.stdout, io.env);
  const style = styles(color);
  const table = renderTable(
    [
      { title: "PROVIDER" },
      { title: "PACKAGE" },
      { title: "INSTALLED" },
      { title: "CONFIGURED" },
      { title: "FROM" },
      { title: "NOTE" },
    ],
    statuses.map((s) => [
      s.name === s.provider ? s.name : `${s.name} (source of ${s.provider})`,
      s.package,
      s.installed ?? "no",
      s.status === "ok" ? "yes" : s.status === "incomplete" ? "incomplete" : "no",
      s.from.join(", "),
      s.installed === null ? `npm install ${s.package}` : (s.problem ?? ""),
    ]),
    { width: outputWidth(io.stdout, io.env), color },
  );
  await write(io.stdout, table);
  await write(io.stdout, `\n${configFileLine(config, style)}\n`);
  await write(
    io.stdout,
    "Environment variables override the config file field by field ('bucketry providers --help').\n",
  );
  return 0;
}

function configFileLine(config: Config, style: ReturnType<typeof styles>): string {
  const { path, via, searched } = config.location;
  if (path) return `Config file: ${path} (${via})`;
  return `Config file: none ${style.dim(`(looked for ${searched.join(", ")}; set BUCKETRY_CONFIG or pass --config)`)}`;
}

async function providerStatus(settings: ProviderConfig): Promise<ProviderStatus> {
  const { spec } = settings;
  const installed = installedVersion(spec.packageName);
  const from = [...new Set(Object.values(settings.origins))].sort((a, b) =>
    a === "file" ? 1 : b === "file" ? -1 : 0,
  );
  const shown: ProviderStatus["settings"] = {};
  for (const [key, value] of Object.entries(settings.values)) {
    const secret = spec.fields.find((f) => f.key === key)?.secret;
    shown[key] = { value: secret ? "[REDACTED]" : value, from: settings.origins[key] as string };
  }
  const status: ProviderStatus = {
    name: settings.name,
    provider: spec.provider,
    title: spec.title,
    adapter: spec.adapter,
    package: spec.packageName,
    installed,
    status: settings.configured ? "ok" : "not configured",
    from,
    settings: shown,
  };
  if (!settings.configured) return status;
  try {
    const source = buildSource(settings) as ProviderSource<unknown>;
    // Making the client checks every option (endpoint, region, ids, credentials) and sends nothing.
    if (installed !== null) await source.client();
  } catch (error) {
    status.status = "incomplete";
    status.problem = describeError(error);
  }
  return status;
}

/** The version of `packageName` as installed next to bucketry, or null. */
function installedVersion(packageName: string): string | null {
  try {
    const path = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return null;
  }
}
