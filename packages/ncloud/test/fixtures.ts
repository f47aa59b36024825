/** Shared setup of the Archive Storage tests: fakes that are closed after each test, and clients for them. */

import { type ArchiveStorageFake, type ArchiveStorageFakeOptions, startFakeServer } from "@bucketry/testing";
import { afterEach } from "vitest";
import {
  type ArchiveStorageClient,
  type ArchiveStorageClientOptions,
  createArchiveStorageClient,
  ncloudCredentials,
} from "../src/index.js";

const running: ArchiveStorageFake[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** Starts a fake that is closed after the test. */
export async function startFake(options: ArchiveStorageFakeOptions = {}): Promise<ArchiveStorageFake> {
  const fake = await startFakeServer("ncloud-archive-storage", options);
  running.push(fake);
  return fake;
}

/** A client of `fake` that logs in with the fake's API key; retries without waiting. */
export function clientFor(
  fake: ArchiveStorageFake,
  options: Partial<ArchiveStorageClientOptions> = {},
): ArchiveStorageClient {
  return createArchiveStorageClient({
    baseUrl: fake.url,
    credentials: {
      type: "keystone",
      from: ncloudCredentials({ ...fake.credentials, authUrl: fake.keystoneUrl }),
    },
    retry: { random: () => 0 },
    ...options,
  });
}

/** The listing requests the fake received (token requests left out). */
export function listingRequests(fake: ArchiveStorageFake) {
  return fake.log.filter((request) => request.target.startsWith("/v1/"));
}

/** The token requests the fake received. */
export function tokenRequests(fake: ArchiveStorageFake) {
  return fake.log.filter((request) => request.target.startsWith("/v3/auth/tokens"));
}

/** The query of a logged request, decoded. */
export function queryOf(target: string): Record<string, string> {
  return Object.fromEntries(new URL(target, "http://x").searchParams);
}

/** Swift's generic HTML error pages, for injected statuses. */
export function swiftPage(title: string, text: string): string {
  return `<html><h1>${title}</h1><p>${text}</p></html>`;
}

/** What a thrown or rejected call threw (fails the test when it did not). */
export async function thrown(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to throw");
}
