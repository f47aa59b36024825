/** The NAVER Archive Storage fake (Swift 2.15.1 account GET + Keystone v3), driven with plain fetch. */
import { afterEach, describe, expect, it } from "vitest";
import {
  type ArchiveStorageFake,
  type ArchiveStorageFakeOptions,
  startArchiveStorageFake,
} from "../src/fakes/ncloud.js";
import { compareUtf8 } from "../src/seed.js";

const fakes: ArchiveStorageFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function start(options: ArchiveStorageFakeOptions = {}): Promise<ArchiveStorageFake> {
  const fake = await startArchiveStorageFake(options);
  fakes.push(fake);
  return fake;
}

type Auth = { user?: Record<string, unknown>; project?: string | null; query?: string };

function tokenRequest(fake: ArchiveStorageFake, auth: Auth = {}): Promise<Response> {
  const { accessKeyId, secretKey, domainId, projectId } = fake.credentials;
  const body = {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: auth.user ?? { name: accessKeyId, password: secretKey, domain: { id: domainId } } },
      },
      ...(auth.project === null ? {} : { scope: { project: { id: auth.project ?? projectId } } }),
    },
  };
  return fetch(`${fake.keystoneUrl}/v3/auth/tokens${auth.query ?? ""}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function token(fake: ArchiveStorageFake, project?: string): Promise<string> {
  const response = await tokenRequest(fake, { project });
  expect(response.status).toBe(201);
  return response.headers.get("x-subject-token")!;
}

async function list(
  fake: ArchiveStorageFake,
  query = "",
  headers: Record<string, string> = {},
  authToken?: string,
): Promise<Response> {
  return fetch(`${fake.storageUrl}${query}`, {
    headers: { "X-Auth-Token": authToken ?? (await token(fake)), ...headers },
  });
}

async function names(fake: ArchiveStorageFake, query: string, authToken?: string): Promise<string[]> {
  const response = await list(fake, `?format=json${query ? `&${query}` : ""}`, {}, authToken);
  expect(response.status).toBe(200);
  const body = (await response.json()) as Array<{ name?: string; subdir?: string }>;
  return body.map((entry) => entry.name ?? `subdir:${entry.subdir}`);
}

interface TokenBody {
  expires_at: string;
  issued_at: string;
  methods: string[];
  project: object;
  user: object;
  catalog: Array<{ endpoints: Array<{ url: string }> }>;
}

const SEED_CONTAINERS = [
  { name: "ncloud-container-0", count: 0, bytes: 0, last_modified: "2018-09-11T02:11:35.010250" },
  { name: "ncloud-container-1", count: 0, bytes: 0, last_modified: "2018-09-11T02:11:41.481410" },
];

describe("Keystone v3 tokens", () => {
  it("issues a project-scoped token: 201, X-Subject-Token, Keystone's body", async () => {
    const fake = await start();
    const before = Date.now();
    const response = await tokenRequest(fake);
    expect(response.status).toBe(201);
    const subject = response.headers.get("x-subject-token");
    expect(subject).toMatch(/^gAAAAA[\w-]{100,}$/);
    expect(response.headers.get("content-type")).toBe("application/json");
    const { token: body } = (await response.json()) as { token: TokenBody };
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(body.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const lifetime = Date.parse(body.expires_at) - Date.parse(body.issued_at);
    expect(Math.abs(lifetime - 24 * 3600 * 1000)).toBeLessThan(5);
    expect(Date.parse(body.issued_at)).toBeGreaterThanOrEqual(before - 1);
    expect(body.methods).toEqual(["password"]);
    expect(body.project).toMatchObject({ id: fake.credentials.projectId, domain: { id: "default" } });
    expect(body.user).toMatchObject({ name: fake.credentials.accessKeyId, domain: { id: "default" } });
    expect(body.catalog[0]?.endpoints[0]?.url).toBe(fake.storageUrl);
    expect(fake.issuedTokens.get(subject!)?.project.id).toBe(fake.credentials.projectId);

    const noCatalog = await tokenRequest(fake, { query: "?nocatalog" });
    expect(((await noCatalog.json()) as { token: object }).token).not.toHaveProperty("catalog");
  });

  it("refuses bad credentials, the domain name form, a missing scope and foreign projects with 401", async () => {
    const fake = await start();
    const { accessKeyId, secretKey } = fake.credentials;
    const refusals = [
      await tokenRequest(fake, { user: { name: accessKeyId, password: "wrong", domain: { id: "default" } } }),
      await tokenRequest(fake, { user: { name: "nobody", password: secretKey, domain: { id: "default" } } }),
      await tokenRequest(fake, { user: { name: accessKeyId, password: secretKey, domain: { id: "other" } } }),
      await tokenRequest(fake, {
        user: { name: accessKeyId, password: secretKey, domain: { name: "Default" } },
      }),
      await tokenRequest(fake, { project: null }),
      await tokenRequest(fake, { project: "someone-elses-project" }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(401);
      expect(response.headers.get("x-subject-token")).toBeNull();
      expect(response.headers.get("www-authenticate")).toBe(`Keystone uri="${fake.url}"`);
      expect(await response.json()).toEqual({
        error: {
          code: 401,
          message: "The request you have made requires authentication.",
          title: "Unauthorized",
        },
      });
    }
    const malformed = await fetch(`${fake.url}/v3/auth/tokens`, { method: "POST", body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { title: string } }).error.title).toBe("Bad Request");
    expect(fake.issuedTokens.size).toBe(0);
  });

  it("validates and revokes tokens (GET/HEAD/DELETE /v3/auth/tokens)", async () => {
    const fake = await start();
    const caller = await token(fake);
    const subject = await token(fake);
    const headers = { "X-Auth-Token": caller, "X-Subject-Token": subject };
    const validated = await fetch(`${fake.url}/v3/auth/tokens`, { headers });
    expect(validated.status).toBe(200);
    expect(validated.headers.get("x-subject-token")).toBe(subject);
    expect((await fetch(`${fake.url}/v3/auth/tokens`, { method: "HEAD", headers })).status).toBe(200);

    const revoked = await fetch(`${fake.url}/v3/auth/tokens`, { method: "DELETE", headers });
    expect(revoked.status).toBe(204);
    expect((await list(fake, "", {}, subject)).status).toBe(401);
    expect((await list(fake, "", {}, caller)).status).toBe(200);
    const again = await fetch(`${fake.url}/v3/auth/tokens`, { method: "DELETE", headers });
    expect(again.status).toBe(404);
    expect((await fetch(`${fake.url}/v3/auth/tokens`, { headers })).status).toBe(404);
    // The caller itself must hold a valid token.
    const anonymous = await fetch(`${fake.url}/v3/auth/tokens`, { headers: { "X-Subject-Token": caller } });
    expect(anonymous.status).toBe(401);
  });

  it("expires tokens after tokenTtlMs, on expireTokens() and on the expire-tokens fault", async () => {
    const fake = await start({ tokenTtlMs: 60_000 });
    const first = await token(fake);
    expect((await list(fake, "", {}, first)).status).toBe(200);
    fake.advanceClock(59_000);
    expect((await list(fake, "", {}, first)).status).toBe(200);
    fake.advanceClock(1_000);
    const expired = await list(fake, "", {}, first);
    expect(expired.status).toBe(401);

    const second = await token(fake);
    fake.expireTokens();
    expect((await list(fake, "", {}, second)).status).toBe(401);

    const third = await token(fake);
    fake.inject({ kind: "expire-tokens" });
    const faulted = await list(fake, "", {}, third);
    expect(faulted.status).toBe(401);
    expect(fake.log.at(-1)?.fault).toBe("expire-tokens");
    // New tokens work again.
    expect((await list(fake)).status).toBe(200);
  });
});

describe("GET /v1/AUTH_{project_id}: auth", () => {
  it("answers 401 with Swift's HTML page for a missing, unknown or expired token", async () => {
    const fake = await start();
    for (const headers of [{}, { "X-Auth-Token": "gAAAAAnot-a-token" }] as Record<string, string>[]) {
      const response = await fetch(fake.storageUrl, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("text/html; charset=UTF-8");
      expect(await response.text()).toBe(
        "<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>",
      );
      expect(response.headers.get("www-authenticate")).toContain(`Keystone uri='${fake.url}'`);
      expect(response.headers.get("x-trans-id")).toMatch(/^tx[0-9a-f]{21}-[0-9a-f]{10}$/);
    }
  });

  it("answers 403 for a token of another project; that project's own account lists empty", async () => {
    const fake = await start({ extraProjectIds: ["other-project"] });
    const other = await token(fake, "other-project");
    const forbidden = await list(fake, "", {}, other);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe(
      "<html><h1>Forbidden</h1><p>Access was denied to this resource.</p></html>",
    );

    const own = await fetch(`${fake.url}/v1/AUTH_other-project`, { headers: { "X-Auth-Token": other } });
    expect(own.status).toBe(204);
    expect(own.headers.get("x-account-container-count")).toBe("0");
    const ownJson = await fetch(`${fake.url}/v1/AUTH_other-project?format=json`, {
      headers: { "X-Auth-Token": other },
    });
    expect(await ownJson.text()).toBe("[]");
  });

  it("answers 404 off the account path and 405 to other methods", async () => {
    const fake = await start();
    const authToken = await token(fake);
    expect((await fetch(`${fake.url}/v2/whatever`, { headers: { "X-Auth-Token": authToken } })).status).toBe(
      404,
    );
    const post = await fetch(fake.storageUrl, { method: "POST", headers: { "X-Auth-Token": authToken } });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("GET /v1/AUTH_{project_id}: the vendor's examples, byte for byte", () => {
  it("plain text (Content-Length 38) with the account headers", async () => {
    const fake = await start({ containers: SEED_CONTAINERS });
    const response = await list(fake, "", { "X-Newest": "true" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("38");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("ncloud-container-0\nncloud-container-1\n");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("x-timestamp")).toBe("1535685069.28154");
    expect(response.headers.get("x-account-bytes-used")).toBe("0");
    expect(response.headers.get("x-account-container-count")).toBe("2");
    expect(response.headers.get("x-account-object-count")).toBe("0");
    expect(response.headers.get("x-account-project-domain-id")).toBe("default");
    const transId = response.headers.get("x-trans-id");
    expect(transId).toMatch(/^tx[0-9a-f]{21}-[0-9a-f]{10}$/);
    expect(response.headers.get("x-openstack-request-id")).toBe(transId);
    expect(response.headers.get("date")).toMatch(/GMT$/);
  });

  it("JSON (Content-Length 206) and XML (Content-Length 392)", async () => {
    const fake = await start({ containers: SEED_CONTAINERS });
    const json = await list(fake, "?format=json");
    expect(json.headers.get("content-length")).toBe("206");
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await json.text()).toBe(
      '[{"count": 0, "last_modified": "2018-09-11T02:11:35.010250", "bytes": 0, "name": "ncloud-container-0"}, ' +
        '{"count": 0, "last_modified": "2018-09-11T02:11:41.481410", "bytes": 0, "name": "ncloud-container-1"}]',
    );
    const xml = await list(fake, "?format=xml");
    expect(xml.headers.get("content-length")).toBe("392");
    expect(xml.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(await xml.text()).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<account name="AUTH_${fake.credentials.projectId}">`,
        "<container><name>ncloud-container-0</name><count>0</count><bytes>0</bytes><last_modified>2018-09-11T02:11:35.010250</last_modified></container>",
        "<container><name>ncloud-container-1</name><count>0</count><bytes>0</bytes><last_modified>2018-09-11T02:11:41.481410</last_modified></container>",
        "</account>",
      ].join("\n"),
    );
  });
});

