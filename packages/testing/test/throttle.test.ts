/** The `throttle` option: requests beyond the bucket are answered 429, the vendor's way. */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeHttpServer, startFakeServer } from "../src/index.js";

const started: FakeHttpServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

describe("throttle", () => {
  it("answers 429 with Retry-After beyond the burst, and only to the requests it matches", async () => {
    const fake = await startFakeServer("ncloud-archive-storage", {
      // A rate so low that no token comes back during the test.
      throttle: { rate: 0.001, burst: 2, match: (r) => r.target.startsWith("/v1/") },
    });
    started.push(fake);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${fake.storageUrl}?format=json`, { headers: { "x-auth-token": "x" } });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get("retry-after")).toBe("1");
      await response.arrayBuffer();
    }
    // Two let through (and refused for the bad token), then throttled.
    expect(statuses).toEqual([401, 401, 429, 429]);
    const keystone = await fetch(`${fake.keystoneUrl}/v3`);
    expect(keystone.status).not.toBe(429);
  });

  it("answers the Huawei gateway's 429 APIG.0308 without Retry-After", async () => {
    const fake = await startFakeServer("huaweicloud-mpc", { throttle: { rate: 0.001, burst: 1 } });
    started.push(fake);
    await (await fetch(`${fake.url}/v1/${fake.projectId}/buckets`)).arrayBuffer();
    const response = await fetch(`${fake.url}/v1/${fake.projectId}/buckets`);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.json()).toMatchObject({ error_code: "APIG.0308" });
  });
});
