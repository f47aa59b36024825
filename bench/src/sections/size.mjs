// Section 3 of `pnpm bench`: size of every published entry (esbuild, minified, gzip -9) and its cold
// import time (a fresh `node` per run, minus a bare `node`), next to the peers users would pick instead.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import ts from "typescript";
import { nodeWall as wall } from "../lib/measure.mjs";
import { bytes, fixed, spread, summarize, table } from "../lib/stats.mjs";
import { BENCH, OUT, packageVersion } from "../lib/workspace.mjs";

// The targets of the lean-packages issue: a provider entry, its factory alone, the facade with five adapters.
const PROVIDER_BUDGET = 8 * 1024;
const FACTORY_BUDGET = 7 * 1024;
const FACADE_BUDGET = 20 * 1024;
const IMPORT_BUDGET_MS = 15;

/** What is measured: an entry module's source, the platform it is bundled for, and which budget applies. */
const ENTRIES = [
  { name: "@bucketry/core", code: 'export * from "@bucketry/core";' },
  { name: "@bucketry/auth", code: 'export * from "@bucketry/auth";' },
  { name: "@bucketry/hitachi", code: 'export * from "@bucketry/hitachi";', budget: PROVIDER_BUDGET },
  {
    name: "@bucketry/huaweicloud/mpc",
    code: 'export * from "@bucketry/huaweicloud/mpc";',
    budget: PROVIDER_BUDGET,
  },
  {
    name: "@bucketry/huaweicloud/dbss",
    code: 'export * from "@bucketry/huaweicloud/dbss";',
    budget: PROVIDER_BUDGET,
  },
  { name: "@bucketry/ncloud", code: 'export * from "@bucketry/ncloud";', budget: PROVIDER_BUDGET },
  { name: "@bucketry/virtuozzo", code: 'export * from "@bucketry/virtuozzo";', budget: PROVIDER_BUDGET },
  { name: "@bucketry/testing (Node-only)", code: 'export * from "@bucketry/testing";', platform: "node" },
  { name: "bucketry", code: 'export * from "bucketry";' },
  { name: "bucketry/hitachi", code: 'export * from "bucketry/hitachi";' },
  { name: "bucketry/huaweicloud", code: 'export * from "bucketry/huaweicloud";' },
  { name: "bucketry/ncloud", code: 'export * from "bucketry/ncloud";' },
  { name: "bucketry/virtuozzo", code: 'export * from "bucketry/virtuozzo";' },
  {
    name: "bucketry + all five adapters (providers included)",
    code: ["bucketry", "bucketry/hitachi", "bucketry/huaweicloud", "bucketry/ncloud", "bucketry/virtuozzo"]
      .map((e) => `export * from "${e}";`)
      .join("\n"),
    budget: FACADE_BUDGET,
  },
];

/** Typical use: only the factory imported (what tree-shaking leaves of a provider entry). */
const FACTORIES = [
  ["@bucketry/hitachi", "createVspOneObjectClient"],
  ["@bucketry/huaweicloud/mpc", "createMpcClient"],
  ["@bucketry/huaweicloud/dbss", "createDbssClient"],
  ["@bucketry/ncloud", "createArchiveStorageClient"],
  ["@bucketry/virtuozzo", "createOstorClient"],
].map(([entry, name]) => ({
  name: `{ ${name} } from ${entry}`,
  code: `import { ${name} } from "${entry}"; export default ${name};`,
  budget: FACTORY_BUDGET,
}));

const PEERS = [
  {
    name: `openapi-fetch ${packageVersion("openapi-fetch")}`,
    code: 'export { default } from "openapi-fetch";',
  },
  {
    name: `@aws-sdk/client-s3 ${packageVersion("@aws-sdk/client-s3")} (S3Client + ListBucketsCommand, browser)`,
    code: 'export { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";',
  },
  {
    name: `@huaweicloud/huaweicloud-sdk-core ${packageVersion("@huaweicloud/huaweicloud-sdk-core")} (Node-only)`,
    code: 'export * from "@huaweicloud/huaweicloud-sdk-core";',
    platform: "node",
  },
  { name: `aws4fetch ${packageVersion("aws4fetch")}`, code: 'export * from "aws4fetch";' },
  { name: `axios ${packageVersion("axios")}`, code: 'export { default } from "axios";' },
  { name: `ky ${packageVersion("ky")}`, code: 'export { default } from "ky";' },
];

