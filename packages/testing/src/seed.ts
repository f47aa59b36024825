/** Deterministic seed data: the same names on every run, non-ASCII names among them. */

const SCRIPTS = ["données", "버킷", "桶", "ведро", "παρτίδα", "δεδομένα-ü"];

/**
 * `count` distinct bucket names, deterministic: mostly `bucket-000001`-style ASCII, every 7th one
 * non-ASCII (French, Korean, Chinese, Russian, Greek), so listings exercise UTF-8 end to end.
 */
export function bucketNames(count: number, prefix = "bucket"): string[] {
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(6, "0");
    names.push(i % 7 === 0 ? `${SCRIPTS[(i / 7) % SCRIPTS.length]}-${n}` : `${prefix}-${n}`);
  }
  return names;
}

/** Byte order of the UTF-8 forms (Swift's listing order, and S3's). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
