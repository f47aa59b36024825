// Shared by the integration tests: the endpoints scripts/test-integration.mjs passed in the
// environment, the fixture container names, the two ways a request reaches Swift (directly, or
// through the Prism proxy that validates it against the spec), and raw-HTTP helpers for setting up
// state the clients under test cannot create themselves.
import { Buffer } from "node:buffer";
import { staticToken } from "@bucketry/auth";
import { type ArchiveStorageClient, createArchiveStorageClient } from "@bucketry/ncloud";
import { expect } from "vitest";

const env = process.env;

/** Why the suite is skipped, or undefined when Swift is up. */
export const skipReason: string | undefined =
  env.INTEGRATION_SKIP_REASON ??
  (env.SWIFT_STORAGE_URL
    ? undefined
    : "SWIFT_STORAGE_URL is not set; run `pnpm test:integration`, which installs and starts Swift");
export const available = skipReason === undefined;

/** Says plainly, once per file, that and why its tests are skipped. */
export function announceSkip(file: string): void {
  if (!available) process.stdout.write(`SKIPPED ${file}: ${skipReason}\n`);
}

export interface SwiftUser {
  user: string;
  key: string;
  account: string;
}
type UserName = "tester" | "other" | "reader" | "meta" | "s3" | "control";

export const swift = {
  endpoint: env.SWIFT_ENDPOINT ?? "",
  authUrl: env.SWIFT_AUTH_URL ?? "",
  storageUrl: env.SWIFT_STORAGE_URL ?? "",
  token: env.SWIFT_AUTH_TOKEN ?? "",
  users: (available ? JSON.parse(env.SWIFT_USERS ?? "{}") : {}) as Record<UserName, SwiftUser>,
};

export const s3 = {
  endpoint: env.S3_ENDPOINT ?? "",
  region: env.S3_REGION ?? "",
  accessKeyId: env.S3_ACCESS_KEY_ID ?? "",
  secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? "",
};

/** Swift's order: by UTF-8 bytes (not JavaScript's UTF-16 code units, which differ above U+FFFF). */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

// ---------------------------------------------------------------------------------------------
// Fixtures: the listing account (AUTH_test) holds exactly these containers, made by global-setup.
// ---------------------------------------------------------------------------------------------

export const BULK_COUNT = 2_500;
export const bulkNames = Array.from({ length: BULK_COUNT }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);

/** Names for prefix/delimiter roll-ups and for the encoding and ordering traps. */
export const specialNames = [
  "alpha",
  "beta",
  "gamma",
  "music-jazz",
  "music-jazz-live",
  "music-rock",
  "photos",
  "photos-2019",
  "photos-2020",
  "photos-2020-raw",
  "photos-old",
  // A delimiter "." first: Swift 2.24.0 on rolls both up into the subdir "." (2.15.1 did not).
  ".hidden-a",
  ".hidden-b",
  // Characters a query string or a URL path must escape.
  "a b",
  "a+b",
  "a%2Fb",
  "a&b=c",
  "q?x",
  "hash#1",
  "semi;colon",
  "tilde~dot.under_score",
  // XML must escape these in <name>.
  `<tag> & "quotes" 'n' more`,
  // Non-ASCII: 2-, 3- and 4-byte UTF-8. U+FF46 sorts before U+1FAA3 in bytes but after it in UTF-16.
  "ünïcode",
  "日本語",
  "ｆｕｌｌwidth",
  "🪣bucket",
  // Precomposed and decomposed é are different names to Swift (no normalisation).
  "caf\u00e9",
  "cafe\u0301",
  // The longest name Swift allows: 256 bytes.
  "L".repeat(256),
];

/** Every container of the listing account, in Swift's order. */
export const allNames = [...bulkNames, ...specialNames].sort(byteOrder);

// The metadata account (AUTH_meta): two containers, three objects, metadata of every kind.
export const META_CONTAINERS = ["empty", "objects"];
export const META_OBJECTS: [string, string][] = [
  ["one.txt", "a".repeat(10)],
  ["two.txt", "b".repeat(20)],
  ["dir/three.txt", "c".repeat(30)],
];
export const META_BYTES = META_OBJECTS.reduce((sum, [, body]) => sum + body.length, 0);
export const META_HEADERS = {
  "X-Account-Meta-Color": "blue",
  // Swift stores and returns the UTF-8 bytes; the client decodes them.
  "X-Account-Meta-City": utf8Header("Zürich"),
  "X-Account-Meta-Temp-URL-Key": "tk-secret-one",
  "X-Account-Meta-Temp-URL-Key-2": "tk-secret-two",
  "X-Account-Meta-Quota-Bytes": "1000000",
};

/**
 * Fills AUTH_meta, then polls until the container-updater has carried the object and byte counts
 * to the account (Swift is eventually consistent there). Returns how long that took.
 */
