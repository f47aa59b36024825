/**
 * The one options resolver every client factory runs first: the options are an object, every key
 * is known (a typo would otherwise be ignored in silence), and the options all clients share
 * (`fetch`, `retry`, `timeout`, `headers`, `onEvent`, `limiter`) are checked here and nowhere else.
 * It also makes the client's {@link SecretRegistry}, with every secret in the options registered
 * before any other check can quote one, and holds the one environment reader of the packages.
 */
import { CLIENT_OPTION_KEYS, type ClientOptions, checkHeaders, type RequestLimiter } from "./client.js";
import { CredentialsError, InvalidInputError } from "./errors.js";
import type { FetchLike, PipelineEvent } from "./pipeline.js";
import { type ResolvedRetry, resolveRetry, resolveTimeout } from "./policy.js";
import { isSecretField, isSecretHeader, SecretRegistry } from "./redact.js";

/** The shared client options, checked: what the pipeline is built from. */
export interface ResolvedClientOptions {
  readonly fetch: FetchLike | undefined;
  /** Undefined when retries are off (`retry: false`). */
  readonly retry: ResolvedRetry | undefined;
  /** Undefined when time limits are off (`timeout: false`). */
  readonly timeout: { attemptMs: number; totalMs: number } | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly onEvent: ((event: PipelineEvent) => void) | undefined;
  readonly limiter: RequestLimiter | undefined;
  /** Every secret of the options (and, later, each credential and token the client handles). */
  readonly secrets: SecretRegistry;
}

/** What a factory tells {@link resolveOptions} about its own options. */
export interface OptionsSpec {
  /** The factory, named in the error for options that are not an object, e.g. `createMpcClient`. */
  factory: string;
  /** The factory's own option keys, besides the shared ones. */
  keys: readonly string[];
  /** Why a key that users often try is not an option, e.g. `{ region: "NAVER has zones: give zone" }`. */
  hints?: Readonly<Record<string, string>>;
}

const resolvedOptions = new WeakSet<object>();

/**
 * Checks a factory's options (see the module comment) and returns them with the shared ones
 * resolved. Throws `InvalidInputError` naming the first bad option; nothing has been sent.
 */
export function resolveOptions<O extends ClientOptions>(
  options: O,
  spec: OptionsSpec,
): { options: O; client: ResolvedClientOptions } {
  const own = checkObject(options, "options", `${spec.factory} takes one options object`);
  const known = [...spec.keys, ...CLIENT_OPTION_KEYS];
  for (const key of Object.keys(own)) {
    // An explicit `undefined` is "not given", so `baseUrl: process.env.X` is fine for any key.
    if (known.includes(key) || own[key] === undefined) continue;
    const hint = spec.hints?.[key];
    throw new InvalidInputError(
      key,
      hint ?? `is not an option of ${spec.factory}; known: ${known.join(", ")}`,
    );
  }
  const secrets = new SecretRegistry();
  // Registered before anything else is checked, so no later error can quote one.
  registerSecrets(own.credentials, secrets);
  return { options, client: resolveClientOptions(options, secrets) };
}

/**
 * The shared client options checked and resolved (`options` as given when already resolved). The
 * pipeline calls it too, for callers that build one directly.
 */
export function resolveClientOptions(
  options: ClientOptions | ResolvedClientOptions = {},
  secrets = new SecretRegistry(),
): ResolvedClientOptions {
  if (resolvedOptions.has(options)) return options as ResolvedClientOptions;
  const given = options as ClientOptions;
  if (given.fetch !== undefined && typeof given.fetch !== "function") {
    throw new InvalidInputError("fetch", "must be a function (request: Request) => Promise<Response>");
  }
  if (given.onEvent !== undefined && typeof given.onEvent !== "function") {
    throw new InvalidInputError("onEvent", "must be a function (event) => void");
  }
  const headers = checkHeaders(given.headers);
  for (const [name, value] of Object.entries(headers ?? {})) if (isSecretHeader(name)) secrets.add(value);
  const resolved: ResolvedClientOptions = Object.freeze({
    fetch: given.fetch,
    retry: given.retry === false ? undefined : resolveRetry(given.retry),
    timeout: given.timeout === false ? undefined : resolveTimeout(given.timeout),
    headers,
    onEvent: given.onEvent,
    limiter: checkLimiter(given.limiter),
    secrets,
  });
  resolvedOptions.add(resolved);
  return resolved;
}

/** `value` as a plain record, or an `InvalidInputError` for `field` saying what it must be. */
export function checkObject(value: unknown, field: string, expected: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError(field, expected);
  }
  return value as Record<string, unknown>;
}

/** Registers every string under a secret-named key of `value` (`password`, `secretKey`, ...), at any depth. */
function registerSecrets(value: unknown, secrets: SecretRegistry, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 3) return;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === "string" && isSecretField(key)) secrets.add(field);
    else registerSecrets(field, secrets, depth + 1);
  }
}

function checkLimiter(value: unknown): RequestLimiter | undefined {
  if (value === undefined) return undefined;
  const { take, throttled } = (value ?? {}) as Partial<RequestLimiter>;
  if (typeof take !== "function" || (throttled !== undefined && typeof throttled !== "function")) {
    throw new InvalidInputError(
      "limiter",
      "must be an object with take(signal), like bucketry's createRateLimiter() makes",
    );
  }
  return value as RequestLimiter;
}

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `process.env` where there is one (Node, Bun, Deno's compatibility layer), else an empty record. */
export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/**
 * The variable `name` of `env` (`process.env` by default); undefined when unset or empty, as
 * `export NAME=` leaves it.
 */
export function readEnv(name: string, env: Env = processEnv()): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Every variable of a credentials table (field → variable name) that is set, by field. */
export function readEnvTable<Field extends string>(
  table: Readonly<Partial<Record<Field, string>>>,
  env: Env = processEnv(),
): Partial<Record<Field, string>> {
  const values: Partial<Record<Field, string>> = {};
  for (const [field, name] of Object.entries(table) as [Field, string | undefined][]) {
    const value = name === undefined ? undefined : readEnv(name, env);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/**
 * The `type` of a `credentials` option, every client's one discriminated shape: `forms` maps each
 * type to how it is written (for the errors). A `CredentialsError` names what is missing or unknown.
 */
export function credentialsType<Type extends string>(
  value: unknown,
  forms: Readonly<Record<Type, string>>,
): Type {
  const written = Object.values<string>(forms).join(", or ");
  if (value === undefined || value === null)
    throw new CredentialsError("credentials", `is required: ${written}`);
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new CredentialsError("credentials", `must be ${written}`);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !Object.hasOwn(forms, type)) {
    const types = Object.keys(forms).map((name) => JSON.stringify(name));
    const shown = typeof type === "string" ? JSON.stringify(type.slice(0, 40)) : String(type);
    throw new CredentialsError(
      "credentials.type",
      `must be ${types.length > 1 ? `${types.slice(0, -1).join(", ")} or ${types.at(-1)}` : types[0]}, not ${shown}; credentials are ${written}`,
    );
  }
  return type as Type;
}
