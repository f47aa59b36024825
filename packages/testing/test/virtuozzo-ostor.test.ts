/**
 * The ostor fake over HTTP: requests signed in this file with node:crypto (Signature V2 with the
 * ostor canonical resource, and a minimal Signature V4 signer), the vendor samples, routing,
 * errors, seeding and faults.
 */
import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type OstorFake, startOstorFake } from "../src/fakes/virtuozzo.js";

const NOW = Date.UTC(2024, 0, 1, 0, 0, 0);

let fake: OstorFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Parameters<typeof startOstorFake>[0] = {}): Promise<OstorFake> {
  fake = await startOstorFake({ now: () => NOW, ...options });
  return fake;
}

/** Signature V2 as ostor wants it: the resource is the path + the first query token only. */
function signV2(
  target: string,
  key: { accessKeyId: string; secretAccessKey: string },
  options: { date?: string; amz?: Record<string, string>; method?: string } = {},
): Record<string, string> {
  const date = options.date ?? new Date(NOW).toUTCString();
  const amz = Object.entries(options.amz ?? {})
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const [path = "/", query = ""] = target.split("?");
  const resource = `${path}${query ? `?${query.split("&")[0]}` : ""}`;
  const dateLine = options.amz?.["x-amz-date"] ? "" : date;
  const stringToSign = `${options.method ?? "GET"}\n\n\n${dateLine}\n${amz.map(([k, v]) => `${k}:${v}\n`).join("")}${resource}`;
  const signature = createHmac("sha1", key.secretAccessKey).update(stringToSign).digest("base64");
  return { Date: date, ...options.amz, Authorization: `AWS ${key.accessKeyId}:${signature}` };
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A minimal Signature V4 signer (service s3; ostor ignores the region). */
function signV4(
  url: string,
  key: { accessKeyId: string; secretAccessKey: string },
  options: { region?: string; unsignedPayload?: boolean; body?: string; method?: string; date?: number } = {},
): Record<string, string> {
  const u = new URL(url);
  const amzDate = new Date(options.date ?? NOW)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const region = options.region ?? "ostor";
  const payload = options.unsignedPayload ? "UNSIGNED-PAYLOAD" : sha256(options.body ?? "");
  const headers: Record<string, string> = {
    host: u.host,
    "x-amz-content-sha256": payload,
    "x-amz-date": amzDate,
  };
  const names = Object.keys(headers).sort();
  const query = u.search
    .slice(1)
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const [k = "", v = ""] = p.split("=");
      return `${rfc3986(decodeURIComponent(k))}=${rfc3986(decodeURIComponent(v))}`;
    })
    .sort()
    .join("&");
  const canonical = [
    options.method ?? "GET",
    u.pathname,
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    payload,
  ].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  let signingKey = createHmac("sha256", `AWS4${key.secretAccessKey}`).update(day).digest();
  for (const part of [region, "s3", "aws4_request"])
    signingKey = createHmac("sha256", signingKey).update(part).digest();
  const signature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    Authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}

