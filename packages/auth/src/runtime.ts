/** What the signers need to know about the runtime they run in. */

interface Scope {
  process?: { versions?: { node?: unknown }; type?: unknown };
  Deno?: unknown;
  Bun?: unknown;
  navigator?: { userAgent?: unknown };
}

/**
 * Whether `fetch` here drops a `Date` request header (a forbidden header name in the Fetch
 * standard): true in browsers and their workers, false where fetch sends every header (Node, Deno,
 * Bun, Cloudflare workerd). A runtime not recognised counts as a browser: the safe side, since
 * what is signed instead (`x-amz-date`) is sent everywhere.
 */
export function fetchDropsDate(scope: object = globalThis): boolean {
  const { process, Deno, Bun, navigator } = scope as Scope;
  // Electron's renderer has Node's `process` but Chromium's fetch.
  if (typeof process?.versions?.node === "string") return process.type === "renderer";
  if (Deno !== undefined || Bun !== undefined) return false;
  return navigator?.userAgent !== "Cloudflare-Workers";
}