export async function prepareMetaAccount(): Promise<number> {
  const { token, storageUrl } = await login(swift.users.meta);
  await swiftRequest("POST", storageUrl, token, { headers: META_HEADERS });
  for (const container of META_CONTAINERS) {
    await swiftRequest("PUT", `${storageUrl}/${container}`, token, { ok: [201, 202] });
  }
  for (const [name, body] of META_OBJECTS) {
    await swiftRequest("PUT", `${storageUrl}/objects/${name}`, token, { body, ok: [201] });
  }
  const t0 = performance.now();
  const headers = await pollUntil(
    async () => (await swiftRequest("HEAD", storageUrl, token)).headers,
    (h) =>
      h.get("x-account-object-count") === String(META_OBJECTS.length) &&
      h.get("x-account-bytes-used") === String(META_BYTES),
  );
  if (headers.get("x-account-object-count") !== String(META_OBJECTS.length)) {
    throw new Error("the container-updater did not report the object counts within 60 s");
  }
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Targets: Swift itself, and Swift behind Prism (which reports spec violations per exchange).
// ---------------------------------------------------------------------------------------------

/** One entry of Prism's `sl-violations` header. */
export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
  /** Added here: the request that drew it. */
  request: string;
}

export interface Target {
  name: "swift" | "prism";
  baseUrl: string;
  /** Why this target cannot be used (Prism did not start): its tests fail with this. */
  error: string | undefined;
  fetch: (request: Request) => Promise<Response>;
  /** The violations Prism reported since the last call; empties the list. */
  takeViolations(): Violation[];
}

function makeTarget(name: Target["name"], baseUrl: string, error?: string): Target {
  let violations: Violation[] = [];
  return {
    name,
    baseUrl,
    error,
    async fetch(request) {
      const response = await fetch(request);
      const header = response.headers.get("sl-violations");
      if (header) {
        const request_ = `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search} -> ${response.status}`;
        for (const v of JSON.parse(header) as Omit<Violation, "request">[])
          violations.push({ ...v, request: request_ });
      }
      return response;
    },
    takeViolations() {
      const taken = violations;
      violations = [];
      return taken;
    },
  };
}

/** Swift directly, and through Prism; Prism's entry carries its start error if it did not start. */
export const targets: Target[] = available
  ? [
      makeTarget("swift", swift.endpoint),
      makeTarget(
        "prism",
        process.env.PRISM_URL ?? "",
        process.env.PRISM_URL ? undefined : (process.env.PRISM_ERROR ?? "PRISM_URL is not set"),
      ),
    ]
  : [makeTarget("swift", ""), makeTarget("prism", "")];

/** Fails the test if Prism reported anything but `expected` (locations like `request.query.limit`). */
export function expectNoViolations(target: Target, expected: string[] = []): void {
  const seen = target.takeViolations();
  const unexpected = seen.filter((v) => !expected.includes(v.location.join(".")));
  expect(unexpected, `spec violations reported by Prism:\n${JSON.stringify(unexpected, null, 2)}`).toEqual(
    [],
  );
  if (target.name === "prism") {
    for (const location of expected) expect(seen.map((v) => v.location.join("."))).toContain(location);
  }
}

/** A client of the listing account through `target`, with the ready tempauth token as a static token source. */
export function listingClient(
  target: Target,
  options: { token?: string; projectId?: string; fetch?: Target["fetch"] } = {},
): ArchiveStorageClient {
  if (target.error) throw new Error(`${target.name} is not available: ${target.error}`);
  return createArchiveStorageClient({
    baseUrl: target.baseUrl,
    projectId: options.projectId ?? "test",
    credentials: { type: "token", source: staticToken(options.token ?? swift.token) },
    fetch: options.fetch ?? target.fetch,
    // A real server answers at once; retries would only hide a problem here.
    retry: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Raw Swift calls for setup (the clients under test only read).
// ---------------------------------------------------------------------------------------------

/** Logs `user` in with tempauth v1.0; returns its token and storage URL. */
export async function login(user: SwiftUser): Promise<{ token: string; storageUrl: string }> {
  const response = await fetch(swift.authUrl, {
    headers: { "X-Auth-User": user.user, "X-Auth-Key": user.key },
  });
  await response.arrayBuffer();
  const token = response.headers.get("x-auth-token");
  const storageUrl = response.headers.get("x-storage-url");
  if (response.status !== 200 || !token || !storageUrl) {
    throw new Error(`tempauth login of ${user.user} answered ${response.status}`);
  }
  return { token, storageUrl };
}

/** A raw request to Swift, failing unless the status is one of `ok`. */
export async function swiftRequest(
  method: string,
  url: string,
  token: string,
  init: { headers?: Record<string, string>; body?: string; ok?: number[] } = {},
): Promise<Response> {
  const response = await fetch(url, {
    method,
    headers: { "X-Auth-Token": token, ...init.headers },
    body: init.body,
  });
  await response.clone().arrayBuffer();
  const ok = init.ok ?? [200, 201, 202, 204];
  if (!ok.includes(response.status)) {
    throw new Error(`${method} ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  return response;
}

/** Creates containers `concurrency` at a time (one by one would take minutes for 2,500). */
export async function createContainers(
  storageUrl: string,
  token: string,
  names: string[],
  concurrency = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await swiftRequest("PUT", `${storageUrl}/${encodeURIComponent(name)}`, token, { ok: [201, 202] });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Header values travel as Latin-1 code units; Swift keeps UTF-8 bytes, so send those. */
export function utf8Header(value: string): string {
  return Buffer.from(value, "utf8").toString("latin1");
}

/** Polls `read` until `done` holds (Swift's updaters are eventually consistent), or fails after `ms`. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
