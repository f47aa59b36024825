/**
 * The normalised results of `GET /?ostor-users` and how they are made from the vendor's JSON.
 *
 * ostor returns users' secret access keys in clear text. Every secret-named string in a body
 * (`AWSSecretAccessKey`, wherever it appears) is sealed in core's `Secret` before anything else sees
 * the body, so the normalised fields AND `raw` print, log and serialise as `[REDACTED]`; the value is
 * read on purpose with `secretAccessKey.reveal()`.
 */
import { isSecretField, Secret, UnexpectedShape } from "@bucketry/core/internal";
import type { components } from "./generated/ostor.js";

type Schemas = components["schemas"];

/** A vendor type with every `AWSSecretAccessKey` string replaced by a {@link Secret}. */
export type Sealed<T> = T extends readonly (infer U)[]
  ? Sealed<U>[]
  : T extends object
    ? { [K in keyof T]: K extends "AWSSecretAccessKey" ? Secret : Sealed<T[K]> }
    : T;

/** A list entry exactly as received (it holds no secrets). */
export type OstorRawUser = Schemas["OstorUser"];

/** A single-user answer as received, its secret keys sealed in {@link Secret}. */
export type OstorRawUserDetail = Sealed<Schemas["OstorUserDetail"]>;

/**
 * A user's space usage (`&space`). The vendor does not define the fields; `lastTs` looks like hours
 * since the Unix epoch in the samples, so it is kept a number rather than guessed into a Date.
 */
export interface OstorSpaceStat {
  /** Time of the last usage update (`LastTs`; hours since the epoch in the samples, 0 when none). */
  lastTs: number;
  /** Current stored size in bytes (`SizeCurr`). */
  sizeCurrent: number;
  /** Largest stored size in the last accounting hour, in bytes (`SizeHMax`). */
  sizeHMax: number;
  /** Stored size integrated over time, in byte-hours (`SizeHInt`). */
  sizeHIntegral: number;
}

/** An S3 user as listed by `listUsers`. */
export interface OstorUser {
  /** The user's email address (`UserEmail`). */
  email: string;
  /** The user id, 16 lower-case hex characters (`UserId`). */
  id: string;
  /** Whether the user may use S3 (`State`). */
  state: "enabled" | "disabled";
  /** The owning account owner's id, `0000000000000000` when none (`OwnerId`). */
  ownerId: string;
  /** Flags such as `system` or `disabled` (`Flags`). */
  flags: string[];
  /** Space usage, present when `space: true` was asked for (`SpaceStat`). */
  spaceStat?: OstorSpaceStat;
  /** The vendor's object exactly as received. */
  raw: OstorRawUser;
}

/** An S3 access key pair; the secret prints as `[REDACTED]`, `reveal()` reads it. */
export interface OstorAccessKey {
  /** The access key id (`AWSAccessKeyId`): the 16-character user id and 4 more characters. */
  accessKeyId: string;
  /** The secret access key (`AWSSecretAccessKey`), sealed. */
  secretAccessKey: Secret;
}

/** An account under a user, with its own keys. */
export interface OstorAccount {
  /** The account name (`Name`). */
  name: string;
  /** The account's key pairs (`AWSAccessKeys`). */
  accessKeys: OstorAccessKey[];
}

/** One user as `getUser` returns it: the list fields plus keys and accounts. */
export interface OstorUserDetail extends Omit<OstorUser, "raw"> {
  /** The user's own key pairs (`AWSAccessKeys`). */
  accessKeys: OstorAccessKey[];
  /** The number of accounts; the vendor sends it as a string (`AccountCount: "3"`), see `raw`. */
  accountCount: number;
  /** The user's accounts (`Accounts`). */
  accounts: OstorAccount[];
  /** The vendor's object as received, secret keys sealed in {@link Secret}. */
  raw: OstorRawUserDetail;
}

/** A 200 body that is not the documented shape (core's `UnexpectedShape`); `path` names the offending field. */
export class MalformedBody extends UnexpectedShape {
  override name = "MalformedBody";
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

/**
 * Replaces, in place, every secret-named string field of a freshly parsed body by a {@link Secret}.
 * Done before normalising, so not even `raw` ever holds a secret as a plain string.
 */
export function sealSecrets<T>(value: T): Sealed<T> {
  if (Array.isArray(value)) {
    for (const item of value) sealSecrets(item);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(record)) {
      if (typeof field === "string" && isSecretField(key)) record[key] = new Secret(field);
      else sealSecrets(field);
    }
  }
  return value as Sealed<T>;
}

