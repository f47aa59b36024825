/**
 * Test-side glue: both Huawei services behind one shape, so the behaviour they share (auth modes,
 * faults, error mapping) is tested once per service with `describe.each`. Not a test file itself.
 */
import { inspect } from "node:util";
import { type DbssFake, type MpcFake, startFakeServer } from "@bucketry/testing";
import { afterEach, expect } from "vitest";
import { createDbssClient, type DbssClientOptions } from "../src/dbss.js";
import type { HuaweiClientCredentials } from "../src/huawei.js";
import { createMpcClient, type MpcClientOptions } from "../src/mpc.js";

/** Either fake (they share the gateway, IAM and the HTTP shell). */
export type HuaweiFake = MpcFake | DbssFake;

/** Options of either factory, with `credentials` optional (the harness fills in the fake's AK/SK). */
export type Options = Omit<MpcClientOptions & DbssClientOptions, "credentials" | "region"> & {
  credentials?: HuaweiClientCredentials;
  region?: string;
};

/** What a test needs of a client: the helper's names, and the raw client. */
export interface Listing {
  list(call?: { signal?: AbortSignal }): Promise<Array<{ name: string }>>;
  rawGet(): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  projectId: string;
}

/** One service under test. */
export interface Service {
  name: "MPC" | "DBSS";
  provider: string;
  operation: string;
  /** The field of the 200 answer that holds the list. */
  field: string;
  start(options?: { buckets?: number | string[]; xmlErrorWithoutSdkDate?: boolean }): Promise<HuaweiFake>;
  create(fake: HuaweiFake | undefined, options?: Options): Listing;
  /** The listing's path for a project. */
  path(projectId: string): string;
  /** The fake's bucket names, in its order. */
  names(fake: HuaweiFake): string[];
  /** A 200 body of the service with these names. */
  body(names: string[]): unknown;
}

const started: HuaweiFake[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

/** The fake's permanent AK/SK as the `credentials` option. */
export function akskOf(fake: HuaweiFake): HuaweiClientCredentials {
  return { type: "aksk", accessKey: fake.credentials.accessKey, secretKey: fake.credentials.secretKey };
}

/** A password login against the fake's IAM. */
export function passwordOf(fake: HuaweiFake): HuaweiClientCredentials {
  return { type: "password", ...fake.iam, iamEndpoint: fake.url };
}

function defaults(fake: HuaweiFake | undefined, options: Options): Options {
  return {
    baseUrl: fake?.url,
    projectId: fake?.projectId,
    credentials: fake ? akskOf(fake) : undefined,
    // Quick retries: the tests wait for Retry-After, not for backoff.
    retry: { baseDelayMs: 5 },
    ...options,
  };
}

export const MPC: Service = {
  name: "MPC",
  provider: "huaweicloud-mpc",
  operation: "listAllBuckets",
  field: "buckets",
  async start(options = {}) {
    const fake = await startFakeServer("huaweicloud-mpc", options);
    started.push(fake);
    return fake;
  },
  create(fake, options = {}) {
    const client = createMpcClient(defaults(fake, options) as MpcClientOptions);
    return {
      list: async (call) => client.listBuckets(call).all(),
      rawGet: () =>
        client.GET("/v1/{project_id}/buckets", { params: { path: { project_id: client.projectId } } }),
      projectId: client.projectId,
    };
  },
  path: (projectId) => `/v1/${projectId}/buckets`,
  names: (fake) => (fake as MpcFake).buckets.map((b) => b.bucket),
  body: (names) => ({
    buckets: names.map((bucket) => ({ bucket, creation_date: 20240101000000, is_authorized: 0 })),
  }),
};

export const DBSS: Service = {
  name: "DBSS",
  provider: "huaweicloud-dbss",
  operation: "listAuditObsBuckets",
  field: "obs_list",
  async start(options = {}) {
    const fake = await startFakeServer("huaweicloud-dbss", options);
    started.push(fake);
    return fake;
  },
  create(fake, options = {}) {
    const client = createDbssClient(defaults(fake, options) as DbssClientOptions);
    return {
      list: async (call) => client.listBuckets(call).all(),
      rawGet: () =>
        client.GET("/v2/{project_id}/audit/backup/obs-buckets", {
          params: { path: { project_id: client.projectId } },
        }),
      projectId: client.projectId,
    };
  },
  path: (projectId) => `/v2/${projectId}/audit/backup/obs-buckets`,
  names: (fake) => (fake as DbssFake).buckets.map((b) => b.bucket_name),
  body: (names) => ({ obs_list: names.map((bucket_name) => ({ bucket_name, location: "cn-north-4" })) }),
};

/** Both services. */
export const SERVICES = [MPC, DBSS];

/** The requests the fake got for the service's listing (not IAM's). */
export function listingRequests(fake: HuaweiFake) {
  return fake.log.filter((r) => !r.target.startsWith("/v3"));
}

/** The IAM token requests the fake got. */
export function tokenRequests(fake: HuaweiFake) {
  return fake.log.filter((r) => r.target.startsWith("/v3/auth/tokens"));
}

/** Awaits `promise`, expecting it to reject; returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** Asserts that none of `secrets` appears in the error's message, stack, JSON or util.inspect. */
export function expectNoSecrets(error: unknown, secrets: string[]): void {
  const views = [
    String((error as Error).message),
    String((error as Error).stack),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
  ];
  for (const secret of secrets) {
    for (const view of views) expect(view).not.toContain(secret);
  }
}
