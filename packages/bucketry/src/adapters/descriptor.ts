/**
 * How an adapter describes itself to tools built on the facade (the CLI's config file, environment
 * variables, help and `providers` table; the release checks): its settings, which of them are
 * secret, the vendor's limits, and how a source is made from settings. A sixth provider is one more
 * descriptor, not edits to hand-kept tables.
 */
import type { ClientOptions } from "@bucketry/core";
import type { ProviderName, Source } from "../model.js";

/** One setting of a source: its key (in a config file), its environment variable, its help. */
export interface SettingField {
  key: string;
  /** The environment variable of the one-per-provider shorthand (the provider's own name where it has one). */
  env: string;
  /** Never printed; in a config file only by reference (`{ "env": "NAME" }`) unless inline secrets are allowed. */
  secret?: boolean;
  /** Whether the variable alone makes the provider count as configured (default true). */
  selects?: boolean;
  /** A list of values: an array, or a comma-separated string (default: a string). */
  list?: boolean;
  /** Shown in `--help` and the README. */
  help: string;
}

/** Requests per second with a burst, and how many sources of a provider are listed at once. */
export interface ProviderLimits {
  /** Sources of this provider listed at once. */
  concurrency: number;
  /** Requests per second, shared by every source of the provider. */
  rate: number;
  /** Requests that may go at once after a quiet spell. */
  burst: number;
}

/** Reads a source's settings; its errors name the setting as the user wrote it (a variable or a file field). */
export interface SettingsReader {
  /** The value, or undefined when unset or blank; a non-string is an error. */
  optional(key: string): string | undefined;
  /** The value; an error saying what is missing (`why` appended) when unset. */
  need(key: string, why?: string): string;
  /** A list setting: an array, or comma-separated. */
  list(key: string): unknown[] | undefined;
  /** How the setting is named to the user, e.g. `OS_PASSWORD (or "secretKey" in the config file)`. */
  describe(key: string): string;
  /** An error about the settings (the reader's own type, so tools can tell it apart). */
  fail(message: string): never;
}

/** What a provider's adapter says about itself; `P` is its provider's name. */
export interface AdapterDescriptor<P extends string = ProviderName> {
  provider: P;
  title: string;
  /** The subpath export that adapts it, e.g. `bucketry/hitachi`. */
  adapter: string;
  /** The provider package the adapter loads. */
  packageName: string;
  /** What it lists. */
  lists: "buckets" | "users";
  fields: readonly SettingField[];
  /** Defaults for a listing's limits, with where they come from. */
  limits: ProviderLimits & { basis: string };
  /** Makes a source from its settings; `options` are the client options and the source's name. */
  build(settings: SettingsReader, options: ClientOptions & { name?: string }): Source;
  /** The account, project and region a source's settings name, where they do (for records and summaries). */
  scope(settings: SettingsReader): SourceScope;
}

/** Where a source lists from, as far as its settings say. */
export interface SourceScope {
  account?: string;
  project?: string;
  region?: string;
}

/** The entries of `record` whose value is defined. */
export function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The host of a URL setting, or the text itself when it is not a URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
