/** Shared set-up: a VSP One Object fake per test and a client pointed at it. */
import {
  type HitachiFake,
  type HitachiFakeOptions,
  type RecordedRequest,
  startFakeServer,
} from "@bucketry/testing";
import { afterEach } from "vitest";
import {
  createVspOneObjectClient,
  type VspOneObjectClient,
  type VspOneObjectClientOptions,
} from "../src/index.js";

const running: HitachiFake[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** Starts a fake that is closed after the test. */
export async function startFake(options?: HitachiFakeOptions): Promise<HitachiFake> {
  const fake = await startFakeServer("hitachi-vsp-one-object", options);
  running.push(fake);
  return fake;
}

/** A client of `fake` with its password credentials and fast retries; `overrides` replace options. */
export function clientFor(
  fake: HitachiFake,
  overrides: Partial<VspOneObjectClientOptions> = {},
): VspOneObjectClient {
  const { username, password, clientId, clientSecret } = fake.credentials;
  return createVspOneObjectClient({
    baseUrl: fake.cluster.mapiUrl,
    tokenUrl: fake.cluster.tokenUrl,
    credentials: {
      type: "password",
      username,
      password,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
    },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

/** Whether a logged request is the bucket listing. */
export const isList = (request: RecordedRequest): boolean => request.target === "/mapi/v1/user/list_buckets";

/** The log as `METHOD path status` lines, for asserting the exact conversation. */
export function conversation(fake: HitachiFake): string[] {
  return fake.log.map((r) => {
    const grant = r.target.endsWith("/token")
      ? ` ${new URLSearchParams(r.body.toString()).get("grant_type")}`
      : "";
    return `${r.method} ${r.target.replace(/^\/ui\/auth\/realms\/vsp-object\/protocol\/openid-connect/, "…")}${grant} ${r.status}`;
  });
}

/** The JSON bodies of the listing requests. */
export function listBodies(fake: HitachiFake): unknown[] {
  return fake.log.filter(isList).map((r) => JSON.parse(r.body.toString()));
}
