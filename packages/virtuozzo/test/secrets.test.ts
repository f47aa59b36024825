/**
 * ostor returns secret access keys in clear text. Whatever way a result is printed (util.inspect,
 * console-style formatting, JSON.stringify, String(), template literals), in the normalised fields,
 * in `raw`, alone or in lists, no secret appears; `reveal()` reads one on purpose.
 */
import { format, inspect } from "node:util";
import { REDACTED, Secret } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import { allSecrets, clientFor, SYSTEM, startFake, USER1 } from "./helpers.js";

/** Every way a value ends up as text. */
function views(value: unknown): string[] {
  return [
    inspect(value, { depth: Number.POSITIVE_INFINITY }),
    inspect(value),
    format("%o", value),
    format("%O", value),
    format("%s", value),
    format("%j", value),
    format("%s", JSON.stringify(value)),
    JSON.stringify(value),
    JSON.stringify(value, null, 2),
    String(value),
    `${value}`,
  ];
}

describe("secret access keys in results", () => {
  it.each(["v2", "v4"] as const)(
    "are never printed from a user, its raw, or a list of users (%s)",
    async (signature) => {
      const fake = await startFake();
      const client = clientFor(fake, { signature });
      const secrets = allSecrets(fake);
      expect(secrets.length).toBeGreaterThanOrEqual(7);
      const user1 = await client.getUser({ id: USER1.id, space: true });
      const system = await client.getUser({ emailAddress: SYSTEM.email });
      const subjects: unknown[] = [
        user1,
        user1.raw,
        user1.accessKeys,
        user1.accounts,
        user1.raw.AWSAccessKeys,
        user1.raw.Accounts,
        user1.accessKeys[0],
        user1.accessKeys[0]?.secretAccessKey,
        user1.raw.Accounts[1]?.AWSAccessKeys[0],
        user1.raw.Accounts[1]?.AWSAccessKeys[0]?.AWSSecretAccessKey,
        [user1, system],
        { users: [user1, system] },
        system,
        await client.listUsers({ space: true }).all(),
      ];
      for (const subject of subjects) {
        for (const view of views(subject)) for (const secret of secrets) expect(view).not.toContain(secret);
      }
      // The client's own signing secret comes back in the system user's detail: sealed like the others.
      expect(system.accessKeys[0]?.secretAccessKey.reveal()).toBe(fake.credentials.secretAccessKey);
    },
  );

  it("raw keeps the vendor's shape; JSON shows [REDACTED] exactly where the secrets were", async () => {
    const fake = await startFake();
    const user = await clientFor(fake).getUser({ id: USER1.id });
    const vendor = fake.findUser(USER1.id)!;
    const redactKeys = (keys: { AWSAccessKeyId: string }[]) =>
      keys.map((k) => ({ AWSAccessKeyId: k.AWSAccessKeyId, AWSSecretAccessKey: REDACTED }));
    expect(JSON.parse(JSON.stringify(user.raw))).toEqual({
      UserEmail: vendor.UserEmail,
      UserId: vendor.UserId,
      State: vendor.State,
      OwnerId: vendor.OwnerId,
      Flags: vendor.Flags,
      AWSAccessKeys: redactKeys(vendor.AWSAccessKeys),
      AccountCount: "3",
      Accounts: vendor.Accounts.map((a) => ({ Name: a.Name, AWSAccessKeys: redactKeys(a.AWSAccessKeys) })),
    });
    expect(JSON.parse(JSON.stringify(user)).accessKeys).toEqual([
      { accessKeyId: "b09693b73b3c7686FIGH", secretAccessKey: REDACTED },
    ]);
  });

  it("a Secret prints as [REDACTED] everywhere and reveal() reads it", async () => {
    const fake = await startFake();
    const user = await clientFor(fake).getUser({ emailAddress: USER1.email });
    const secret = user.accessKeys[0]!.secretAccessKey;
    expect(secret).toBeInstanceOf(Secret);
    expect(String(secret)).toBe(REDACTED);
    expect(`${secret}`).toBe(REDACTED);
    expect(`key: ${secret}`).toBe(`key: ${REDACTED}`);
    expect(JSON.stringify(secret)).toBe(`"${REDACTED}"`);
    expect(inspect(secret)).toBe(`Secret(${REDACTED})`);
    expect(format("%s %o", secret, secret)).not.toContain(secret.reveal());
    expect(Object.keys(secret)).toEqual([]);
    expect({ ...secret }).toEqual({});
    expect(secret.reveal()).toBe("jO2p4JBN1tWc4FEGxwZ8qW2jPCJBYp8RJ4KgBcZP");
  });

  it.each(["v2", "v4"] as const)(
    "are sealed on the raw typed path too: GET /?ostor-users by id and by email (%s)",
    async (signature) => {
      const fake = await startFake();
      const client = clientFor(fake, { signature });
      const byEmail = await client.GET("/?ostor-users", { params: { query: { emailAddress: USER1.email } } });
      const byId = await client.GET("/?ostor-users", { params: { query: { id: USER1.id } } });
      for (const { data } of [byEmail, byId]) {
        const key = data && "AWSAccessKeys" in data ? data.AWSAccessKeys[0]?.AWSSecretAccessKey : undefined;
        // The type says so: a Secret, read with reveal().
        expect(key).toBeInstanceOf(Secret);
        expect(key?.reveal()).toBe(
          fake.users.find((u) => u.UserId === USER1.id)?.AWSAccessKeys[0]?.AWSSecretAccessKey,
        );
        for (const view of views(data))
          for (const secret of allSecrets(fake)) expect(view).not.toContain(secret);
      }
    },
  );

  it("structuredClone of a result cannot carry a secret out either", async () => {
    const fake = await startFake();
    const user = await clientFor(fake).getUser({ id: USER1.id });
    const clone = structuredClone(user.raw);
    for (const view of views(clone))
      for (const secret of allSecrets(fake)) expect(view).not.toContain(secret);
  });

  it("the client object itself never shows its credentials", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    for (const view of views(client)) expect(view).not.toContain(fake.credentials.secretAccessKey);
  });
});
