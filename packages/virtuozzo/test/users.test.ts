/**
 * The helpers against the ostor fake, with both signature versions: every selector on the wire
 * (asserted from the fake's log), the signatures the fake verified, and the normalised results.
 */
import { createHmac } from "node:crypto";
import { Secret } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import { createOstorClient, ostorOptionsFromEnv, s3Credentials } from "../src/index.js";
import { clientFor, SIGNATURES, SYSTEM, startFake, USER1, USER2 } from "./helpers.js";

describe.each(SIGNATURES)("signature %s", (signature) => {
  const cases = [
    ["listUsers()", (c: ReturnType<typeof clientFor>) => c.listUsers().all(), "/?ostor-users"],
    ["listUsers({ space: true })", (c) => c.listUsers({ space: true }).all(), "/?ostor-users&space"],
    ["listUsers({ space: false })", (c) => c.listUsers({ space: false }).all(), "/?ostor-users"],
    ["getUser({ id })", (c) => c.getUser({ id: USER1.id }), `/?ostor-users&id=${USER1.id}`],
    [
      "getUser({ id, space })",
      (c) => c.getUser({ id: USER1.id, space: true }),
      `/?ostor-users&id=${USER1.id}&space`,
    ],
    [
      "getUser({ emailAddress })",
      (c) => c.getUser({ emailAddress: USER1.email }),
      "/?ostor-users&emailAddress=user1%40email.com",
    ],
    [
      "getUser({ emailAddress, space })",
      (c) => c.getUser({ emailAddress: USER2.email, space: true }),
      "/?ostor-users&emailAddress=user2%40email.com&space",
    ],
    [
      "getUser({ emailAddress with + and ' })",
      (c) => c.getUser({ emailAddress: "o'neil+tag@email.com" }),
      "/?ostor-users&emailAddress=o%27neil%2Btag%40email.com",
    ],
    [
      "getUser({ id, space: false })",
      (c) => c.getUser({ id: USER2.id, space: false }),
      `/?ostor-users&id=${USER2.id}`,
    ],
  ] as const satisfies readonly [string, (c: ReturnType<typeof clientFor>) => Promise<unknown>, string][];

  it.each(cases)("%s sends %s, signed and accepted", async (_, call, target) => {
    const fake = await startFake();
    fake.addUser({ email: "o'neil+tag@email.com" });
    await call(clientFor(fake, { signature }));
    expect(fake.log.map((r) => r.target)).toEqual([target]);
    expect(fake.log[0]?.status).toBe(200);
    expect(fake.authFailures).toEqual([]);
    const authorization = fake.log[0]?.headers.authorization ?? "";
    if (signature === "v2") {
      expect(authorization).toMatch(new RegExp(`^AWS ${fake.credentials.accessKeyId}:[A-Za-z0-9+/]{27}=$`));
    } else {
      expect(authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${fake.credentials.accessKeyId}/\\d{8}/ostor/s3/aws4_request, `,
        ),
      );
      expect(fake.log[0]?.headers["x-amz-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("lists every sample user, normalised, with raw kept", async () => {
    const fake = await startFake();
    const users = await clientFor(fake, { signature }).listUsers().all();
    expect(users.map((u) => u.id)).toEqual(fake.users.map((u) => u.UserId));
    const user1 = users.find((u) => u.id === USER1.id);
    expect(user1).toEqual({
      email: USER1.email,
      id: USER1.id,
      state: "disabled",
      ownerId: "0000000000000000",
      flags: ["disabled"],
      raw: {
        UserEmail: USER1.email,
        UserId: USER1.id,
        State: "disabled",
        OwnerId: "0000000000000000",
        Flags: ["disabled"],
      },
    });
    expect(users.find((u) => u.id === SYSTEM.id)?.flags).toEqual(["system"]);
    expect(users.every((u) => u.spaceStat === undefined)).toBe(true);
  });

  it("adds spaceStat with space: true (SizeCurr → sizeCurrent, SizeHInt → sizeHIntegral)", async () => {
    const fake = await startFake();
    const users = await clientFor(fake, { signature }).listUsers({ space: true }).all();
    const user2 = users.find((u) => u.id === USER2.id);
    expect(user2?.spaceStat).toEqual({
      lastTs: 471425,
      sizeCurrent: 9323413504,
      sizeHMax: 9323413504,
      sizeHIntegral: 2414764097536,
    });
    expect(user2?.raw.SpaceStat).toEqual({
      LastTs: 471425,
      SizeCurr: 9323413504,
      SizeHMax: 9323413504,
      SizeHInt: 2414764097536,
    });
    expect(users.every((u) => u.spaceStat !== undefined)).toBe(true);
  });

  it("reads one user by id: keys, accounts, AccountCount as a number, raw as sent", async () => {
    const fake = await startFake();
    const user = await clientFor(fake, { signature }).getUser({ id: USER1.id });
    const expected = fake.findUser(USER1.id)!;
    expect(user.email).toBe(USER1.email);
    expect(user.state).toBe("disabled");
    expect(user.accountCount).toBe(3);
    expect(user.raw.AccountCount).toBe("3");
    expect(user.spaceStat).toBeUndefined();
    expect(user.accessKeys).toHaveLength(1);
    expect(user.accessKeys[0]?.accessKeyId).toBe("b09693b73b3c7686FIGH");
    expect(user.accessKeys[0]?.secretAccessKey).toBeInstanceOf(Secret);
    expect(user.accessKeys[0]?.secretAccessKey.reveal()).toBe(expected.AWSAccessKeys[0]?.AWSSecretAccessKey);
    expect(user.accounts.map((a) => [a.name, a.accessKeys.map((k) => k.accessKeyId)])).toEqual([
      ["account1", ["b09693b73b3c768613NV"]],
      ["account2", ["b09693b73b3c7686LCZ5", "b09693b73b3c76866NI2"]],
      ["account3", ["b09693b73b3c7686OVV1", "b09693b73b3c7686Z8BU"]],
    ]);
    // Every account secret is revealable, and raw holds the very same Secret objects.
    expect(user.accounts.flatMap((a) => a.accessKeys.map((k) => k.secretAccessKey.reveal()))).toEqual(
      expected.Accounts.flatMap((a) => a.AWSAccessKeys.map((k) => k.AWSSecretAccessKey)),
    );
    expect(user.raw.AWSAccessKeys[0]?.AWSSecretAccessKey).toBe(user.accessKeys[0]?.secretAccessKey);
    expect(user.raw.Accounts[2]?.AWSAccessKeys[1]?.AWSSecretAccessKey).toBe(
      user.accounts[2]?.accessKeys[1]?.secretAccessKey,
    );
    // raw keeps the vendor's shape and field order; only the secret strings are sealed.
    expect(Object.keys(user.raw)).toEqual([
      "UserEmail",
      "UserId",
      "State",
      "OwnerId",
      "Flags",
      "AWSAccessKeys",
      "AccountCount",
      "Accounts",
    ]);
  });

  it("reads one user by email with space, AccountCount 0 for a user without accounts", async () => {
    const fake = await startFake();
    const user = await clientFor(fake, { signature }).getUser({ emailAddress: USER2.email, space: true });
    expect(user.id).toBe(USER2.id);
    expect(user.accountCount).toBe(0);
    expect(user.raw.AccountCount).toBe("0");
    expect(user.accounts).toEqual([]);
    expect(user.spaceStat?.sizeCurrent).toBe(9323413504);
  });

  it("keeps raw calls on the returned object typed and authenticated", async () => {
    const fake = await startFake();
    const client = clientFor(fake, { signature });
    const { data, response } = await client.GET("/?ostor-users", { params: { query: { space: true } } });
    expect(response.status).toBe(200);
    expect(data && "Users" in data ? data.Users.length : 0).toBe(fake.users.length);
    expect(fake.log[0]?.target).toBe("/?ostor-users&space");
  });
});

describe("signature details", () => {
  it("V2 signs only /?ostor-users, never the selector (checked with node:crypto)", async () => {
    const fake = await startFake();
    await clientFor(fake).getUser({ emailAddress: USER1.email, space: true });
    const { headers } = fake.log[0]!;
    expect(headers.date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const stringToSign = `GET\n\n\n${headers.date}\n/?ostor-users`;
    const signature = createHmac("sha1", fake.credentials.secretAccessKey)
      .update(stringToSign)
      .digest("base64");
    expect(headers.authorization).toBe(`AWS ${fake.credentials.accessKeyId}:${signature}`);
    expect(headers["content-type"]).toBeUndefined();
  });

  it("V2 with useAmzDate (browsers) sends x-amz-date, no Date, and the fake accepts it", async () => {
    const fake = await startFake();
    await clientFor(fake, { useAmzDate: true }).getUser({ id: USER1.id });
    const { headers, status } = fake.log[0]!;
    expect(status).toBe(200);
    expect(headers.date).toBeUndefined();
    const stringToSign = `GET\n\n\n\nx-amz-date:${headers["x-amz-date"]}\n/?ostor-users`;
    const signature = createHmac("sha1", fake.credentials.secretAccessKey)
      .update(stringToSign)
      .digest("base64");
    expect(headers.authorization).toBe(`AWS ${fake.credentials.accessKeyId}:${signature}`);
  });

  it("V4 uses the given region in the credential scope (ostor ignores it)", async () => {
    const fake = await startFake();
    await clientFor(fake, { signature: "v4", region: "us-east-1" }).listUsers().all();
    expect(fake.log[0]?.status).toBe(200);
    expect(fake.log[0]?.headers.authorization).toMatch(/\/\d{8}\/us-east-1\/s3\/aws4_request, /);
    expect(fake.log[0]?.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it("takes credentials from a function, called for every attempt", async () => {
    const fake = await startFake();
    fake.inject({ kind: "status", status: 503, retryAfter: 0 });
    let calls = 0;
    const client = createOstorClient({
      baseUrl: fake.url,
      credentials: {
        type: "aksk",
        from: () => {
          calls += 1;
          return fake.credentials;
        },
      },
      retry: { baseDelayMs: 1 },
    });
    expect((await client.getUser({ id: USER2.id })).id).toBe(USER2.id);
    expect(calls).toBe(2);
    expect(fake.log.map((r) => r.status)).toEqual([503, 200]);
  });

  it("builds baseUrl and credentials from OSTOR_ENDPOINT / OSTOR_ACCESS_KEY_ID / OSTOR_SECRET_ACCESS_KEY", async () => {
    const fake = await startFake();
    const options = ostorOptionsFromEnv({
      OSTOR_ENDPOINT: `${fake.url}/`,
      OSTOR_ACCESS_KEY_ID: fake.credentials.accessKeyId,
      OSTOR_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey,
    });
    expect(options.baseUrl).toBe(fake.url);
    const users = await createOstorClient({ ...options, signature: "v4" })
      .listUsers()
      .all();
    expect(users).toHaveLength(fake.users.length);
  });

  it("accepts a baseUrl with a trailing slash", async () => {
    const fake = await startFake();
    const client = createOstorClient({
      baseUrl: `${fake.url}/`,
      credentials: { type: "aksk", from: s3Credentials(fake.credentials) },
    });
    await client.listUsers().all();
    expect(fake.log[0]?.target).toBe("/?ostor-users");
  });
});

describe("many users", () => {
  it.each(SIGNATURES)(
    "lists 25,003 users completely, once each, in the fake's order (%s)",
    async (signature) => {
      const fake = await startFake({ users: 25_000 });
      const client = clientFor(fake, { signature });
      const users = await client.listUsers().all();
      expect(users).toHaveLength(25_003);
      expect(users.map((u) => u.id)).toEqual(fake.users.map((u) => u.UserId));
      expect(new Set(users.map((u) => u.email)).size).toBe(25_003);
      expect(users.filter((u) => u.state === "disabled")).toHaveLength(2_500 + 1);
      const withSpace = await client.listUsers({ space: true }).all();
      expect(withSpace.map((u) => u.id)).toEqual(fake.users.map((u) => u.UserId));
      const n42 = withSpace.find((u) => u.email === "s3user-000042@example.com");
      const size = ((42 * 7919) % 1000) * 1_048_576;
      expect(n42?.spaceStat).toEqual({
        lastTs: 471425,
        sizeCurrent: size,
        sizeHMax: size,
        sizeHIntegral: size * 24,
      });
      expect(fake.log).toHaveLength(2);
    },
  );
});