/** GET `target` signed V2 with the fake's system key (or `key`). */
async function get(
  f: OstorFake,
  target: string,
  key = f.credentials,
  init: { headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${f.url}${target}`, { headers: { ...signV2(target, key), ...init.headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: safeJson(text) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// The vendor page's sample responses (seed-ostor).
const SAMPLE_1 = {
  Users: [
    {
      UserEmail: "user1@email.com",
      UserId: "b09693b73b3c7686",
      State: "disabled",
      OwnerId: "0000000000000000",
      Flags: ["disabled"],
    },
    {
      UserEmail: "user2@email.com",
      UserId: "bc6265392b818465",
      State: "enabled",
      OwnerId: "0000000000000000",
      Flags: [],
    },
    {
      UserEmail: "user@example.com",
      UserId: "f373d5175d1f3b63",
      State: "enabled",
      OwnerId: "0000000000000000",
      Flags: ["system"],
    },
  ],
};
const SAMPLE_2 = {
  UserEmail: "user1@email.com", // the page prints "user@email.com" here, contradicting sample #1
  UserId: "b09693b73b3c7686",
  State: "disabled",
  OwnerId: "0000000000000000",
  Flags: ["disabled"],
  AWSAccessKeys: [
    {
      AWSAccessKeyId: "b09693b73b3c7686FIGH",
      AWSSecretAccessKey: "jO2p4JBN1tWc4FEGxwZ8qW2jPCJBYp8RJ4KgBcZP",
    },
  ],
  AccountCount: "3",
  Accounts: [
    {
      Name: "account1",
      AWSAccessKeys: [
        {
          AWSAccessKeyId: "b09693b73b3c768613NV",
          AWSSecretAccessKey: "CBUpFmnpUGlXskTivgDQu4qjYksWpceGZeH6Qyct",
        },
      ],
    },
    {
      Name: "account2",
      AWSAccessKeys: [
        {
          AWSAccessKeyId: "b09693b73b3c7686LCZ5",
          AWSSecretAccessKey: "xLpUDFJMFMO5rR9acAbUDplrPqIO6fneKNFjEB5c",
        },
        {
          AWSAccessKeyId: "b09693b73b3c76866NI2",
          AWSSecretAccessKey: "ajowU8pWSGW5ZJhA7AR9OjTrt11HmHPCJsMd247W",
        },
      ],
    },
    {
      Name: "account3",
      AWSAccessKeys: [
        {
          AWSAccessKeyId: "b09693b73b3c7686OVV1",
          AWSSecretAccessKey: "EOT652BDvByLwy2qPt0VsQ6s3I0pTrfPXKDw9i75",
        },
        {
          AWSAccessKeyId: "b09693b73b3c7686Z8BU",
          AWSSecretAccessKey: "m8PgWFLXPeJVSWojCE3DxWDoRk80g7CMyB7xK3Hd",
        },
      ],
    },
  ],
};

function expectXmlError(
  answer: { status: number; headers: Headers; text: string },
  status: number,
  code: string,
) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/xml");
  // Only Code and Message inside Error (Virtuozzo supports no RequestId/Resource).
  expect(answer.text).toMatch(
    new RegExp(`^<\\?xml[^>]*>\\n<Error><Code>${code}</Code><Message>[^<]+</Message></Error>$`),
  );
  const message = /<Message>([^<]+)<\/Message>/
    .exec(answer.text)?.[1]
    ?.replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
  expect(answer.headers.get("x-amz-err-message")).toBe(message);
  expect(answer.headers.get("x-amz-request-id")).toMatch(/^[0-9a-f]{32}$/);
}

describe("ostor fake: the vendor samples", () => {
  it("sample #1 with the derived V2 vector (Date with a +0200 offset, fake clock at that time)", async () => {
    const f = await start({ now: () => Date.parse("Wed, 24 Mar 2021 15:01:11 GMT") });
    const response = await fetch(`${f.url}/?ostor-users`, {
      headers: {
        Date: "Wed, 24 Mar 2021 17:01:11 +0200",
        Authorization: `AWS ${f.credentials.accessKeyId}:ajIflwcz+d5drra3U8b8WaYtm+0=`,
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-amz-request-id")).toMatch(/^8000000000000016[0-9a-f]{16}$/);
    expect(Number(response.headers.get("x-amz-req-time-micros"))).toBeGreaterThan(0);
    expect(await response.json()).toEqual(SAMPLE_1);
  });

  it("sample #2 (`&id=` not signed) returns the single user with clear-text keys and a string AccountCount", async () => {
    const f = await start({ now: () => Date.parse("Wed, 24 Mar 2021 15:02:25 GMT") });
    const response = await fetch(`${f.url}/?ostor-users&id=b09693b73b3c7686`, {
      headers: {
        Date: "Wed, 24 Mar 2021 17:02:25 +0200",
        Authorization: `AWS ${f.credentials.accessKeyId}:/Mn3CSdKmJClEcEfuY0G1UNJes4=`,
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(SAMPLE_2);
  });

  it("sample #3: `&space` adds SpaceStat (before Flags) to every user", async () => {
    const f = await start();
    const answer = await get(f, "/?ostor-users&space");
    expect(answer.status).toBe(200);
    const users = (answer.json as { Users: Array<Record<string, unknown>> }).Users;
    expect(users).toHaveLength(3);
    expect(users[1]).toEqual({
      UserEmail: "user2@email.com",
      UserId: "bc6265392b818465",
      State: "enabled",
      OwnerId: "0000000000000000",
      SpaceStat: { LastTs: 471425, SizeCurr: 9323413504, SizeHMax: 9323413504, SizeHInt: 2414764097536 },
      Flags: [],
    });
    expect(Object.keys(users[2] as object)).toEqual([
      "UserEmail",
      "UserId",
      "State",
      "OwnerId",
      "SpaceStat",
      "Flags",
    ]);
    // The list without `space` has no SpaceStat and no keys.
    const plain = await get(f, "/?ostor-users");
    expect(plain.text).not.toContain("SpaceStat");
    expect(plain.text).not.toContain("AWSSecretAccessKey");
  });

  it("selects by emailAddress (percent-encoded) and combines a selector with space", async () => {
    const f = await start();
    const answer = await get(f, "/?ostor-users&emailAddress=user2%40email.com&space");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ UserId: "bc6265392b818465", AccountCount: "0", Accounts: [] });
    expect((answer.json as Record<string, unknown>).SpaceStat).toBeDefined();
    expect((await get(f, "/?ostor-users&emailAddress=user@example.com")).json).toMatchObject({
      Flags: ["system"],
    });
  });
});

describe("ostor fake: Signature V2", () => {
  it("accepts x-amz-content-sha256: UNSIGNED-PAYLOAD as a canonical amz header (derived vector)", async () => {
    const f = await start({ now: () => Date.parse("Wed, 24 Mar 2021 15:01:11 GMT") });
    const response = await fetch(`${f.url}/?ostor-users`, {
      headers: {
        Date: "Wed, 24 Mar 2021 15:01:11 GMT",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        Authorization: `AWS ${f.credentials.accessKeyId}:6LVVEQYKvHHAT2AcmyEmLnTLwWw=`,
      },
    });
    expect(response.status).toBe(200);
  });

  it("refuses what a generic AWS V2 signer sends (resource `/`) with SignatureDoesNotMatch", async () => {
    const f = await start({ now: () => Date.parse("Wed, 24 Mar 2021 15:01:11 GMT") });
    const response = await fetch(`${f.url}/?ostor-users`, {
      headers: {
        Date: "Wed, 24 Mar 2021 15:01:11 GMT",
        Authorization: `AWS ${f.credentials.accessKeyId}:c8KfWZkdDg6kIZOZBBHyoLSlRtE=`,
      },
    });
    expectXmlError(
      { status: response.status, headers: response.headers, text: await response.text() },
      403,
      "SignatureDoesNotMatch",
    );
    expect(f.authFailures.at(-1)?.stringToSign).toBe("GET\n\n\nWed, 24 Mar 2021 15:01:11 GMT\n/?ostor-users");
  });

  it("signs with x-amz-date instead of Date (empty Date line)", async () => {
    const f = await start();
    const target = "/?ostor-users";
    const headers = signV2(target, f.credentials, { amz: { "x-amz-date": new Date(NOW).toUTCString() } });
    const response = await fetch(`${f.url}${target}`, {
      headers: { ...headers, Date: "Thu, 01 Jan 1970 00:00:00 GMT" },
    });
    expect(response.status).toBe(200);
  });

  it("refuses a Date more than 15 minutes from the fake's clock, missing auth, unknown keys", async () => {
    const f = await start();
    const skewed = await get(f, "/?ostor-users", f.credentials, {
      headers: signV2("/?ostor-users", f.credentials, { date: new Date(NOW - 16 * 60_000).toUTCString() }),
    });
    expectXmlError(skewed, 403, "RequestTimeTooSkewed");
    expect(
      (
        await get(f, "/?ostor-users", f.credentials, {
          headers: signV2("/?ostor-users", f.credentials, {
            date: new Date(NOW + 14 * 60_000).toUTCString(),
          }),
        })
      ).status,
    ).toBe(200);
    const anonymous = await fetch(`${f.url}/?ostor-users`);
    expectXmlError(
      { status: anonymous.status, headers: anonymous.headers, text: await anonymous.text() },
      403,
      "AccessDenied",
    );
    const unknown = await get(f, "/?ostor-users", { accessKeyId: "NOPE", secretAccessKey: "x" });
    expectXmlError(unknown, 403, "InvalidAccessKeyId");
    const wrongSecret = await get(f, "/?ostor-users", { ...f.credentials, secretAccessKey: "wrong" });
    expectXmlError(wrongSecret, 403, "SignatureDoesNotMatch");
  });

  it("only an enabled system user's own key may call the admin API (403 AccessDenied)", async () => {
    const f = await start();
    const user2 = f.findUser("user2@email.com");
    const user2Key = user2?.AWSAccessKeys[0];
    expect(user2Key?.AWSAccessKeyId).toMatch(/^bc6265392b818465[A-Z0-9]{4}$/);
    const asUser2 = await get(f, "/?ostor-users", {
      accessKeyId: user2Key?.AWSAccessKeyId as string,
      secretAccessKey: user2Key?.AWSSecretAccessKey as string,
    });
    expectXmlError(asUser2, 403, "AccessDenied");
    // An account key of a user, and a disabled system user, are refused too.
    const account = {
      accessKeyId: "b09693b73b3c768613NV",
      secretAccessKey: "CBUpFmnpUGlXskTivgDQu4qjYksWpceGZeH6Qyct",
    };
    expectXmlError(await get(f, "/?ostor-users", account), 403, "AccessDenied");
    const admin2 = f.addUser({ email: "admin2@example.com", system: true, state: "disabled" });
    const key = {
      accessKeyId: admin2.AWSAccessKeys[0]?.AWSAccessKeyId as string,
      secretAccessKey: admin2.AWSAccessKeys[0]?.AWSSecretAccessKey as string,
    };
    expectXmlError(await get(f, "/?ostor-users", key), 403, "AccessDenied");
    expect(admin2.Flags).toEqual(["disabled", "system"]);
  });
});

describe("ostor fake: Signature V4", () => {
  it("accepts V4 with any region, service s3, the bare flag canonicalised as `ostor-users=`", async () => {
    const f = await start();
    for (const region of ["ostor", "us-east-1", "anything"]) {
      for (const target of ["/?ostor-users", "/?ostor-users&id=bc6265392b818465", "/?ostor-users&space"]) {
        const response = await fetch(`${f.url}${target}`, {
          headers: signV4(`${f.url}${target}`, f.credentials, { region }),
        });
        expect(response.status, `${region} ${target}`).toBe(200);
      }
    }
    const unsigned = await fetch(`${f.url}/?ostor-users`, {
      headers: signV4(`${f.url}/?ostor-users`, f.credentials, { unsignedPayload: true }),
    });
    expect(unsigned.status).toBe(200);
  });

  it("refuses a wrong secret, a wrong payload hash, a stale X-Amz-Date, a missing content hash", async () => {
    const f = await start();
    const url = `${f.url}/?ostor-users`;
    const read = async (r: Response) => ({ status: r.status, headers: r.headers, text: await r.text() });
    expectXmlError(
      await read(await fetch(url, { headers: signV4(url, { ...f.credentials, secretAccessKey: "bad" }) })),
      403,
      "SignatureDoesNotMatch",
    );
    // The declared hash is the hash of "x", but no body is sent.
    expectXmlError(
      await read(await fetch(url, { headers: signV4(url, f.credentials, { body: "x" }) })),
      400,
      "XAmzContentSHA256Mismatch",
    );
    expectXmlError(
      await read(await fetch(url, { headers: signV4(url, f.credentials, { date: NOW - 20 * 60_000 }) })),
      403,
      "RequestTimeTooSkewed",
    );
    const { "x-amz-content-sha256": _drop, ...noHash } = signV4(url, f.credentials);
    expectXmlError(await read(await fetch(url, { headers: noHash })), 400, "InvalidRequest");
    expect(f.authFailures.find((a) => a.code === "SignatureDoesNotMatch")?.canonicalRequest).toContain(
      "ostor-users=",
    );
  });
});

describe("ostor fake: routing and errors", () => {
  it("both selectors → 400 InvalidArgument with X-Amz-Err-Message", async () => {
    const f = await start();
    const answer = await get(f, "/?ostor-users&id=bc6265392b818465&emailAddress=user2@email.com");
    expectXmlError(answer, 400, "InvalidArgument");
    expect(answer.headers.get("x-amz-err-message")).toBe("Only one of id and emailAddress may be set.");
  });

  it("unknown user → 404 NoSuchUser (an email is not an id)", async () => {
    const f = await start();
    expectXmlError(await get(f, "/?ostor-users&id=0123456789abcdef"), 404, "NoSuchUser");
    expectXmlError(await get(f, "/?ostor-users&emailAddress=nobody@example.com"), 404, "NoSuchUser");
    expectXmlError(await get(f, "/?ostor-users&id=user2@email.com"), 404, "NoSuchUser");
  });

  it("strict query forms: bare flags only, known parameters only", async () => {
    const f = await start();
    expectXmlError(await get(f, "/?ostor-users="), 400, "InvalidRequest");
    expectXmlError(await get(f, "/?ostor-users&space=true"), 400, "InvalidArgument");
    expectXmlError(await get(f, "/?ostor-users&space="), 400, "InvalidArgument");
    expectXmlError(await get(f, "/?ostor-users&id"), 400, "InvalidArgument");
    expectXmlError(await get(f, "/?ostor-users&id=a&id=b"), 400, "InvalidArgument");
    expectXmlError(await get(f, "/?ostor-users&limit=5"), 400, "InvalidArgument");
    expectXmlError(await get(f, "/?ostor-nonsense"), 400, "InvalidRequest");
    expectXmlError(await get(f, "/?ostor-buckets"), 501, "NotImplemented");
    expectXmlError(await get(f, "/"), 501, "NotImplemented");
    expectXmlError(await get(f, "/bucket?ostor-users"), 501, "NotImplemented");
    const put = await fetch(`${f.url}/?ostor-users&emailAddress=a@b.c`, {
      method: "PUT",
      headers: signV2("/?ostor-users&emailAddress=a@b.c", f.credentials, { method: "PUT" }),
    });
    expect(put.status).toBe(501);
  });
});

describe("ostor fake: state, seeding, faults", () => {
  it("generates many users; the list is sorted by UserId and carries no keys", async () => {
    const f = await start({ users: 2_500 });
    const answer = await get(f, "/?ostor-users&space");
    const users = (answer.json as { Users: Array<{ UserId: string; State: string }> }).Users;
    expect(users).toHaveLength(2_503);
    for (let i = 1; i < users.length; i++)
      expect((users[i - 1] as { UserId: string }).UserId < (users[i] as { UserId: string }).UserId).toBe(
        true,
      );
    expect(users.filter((u) => u.State === "disabled")).toHaveLength(251);
    const one = await get(f, "/?ostor-users&emailAddress=s3user-001234@example.com");
    expect(one.json).toMatchObject({
      AccountCount: "0",
      AWSAccessKeys: [
        expect.objectContaining({ AWSAccessKeyId: expect.stringMatching(/^[0-9a-f]{16}[A-Z0-9]{4}$/) }),
      ],
    });
  });

  it("addUser / removeUser change the next answer; sampleUsers:false leaves only a system user", async () => {
    const f = await start({
      sampleUsers: false,
      credentials: { accessKeyId: "ADMINKEY", secretAccessKey: "admin-secret" },
    });
    expect(f.users.map((u) => u.Flags)).toEqual([["system"]]);
    const added = f.addUser({ email: "new@example.com", accounts: [{ Name: "acc", AWSAccessKeys: [] }] });
    expect(added.UserId).toMatch(/^[0-9a-f]{16}$/);
    expect(() => f.addUser({ email: "new@example.com" })).toThrow(/exists/);
    expect((await get(f, "/?ostor-users&emailAddress=new@example.com")).json).toMatchObject({
      AccountCount: "1",
    });
    expect(f.removeUser("new@example.com")).toBe(true);
    expect((await get(f, "/?ostor-users")).json).toEqual({
      Users: [expect.objectContaining({ UserEmail: "admin@example.com" })],
    });
  });

  it("faults: status with Retry-After, latency, reset, truncate, malformed JSON, XML error; expire-tokens is a no-op", async () => {
    const f = await start();
    f.inject({ kind: "status", status: 503, retryAfter: 2 }, { times: 2 });
    expect((await get(f, "/?ostor-users")).status).toBe(503);
    const second = await get(f, "/?ostor-users");
    expect(second.headers.get("retry-after")).toBe("2");
    expect((await get(f, "/?ostor-users")).status).toBe(200);
    f.inject({ kind: "latency", ms: 120 });
    const t0 = performance.now();
    expect((await get(f, "/?ostor-users")).status).toBe(200);
    // A lower bound only: load can lengthen the wait, never shorten it.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    f.inject({ kind: "reset" });
    await expect(get(f, "/?ostor-users")).rejects.toThrow();
    f.inject({ kind: "truncate" });
    await expect(get(f, "/?ostor-users")).rejects.toThrow();
    f.inject({ kind: "malformed-json" });
    expect((await get(f, "/?ostor-users")).json).toBeUndefined();
    f.inject({ kind: "xml-error", status: 500, code: "InternalError", message: "boom" });
    expect((await get(f, "/?ostor-users")).text).toContain("<Code>InternalError</Code>");
    f.inject({ kind: "expire-tokens" });
    expect((await get(f, "/?ostor-users")).status).toBe(200);
    expect(f.log.map((r) => r.fault ?? "-")).toEqual([
      "status",
      "status",
      "-",
      "latency",
      "reset",
      "truncate",
      "malformed-json",
      "xml-error",
      "expire-tokens",
    ]);
  });

  it("logs the raw target and header lines; the clock can move", async () => {
    const f = await start();
    await get(f, "/?ostor-users&space");
    expect(f.log[0]?.target).toBe("/?ostor-users&space");
    expect(f.log[0]?.rawHeaders).toContain("Authorization");
    f.setClock(NOW + 3600_000);
    expect(f.now()).toBe(NOW + 3600_000);
    expectXmlError(await get(f, "/?ostor-users"), 403, "RequestTimeTooSkewed");
  });
});

describe("ostor fake via startFakeServer, no options", () => {
  it("starts with the samples on the real clock; its credentials sign V2 and V4", async () => {
    const { startFakeServer } = await import("../src/index.js");
    const f = await startFakeServer("virtuozzo-ostor");
    try {
      const target = "/?ostor-users";
      const v2 = signV2(target, f.credentials, { date: new Date().toUTCString() });
      expect((await fetch(`${f.url}${target}`, { headers: v2 })).status).toBe(200);
      const v4 = signV4(`${f.url}${target}`, f.credentials, { date: Date.now() });
      const response = await fetch(`${f.url}${target}`, { headers: v4 });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { Users: unknown[] }).Users).toHaveLength(3);
    } finally {
      await f.close();
    }
  });
});
