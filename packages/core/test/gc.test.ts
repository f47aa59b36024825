/**
 * Node's fetch links a Request's signal to the one of the Request it was made from through a WeakRef
 * (nodejs/undici#4068): once that source is garbage-collected, aborting it no longer reaches fetch.
 * These tests collect garbage while a call hangs and check that the caller's abort, the per-attempt
 * timer and the overall deadline still end it, on the first attempt and on a replayed one.
 */
import { collectGarbage as collect } from "@bucketry/testing";
import createClient, { type Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { AbortedError, TimeoutError } from "../src/errors.js";
import { cloneRequest, deriveRequest, keepSource } from "../src/lineage.js";
import { mapNetworkErrors } from "../src/network-errors.js";
import { setReplay } from "../src/replay.js";
import { retry } from "../src/retry.js";
import { timeout } from "../src/timeout.js";
import { type paths, stampDate, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Stands in for a middleware that must send a new Request (here: a new URL), as ostorQuery does. */
const respell: Middleware = {
  onRequest({ request }) {
    const respelled = (input: Request) => keepSource(new Request(`${input.url}?respelled`, input), input);
    const output = respelled(request);
    setReplay(request, output, respelled);
    return output;
  },
};

/**
 * A client whose server drops the first `resets` attempts and never answers the others; its chain
 * stamps in place and makes new Requests, after the timers as well as before them.
 */
async function hangingClient(options: { attemptMs?: number; totalMs?: number; resets?: number }) {
  const resets = options.resets ?? 0;
  server = await startServer((_seen, index, res) => {
    if (index < resets) res.socket?.destroy();
  });
  const client = createClient<paths>({ baseUrl: server.url });
  client.use(
    mapNetworkErrors({ provider: "test" }),
    respell,
    timeout({ attemptMs: options.attemptMs ?? 60_000, totalMs: options.totalMs ?? 60_000 }),
    stampDate,
    respell,
    retry({ baseDelayMs: 1 }),
  );
  return { client, seen: server.seen };
}

/** Resolves once the server has seen `count` requests. */
async function seenAtLeast(seen: readonly unknown[], count: number): Promise<void> {
  while (seen.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("a call that hangs while garbage is collected", () => {
  it("still ends when the caller aborts", async () => {
    const { client, seen } = await hangingClient({});
    const controller = new AbortController();
    const call = client.GET("/things", { signal: controller.signal }).catch((error: unknown) => error);
    await seenAtLeast(seen, 1);
    await collect();
    controller.abort();
    expect(await call).toBeInstanceOf(AbortedError);
  });

  it("still ends at the per-attempt timer, on a replayed attempt too", async () => {
    const { client, seen } = await hangingClient({ attemptMs: 400, resets: 1 });
    const call = client.GET("/things").catch((error: unknown) => error);
    await seenAtLeast(seen, 2);
    await collect();
    const error = await call;
    expect(error).toBeInstanceOf(TimeoutError);
    // Attempt 2 and 3 timed out (attempt 1 was dropped): three requests, no more.
    expect(seen).toHaveLength(3);
  });

  it("still ends at the overall deadline", async () => {
    const { client, seen } = await hangingClient({ totalMs: 400, resets: 1 });
    const call = client.GET("/things").catch((error: unknown) => error);
    await seenAtLeast(seen, 2);
    await collect();
    expect(await call).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("overall") });
  });

  it("still ends when the caller aborts during a replayed attempt", async () => {
    const { client, seen } = await hangingClient({ resets: 1 });
    const controller = new AbortController();
    const call = client.GET("/things", { signal: controller.signal }).catch((error: unknown) => error);
    await seenAtLeast(seen, 2);
    await collect();
    controller.abort();
    expect(await call).toBeInstanceOf(AbortedError);
  });
});

describe("deriveRequest, keepSource and cloneRequest", () => {
  it("keep a derived request's signal following its source's after the source is dropped", async () => {
    const controller = new AbortController();
    const made = (() => {
      const source = new Request("http://127.0.0.1/", { signal: controller.signal });
      const copy = deriveRequest(source, { headers: { "x-a": "1" } });
      const moved = keepSource(new Request("http://127.0.0.1/moved", copy), copy);
      return deriveRequest(cloneRequest(moved), { headers: { "x-b": "2" } });
    })();
    await collect();
    controller.abort("stop");
    expect(made.signal.aborted).toBe(true);
    expect(made.signal.reason).toBe("stop");
  });
});