/**
 * The factories with all of @bucketry/auth left out of the bundle: what loading every auth mode
 * lazily (or per-scheme entries) could at most take off a factory.
 */
const FACTORIES_WITHOUT_AUTH = FACTORIES.map((factory) => ({
  ...factory,
  name: `${factory.name}, @bucketry/auth left out`,
  external: ["@bucketry/auth", "@bucketry/auth/*"],
  budget: undefined,
}));

/**
 * Floors: peers bundled together that do only part of what a signed provider entry must (the typed
 * client, retries with timeouts and hooks, a signer), with none of our errors, paging, checks or
 * redaction. What they weigh is less than any entry can, whoever writes it.
 */
const FLOORS = [
  {
    name: "floor: openapi-fetch + aws4fetch (a typed client and a signer)",
    code: 'export { default as createClient } from "openapi-fetch"; export * from "aws4fetch";',
  },
  {
    name: "floor: openapi-fetch + ky (retries, timeouts, hooks)",
    code: 'export { default as createClient } from "openapi-fetch"; export { default as ky } from "ky";',
  },
  {
    name: "floor: openapi-fetch + ky + aws4fetch (… and a SigV4 signer)",
    code: 'export { default as createClient } from "openapi-fetch"; export { default as ky } from "ky"; export * from "aws4fetch";',
  },
];

/** What is imported cold, in a fresh process each run. */
const IMPORTS = [
  "@bucketry/core",
  "@bucketry/auth",
  "@bucketry/hitachi",
  "@bucketry/huaweicloud/mpc",
  "@bucketry/huaweicloud/dbss",
  "@bucketry/ncloud",
  "@bucketry/virtuozzo",
  "@bucketry/testing",
  "bucketry",
  "bucketry/ncloud",
  "openapi-fetch",
  "@aws-sdk/client-s3",
  "@huaweicloud/huaweicloud-sdk-core",
  "axios",
  "ky",
];
const PROVIDER_IMPORTS = new Set(
  IMPORTS.filter((e) => /^@bucketry\/(hitachi|huaweicloud|ncloud|virtuozzo)/.test(e)),
);

async function measure(entry) {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: BENCH, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: entry.platform ?? "browser",
    external: entry.external ?? [],
    write: false,
    metafile: true,
    logLevel: "silent",
    outfile: join(OUT, "size.js"),
  });
  const code = result.outputFiles[0].contents;
  // Where the bytes come from, by package (for entries over budget).
  const byPackage = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const inWorkspace = /^(?:\.\.\/)*packages\/([^/]+)\//.exec(file);
    const workspace = inWorkspace?.[1] === "bucketry" ? "bucketry" : `@bucketry/${inWorkspace?.[1]}`;
    const key = inModules ? inModules[1] : inWorkspace ? workspace : file;
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const top = [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, n]) => `${name} ${bytes(n)}`)
    .join(", ");
  const gzip = (text) => gzipSync(text, { level: 9 }).length;
  return { minified: code.length, gzip: gzip(code), withoutStrings: gzip(emptyStrings(code)), top };
}

/**
 * The bundle with every string literal and template text emptied (messages, header names, keys): it
 * no longer runs, but its size is what no rewording of messages can go below.
 */