describe("GET /v1/AUTH_{project_id}: query parameters", () => {
  const containers = ["a-1", "a-2", "b", "b-x-1", "b-x-2", "b-y", "c", "d"].map((name) => ({ name }));

  it("limit: a page, 0, the maximum, 412 above it; non-numeric and negative values are ignored", async () => {
    const fake = await start({ containers });
    expect(await names(fake, "limit=2")).toEqual(["a-1", "a-2"]);
    expect(await names(fake, "limit=0")).toEqual([]);
    expect((await list(fake, "?limit=0")).status).toBe(204);
    expect(await names(fake, "limit=10000")).toHaveLength(8);
    expect(await names(fake, "limit=ten")).toHaveLength(8);
    expect(await names(fake, "limit=-1")).toHaveLength(8);
    expect(await names(fake, "limit=")).toHaveLength(8);
    for (const limit of ["10001", "99999999999999999999"]) {
      const tooMany = await list(fake, `?limit=${limit}`);
      expect(tooMany.status).toBe(412);
      expect(tooMany.headers.get("content-type")).toBe("text/html; charset=UTF-8");
      expect(await tooMany.text()).toBe("Maximum limit is 10000");
    }
  });

  it("marker and end_marker are exclusive; prefix filters; they combine", async () => {
    const fake = await start({ containers });
    expect(await names(fake, "marker=b")).toEqual(["b-x-1", "b-x-2", "b-y", "c", "d"]);
    expect(await names(fake, "marker=b-")).toEqual(["b-x-1", "b-x-2", "b-y", "c", "d"]);
    expect(await names(fake, "end_marker=b")).toEqual(["a-1", "a-2"]);
    expect(await names(fake, "marker=a-1&end_marker=b-x-2")).toEqual(["a-2", "b", "b-x-1"]);
    expect(await names(fake, "prefix=b-")).toEqual(["b-x-1", "b-x-2", "b-y"]);
    expect(await names(fake, "prefix=b-&marker=a")).toEqual(["b-x-1", "b-x-2", "b-y"]);
    expect(await names(fake, "prefix=b-&marker=b-x-1&limit=1")).toEqual(["b-x-2"]);
    expect(await names(fake, "prefix=b-&end_marker=b-y")).toEqual(["b-x-1", "b-x-2"]);
    expect(await names(fake, "prefix=zzz")).toEqual([]);
    expect((await list(fake, "?prefix=zzz")).status).toBe(204);
    expect((await list(fake, "?marker=d")).status).toBe(204);
  });

  it("delimiter rolls names up into subdir entries that count toward limit", async () => {
    const fake = await start({ containers });
    expect(await names(fake, "delimiter=-")).toEqual(["subdir:a-", "b", "subdir:b-", "c", "d"]);
    expect(await names(fake, "delimiter=-&limit=3")).toEqual(["subdir:a-", "b", "subdir:b-"]);
    expect(await names(fake, "delimiter=-&prefix=b-")).toEqual(["subdir:b-x-", "b-y"]);
    // A subdir used as the marker is not listed again (Swift's dir_name != marker rule).
    expect(await names(fake, "delimiter=-&marker=a-")).toEqual(["b", "subdir:b-", "c", "d"]);
    expect(await names(fake, "delimiter=-&marker=b-")).toEqual(["c", "d"]);
    const json = await list(fake, "?format=json&delimiter=-&limit=1");
    expect(await json.text()).toBe('[{"subdir": "a-"}]');
    const xml = await list(fake, "?format=xml&delimiter=-&prefix=b-");
    expect(await xml.text()).toContain('<subdir name="b-x-" />\n<container><name>b-y</name>');
    const plain = await list(fake, "?delimiter=-");
    expect(await plain.text()).toBe("a-\nb\nb-\nc\nd\n");
  });

  it("a leading delimiter: a container in 2.15.1, rolled up to the delimiter itself since 2.24.0", async () => {
    const hidden = [".hidden-a", ".hidden-b", "a.b", "c"].map((name) => ({ name }));
    const old = await start({ containers: hidden });
    expect(await names(old, "delimiter=.")).toEqual([".hidden-a", ".hidden-b", "subdir:a.", "c"]);
    const fake = await start({ containers: hidden, rollUpLeadingDelimiter: true });
    expect(await names(fake, "delimiter=.")).toEqual(["subdir:.", "subdir:a.", "c"]);
    // Paging on: the subdir "." as marker is not listed again, and nothing after it is skipped.
    expect(await names(fake, "delimiter=.&limit=1")).toEqual(["subdir:."]);
    expect(await names(fake, "delimiter=.&marker=.")).toEqual(["subdir:a.", "c"]);
    expect(await names(fake, "delimiter=.&reverse=true")).toEqual(["c", "subdir:a.", "subdir:."]);
    expect(await (await list(fake, "?delimiter=.")).text()).toBe(".\na.\nc\n");
  });

  it("delimiter must be one byte: 412 Bad delimiter otherwise; empty means none", async () => {
    const fake = await start({ containers });
    for (const delimiter of ["--", "%C3%A9"]) {
      const response = await list(fake, `?delimiter=${delimiter}`);
      expect(response.status).toBe(412);
      expect(await response.text()).toBe("Bad delimiter");
    }
    expect(await names(fake, "delimiter=")).toHaveLength(8);
  });

  it("reverse (true/1/yes/on/t/y, any case) reverses, and swaps marker and end_marker", async () => {
    const fake = await start({ containers });
    const all = ["a-1", "a-2", "b", "b-x-1", "b-x-2", "b-y", "c", "d"];
    for (const value of ["true", "1", "yes", "on", "TRUE", "t", "Y"]) {
      expect(await names(fake, `reverse=${value}`)).toEqual([...all].reverse());
    }
    for (const value of ["false", "0", "no", ""]) expect(await names(fake, `reverse=${value}`)).toEqual(all);
    expect(await names(fake, "reverse=on&marker=c&end_marker=a-1")).toEqual([
      "b-y",
      "b-x-2",
      "b-x-1",
      "b",
      "a-2",
    ]);
    expect(await names(fake, "reverse=on&marker=b&limit=1")).toEqual(["a-2"]);
    expect(await names(fake, "reverse=on&delimiter=-")).toEqual(["d", "c", "subdir:b-", "b", "subdir:a-"]);
    expect(await names(fake, "reverse=on&prefix=b-")).toEqual(["b-y", "b-x-2", "b-x-1"]);
  });

  it("parses the query like Python 2: ';' separates pairs, '+' is a space, bad UTF-8 is a 400", async () => {
    const fake = await start({ containers: [{ name: "a b" }, { name: "a;b" }, { name: "c" }] });
    expect(await names(fake, "marker=a+b")).toEqual(["a;b", "c"]);
    expect(await names(fake, "marker=a%3Bb")).toEqual(["c"]);
    expect(await names(fake, "marker=a;limit=1")).toEqual(["a b"]);
    const bad = await list(fake, "?marker=%FF");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('"marker" parameter not valid UTF-8');
  });
});

