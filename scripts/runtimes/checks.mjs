// The one set of checks every runtime of the matrix runs (scripts/test-runtimes.mjs): copied into a
// plain consumer project that installed the packed tarballs, and run there as is (Node, Deno, Bun)
// or bundled as a user's bundler would (workerd, the browser). Web-standard APIs only. The fakes it
// talks to run on Node, started by the harness, which passes their URLs and keys in `config`.

/** Every entry point a user can import, with one export each must have. */
const ENTRIES = [
  ["@bucketry/core", () => import("@bucketry/core"), "ConnectionError"],
  ["@bucketry/auth", () => import("@bucketry/auth"), "signAwsV4Request"],
  ["@bucketry/hitachi", () => import("@bucketry/hitachi"), "createVspOneObjectClient"],
  ["@bucketry/huaweicloud/mpc", () => import("@bucketry/huaweicloud/mpc"), "createMpcClient"],
  ["@bucketry/huaweicloud/dbss", () => import("@bucketry/huaweicloud/dbss"), "createDbssClient"],
  ["@bucketry/ncloud", () => import("@bucketry/ncloud"), "createArchiveStorageClient"],
  ["@bucketry/virtuozzo", () => import("@bucketry/virtuozzo"), "createOstorClient"],
  ["bucketry", () => import("bucketry"), "listBuckets"],
  ["bucketry/hitachi", () => import("bucketry/hitachi"), "hitachiSource"],
  ["bucketry/huaweicloud", () => import("bucketry/huaweicloud"), "mpcSource"],
  ["bucketry/ncloud", () => import("bucketry/ncloud"), "ncloudSource"],
  ["bucketry/virtuozzo", () => import("bucketry/virtuozzo"), "ostorSource"],
];

const DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
const AWS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const HUAWEI = { accessKey: "HUAWEIAK", secretKey: "huawei-secret-key" };
const JSON_BODY = '{"name":"ünïcode bucket","tags":["a","b"]}';

/**
 * Fixed inputs signed with every signer, as parts and as Requests (the wrappers). Each returns the
 * headers it set, sorted; the harness compares them with Node 20's.
 */
function vectors(auth) {
  const parts = (method, url, headers, body) => ({
    method,
    url,
    headers: new Headers(headers),
    body: body === null ? null : new TextEncoder().encode(body),
  });
  const json = { "content-type": "application/json" };
  const req = (method, url, headers, body) => new Request(url, { method, headers, body });
  const v4 = { region: "ostor", service: "s3", date: DATE };
  return {
    "huawei parts GET": () =>
      auth.huaweiSignatureHeaders(
        parts("GET", "https://mpc.cn-north-4.myhuaweicloud.com/v1/p1/buckets?b=2&a=1&a=0", {}, null),
        HUAWEI,
        { date: DATE, projectId: "p1" },
      ),
    "huawei parts POST json": () =>
      auth.huaweiSignatureHeaders(
        parts("POST", "https://dbss.example.com/v2/p1/audit?x=%20y", json, JSON_BODY),
        { ...HUAWEI, securityToken: "sts-token" },
        { date: DATE },
      ),
    "huawei Request POST json": () =>
      auth.signHuaweiRequest(req("POST", "https://mpc.example.com/v1/p1/jobs", json, JSON_BODY), HUAWEI, {
        date: DATE,
      }),
    "sigv4 parts GET": () =>
      auth.awsV4SignatureHeaders(
        parts("GET", "https://s3.example.com/?ostor-users&id=a%20b", {}, null),
        AWS,
        v4,
      ),
    "sigv4 parts PUT json": () =>
      auth.awsV4SignatureHeaders(
        parts("PUT", "https://s3.example.com/bucket/ключ.txt", json, JSON_BODY),
        { ...AWS, sessionToken: "session" },
        { region: "us-east-1", service: "execute-api", date: DATE },
      ),
    "sigv4 Request PUT json": () =>
      auth.signAwsV4Request(req("PUT", "https://s3.example.com/b/k", json, JSON_BODY), AWS, v4),
    "ostor v2 parts x-amz-date": () =>
      auth.ostorV2SignatureHeaders(parts("GET", "https://s3.example.com/?ostor-users&space", {}, null), AWS, {
        date: DATE,
        useAmzDate: true,
      }),
    "ostor v2 Request PUT json": () =>
      auth.signOstorV2Request(req("PUT", "https://s3.example.com/b/k?acl", json, JSON_BODY), AWS, {
        date: DATE,
        useAmzDate: true,
      }),
  };
}

/** Sorted `name: value` lines of a signature's headers or a signed Request's. */
function headersOf(signed) {
  const entries = signed instanceof Request ? [...signed.headers] : Object.entries(signed.headers);
  const { url } = signed;
  return {
    headers: entries.map(([name, value]) => [name.toLowerCase(), value]).sort(([a], [b]) => (a < b ? -1 : 1)),
    ...(url === undefined ? {} : { url }),
  };
}

