/**
 * `cors: true`: every fake answers preflights and exposes its answers' headers the way a
 * CORS-enabled gateway in front of the API would; without it, nothing CORS is sent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeApi, type FakeHttpServer, startFakeServer } from "../src/index.js";

const ORIGIN = "http://127.0.0.1:9";
const APIS: FakeApi[] = [
  "hitachi-vsp-one-object",
  "huaweicloud-mpc",
  "huaweicloud-dbss",
  "ncloud-archive-storage",
  "virtuozzo-ostor",
];

let fake: FakeHttpServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function preflight(url: string): Promise<Response> {
  return fetch(`${url}/anything`, {
    method: "OPTIONS",
    headers: {
      origin: ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,x-amz-date,content-type",
    },
  });
}

describe.each(APIS)("%s with cors: true", (api) => {
  it("answers a preflight with what it asked for, and logs it", async () => {
    fake = await startFakeServer(api, { cors: true });
    const answer = await preflight(fake.url);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(answer.headers.get("access-control-allow-methods")).toBe("POST");
    expect(answer.headers.get("access-control-allow-headers")).toBe("authorization,x-amz-date,content-type");
    expect(fake.log.map((r) => r.method)).toEqual(["OPTIONS"]);
  });

  it("allows the origin and exposes the answer's headers by name, also on an injected fault", async () => {
    fake = await startFakeServer(api, { cors: true });
    fake.inject({ kind: "status", status: 503, retryAfter: 1 });
    const answer = await fetch(`${fake.url}/`, { headers: { origin: ORIGIN } });
    await answer.arrayBuffer();
    expect(answer.status).toBe(503);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(answer.headers.get("access-control-expose-headers")?.split(", ")).toContain("retry-after");
  });
});

describe("without cors", () => {
  it("sends no CORS header and leaves OPTIONS to the fake", async () => {
    fake = await startFakeServer("virtuozzo-ostor");
    const answer = await preflight(fake.url);
    await answer.arrayBuffer();
    expect(answer.status).not.toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});