describe("GET /v1/AUTH_{project_id}: formats", () => {
  it("negotiates format and Accept like Swift, 406 when nothing matches", async () => {
    const fake = await start();
    const cases: Array<[string, Record<string, string>, string]> = [
      ["", {}, "text/plain"],
      ["?format=json", { Accept: "text/plain" }, "application/json"],
      ["?format=JSON", {}, "application/json"],
      ["?format=xml", {}, "application/xml"],
      ["?format=plain", { Accept: "application/json" }, "text/plain"],
      ["?format=bogus", { Accept: "application/json" }, "text/plain"],
      ["", { Accept: "application/json" }, "application/json"],
      ["", { Accept: "application/xml" }, "application/xml"],
      ["", { Accept: "text/xml" }, "text/xml"],
      ["", { Accept: "*/*" }, "text/plain"],
      ["", { Accept: "application/*" }, "application/json"],
      ["", { Accept: "text/html, application/json;q=0.5, application/xml;q=0.9" }, "application/xml"],
      ["", { Accept: "text/*;q=0.5, application/json" }, "application/json"],
      ["?format=json", { Accept: "text/html" }, "application/json"],
    ];
    for (const [query, headers, type] of cases) {
      const response = await list(fake, query, headers);
      expect(response.status, `${query} ${JSON.stringify(headers)}`).toBe(200);
      expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
    }
    for (const accept of ["text/html", "image/png", "application/json;q=x", "application/json,"]) {
      const response = await list(fake, "", { Accept: accept });
      expect(response.status, accept).toBe(406);
      expect(await response.text()).toBe(
        "<html><h1>Not Acceptable</h1><p>The resource is not available in a format acceptable to your browser.</p></html>",
      );
    }
  });

  it("empty listings: plain 204 with Content-Length 0, JSON [], XML an empty account element", async () => {
    const fake = await start({ containers: [] });
    const plain = await list(fake);
    expect(plain.status).toBe(204);
    expect(plain.headers.get("content-length")).toBe("0");
    expect(plain.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(plain.headers.get("x-account-container-count")).toBe("0");
    expect(await plain.text()).toBe("");
    const json = await list(fake, "?format=json");
    expect(json.status).toBe(200);
    expect(await json.text()).toBe("[]");
    const xml = await list(fake, "", { Accept: "text/xml" });
    expect(xml.status).toBe(200);
    expect(await xml.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<account name="AUTH_${fake.credentials.projectId}">\n</account>`,
    );
  });

  it("sorts by UTF-8 bytes, writes JSON ASCII-only (\\u escapes) and escapes XML", async () => {
    const names_ = ["z", "é", "a&b<c>\"'", "｡", "𝄞", "ÿ", "A"];
    const fake = await start({ containers: names_.map((name) => ({ name, count: 1, bytes: 2 })) });
    const expected = [...names_].sort(compareUtf8);
    expect(expected).toEqual(["A", "a&b<c>\"'", "z", "é", "ÿ", "｡", "𝄞"]);
    const json = await list(fake, "?format=json");
    const text = await json.text();
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).toContain('"name": "\\u00e9"');
    expect(text).toContain('"name": "\\ud834\\udd1e"');
    expect((JSON.parse(text) as Array<{ name: string }>).map((c) => c.name)).toEqual(expected);
    const plain = await list(fake);
    expect(await plain.text()).toBe(`${expected.join("\n")}\n`);
    const xml = await (await list(fake, "?format=xml")).text();
    expect(xml).toContain("<name>a&amp;b&lt;c&gt;\"'</name>");
    expect(xml).toContain("<name>𝄞</name>");
    const subdirs = await start({ containers: [{ name: 'q"&-1' }] });
    const rolled = await (await list(subdirs, "?format=xml&delimiter=-")).text();
    expect(rolled).toContain("<subdir name='q\"&amp;-' />");
  });
});

describe("GET /v1/AUTH_{project_id}: headers", () => {
  it("sends metadata, storage-policy usage, big counters and X-Timestamp, on 200, 204 and HEAD", async () => {
    const fake = await start({
      containers: [{ name: "a", count: 3, bytes: 10 }],
      metadata: { "Temp-URL-Key": "secret", "Quota-Bytes": "1099511627776", Color: "blue", Empty: "" },
      policies: [{ name: "Policy-0", bytesUsed: "18446744073709551615", containerCount: 1, objectCount: 3n }],
      accountBytesUsed: 18446744073709551615n,
      accountObjectCount: "9007199254740993",
      timestamp: 1600000000.5,
    });
    for (const [query, status] of [
      ["", 200],
      ["?marker=z", 204],
    ] as const) {
      const response = await list(fake, query);
      expect(response.status).toBe(status);
      const h = response.headers;
      expect(h.get("x-account-meta-temp-url-key")).toBe("secret");
      expect(h.get("x-account-meta-quota-bytes")).toBe("1099511627776");
      expect(h.get("x-account-meta-color")).toBe("blue");
      expect(h.has("x-account-meta-empty")).toBe(false);
      expect(h.get("x-account-storage-policy-policy-0-bytes-used")).toBe("18446744073709551615");
      expect(h.get("x-account-storage-policy-policy-0-container-count")).toBe("1");
      expect(h.get("x-account-storage-policy-policy-0-object-count")).toBe("3");
      expect(h.get("x-account-bytes-used")).toBe("18446744073709551615");
      expect(h.get("x-account-object-count")).toBe("9007199254740993");
      expect(h.get("x-account-container-count")).toBe("1");
      expect(h.get("x-timestamp")).toBe("1600000000.50000");
    }
    const head = await fetch(fake.storageUrl, {
      method: "HEAD",
      headers: { "X-Auth-Token": await token(fake) },
    });
    expect(head.status).toBe(204);
    expect(head.headers.get("x-account-bytes-used")).toBe("18446744073709551615");
    expect(head.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("sums the containers' counts and bytes by default", async () => {
    const fake = await start({
      containers: [
        { name: "a", count: 3, bytes: 9007199254740992n },
        { name: "b", count: 4, bytes: 5 },
      ],
    });
    const response = await list(fake);
    expect(response.headers.get("x-account-object-count")).toBe("7");
    expect(response.headers.get("x-account-bytes-used")).toBe("9007199254740997");
    expect(await (await list(fake, "?format=json")).text()).toContain('"bytes": 9007199254740992');
  });
});

describe("state, scale, log and faults", () => {
  it("pages 2,500 containers with limit and marker", async () => {
    const fake = await start({ containers: 2_500 });
    const authToken = await token(fake);
    const seen: string[] = [];
    let marker = "";
    for (;;) {
      const response = await list(fake, `?limit=1000&marker=${encodeURIComponent(marker)}`, {}, authToken);
      if (response.status === 204) break;
      const page = (await response.text()).split("\n").slice(0, -1);
      seen.push(...page);
      if (page.length < 1000) break;
      marker = page.at(-1)!;
    }
    expect(seen).toHaveLength(2_500);
    expect(seen).toEqual(fake.containers.map((c) => c.name));
    expect([...seen].sort(compareUtf8)).toEqual(seen);
    expect(fake.log.filter((r) => r.target.startsWith("/v1/"))).toHaveLength(3);
    const reversed = await names(fake, "reverse=1&limit=3", authToken);
    expect(reversed).toEqual(seen.slice(-3).reverse());
    const rolled = await names(fake, "delimiter=-", authToken);
    expect(rolled.filter((n) => n.startsWith("subdir:")).length).toBeGreaterThan(1);
  });

  it("adds and removes containers", async () => {
    const fake = await start({ containers: [{ name: "b" }] });
    fake.addContainer({ name: "a", count: 1, bytes: 2 });
    fake.addContainer({ name: "c" });
    expect(fake.containers.map((c) => c.name)).toEqual(["a", "b", "c"]);
    expect(fake.containers[2]!.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(fake.removeContainer("b")).toBe(true);
    expect(fake.removeContainer("b")).toBe(false);
    expect(await names(fake, "")).toEqual(["a", "c"]);
    expect(() => fake.addContainer({ name: "a/b" })).toThrow(TypeError);
  });

  it("logs requests as received", async () => {
    const fake = await start();
    const authToken = await token(fake);
    await fetch(`${fake.storageUrl}?format=json&prefix=%E2%82%AC`, {
      headers: { "X-Auth-Token": authToken },
    });
    const entry = fake.log.at(-1)!;
    expect(entry.method).toBe("GET");
    expect(entry.target).toBe(`/v1/${fake.account}?format=json&prefix=%E2%82%AC`);
    expect(entry.headers["x-auth-token"]).toBe(authToken);
    expect(entry.status).toBe(200);
    expect(fake.log[0]!.method).toBe("POST");
    expect(JSON.parse(fake.log[0]!.body.toString()).auth.identity.methods).toEqual(["password"]);
  });

  it("applies injected faults: status bursts with Retry-After, latency, reset, truncate, malformed JSON", async () => {
    const fake = await start();
    const authToken = await token(fake);
    fake.inject({ kind: "status", status: 503, retryAfter: 2 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await list(fake, "", {}, authToken);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("2");
    }
    expect((await list(fake, "", {}, authToken)).status).toBe(200);

    fake.inject({ kind: "latency", ms: 150 });
    const started = performance.now();
    expect((await list(fake, "", {}, authToken)).status).toBe(200);
    // A lower bound only: load can lengthen the wait, never shorten it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    fake.inject({ kind: "reset" });
    await expect(list(fake, "?format=json", {}, authToken).then((r) => r.text())).rejects.toThrow();
    fake.inject({ kind: "truncate" });
    await expect(list(fake, "?format=json", {}, authToken).then((r) => r.text())).rejects.toThrow();
    fake.inject({ kind: "malformed-json" });
    await expect(list(fake, "?format=json", {}, authToken).then((r) => r.json())).rejects.toThrow();
    fake.inject({ kind: "xml-error", status: 500, code: "InternalError", message: "boom" });
    expect((await list(fake, "", {}, authToken)).status).toBe(500);
    expect((await list(fake, "", {}, authToken)).status).toBe(200);
  });
});