function emptyStrings(code) {
  const text = new TextDecoder().decode(code);
  const file = ts.createSourceFile("bundle.js", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const K = ts.SyntaxKind;
  const literal = new Set([
    K.StringLiteral,
    K.NoSubstitutionTemplateLiteral,
    K.TemplateHead,
    K.TemplateMiddle,
    K.TemplateTail,
  ]);
  const cuts = [];
  const visit = (node) => {
    if (literal.has(node.kind)) {
      const start = node.getStart(file);
      const end = node.getEnd();
      // Keep the delimiters (a quote or `` ` `` or `}` before, a quote or `` ` `` or `${` after).
      const close = node.kind === K.TemplateHead || node.kind === K.TemplateMiddle ? 2 : 1;
      if (end - start > 1 + close) cuts.push([start + 1, end - close]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = "";
  let at = 0;
  for (const [start, end] of cuts) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

export async function run({ quick }) {
  const sizeRows = [];
  const targets = [];
  for (const group of [ENTRIES, FACTORIES, FACTORIES_WITHOUT_AUTH, FLOORS, PEERS]) {
    for (const entry of group) {
      const m = await measure(entry);
      const { budget } = entry;
      sizeRows.push([
        entry.name,
        bytes(m.minified),
        bytes(m.gzip),
        group === PEERS ? "" : bytes(m.withoutStrings),
        budget === undefined ? "" : `${bytes(budget)} ${m.gzip <= budget ? "✔" : "✘"}`,
        budget !== undefined && m.gzip > budget ? m.top : "",
      ]);
      if (budget !== undefined) {
        targets.push({
          what: `size of ${entry.name}, min+gzip`,
          target: `≤ ${bytes(budget)}`,
          actual: `${bytes(m.gzip)}${m.gzip > budget ? ` (+${bytes(m.gzip - budget)})` : ""}`,
          met: m.gzip <= budget,
        });
      }
    }
  }

  // Cold imports: every entry once per round, in a rotated order; bare node in every round.
  const runs = quick ? 1 : 15;
  const candidates = [
    { name: "bare node", code: "console.log(0)" },
    ...IMPORTS.map((e) => ({
      name: e,
      code: `const t = performance.now(); await import(${JSON.stringify(e)}); console.log(performance.now() - t);`,
    })),
  ];
  const samples = Object.fromEntries(candidates.map((c) => [c.name, []]));
  for (const c of candidates) wall(c.code); // warm the file-system cache
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[(i + round) % candidates.length];
      samples[c.name].push(wall(c.code));
    }
  }
  const bare = summarize(samples["bare node"].map((s) => s.ms));
  const importRows = IMPORTS.map((e) => {
    const above = summarize(samples[e].map((s, i) => s.ms - samples["bare node"][i].ms));
    const inner = summarize(samples[e].map((s) => s.inner));
    if (PROVIDER_IMPORTS.has(e)) {
      targets.push({
        what: `cold import of ${e}, above bare node`,
        target: `≤ ${IMPORT_BUDGET_MS} ms`,
        actual: `${fixed(above.median)} ms`,
        met: above.median <= IMPORT_BUDGET_MS,
      });
    }
    return [e, fixed(above.median), spread(above, fixed), fixed(inner.median)];
  });

  return {
    id: "size",
    title: "3. Size and start-up",
    intro: [
      `Sizes: each entry bundled by esbuild ${packageVersion("esbuild")} (\`--bundle --minify --format=esm\`, platform \`browser\` unless marked Node-only), gzip level 9. "Whole entry" rows re-export everything the entry exports; the \`{ create…Client }\` rows import only the factory, which is what tree-shaking leaves in an application. "Strings emptied" is the same bundle with every string literal and template text made empty (messages, header names, keys): no rewording of messages can take an entry below it. The "@bucketry/auth left out" rows bundle each factory without any auth code: no lazy loading of auth modes can take a factory below them. The floor rows bundle peers that together do only part of a signed provider entry's work (no typed errors, paging, option checks, redaction or provider code). For entries over budget the last column names the largest contributors (bytes of minified output by package).`,
      `Cold import: a fresh \`node --input-type=module -e "await import(entry)"\` per run, ${runs} runs per entry interleaved with bare \`node\` (median ${fixed(bare.median)} ms here); "above bare node" is the paired difference of wall times, "in-process" the \`import()\` alone as timed inside the child.`,
    ],
    tables: [
      {
        caption: "Bundle size",
        markdown: table(
          [
            "entry",
            "minified",
            "min+gzip",
            "min+gzip, strings emptied",
            "budget",
            "largest contributors (minified)",
          ],
          sizeRows,
        ),
      },
      {
        caption: "Cold import time",
        markdown: table(
          ["entry", "ms above bare node (median)", "p25–p75", "in-process import() ms"],
          importRows,
        ),
      },
    ],
    targets,
  };
}
