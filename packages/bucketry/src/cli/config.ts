/**
 * Where the CLI's endpoints and credentials come from: the documented environment variables (the
 * providers' own names, plus `BUCKETRY_*` for what they do not cover) and an optional JSON file.
 * Both use the same fields; a variable overrides the file's value of its field. Secrets are never
 * command-line flags (they would land in shell history and `ps`).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { ClientOptions } from "@bucketry/core";
import type {
  AdapterDescriptor,
  ProviderLimits,
  SettingField,
  SettingsReader,
  SourceScope,
} from "../adapters/descriptor.js";
import { ADAPTERS } from "../adapters/registry.js";
import type { Source } from "../model.js";

/** A configuration problem the user must fix before anything is listed (exit code 2). */
export class ConfigError extends Error {
  override name = "ConfigError" as const;
}

/** One configurable field (an adapter's {@link SettingField}). */
export type Field = SettingField;
/** What the CLI knows about each provider: its adapter's descriptor. */
export type ProviderSpec = AdapterDescriptor;

/** Every provider, in the order the CLI lists them (from the adapters' descriptors). */
export const PROVIDERS: readonly ProviderSpec[] = ADAPTERS;

/** The spec of `name`, or undefined. */
export function providerSpec(name: string): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.provider === name);
}

/** Where the config file was looked for and found. */
export interface ConfigLocation {
  /** The file read, if any. */
  path: string | undefined;
  /** How it was chosen: `--config`, `BUCKETRY_CONFIG`, or the default path that existed. */
  via: string | undefined;
  /** The default paths looked at (when neither `--config` nor `BUCKETRY_CONFIG` was given). */
  searched: string[];
}

/** One source's settings: a `sources` entry, or a provider's shorthand (the `providers` block and its variables). */
export interface SourceConfig {
  /** The source's name (the provider's, for the shorthand). */
  name: string;
  spec: ProviderSpec;
  /** Field values (strings from the environment, JSON values from the file, references resolved). */
  values: Record<string, unknown>;
  /** Where each value came from: an environment variable, `file`, or `file → $VAR` for a reference. */
  origins: Record<string, string>;
  /** Fields given by an environment reference whose variable is not set, and the variable. */
  unset: Record<string, string>;
  /** Whether anything configures it (a file entry, or a selector variable). */
  configured: boolean;
  /** `shorthand` (one per provider) or `list` (the `sources` array). */
  form: "shorthand" | "list";
}

/** A provider's shorthand settings (kept under this name for the `providers` command). */
export type ProviderConfig = SourceConfig;

/** The whole configuration the CLI runs with. */
export interface Config {
  location: ConfigLocation;
  /** Every provider's shorthand entry, configured or not, in the documented order. */
  providers: SourceConfig[];
  /** The configured sources: the shorthand ones, then the `sources` list in its order. */
  sources: SourceConfig[];
  /** Each provider's limits: the file's `limits` over the descriptor's defaults. */
  limits: Record<string, ProviderLimits>;
}

type Env = Record<string, string | undefined>;
type FileSource = { name?: unknown; provider?: unknown } & Record<string, unknown>;
interface ConfigFile {
  providers: Record<string, Record<string, unknown>>;
  sources: FileSource[];
  limits: Record<string, Partial<ProviderLimits>>;
}

/** A source name: no spaces, commas or glob characters (`--source` splits on commas and matches globs). */
const SOURCE_NAME = /^[^\s,*?[\]{}]{1,128}$/;

/** Finds and reads the config file, then lays the environment over it. Throws {@link ConfigError}. */
export function loadConfig(options: { configPath?: string; env: Env; cwd: string }): Config {
  const location = locate(options);
  const file: ConfigFile = location.path
    ? readConfigFile(location.path)
    : { providers: {}, sources: [], limits: {} };
  const providers = PROVIDERS.map((spec): SourceConfig => {
    const fromFile = file.providers[spec.provider];
    const entry = fileValues(fromFile ?? {}, options.env, "file");
    let selected = false;
    for (const field of spec.fields) {
      const value = options.env[field.env];
      // `export VAR=` leaves an empty string: that means "not set".
      if (value === undefined || value === "") continue;
      entry.values[field.key] = value;
      entry.origins[field.key] = field.env;
      delete entry.unset[field.key];
      if (field.selects !== false) selected = true;
    }
    // With a sources list the file is the inventory: the environment alone adds no source.
    const configured = fromFile !== undefined || (selected && file.sources.length === 0);
    return { name: spec.provider, spec, ...entry, configured, form: "shorthand" };
  });
  const listed = file.sources.map((source): SourceConfig => {
    const { name, provider, ...fields } = source;
    const spec = providerSpec(provider as string) as ProviderSpec;
    const entry = fileValues(fields, options.env, "file");
    return { name: name as string, spec, ...entry, configured: true, form: "list" };
  });
  const sources = [...providers.filter((p) => p.configured), ...listed];
  const seen = new Set<string>();
  for (const source of sources) {
    if (seen.has(source.name)) {
      throw new ConfigError(
        `two sources are named "${source.name}"${source.name === source.spec.provider ? " (a provider's shorthand entry or variables count as a source of that name)" : ""}; names must be unique`,
      );
    }
    seen.add(source.name);
  }
  const limits: Record<string, ProviderLimits> = {};
  for (const spec of PROVIDERS) {
    const { basis: _, ...defaults } = spec.limits;
    limits[spec.provider] = { ...defaults, ...file.limits[spec.provider] };
  }
  return { location, providers, sources, limits };
}

