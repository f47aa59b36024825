/** The one shape every provider's buckets and users are turned into. */

import type { ProviderName } from "./adapters/registry.js";

export type { ProviderName };

/** What every {@link Bucket} has, whichever provider listed it. */
export interface BucketFields {
  /** The configured source it came from (several sources may share a provider). */
  source: string;
  name: string;
  /** The provider's own id, where it has one (Hitachi's integer `bucketId`, as a string). */
  id?: string;
  /** When the bucket was created (MPC `creation_date`). Swift's `last_modified` is not a creation time: see `raw`. */
  createdAt?: Date;
  /** Where the bucket lives (DBSS `location`). */
  region?: string;
  /** Bytes stored (Swift `bytes`). */
  bytes?: number;
  /** Objects stored (Swift `count`). */
  objectCount?: number;
  /** The owning user (Hitachi: the user id whose buckets were listed). */
  owner?: string;
  /** Whether the service may use the bucket (MPC `is_authorized`). */
  authorized?: boolean;
}

/**
 * The provider record in each provider's `raw`, by provider id. Each adapter entry
 * (`bucketry/hitachi`, ...) adds its provider's, so the facade's main entry needs no provider
 * package, installed or not; a provider whose adapter is not imported has `raw: unknown`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the adapters' declaration merging
export interface ProviderRecords {}

/** The record in `raw` of a provider's buckets or users. */
export type RecordOf<P extends ProviderName> = P extends keyof ProviderRecords ? ProviderRecords[P] : unknown;

/** The providers that list buckets. */
export type BucketProvider = Exclude<ProviderName, "virtuozzo-ostor">;

/**
 * A bucket (a Swift container, an OBS bucket seen by MPC or DBSS, a VSP One Object bucket),
 * discriminated by `provider`: narrowing on it types `raw`, the provider's normalised record
 * (vendor fields included). Fields a provider does not report are absent.
 */
export type Bucket = {
  [P in BucketProvider]: BucketFields & { provider: P; raw: RecordOf<P> };
}[BucketProvider];

/**
 * A field the vendor sent that no type names (one added after the spec was written), read from the
 * vendor's object as received (`raw.raw` of an adapter's record): `unknown` until you check it.
 * Undefined when there is no such field, or the vendor's answer was not an object (NAVER's XML
 * and plain-text listings).
 */
export function extraField(record: Bucket | User, name: string): unknown {
  const raw: unknown = record.raw;
  const vendor = isObject(raw) ? raw.raw : undefined;
  return isObject(vendor) && Object.hasOwn(vendor, name) ? vendor[name] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

/** A storage user (ostor). Secret keys are never part of it. */
export interface User {
  provider: "virtuozzo-ostor";
  /** The configured source it came from. */
  source: string;
  id: string;
  email: string;
  /** ostor `State`. */
  state: "enabled" | "disabled";
  /** The id of the account owner it belongs to; absent when it has none (ostor's `0000000000000000`). */
  ownerId?: string;
  /** Flags such as `system` or `disabled`. */
  flags: string[];
  /** Current space used, in bytes, when asked for (`space: true`, ostor `SpaceStat.SizeCurr`). */
  bytes?: number;
  /**
   * The provider's normalised record (a detail record from a single-user query). Secret keys in it
   * are sealed in `Secret` (from `@bucketry/core`): they print, log and serialise as `[REDACTED]`
   * and are read only with `reveal()`.
   */
  raw: RecordOf<"virtuozzo-ostor">;
}

/** One configured provider endpoint the facade can list from. */
export interface Source {
  readonly provider: ProviderName;
  /** A label for output and errors, unique among the sources listed together. */
  readonly name: string;
  /** Every bucket, page by page; stops when `signal` aborts. Absent when the API has no bucket listing. */
  buckets?(signal: AbortSignal): AsyncIterable<Bucket>;
  /** Every user; absent when the API has no users. */
  users?(options: { signal: AbortSignal; space?: boolean }): AsyncIterable<User>;
}

/**
 * A source made by an adapter (`bucketry/hitachi`, ...): it also hands out the provider's own typed
 * client, made on first use (the provider package is loaded then, with a dynamic import).
 */
export interface ProviderSource<Client> extends Source {
  /** The provider's typed client, made once; rejects with `MissingProviderError` or the client's `InvalidInputError`. */
  client(): Promise<Client>;
}

/** A source that failed, with its typed error; the other sources' results still arrive. */
export class SourceError extends Error {
  override name = "SourceError" as const;
  constructor(
    readonly source: string,
    readonly provider: ProviderName,
    override readonly cause: unknown,
  ) {
    // The provider only when the label is not already its name.
    const label = source === provider ? source : `${source} (${provider})`;
    super(`${label}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
