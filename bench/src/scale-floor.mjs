// The floor of the scale section (bench/src/sections/scale.mjs): what any client must spend to list
// the same account, with no client at all. Global fetch and `response.json()` only: Swift pages of
// 10,000 by marker, counting entries; no checks, no objects of its own, no async iterator. A real
// client does all of this and more, so its CPU share of wall time cannot be below this one's. Same
// process shape as scale-client.mjs; prints `RESULT {…}`.
import { keystoneV3Token } from "@bucketry/auth/tokens";

const { fake } = JSON.parse(process.argv[2]);

// A pre-issued token and account URL (a real Swift, bench/src/scale-real-swift.mjs), or one from the
// Keystone fake, fetched before the clock starts (set-up, not measured).
const token =
  fake.authToken ??
  (
    await keystoneV3Token({
      endpoint: fake.authUrl,
      username: fake.accessKeyId,
      password: fake.secretKey,
      domain: { id: fake.domainId },
      project: { id: fake.projectId },
    }).token()
  ).reveal();
const account = `${fake.storageUrl ?? `${fake.baseUrl}/v1/AUTH_${fake.projectId}`}?format=json&limit=10000`;

const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
let buckets = 0;
for (let marker = ""; ; ) {
  const url = marker === "" ? account : `${account}&marker=${encodeURIComponent(marker)}`;
  const response = await fetch(url, { headers: { "x-auth-token": token } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = await response.json();
  if (page.length === 0) break;
  buckets += page.length;
  marker = page[page.length - 1].name;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
process.stdout.write(`RESULT ${JSON.stringify({ buckets, ms, cpuMs: (used.user + used.system) / 1000 })}\n`);
