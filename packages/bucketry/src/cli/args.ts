/** Command-line parsing (`node:util` parseArgs) and the help of every command. */
import { parseArgs } from "node:util";
import { PROVIDERS } from "./config.js";

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError" as const;
  constructor(
    message: string,
    /** The command whose `--help` to point at. */
    readonly command?: string,
  ) {
    super(message);
  }
}

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

const CONFIG: Record<string, OptionSpec> = {
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** The options each command takes. */
export const COMMAND_OPTIONS = {
  buckets: {
    ...CONFIG,
    provider: { type: "string", short: "p", multiple: true },
    source: { type: "string", short: "s", multiple: true },
    shard: { type: "string" },
    stats: { type: "string" },
    format: { type: "string", short: "f" },
    limit: { type: "string", short: "n" },
    concurrency: { type: "string" },
    verbose: { type: "boolean", short: "v" },
  },
  users: {
    ...CONFIG,
    provider: { type: "string", short: "p", multiple: true },
    source: { type: "string", short: "s", multiple: true },
    shard: { type: "string" },
    stats: { type: "string" },
    id: { type: "string" },
    email: { type: "string" },
    space: { type: "boolean" },
    "show-secrets": { type: "boolean" },
    format: { type: "string", short: "f" },
    limit: { type: "string", short: "n" },
    concurrency: { type: "string" },
    verbose: { type: "boolean", short: "v" },
  },
  providers: { ...CONFIG, format: { type: "string", short: "f" } },
  demo: { help: { type: "boolean", short: "h" } },
} satisfies Record<string, Record<string, OptionSpec>>;

/** A command's name. */
export type Command = keyof typeof COMMAND_OPTIONS;

/** The commands, for `bucketry --help` and unknown-command errors. */
export const COMMANDS = Object.keys(COMMAND_OPTIONS) as Command[];

// Flags that look like a secret get a pointer to where secrets go instead.
const SECRETISH = /secret|passw|token|key|\bsk\b|credential/i;

/** Parses a command's arguments; a {@link UsageError} for anything unknown or malformed. */
export function parseCommand(
  command: Command,
  args: string[],
): Record<string, string | string[] | boolean | undefined> {
  try {
    const { values } = parseArgs({
      args,
      options: COMMAND_OPTIONS[command],
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | string[] | boolean | undefined>;
  } catch (error) {
    const message = (error as Error).message;
    if (SECRETISH.test(message) && /unknown option/i.test(message)) {
      throw new UsageError(
        `${message}. Secrets are never accepted as flags: set them in the environment or the config file (see 'bucketry providers --help')`,
        command,
      );
    }
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const near = unknown === undefined ? undefined : closest(unknown, Object.keys(COMMAND_OPTIONS[command]));
    if (near !== undefined)
      throw new UsageError(`unknown option --${unknown}; did you mean --${near}?`, command);
    throw new UsageError(message, command);
  }
}

/** The one of `names` within two edits of `typed` (a swap of neighbours counts as one), if any. */
export function closest(typed: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const distance = editDistance(typed, name);
    if (distance < bestDistance && distance < name.length / 2) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, (d[i - 2] as number[])[j - 2]! + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length]!;
}

/** A whole number from `min` up, from a flag's text. */
export function parseCount(
  value: string | undefined,
  flag: string,
  command: Command,
  min = 1,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, not "${value}"`, command);
  }
  return Number(value);
}

/** One of `choices`, from a flag's text. */
export function parseChoice<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
  fallback: T,
  command: Command,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(", ")}, not "${value}"`, command);
  }
  return value as T;
}

const BUCKET_PROVIDERS = PROVIDERS.filter((p) => p.lists === "buckets")
  .map((p) => p.provider)
  .join(", ");

