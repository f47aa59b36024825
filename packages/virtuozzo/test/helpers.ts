/** Shared set-up of the behaviour tests: a loopback ostor fake and clients signed for it. */
import { type OstorFake, type OstorFakeOptions, startFakeServer } from "@bucketry/testing";
import { afterEach } from "vitest";
import { createOstorClient, type OstorClient, type OstorClientOptions, s3Credentials } from "../src/index.js";

/** The vendor sample user with keys and three accounts (seed-ostor sample #1). */
export const USER1 = { id: "b09693b73b3c7686", email: "user1@email.com" } as const;
/** The vendor sample user with space usage (sample #3). */
export const USER2 = { id: "bc6265392b818465", email: "user2@email.com" } as const;
/** The fake's system user, whose key signs every request. */
export const SYSTEM = { id: "f373d5175d1f3b63", email: "user@example.com" } as const;

/** Every secret the fake's sample users hold, to prove none is ever printed. */
export function allSecrets(fake: OstorFake): string[] {
  return fake.users.flatMap((u) => [
    ...u.AWSAccessKeys.map((k) => k.AWSSecretAccessKey),
    ...u.Accounts.flatMap((a) => a.AWSAccessKeys.map((k) => k.AWSSecretAccessKey)),
  ]);
}

let fakes: OstorFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

/** Starts a fake that is closed after the test. */
export async function startFake(options: OstorFakeOptions = {}): Promise<OstorFake> {
  const fake = await startFakeServer("virtuozzo-ostor", options);
  fakes.push(fake);
  return fake;
}

/** A client of `fake`, signed with the fake's system key; fast retries unless overridden. */
export function clientFor(fake: OstorFake, options: Partial<OstorClientOptions> = {}): OstorClient {
  return createOstorClient({
    baseUrl: fake.url,
    credentials: { type: "aksk", from: s3Credentials(fake.credentials) },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** The signature versions every wire test runs with. */
export const SIGNATURES = ["v2", "v4"] as const;
