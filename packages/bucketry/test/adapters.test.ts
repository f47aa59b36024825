import { InvalidInputError, NotFoundError, PermissionError } from "@bucketry/core";
import { startFakeServer } from "@bucketry/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hitachiSource } from "../src/adapters/hitachi.js";
import { dbssSource, mpcSource } from "../src/adapters/huaweicloud.js";
import { ncloudSource } from "../src/adapters/ncloud.js";
import { ostorSource } from "../src/adapters/virtuozzo.js";
import {
  type Bucket,
  collect,
  collectBuckets,
  extraField,
  listBuckets,
  listUsers,
  MissingProviderError,
  type Source,
  type SourceError,
} from "../src/index.js";
import { type Fakes, HITACHI_USER, SEED, startFakes } from "./fakes.js";

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(() => fakes.close());

type Fetch = (request: Request) => Promise<Response>;

/** One source per provider, pointed at the fakes; `fetch` (e.g. a counting one) is passed to every client. */
function sources(fetch?: Fetch, pageSize = 25) {
  const { hitachi, mpc, dbss, ncloud, ostor } = fakes;
  const huawei = {
    projectId: mpc.projectId,
    credentials: { type: "aksk" as const, ...mpc.credentials },
    ...(fetch ? { fetch } : {}),
  };
  return {
    hitachi: hitachiSource({
      baseUrl: hitachi.cluster.mapiUrl,
      tokenUrl: hitachi.cluster.tokenUrl,
      credentials: {
        type: "password",
        username: hitachi.credentials.username,
        password: hitachi.credentials.password,
      },
      userIds: [HITACHI_USER],
      pageSize,
      ...(fetch ? { fetch } : {}),
    }),
    mpc: mpcSource({ baseUrl: mpc.url, ...huawei }),
    dbss: dbssSource({ baseUrl: dbss.url, ...huawei }),
    ncloud: ncloudSource({
      baseUrl: ncloud.url,
      authUrl: `${ncloud.keystoneUrl}/v3`,
      projectId: ncloud.credentials.projectId,
      credentials: { type: "keystone", ...ncloud.credentials },
      pageSize,
      ...(fetch ? { fetch } : {}),
    }),
    ostor: ostorSource({
      baseUrl: ostor.url,
      credentials: { type: "aksk", from: ostor.credentials },
      ...(fetch ? { fetch } : {}),
    }),
  };
}

