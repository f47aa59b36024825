/**
 * Which configured sources a command lists: `--provider`, `--source` (names or globs, repeated or
 * comma-separated) and `--shard K/N`. A shard is decided by the source's name alone (a stable hash,
 * FNV-1a 32-bit of its UTF-8 bytes, modulo N), so N machines with the same config, each running one
 * K of 1..N, list every source exactly once; adding a source moves no other source between shards.
 */
import { type Command, UsageError } from "./args.js";

/** `K/N` with 1 ≤ K ≤ N. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard K/N`. */
export function parseShard(value: string | undefined, command: Command): Shard | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be K/N with 1 ≤ K ≤ N (e.g. 2/4), not "${value}"`, command);
  }
  return { index, count };
}

/** FNV-1a, 32-bit, over the UTF-8 bytes of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard (1..count) a source of this name belongs to. */
export function shardOf(name: string, count: number): number {
  return (fnv1a(name) % count) + 1;
}

/** `--source` values split on commas; empty parts dropped. */
export function sourcePatterns(flags: string[] | undefined): string[] {
  return (flags ?? [])
    .flatMap((flag) => flag.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** A glob (`*` any run, `?` one character, `[abc]` one of) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const set = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += `[${set.startsWith("!") ? `^${set.slice(1)}` : set}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`, "u");
}
