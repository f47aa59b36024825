// The measured client of the scale section (bench/src/sections/scale.mjs), one process per run:
// lists every bucket (and ostor user) of the sources in argv[2] through the facade's async iterators,
// keeping nothing, while sampling memory; prints `RESULT {…}`.
import { listBuckets, listUsers } from "bucketry";
import { hitachiSource } from "bucketry/hitachi";
import { dbssSource, mpcSource } from "bucketry/huaweicloud";
import { ncloudSource } from "bucketry/ncloud";
import { ostorSource } from "bucketry/virtuozzo";

const { fakes, concurrency, gcEvery = 0 } = JSON.parse(process.argv[2]);

function source(fake) {
  switch (fake.api) {
    case "hitachi-vsp-one-object":
      return hitachiSource({
        baseUrl: fake.baseUrl,
        tokenUrl: fake.tokenUrl,
        credentials: { type: "password", username: fake.username, password: fake.password },
        userIds: fake.userIds,
        ...(fake.pageSize ? { pageSize: fake.pageSize } : {}),
      });
    case "huaweicloud-mpc":
    case "huaweicloud-dbss": {
      const options = {
        baseUrl: fake.baseUrl,
        projectId: fake.projectId,
        credentials: { type: "aksk", accessKey: fake.accessKey, secretKey: fake.secretKey },
      };
      return fake.api === "huaweicloud-mpc" ? mpcSource(options) : dbssSource(options);
    }
    case "ncloud-archive-storage":
      // A pre-issued token (a real Swift's tempauth, bench/src/scale-real-swift.mjs) or Keystone.
      if (fake.authToken) {
        return ncloudSource({
          authToken: fake.authToken,
          storageUrl: fake.storageUrl,
          ...(fake.pageSize ? { pageSize: fake.pageSize } : {}),
        });
      }
      return ncloudSource({
        baseUrl: fake.baseUrl,
        authUrl: fake.authUrl,
        projectId: fake.projectId,
        credentials: {
          type: "keystone",
          accessKeyId: fake.accessKeyId,
          secretKey: fake.secretKey,
          domainId: fake.domainId,
        },
        ...(fake.pageSize ? { pageSize: fake.pageSize } : {}),
      });
    case "virtuozzo-ostor":
      return ostorSource({
        baseUrl: fake.baseUrl,
        credentials: { type: "aksk", accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      });
    default:
      throw new Error(`no source for ${fake.api}`);
  }
}

const sources = fakes.map(source);
// Load every provider package before the clock starts (adapters import them on first use).
await Promise.all(sources.map((s) => s.client()));
const bucketSources = sources.filter((s) => s.buckets);
const userSources = sources.filter((s) => s.users && !s.buckets);

globalThis.gc?.();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
};
const timer = setInterval(sample, 10);

// What stays reachable: the heap right after a full GC, every `gcEvery` buckets (0: never).
let retainedHeap = 0;
const retained = () => {
  globalThis.gc?.();
  retainedHeap = Math.max(retainedHeap, process.memoryUsage().heapUsed);
};
const counts = { buckets: 0, users: 0 };
const drainBuckets = async (list) => {
  for await (const _ of listBuckets(list, { concurrency })) {
    counts.buckets += 1;
    if (gcEvery > 0 && counts.buckets % gcEvery === 0) retained();
  }
};
const drainUsers = async (list) => {
  for await (const _ of listUsers(list, { concurrency })) counts.users += 1;
};
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
if (concurrency > 1) {
  await Promise.all([drainBuckets(bucketSources), userSources.length ? drainUsers(userSources) : undefined]);
} else {
  await drainBuckets(bucketSources);
  if (userSources.length) await drainUsers(userSources);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
sample();
clearInterval(timer);
if (gcEvery > 0) retained();
const result = {
  ...counts,
  ms,
  cpuMs: (used.user + used.system) / 1000,
  baseRss: base.rss,
  baseHeap: base.heapUsed,
  peakRss,
  peakHeap,
  retainedHeap,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