/** A file entry's values, with `{ "env": "NAME" }` references read from the environment. */
function fileValues(entry: Record<string, unknown>, env: Env, origin: string) {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const unset: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry)) {
    const ref = envReference(value);
    if (ref === undefined) {
      values[key] = value;
      origins[key] = origin;
    } else if (env[ref] === undefined || env[ref] === "") {
      unset[key] = ref;
    } else {
      values[key] = env[ref];
      origins[key] = `${origin} → $${ref}`;
    }
  }
  return { values, origins, unset };
}

function envReference(value: unknown): string | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1 || typeof value.env !== "string") return undefined;
  return value.env;
}

function locate(options: { configPath?: string; env: Env; cwd: string }): ConfigLocation {
  const explicit = (path: string, via: string): ConfigLocation => {
    const full = isAbsolute(path) ? path : resolve(options.cwd, path);
    if (!existsSync(full)) throw new ConfigError(`the config file ${full} (from ${via}) does not exist`);
    return { path: full, via, searched: [] };
  };
  if (options.configPath !== undefined) return explicit(options.configPath, "--config");
  if (options.env.BUCKETRY_CONFIG) return explicit(options.env.BUCKETRY_CONFIG, "BUCKETRY_CONFIG");
  const xdg = options.env.XDG_CONFIG_HOME || join(options.env.HOME || homedir(), ".config");
  const searched = [resolve(options.cwd, "bucketry.config.json"), join(xdg, "bucketry", "config.json")];
  const found = searched.find((path) => existsSync(path));
  return { path: found, via: found ? "default location" : undefined, searched };
}

const FILE_KEYS = ["$schema", "providers", "sources", "limits", "allowInlineSecrets"];

/**
 * A config file, checked: known providers and fields only, values of the right type, unique source
 * names, secrets only by environment reference unless `allowInlineSecrets` is true.
 */