async function signAll(table) {
  const out = {};
  for (const [name, sign] of Object.entries(table)) out[name] = headersOf(await sign());
  return out;
}

/** A string body signed without a Content-Type: Bun's Request adds none, the others `text/plain`. */
function stringBodyVector(auth) {
  const request = new Request("https://s3.example.com/b/note.txt", { method: "PUT", body: "hello" });
  return auth.signOstorV2Request(request, AWS, { date: DATE, useAmzDate: true });
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs every check. `config`: `{ runtime, platform, fakes, expected, refusedUrl, reference }` where
 * platform is node | deno | bun | workerd | browser and `reference` holds Node 20's vectors (absent
 * when this is Node 20). Resolves to `{ results: [{ name, status, detail }], vectors }`, status one
 * of passed | failed | cannot (an expected, documented impossibility, proven to fail as documented).
 */
export async function runChecks(config) {
  const results = [];
  const check = async (name, fn) => {
    try {
      const outcome = (await fn()) ?? {};
      results.push({ name, status: outcome.status ?? "passed", detail: outcome.detail ?? "" });
    } catch (error) {
      results.push({ name, status: "failed", detail: describe(error) });
    }
  };
  const browser = config.platform === "browser";
  // Only Node 20 is the reference; anywhere else a missing reference must not pass as one.
  const isReference = config.runtime === "node20";
  if (!isReference && !config.reference?.vectors) throw new Error("no Node 20 signatures to compare with");
  const modules = {};

  await check("import every entry", async () => {
    const missing = [];
    for (const [name, load, exported] of ENTRIES) {
      modules[name] = await load();
      if (typeof modules[name][exported] !== "function") missing.push(`${name} ${exported}`);
    }
    if (missing.length > 0) throw new Error(`missing exports: ${missing.join(", ")}`);
    return { detail: `${ENTRIES.length} entries` };
  });
  if (!modules["bucketry/virtuozzo"]) return { results, vectors: {} };
  const auth = modules["@bucketry/auth"];
  const core = modules["@bucketry/core"];

  let vectorsOut = {};
  await check("signatures equal Node 20's", async () => {
    vectorsOut = await signAll(vectors(auth));
    if (isReference) return { detail: `reference: ${Object.keys(vectorsOut).length} vectors` };
    const differ = Object.keys(vectorsOut).filter(
      (name) => !same(vectorsOut[name], config.reference.vectors[name]),
    );
    if (differ.length > 0) {
      throw new Error(`differ: ${differ.map((n) => `${n} ${JSON.stringify(vectorsOut[n])}`).join("; ")}`);
    }
    return { detail: `${Object.keys(vectorsOut).length} vectors` };
  });

  await check("string body signature (Bun: no default Content-Type)", async () => {
    const signed = headersOf(await stringBodyVector(auth));
    vectorsOut["string body"] = signed;
    const type = signed.headers.find(([name]) => name === "content-type")?.[1];
    if (config.platform === "bun") {
      // Documented in the auth README: Bun signs (and sends) no Content-Type, so it differs from Node.
      if (type !== undefined) throw new Error(`Bun now adds Content-Type ${type}: update the auth README`);
      if (same(signed, config.reference.vectors["string body"])) {
        throw new Error("equals Node's although Bun sent no Content-Type");
      }
      return { detail: "no Content-Type, signature differs from Node's as documented" };
    }
    if (type !== "text/plain;charset=UTF-8") throw new Error(`Content-Type ${type}`);
    if (!isReference && !same(signed, config.reference.vectors["string body"])) {
      throw new Error(`differs from Node 20's: ${JSON.stringify(signed)}`);
    }
    return { detail: type };
  });

  await check("ostor v2 time header for this platform", async () => {
    const { headers } = await auth.ostorV2SignatureHeaders(
      { method: "GET", url: "https://s3.example.com/?ostor-users", headers: new Headers(), body: null },
      AWS,
      { date: DATE },
    );
    const want = browser ? "x-amz-date" : "date";
    if (!(want in headers) || Object.keys(headers).length !== 2) {
      throw new Error(`signed ${Object.keys(headers).join(", ")}; wanted ${want}`);
    }
    // The Request wrapper too: what it hands back carries the header its signature covers.
    const signed = await auth.signOstorV2Request(new Request("https://s3.example.com/?ostor-users"), AWS, {
      date: DATE,
    });
    const other = browser ? "date" : "x-amz-date";
    if (!signed.headers.has(want) || signed.headers.has(other)) {
      throw new Error(`the signed Request has ${[...signed.headers.keys()].join(", ")}; wanted ${want}`);
    }
    return { detail: `signs ${want}, as parts and as a Request` };
  });

  const { fakes, expected } = config;
  const names = (list) => list.map((item) => item.name).sort();
  const expectNames = (got, want) => {
    if (!same(got, want)) throw new Error(`got ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
    return { detail: `${got.length} listed` };
  };
  const hitachiOptions = {
    baseUrl: fakes.hitachi.mapiUrl,
    tokenUrl: fakes.hitachi.tokenUrl,
    credentials: { type: "password", ...fakes.hitachi.credentials },
    retry: false,
  };
  const huawei = (fake) => ({
    baseUrl: fake.url,
    projectId: fake.projectId,
    credentials: { type: "aksk", ...fake.credentials },
  });
  const ncloudOptions = {
    baseUrl: fakes.ncloud.url,
    authUrl: `${fakes.ncloud.keystoneUrl}/v3`,
    projectId: fakes.ncloud.credentials.projectId,
    credentials: { type: "keystone", ...fakes.ncloud.credentials },
  };

  await check("list hitachi", async () => {
    const client = modules["@bucketry/hitachi"].createVspOneObjectClient(hitachiOptions);
    const listing = client.listBuckets({ userId: expected.hitachiUserId }).all();
    if (!browser) return expectNames(names(await listing), expected.hitachi);
    // A page can neither read the CSRF cookie's Set-Cookie nor send a Cookie header (README).
    const error = await listing.then(
      () => undefined,
      (e) => e,
    );
    if (!error) throw new Error("listed from a page: the README's 'cannot' is out of date");
    return { status: "cannot", detail: `fails as documented (CSRF cookie): ${describe(error)}` };
  });
  await check("list huaweicloud mpc", async () =>
    expectNames(
      names(
        await modules["@bucketry/huaweicloud/mpc"].createMpcClient(huawei(fakes.mpc)).listBuckets().all(),
      ),
      expected.mpc,
    ),
  );
  await check("list huaweicloud dbss", async () =>
    expectNames(
      names(
        await modules["@bucketry/huaweicloud/dbss"].createDbssClient(huawei(fakes.dbss)).listBuckets().all(),
      ),
      expected.dbss,
    ),
  );
  await check("list ncloud", async () =>
    expectNames(
      names(
        await modules["@bucketry/ncloud"].createArchiveStorageClient(ncloudOptions).listContainers().all(),
      ),
      expected.ncloud,
    ),
  );
  for (const signature of ["v2", "v4"]) {
    await check(`list virtuozzo (${signature})`, async () => {
      const ostor = modules["@bucketry/virtuozzo"].createOstorClient({
        baseUrl: fakes.ostor.url,
        credentials: { type: "aksk", from: fakes.ostor.credentials },
        signature,
      });
      const emails = (await ostor.listUsers().all()).map((user) => user.email).sort();
      return expectNames(emails, expected.ostor);
    });
  }

  await check("facade: listBuckets and listUsers", async () => {
    const { collectBuckets, collect, listUsers } = modules.bucketry;
    const sources = [
      modules["bucketry/huaweicloud"].mpcSource(huawei(fakes.mpc)),
      modules["bucketry/huaweicloud"].dbssSource(huawei(fakes.dbss)),
      modules["bucketry/ncloud"].ncloudSource(ncloudOptions),
    ];
    // Hitachi cannot list from a page (see above); everywhere else it is one of the sources.
    if (!browser) {
      sources.push(
        modules["bucketry/hitachi"].hitachiSource({ ...hitachiOptions, userIds: [expected.hitachiUserId] }),
      );
    }
    const { buckets, errors } = await collectBuckets(sources);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
    const want = expected.mpc.length + expected.dbss.length + expected.ncloud.length;
    const total = want + (browser ? 0 : expected.hitachi.length);
    if (buckets.length !== total) throw new Error(`${buckets.length} buckets, wanted ${total}`);
    const ostor = modules["bucketry/virtuozzo"].ostorSource({
      baseUrl: fakes.ostor.url,
      credentials: { type: "aksk", from: fakes.ostor.credentials },
    });
    const users = await collect(listUsers([ostor]));
    if (users.length !== expected.ostor.length) throw new Error(`${users.length} users`);
    return { detail: `${buckets.length} buckets from ${sources.length} sources, ${users.length} users` };
  });

  await check("refused connection: ConnectionError, retried", async () => {
    const events = [];
    const mpc = modules["@bucketry/huaweicloud/mpc"].createMpcClient({
      ...huawei(fakes.mpc),
      baseUrl: config.refusedUrl,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      onEvent: (event) => events.push(event.type),
    });
    const error = await mpc
      .listBuckets()
      .all()
      .then(
        () => undefined,
        (e) => e,
      );
    if (!(error instanceof core.ConnectionError))
      throw new Error(`not a ConnectionError: ${describe(error)}`);
    const retries = events.filter((type) => type === "retry").length;
    if (retries !== 1) throw new Error(`${retries} retries, wanted 1`);
    return { detail: `${error.name} after 1 retry` };
  });

  return { results, vectors: vectorsOut };
}

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}