/** The help of `command`, or the overview. */
export function helpText(command?: Command): string {
  switch (command) {
    case "buckets":
      return `Usage: bucketry buckets [--source <name|glob> …] [--shard K/N] [--provider <p> …]
                       [--format table|json|ndjson] [--limit <n>] [--stats table|json|none]

Lists the buckets of every configured source (or of those named), as one listing.

Options:
  -s, --source <name>    only this source; repeat or comma-separate for several; globs
                         (*, ?, [abc]) match names, e.g. 'mpc-*'
      --shard K/N        only the K-th of N shards (1 ≤ K ≤ N): a source's shard is a hash of its
                         name, so N machines running K = 1..N list every source exactly once
  -p, --provider <p>     only this provider; repeat or comma-separate for several:
                         ${BUCKET_PROVIDERS},
                         or huaweicloud for both Huawei services
      --stats <s>        the per-source summary on stderr at the end: table, json (one line) or
                         none; table by default with a sources list, --source or --shard
  -f, --format <f>       table (default), json (one array) or ndjson (one bucket per line)
  -n, --limit <n>        stop after n buckets (no further requests are sent; the count line
                         marks the providers it stopped as unfinished)
      --concurrency <n>  how many sources are listed at once (default 4; each provider's own
                         limit, "limits" in the config file, applies within it)
  -v, --verbose          every request, answer, retry and token or CSRF refresh on stderr (redacted)
      --config <path>    the config file (default: $BUCKETRY_CONFIG, ./bucketry.config.json,
                         then $XDG_CONFIG_HOME/bucketry/config.json)
  -h, --help             this help

Exit codes: 0 every provider answered, 1 a provider failed (the others are still listed), 2 usage error,
130 interrupted (Ctrl-C; stderr says how far it got).
`;
    case "users":
      return `Usage: bucketry users [--provider virtuozzo-ostor] [--id <id> | --email <email>] [--space] [--show-secrets]

Lists the S3 users of Virtuozzo / Acronis ostor, or shows one user and its access keys.

Options:
  -p, --provider <p>     the provider (virtuozzo-ostor, the only one with users)
  -s, --source <name>    only these sources (names or globs; see 'bucketry buckets --help')
      --shard K/N        only the K-th of N shards of the sources
      --stats <s>        the per-source summary on stderr: table, json or none
      --id <id>          one user, by id (16 hex characters)
      --email <email>    one user, by email address
      --space            add each user's space usage
      --show-secrets     print the secret access keys of the user given by --id or --email
                         (without it they are shown as [REDACTED])
  -f, --format <f>       table (default), json or ndjson
  -n, --limit <n>        stop after n users
      --concurrency <n>  how many sources are listed at once (default 4)
  -v, --verbose          every request, answer, retry and token or CSRF refresh on stderr (redacted)
      --config <path>    the config file (see 'bucketry buckets --help')
  -h, --help             this help

Exit codes: 0 success, 1 the provider failed, 2 usage error, 130 interrupted.
`;
    case "providers":
      return `Usage: bucketry providers [--format table|json]

Shows each provider and configured source: whether its package is installed, whether it is
configured, and where its configuration is read from. Settings come from the config file's list of
sources ({ "sources": [{ "name": "…", "provider": "<provider>", "<field>": "…" }] }, secrets as
{ "env": "NAME" }), or per provider from environment variables or its "providers" entry
({ "providers": { "<provider>": { "<field>": "…" } } }; a variable overrides the file's field).
Secrets are never accepted as flags.

${PROVIDERS.map(
  (p) =>
    `${p.provider} (${p.title}; ${p.adapter} needs ${p.packageName}):\n${p.fields
      .map((f) => `  ${f.env.padEnd(31)} ${f.key.padEnd(16)} ${f.help}`)
      .join("\n")}`,
).join("\n\n")}

Options:
  -f, --format <f>       table (default) or json
      --config <path>    the config file (see 'bucketry buckets --help')
  -h, --help             this help
`;
    case "demo":
      return `Usage: bucketry demo

Starts loopback fakes of all five APIs (from @bucketry/testing) with a few thousand seeded
buckets and some users, points the CLI at them through a temporary config file, lists them with
'bucketry buckets' and 'bucketry users', and stops the fakes. Nothing leaves this machine, and
your own environment variables and config file are not used.

Options:
  -h, --help             this help
`;
    default:
      return `Usage: bucketry <command> [options]

One way to list buckets and users across Hitachi VSP One Object, Huawei Cloud MPC and DBSS,
NAVER Cloud Archive Storage and Virtuozzo / Acronis ostor.

Commands:
  buckets      list the buckets of every configured provider
  users        list ostor users, or show one
  providers    show which providers are installed and configured, and from where
  demo         run against local fakes of every provider

Options:
  -h, --help     help (also 'bucketry <command> --help')
  -v, --version  the version

Settings come from environment variables or a JSON config file; see 'bucketry providers --help'.
`;
  }
}