function readConfigFile(path: string): ConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON (${(error as Error).message})`);
  }
  const where = (key: string) => `${key} in ${path}`;
  if (!isRecord(parsed))
    throw new ConfigError(`the config file ${path} must hold a JSON object { "sources": […] }`);
  for (const key of Object.keys(parsed)) {
    if (!FILE_KEYS.includes(key)) {
      throw new ConfigError(`unknown key ${where(key)}; expected one of ${FILE_KEYS.slice(1).join(", ")}`);
    }
  }
  const inline = parsed.allowInlineSecrets ?? false;
  if (typeof inline !== "boolean")
    throw new ConfigError(`${where("allowInlineSecrets")} must be true or false`);
  const known = PROVIDERS.map((p) => p.provider).join(", ");
  const checkFields = (spec: ProviderSpec, entry: Record<string, unknown>, at: string) => {
    for (const [key, value] of Object.entries(entry)) {
      const field = spec.fields.find((f) => f.key === key);
      if (!field) {
        throw new ConfigError(
          `unknown field ${where(`${at}.${key}`)}; known: ${spec.fields.map((f) => f.key).join(", ")}`,
        );
      }
      if (envReference(value) !== undefined) continue;
      const ok = field.list ? typeof value === "string" || Array.isArray(value) : typeof value === "string";
      if (!ok) {
        throw new ConfigError(
          `${where(`${at}.${key}`)} must be a string${field.list ? " or an array" : ""}, or { "env": "NAME" }`,
        );
      }
      if (field.secret && !inline) {
        throw new ConfigError(
          `${where(`${at}.${key}`)} is a secret: give it as { "env": "NAME" } (read from the environment), or set "allowInlineSecrets": true to keep secrets in this file`,
        );
      }
    }
  };

  const providers = parsed.providers ?? {};
  if (!isRecord(providers))
    throw new ConfigError(`${where("providers")} must be an object keyed by provider`);
  for (const [name, entry] of Object.entries(providers)) {
    const spec = providerSpec(name);
    if (!spec) throw new ConfigError(`unknown provider ${where(`providers.${name}`)}; known: ${known}`);
    if (!isRecord(entry)) throw new ConfigError(`${where(`providers.${name}`)} must be an object`);
    checkFields(spec, entry, `providers.${name}`);
  }

  const sources = parsed.sources ?? [];
  if (!Array.isArray(sources)) {
    throw new ConfigError(`${where("sources")} must be an array of { "name", "provider", … }`);
  }
  sources.forEach((entry: unknown, i) => {
    const at = `sources[${i}]`;
    if (!isRecord(entry)) throw new ConfigError(`${where(at)} must be an object`);
    const { name, provider, ...fields } = entry;
    if (typeof name !== "string" || !SOURCE_NAME.test(name)) {
      throw new ConfigError(
        `${where(`${at}.name`)} must be a name of 1 to 128 characters without spaces, commas or glob characters`,
      );
    }
    const spec = typeof provider === "string" ? providerSpec(provider) : undefined;
    if (!spec) throw new ConfigError(`${where(`${at}.provider`)} must be one of ${known}`);
    checkFields(spec, fields, at);
  });

  const limits = parsed.limits ?? {};
  if (!isRecord(limits)) throw new ConfigError(`${where("limits")} must be an object keyed by provider`);
  for (const [name, entry] of Object.entries(limits)) {
    if (!providerSpec(name))
      throw new ConfigError(`unknown provider ${where(`limits.${name}`)}; known: ${known}`);
    if (!isRecord(entry)) throw new ConfigError(`${where(`limits.${name}`)} must be an object`);
    for (const [key, value] of Object.entries(entry)) {
      if (!["concurrency", "rate", "burst"].includes(key)) {
        throw new ConfigError(
          `unknown field ${where(`limits.${name}.${key}`)}; known: concurrency, rate, burst`,
        );
      }
      const ok =
        typeof value === "number" &&
        Number.isFinite(value) &&
        (key === "rate" ? value > 0 : value >= 1 && (key !== "concurrency" || Number.isInteger(value)));
      if (!ok) {
        const rule =
          key === "rate"
            ? "a number above 0"
            : key === "burst"
              ? "a number of at least 1"
              : "a whole number of at least 1";
        throw new ConfigError(`${where(`limits.${name}.${key}`)} must be ${rule}`);
      }
    }
  }
  return {
    providers: providers as ConfigFile["providers"],
    sources: sources as FileSource[],
    limits: limits as ConfigFile["limits"],
  };
}

/**
 * Makes a source from its settings (and the client options every source shares, e.g. `onEvent`);
 * throws {@link ConfigError} naming what is missing.
 */
export function buildSource(config: SourceConfig, client: ClientOptions = {}): Source {
  return config.spec.build(settingsReader(config), {
    ...client,
    ...(config.form === "list" ? { name: config.name } : {}),
  });
}

/** The account, project and region a source's settings name. */
export function sourceScope(config: SourceConfig): SourceScope {
  try {
    return config.spec.scope(settingsReader(config));
  } catch {
    return {};
  }
}

/** Reads a source's settings, its errors {@link ConfigError}s that name the setting as the user wrote it. */
function settingsReader(config: SourceConfig): SettingsReader {
  const { spec, values, unset } = config;
  const field = (key: string) => spec.fields.find((f) => f.key === key) as Field;
  const describe = (key: string) => {
    if (config.form === "shorthand") {
      const ref = unset[key];
      return ref
        ? `${ref} (the "${key}" of the ${spec.provider} entry)`
        : `${field(key).env} (or "${key}" in the config file)`;
    }
    const ref = unset[key];
    return ref ? `${ref} (the "${key}" of source ${config.name})` : `"${key}" of source ${config.name}`;
  };
  const optional = (key: string): string | undefined => {
    const value = values[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw new ConfigError(`${describe(key)} must be a string`);
    return value.trim() === "" ? undefined : value;
  };
  return {
    optional,
    need(key, why = "") {
      const value = optional(key);
      if (value === undefined) throw new ConfigError(`${describe(key)} is not set${why}`);
      return value;
    },
    list(key) {
      const value = values[key];
      if (value === undefined || value === "") return undefined;
      return Array.isArray(value) ? value : String(value).split(",");
    },
    describe,
    fail(message) {
      throw new ConfigError(message);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