describe("each provider's fields are normalised", () => {
  it("hitachi: id and owner as strings, the provider's bucket in raw", async () => {
    const buckets = await collect(listBuckets([sources().hitachi]));
    expect(buckets).toHaveLength(SEED.hitachi);
    const first = fakes.hitachi.users.get(HITACHI_USER)![0]!;
    expect(buckets[0]).toEqual({
      provider: "hitachi-vsp-one-object",
      source: "hitachi-vsp-one-object",
      name: first.bucketName,
      id: String(first.bucketId),
      owner: String(HITACHI_USER),
      raw: { id: first.bucketId, name: first.bucketName, raw: first },
    });
  });

  it("huaweicloud-mpc: createdAt as a Date and authorized", async () => {
    const buckets = await collect(listBuckets([sources().mpc]));
    expect(buckets).toHaveLength(SEED.mpc);
    const byName = new Map(buckets.map((b) => [b.name, b]));
    for (const vendor of fakes.mpc.buckets) {
      const bucket = byName.get(vendor.bucket)!;
      expect(bucket.provider).toBe("huaweicloud-mpc");
      expect(bucket.createdAt).toBeInstanceOf(Date);
      expect(bucket.createdAt!.toISOString().replace(/\D/g, "").slice(0, 14)).toBe(
        String(vendor.creation_date),
      );
      expect(bucket.authorized).toBe(vendor.is_authorized === 1);
      expect((bucket.raw as { raw: unknown }).raw).toEqual(vendor);
    }
  });

  it("huaweicloud-dbss: region from location", async () => {
    const buckets = await collect(listBuckets([sources().dbss]));
    expect(buckets).toHaveLength(SEED.dbss);
    expect(buckets[0]).toMatchObject({ provider: "huaweicloud-dbss", region: fakes.dbss.region });
    expect(buckets.map((b) => b.name).sort()).toEqual(fakes.dbss.buckets.map((b) => b.bucket_name).sort());
  });

  it("ncloud: bytes and objectCount; last_modified stays in raw, not createdAt", async () => {
    const buckets = await collect(listBuckets([sources().ncloud]));
    expect(buckets).toHaveLength(SEED.ncloud);
    const vendor = fakes.ncloud.containers[3]!;
    const bucket = buckets.find((b) => b.name === vendor.name)!;
    expect(bucket).toMatchObject({
      provider: "ncloud-archive-storage",
      bytes: Number(vendor.bytes),
      objectCount: Number(vendor.count),
    });
    expect(bucket.createdAt).toBeUndefined();
    expect((bucket.raw as { lastModified: Date }).lastModified).toBeInstanceOf(Date);
    // Non-ASCII names arrive intact.
    expect(buckets.some((b) => /[^\x20-\x7e]/.test(b.name))).toBe(true);
  });

  it("ncloud: a large account in full pages, every container once and in order, each with its own record", async () => {
    const fake = await startFakeServer("ncloud-archive-storage", { containers: 25_000 });
    try {
      const source = ncloudSource({
        baseUrl: fake.url,
        authUrl: `${fake.keystoneUrl}/v3`,
        projectId: fake.credentials.projectId,
        credentials: { type: "keystone", ...fake.credentials },
      });
      const expected = fake.containers;
      // Through the merge, which takes the source page by page, and through the source itself.
      const merged = await collect(listBuckets([source]));
      const direct = await collect(source.buckets!(new AbortController().signal));
      for (const buckets of [merged, direct]) {
        expect(buckets.map((b) => b.name)).toEqual(expected.map((c) => c.name));
        const i = 12_345;
        expect(buckets[i]).toMatchObject({
          provider: "ncloud-archive-storage",
          bytes: Number(expected[i]!.bytes),
          objectCount: Number(expected[i]!.count),
          raw: { kind: "container", name: expected[i]!.name, raw: expected[i] },
        });
        expect((buckets[i]!.raw as { lastModified: Date }).lastModified.getTime()).toBe(
          Date.parse(`${expected[i]!.last_modified}Z`),
        );
      }
      expect(new Set(merged.map((b) => b.raw)).size).toBe(merged.length);
      expect(merged[0]!.raw).not.toBe(direct[0]!.raw);
    } finally {
      await fake.close();
    }
  });

  it("ncloud: the caller's signal stops the listing within a page", async () => {
    const controller = new AbortController();
    const reason = new Error("enough");
    const names: string[] = [];
    const listing = listBuckets([sources().ncloud], { signal: controller.signal });
    await expect(
      (async () => {
        for await (const bucket of listing) {
          names.push(bucket.name);
          if (names.length === 5) controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    // Pages of 25: the abort came mid-page, and no bucket followed it.
    expect(names).toEqual(fakes.ncloud.containers.slice(0, 5).map((c) => c.name));
  });

  it("virtuozzo users: id, email, state, flags, ownerId (absent for none) and bytes with space", async () => {
    const users = await collect(listUsers([sources().ostor], { space: true }));
    expect(users).toHaveLength(fakes.ostor.users.length);
    const vendor = fakes.ostor.users.find((u) => u.UserEmail === "user2@email.com")!;
    const user = users.find((u) => u.id === vendor.UserId)!;
    expect(user).toMatchObject({
      provider: "virtuozzo-ostor",
      email: "user2@email.com",
      state: "enabled",
      flags: [],
      bytes: vendor.SpaceStat.SizeCurr,
    });
    expect(user.ownerId).toBeUndefined();
    const withoutSpace = await collect(listUsers([sources().ostor]));
    expect(withoutSpace.every((u) => u.bytes === undefined)).toBe(true);
  });

  it("virtuozzo user(): the detail in raw with every secret key redacted", async () => {
    const source = sources().ostor;
    const user = await source.user({ id: "b09693b73b3c7686" });
    expect(user).toMatchObject({ id: "b09693b73b3c7686", state: "disabled", flags: ["disabled"] });
    const printed = JSON.stringify(user);
    expect(printed).toContain("[REDACTED]");
    for (const secret of fakes.secrets) expect(printed).not.toContain(secret);
    await expect(source.user({ email: "nobody@example.com" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(source.user({} as never)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("a field the vendor added after the spec", () => {
  it("is read with extraField, as unknown, from the vendor's object", async () => {
    const { mpc } = fakes;
    // The vendor starts sending storage_class; the fake does not, so the answer is amended on the way.
    const amended: Fetch = async (request) => {
      const response = await fetch(request);
      const body = (await response.json()) as { buckets: Record<string, unknown>[] };
      for (const bucket of body.buckets) bucket.storage_class = "COLD";
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const source = mpcSource({
      baseUrl: mpc.url,
      projectId: mpc.projectId,
      credentials: { type: "aksk", ...mpc.credentials },
      fetch: amended,
    });
    const [bucket] = await collect(listBuckets([source]));
    const storageClass: unknown = extraField(bucket!, "storage_class");
    expect(storageClass).toBe("COLD");
    expect(extraField(bucket!, "bucket")).toBe(bucket!.name);
    expect(extraField(bucket!, "no_such_field")).toBeUndefined();
    // Only the vendor's own fields: not the normalised record's, nor inherited ones.
    expect(extraField(bucket!, "createdAt")).toBeUndefined();
    expect(extraField(bucket!, "toString")).toBeUndefined();
  });
});

describe("the provider's own typed client is one call away", () => {
  it("client() gives the provider's client, made once", async () => {
    const source = sources().mpc;
    const client = await source.client();
    expect(await source.client()).toBe(client);
    const { data } = await client.GET("/v1/{project_id}/buckets", {
      params: { path: { project_id: client.projectId } },
    });
    expect(data?.buckets).toHaveLength(SEED.mpc);
  });
});

describe("missing provider packages", () => {
  const notFound = (name: string) =>
    Object.assign(
      new Error(`Cannot find package '${name}' imported from /app/node_modules/bucketry/dist/x.js`),
      {
        code: "ERR_MODULE_NOT_FOUND",
      },
    );
  const cases: [string, string, () => Source & { client(): Promise<unknown> }][] = [
    [
      "bucketry/hitachi",
      "@bucketry/hitachi",
      () =>
        hitachiSource({
          baseUrl: "https://x.test/mapi",
          credentials: { type: "password", username: "u", password: "p" },
          userIds: [1],
          loader: () => Promise.reject(notFound("@bucketry/hitachi")),
        }),
    ],
    [
      "bucketry/huaweicloud",
      "@bucketry/huaweicloud",
      () =>
        mpcSource({
          region: "cn-north-4",
          credentials: { type: "aksk", accessKey: "a", secretKey: "b" },
          loader: () => Promise.reject(notFound("@bucketry/huaweicloud/mpc")),
        }),
    ],
    [
      "bucketry/huaweicloud",
      "@bucketry/huaweicloud",
      () =>
        dbssSource({
          region: "cn-north-4",
          credentials: { type: "aksk", accessKey: "a", secretKey: "b" },
          loader: () => Promise.reject(notFound("@bucketry/huaweicloud/dbss")),
        }),
    ],
    [
      "bucketry/ncloud",
      "@bucketry/ncloud",
      () =>
        ncloudSource({
          zone: "public",
          credentials: { type: "keystone", accessKeyId: "a", secretKey: "b", domainId: "d" },
          loader: () => Promise.reject(notFound("@bucketry/ncloud")),
        }),
    ],
    [
      "bucketry/virtuozzo",
      "@bucketry/virtuozzo",
      () =>
        ostorSource({
          baseUrl: "https://s3.test",
          credentials: { type: "aksk", accessKeyId: "a", secretAccessKey: "b" },
          loader: () => Promise.reject(notFound("@bucketry/virtuozzo")),
        }),
    ],
  ];

  it.each(cases)("%s says what to install", async (adapter, packageName, make) => {
    const source = make();
    const error = await source.client().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingProviderError);
    expect((error as Error).message).toBe(`${adapter} needs ${packageName}: npm install ${packageName}`);
    expect((error as MissingProviderError).cause).toBeInstanceOf(Error);
  });

  it("reaches the listing as that source's typed failure; the others still list", async () => {
    const failures: SourceError[] = [];
    const missing = ncloudSource({
      zone: "public",
      credentials: { type: "keystone", accessKeyId: "a", secretKey: "b", domainId: "d" },
      loader: () => Promise.reject(notFound("@bucketry/ncloud")),
    });
    const buckets = await collect(
      listBuckets([missing, sources().dbss], { onError: (e) => failures.push(e) }),
    );
    expect(buckets).toHaveLength(SEED.dbss);
    expect(failures.map((f) => f.cause)).toEqual([expect.any(MissingProviderError)]);
  });

  it("passes on a failure that is not the provider package missing", async () => {
    const broken = Object.assign(
      new Error("Cannot find package 'openapi-fetch' imported from …/ncloud/dist/x.js"),
      {
        code: "ERR_MODULE_NOT_FOUND",
      },
    );
    const source = ncloudSource({
      zone: "public",
      credentials: { type: "keystone", accessKeyId: "a", secretKey: "b", domainId: "d" },
      loader: () => Promise.reject(broken),
    });
    await expect(source.client()).rejects.toBe(broken);
  });
});

describe("options", () => {
  it("checks the adapter's own options at once", () => {
    expect(() =>
      hitachiSource({
        baseUrl: "https://x.test/mapi",
        credentials: { type: "password", username: "u", password: "p" },
        userIds: [],
      }),
    ).toThrow(InvalidInputError);
    expect(() =>
      mpcSource({
        name: "",
        region: "cn-north-4",
        credentials: { type: "aksk", accessKey: "a", secretKey: "b" },
      }),
    ).toThrow(/name/);
  });

  it("reports a client option the provider refuses as that source's failure", async () => {
    const bad = mpcSource({
      region: "mars-1" as never,
      projectId: "p1",
      credentials: { type: "aksk", accessKey: "a", secretKey: "b" },
    });
    const { buckets, errors } = await collectBuckets([bad, sources().dbss]);
    expect(buckets).toHaveLength(SEED.dbss);
    expect(errors[0]!.cause).toBeInstanceOf(InvalidInputError);
    // The label once: a source named after its provider is not "huaweicloud-mpc (huaweicloud-mpc)".
    expect(errors[0]!.message).toMatch(/^huaweicloud-mpc: region: unknown/);
    const named = mpcSource({
      name: "media",
      region: "mars-1" as never,
      projectId: "p1",
      credentials: { type: "aksk", accessKey: "a", secretKey: "b" },
    });
    expect((await collectBuckets([named])).errors[0]!.message).toMatch(/^media \(huaweicloud-mpc\): region:/);
  });
});

describe("error fields are full paths of the adapter's options", () => {
  it("a pre-issued token is authToken, an API key's field is under credentials", async () => {
    const { ncloud } = fakes;
    const token = ncloudSource({ authToken: " t0ken", storageUrl: ncloud.storageUrl });
    await expect(token.client()).rejects.toMatchObject({
      name: "CredentialsError",
      field: "authToken",
      message: "authToken: has leading or trailing whitespace",
    });
    const keys = ncloudSource({
      baseUrl: ncloud.url,
      authUrl: `${ncloud.keystoneUrl}/v3`,
      projectId: ncloud.credentials.projectId,
      credentials: { type: "keystone", ...ncloud.credentials, domainId: "" },
    });
    await expect(keys.client()).rejects.toMatchObject({ field: "credentials.domainId" });
  });
});

describe("listing across real providers", () => {
  it("mixes success and failure: the failing provider reports its typed error, every other bucket arrives", async () => {
    fakes.dbss.inject(
      { kind: "status", status: 403, body: '{"error_code":"DBSS.10020101","error_msg":"Unauthorized"}' },
      {
        match: (r) => r.target.includes("/obs-buckets"),
      },
    );
    const all = sources();
    const failures: SourceError[] = [];
    const buckets: Bucket[] = [];
    for await (const bucket of listBuckets([all.hitachi, all.mpc, all.dbss, all.ncloud], {
      onError: (e) => failures.push(e),
    })) {
      buckets.push(bucket);
    }
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ source: "huaweicloud-dbss", provider: "huaweicloud-dbss" });
    expect(failures[0]!.cause).toBeInstanceOf(PermissionError);
    const count = (p: string) => buckets.filter((b) => b.provider === p).length;
    expect([
      count("hitachi-vsp-one-object"),
      count("huaweicloud-mpc"),
      count("ncloud-archive-storage"),
    ]).toEqual([SEED.hitachi, SEED.mpc, SEED.ncloud]);
  });

  it("honours the concurrency bound across providers", async () => {
    let inFlight = 0;
    let most = 0;
    const counting: Fetch = async (request) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        // A little latency so that sources that could overlap do.
        await new Promise((resolve) => setTimeout(resolve, 3));
        return await fetch(request);
      } finally {
        inFlight -= 1;
      }
    };
    const all = sources(counting, 10);
    const list = [all.hitachi, all.mpc, all.dbss, all.ncloud];
    const bounded = await collect(listBuckets(list, { concurrency: 2 }));
    expect(bounded).toHaveLength(SEED.hitachi + SEED.mpc + SEED.dbss + SEED.ncloud);
    expect(most).toBe(2);

    most = 0;
    await collect(listBuckets(Object.values(sources(counting, 10)).slice(0, 4), { concurrency: 1 }));
    expect(most).toBe(1);
  });

  it("stops requesting when the caller breaks out early, and aborts what is in flight", async () => {
    let started = 0;
    const inFlight = new Set<Request>();
    const aborted: Request[] = [];
    const watching: Fetch = async (request) => {
      started += 1;
      inFlight.add(request);
      request.signal.addEventListener("abort", () => aborted.push(request));
      try {
        return await fetch(request);
      } finally {
        inFlight.delete(request);
      }
    };
    const all = sources(watching, 10);
    let seen = 0;
    for await (const _ of listBuckets([all.hitachi, all.ncloud], { concurrency: 2 })) {
      if (++seen === 25) break;
    }
    const atBreak = started;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toBe(atBreak);
    expect(inFlight.size).toBe(0);
    // 25 buckets in pages of 10 from two providers: a handful of requests (tokens included), far from every page.
    expect(atBreak).toBeLessThan((SEED.hitachi + SEED.ncloud) / 10);
    // Whatever was still on the wire when the loop ended was cancelled, not left to finish.
    expect(aborted.every((request) => request.signal.aborted)).toBe(true);
  });
});