/** The users of a `{"Users": [...]}` body (already sealed), normalised. */
export function toUsers(body: unknown): OstorUser[] {
  const users = record(body, "body").Users;
  if (!Array.isArray(users)) throw new MalformedBody("Users", "an array of users");
  return users.map((user, i) => toUser(user, `Users[${i}]`));
}

/** One list entry, normalised. */
export function toUser(value: unknown, path = "body"): OstorUser {
  const raw = record(value, path);
  const user: OstorUser = {
    email: text(raw.UserEmail, `${path}.UserEmail`),
    id: text(raw.UserId, `${path}.UserId`),
    state: state(raw.State, `${path}.State`),
    ownerId: text(raw.OwnerId, `${path}.OwnerId`),
    flags: texts(raw.Flags, `${path}.Flags`),
    raw: raw as OstorRawUser,
  };
  if (raw.SpaceStat !== undefined) user.spaceStat = spaceStat(raw.SpaceStat, `${path}.SpaceStat`);
  return user;
}

/** A single-user body (already sealed), normalised; `AccountCount` becomes a number. */
export function toUserDetail(value: unknown): OstorUserDetail {
  const raw = record(value, "body");
  // A body with `Users` answers a list call: the selector did not reach the server.
  if ("Users" in raw) throw new MalformedBody("body", "a single user, not a list (`Users`)");
  const { raw: _, ...user } = toUser(raw);
  const accounts = list(raw.Accounts ?? [], "Accounts").map((account, i) => {
    const fields = record(account, `Accounts[${i}]`);
    return {
      name: text(fields.Name, `Accounts[${i}].Name`),
      accessKeys: accessKeys(fields.AWSAccessKeys ?? [], `Accounts[${i}].AWSAccessKeys`),
    };
  });
  return {
    ...user,
    accessKeys: accessKeys(raw.AWSAccessKeys ?? [], "AWSAccessKeys"),
    accountCount: count(raw.AccountCount, accounts.length),
    accounts,
    raw: raw as OstorRawUserDetail,
  };
}

function accessKeys(value: unknown, path: string): OstorAccessKey[] {
  return list(value, path).map((key, i) => {
    const fields = record(key, `${path}[${i}]`);
    const secret = fields.AWSSecretAccessKey;
    if (!(secret instanceof Secret)) {
      throw new MalformedBody(`${path}[${i}].AWSSecretAccessKey`, "a string");
    }
    return {
      accessKeyId: text(fields.AWSAccessKeyId, `${path}[${i}].AWSAccessKeyId`),
      secretAccessKey: secret,
    };
  });
}

// QUIRK: a count sent as a JSON string ("3"); a number is accepted too, an absent one is counted.
function count(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  throw new MalformedBody("AccountCount", 'a count (a string of digits such as "3")');
}

function spaceStat(value: unknown, path: string): OstorSpaceStat {
  const fields = record(value, path);
  return {
    lastTs: number(fields.LastTs, `${path}.LastTs`),
    sizeCurrent: number(fields.SizeCurr, `${path}.SizeCurr`),
    sizeHMax: number(fields.SizeHMax, `${path}.SizeHMax`),
    sizeHIntegral: number(fields.SizeHInt, `${path}.SizeHInt`),
  };
}

function state(value: unknown, path: string): "enabled" | "disabled" {
  if (value === "enabled" || value === "disabled") return value;
  throw new MalformedBody(path, '"enabled" or "disabled"');
}

function number(value: unknown, path: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  // Tolerated: an integer sent as a string, like AccountCount.
  if (typeof value === "string" && /^-?\d{1,19}$/.test(value.trim())) return Number(value.trim());
  throw new MalformedBody(path, "a number");
}

function text(value: unknown, path: string): string {
  if (typeof value === "string") return value;
  throw new MalformedBody(path, "a string");
}

function texts(value: unknown, path: string): string[] {
  return list(value, path).map((item, i) => text(item, `${path}[${i}]`));
}

function list(value: unknown, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new MalformedBody(path, "an array");
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new MalformedBody(path, "an object");
}
