// The exhaustive walks of the scale section (bench/src/sections/scale.mjs): every item of a large
// @bucketry/testing fake listed through a provider client, at page sizes down to 1 (25,001 requests).
// Too slow for a unit test on a loaded machine, so they run here; a walk that skips, repeats or
// reorders an item, or sends a page request too many or too few, throws and fails `pnpm bench`.
import { fileURLToPath } from "node:url";
import { createVspOneObjectClient } from "@bucketry/hitachi";
import { createDbssClient } from "@bucketry/huaweicloud/dbss";
import { createMpcClient } from "@bucketry/huaweicloud/mpc";
import { createArchiveStorageClient } from "@bucketry/ncloud";
import { bucketNames, compareUtf8 } from "@bucketry/testing";
import { startChild } from "./child.mjs";
import { int } from "./stats.mjs";

const FAKES = fileURLToPath(new URL("../servers/fakes.mjs", import.meta.url));
const HITACHI_USER = 42;

/** Throws unless `listed` is `expected` (distinct names): every item exactly once, in order. */
export function assertExactlyOnceInOrder(listed, expected, what) {
  if (listed.length === expected.length && listed.every((name, i) => name === expected[i])) return;
  const seen = new Set(listed);
  const repeated = listed.length - seen.size;
  const skipped = expected.filter((name) => !seen.has(name)).length;
  const at = listed.findIndex((name, i) => name !== expected[i]);
  const first = at === -1 ? listed.length : at;
  throw new Error(
    `${what}: ${int(listed.length)} listed of ${int(expected.length)}, ${int(skipped)} skipped, ${int(repeated)} repeated; first difference at ${int(first)}: ${JSON.stringify(listed[first])} instead of ${JSON.stringify(expected[first])}`,
  );
}

/** A fetch that records the URL of every request it sends. */
function recording() {
  const urls = [];
  const send = (request) => {
    urls.push(new URL(request.url));
    return fetch(request);
  };
  return { urls, send };
}

/** The walks: one fake per provider (in its own process), listed at each page size by a fresh client. */
export async function exhaustiveWalks({ quick }) {
  const seed = quick ? 1_000 : 25_000;
  const sorted = (prefix) => bucketNames(seed, prefix).sort(compareUtf8);
  const cases = [
    {
      api: "hitachi-vsp-one-object",
      options: { users: { [HITACHI_USER]: seed } },
      label: "Hitachi listBuckets",
      expected: sorted("bucket"),
      pageSizes: [1, 2, 1000],
      // A short last page ends the walk; a full one carries no page token either.
      pages: (size) => Math.max(1, Math.ceil(seed / size)),
      isPage: (url) => url.pathname.endsWith("/user/list_buckets"),
      async list(info, pageSize, send) {
        const client = createVspOneObjectClient({
          baseUrl: info.baseUrl,
          tokenUrl: info.tokenUrl,
          credentials: { type: "password", username: info.username, password: info.password },
          fetch: send,
        });
        return (await client.listBuckets({ userId: HITACHI_USER, pageSize }).all()).map((b) => b.name);
      },
    },
    {
      api: "ncloud-archive-storage",
      options: { containers: seed },
      label: "NAVER listContainers",
      expected: sorted("ncloud-container"),
      pageSizes: [1, 2, 10_000],
      // Swift cannot tell a full last page from a middle one: one more request finds nothing.
      pages: (size) => Math.floor(seed / size) + 1,
      isPage: (url) => url.pathname.startsWith("/v1/"),
      // Each page asks for the names after the last one of the page before.
      markers: true,
      async list(info, pageSize, send) {
        const client = createArchiveStorageClient({
          baseUrl: info.baseUrl,
          authUrl: info.authUrl,
          projectId: info.projectId,
          credentials: {
            type: "keystone",
            accessKeyId: info.accessKeyId,
            secretKey: info.secretKey,
            domainId: info.domainId,
          },
          fetch: send,
        });
        return (await client.listContainers({ pageSize }).all()).map((c) => c.name);
      },
    },
    ...[
      ["huaweicloud-mpc", "Huawei MPC listBuckets", createMpcClient, "listBuckets"],
      ["huaweicloud-dbss", "Huawei DBSS listBuckets", createDbssClient, "listBuckets"],
    ].map(([api, label, create, method]) => ({
      api,
      options: { buckets: seed },
      label,
      expected: sorted("bucket"),
      // The API does not page: everything in one answer.
      pageSizes: [undefined],
      pages: () => 1,
      isPage: (url) => !url.pathname.startsWith("/v3"),
      async list(info, _pageSize, send) {
        const client = create({
          baseUrl: info.baseUrl,
          projectId: info.projectId,
          credentials: { type: "aksk", accessKey: info.accessKey, secretKey: info.secretKey },
          fetch: send,
        });
        return (await client[method]().all()).map((b) => b.name);
      },
    })),
  ];

  const rows = [];
  for (const walk of cases) {
    const server = await startChild(FAKES, [JSON.stringify([{ api: walk.api, options: walk.options }])]);
    try {
      const [info] = server.info;
      for (const pageSize of walk.pageSizes) {
        const what = `${walk.label} over ${int(seed)}${pageSize ? ` at page size ${int(pageSize)}` : ""}`;
        const { urls, send } = recording();
        const started = process.hrtime.bigint();
        const listed = await walk.list(info, pageSize, send);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assertExactlyOnceInOrder(listed, walk.expected, what);
        const pages = urls.filter(walk.isPage);
        if (pages.length !== walk.pages(pageSize)) {
          throw new Error(
            `${what}: ${int(pages.length)} page requests, expected ${int(walk.pages(pageSize))}`,
          );
        }
        if (walk.markers) {
          pages.forEach((url, i) => {
            const marker = url.searchParams.get("marker") ?? undefined;
            const wanted = i === 0 ? undefined : listed[i * pageSize - 1];
            if (marker !== wanted)
              throw new Error(`${what}: page ${i + 1} has marker ${marker}, not ${wanted}`);
          });
        }
        rows.push([
          walk.label,
          pageSize ? int(pageSize) : "(one answer)",
          int(listed.length),
          int(pages.length),
          int(ms),
          int((ms / pages.length) * 1000),
        ]);
      }
    } finally {
      await server.close();
    }
  }
  return { seed, rows };
}
