/**
 * `bucketry users`: ostor's S3 users, or one user with its access keys. Secret keys print as
 * [REDACTED] unless `--show-secrets` is given, and that works only for one user (the list has none).
 */
import type { OstorUserDetail } from "@bucketry/virtuozzo";
import { definedOnly } from "../../adapters/descriptor.js";
import type { OstorSource } from "../../adapters/virtuozzo.js";
import { listUsers } from "../../list.js";
import type { User } from "../../model.js";
import { parseChoice, parseCount, UsageError } from "../args.js";
import { loadConfig } from "../config.js";
import {
  type CliIo,
  ClosedOutputError,
  type Column,
  formatBytes,
  outputWidth,
  renderTable,
  toJson,
  useColor,
  write,
} from "../output.js";
import { chooseSources, inventory, makeSources, reportFailures } from "../report.js";
import { parseShard } from "../select.js";
import { runListing } from "../stream.js";

const REDACTED = "[REDACTED]";

/** An access key as printed: the secret revealed only when asked for. */
interface PrintedKey {
  /** The account it belongs to; absent for the user's own keys. */
  account?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Runs `bucketry users` with parsed flags; resolves to the exit code. */
export async function usersCommand(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = parseChoice(
    values.format as string | undefined,
    "format",
    ["table", "json", "ndjson"],
    "table",
    "users",
  );
  const limit = parseCount(values.limit as string | undefined, "limit", "users");
  const id = values.id as string | undefined;
  const email = values.email as string | undefined;
  const space = values.space === true;
  const showSecrets = values["show-secrets"] === true;
  if (id !== undefined && email !== undefined)
    throw new UsageError("give --id or --email, not both", "users");
  if (showSecrets && id === undefined && email === undefined) {
    throw new UsageError("--show-secrets needs --id or --email: the user list carries no keys", "users");
  }
  const config = loadConfig({ configPath: values.config as string | undefined, env: io.env, cwd: io.cwd });
  // Only ostor has users: it is the default, and naming another provider is a usage error.
  const selection = {
    provider: (values.provider as string[] | undefined) ?? (values.source ? undefined : ["virtuozzo-ostor"]),
    source: values.source as string[] | undefined,
    shard: parseShard(values.shard as string | undefined, "users"),
  };
  const summary = parseChoice(
    values.stats as string | undefined,
    "stats",
    ["table", "json", "none"],
    "none",
    "users",
  );
  const chosen = chooseSources(selection, "users", config, "users");
  const set = makeSources(chosen, config, { ...io, verbose: values.verbose === true });
  const { sources, failures } = set;
  const source = sources[0] as OstorSource | undefined;
  const color = useColor(io.stdout, io.env);
  const width = outputWidth(io.stdout, io.env);

  if (source && (id !== undefined || email !== undefined)) {
    try {
      const query = id !== undefined ? { id } : { email: email as string };
      const user = await source.user(query, { space, signal: io.signal });
      const keys = accessKeys(user.raw as OstorUserDetail, showSecrets);
      if (format === "table") {
        await write(io.stdout, userTable([user], space, { width, color }));
        await write(io.stdout, "\n");
        await write(
          io.stdout,
          renderTable(
            [{ title: "ACCOUNT" }, { title: "ACCESS KEY ID" }, { title: "SECRET ACCESS KEY", primary: true }],
            keys.map((k) => [k.account ?? "(user)", k.accessKeyId, k.secretAccessKey]),
            { width, color },
          ),
        );
      } else {
        await write(
          io.stdout,
          `${toJson({ ...user, accessKeys: keys }, format === "json" ? 2 : undefined)}\n`,
        );
      }
    } catch (error) {
      if (io.signal?.aborted) {
        await write(io.stderr, `bucketry: interrupted before ${source.name} answered\n`);
        return 130;
      }
      if (error instanceof ClosedOutputError) return 0;
      failures.push({ provider: source.name, error });
    }
    await reportFailures(failures, io);
    return failures.length > 0 ? 1 : 0;
  }

  return runListing(
    {
      list: (tracked, options) =>
        listUsers(tracked, {
          ...options,
          space,
          concurrency: parseCount(values.concurrency as string | undefined, "concurrency", "users") ?? 4,
          perProvider: Object.fromEntries(
            [...set.pools].map(([provider, pool]) => [provider, pool.concurrency]),
          ),
        }),
      sources,
      failures,
      format,
      limit,
      noun: "user",
      table: (rows) => userTable(rows, space, { width, color }),
      stats: set.stats,
      summary: values.stats === undefined && inventory(config, selection) ? "table" : summary,
      record: (user, fetchedAt) => {
        const scope = set.stats.get(user.source);
        return { ...user, ...definedOnly({ account: scope?.account }), fetchedAt };
      },
    },
    io,
  );
}

/** Users as a table, in the provider's order. */
export function userTable(users: User[], space: boolean, options: { width: number; color: boolean }): string {
  const columns: Column[] = [
    { title: "ID" },
    { title: "EMAIL", primary: true },
    { title: "STATE" },
    { title: "OWNER" },
    { title: "FLAGS" },
  ];
  if (space) columns.push({ title: "SPACE", align: "right" });
  const rows = users.map((u) => {
    const row = [u.id, u.email, u.state, u.ownerId ?? "", u.flags.join(",")];
    if (space) row.push(formatBytes(u.bytes));
    return row;
  });
  return renderTable(columns, rows, options);
}

/** The user's own keys and its accounts' keys; secrets revealed only when `reveal` is set. */
function accessKeys(detail: OstorUserDetail, reveal: boolean): PrintedKey[] {
  const out: PrintedKey[] = [];
  const add = (key: OstorUserDetail["accessKeys"][number], account?: string) =>
    out.push({
      ...(account === undefined ? {} : { account }),
      accessKeyId: key.accessKeyId,
      secretAccessKey: reveal ? key.secretAccessKey.reveal() : REDACTED,
    });
  for (const key of detail.accessKeys ?? []) add(key);
  for (const account of detail.accounts ?? []) for (const key of account.accessKeys) add(key, account.name);
  return out;
}
