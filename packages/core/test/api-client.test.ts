/**
 * createApiClient over a loopback server: the light `CallRequest` the pipeline gets while a client has
 * no middleware sends exactly what a platform `Request` would, and middleware gets platform ones.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApiClient } from "../src/api-client.js";
import { CallRequest } from "../src/call-request.js";
import { AbortedError } from "../src/errors.js";
import { createPipeline, type Pipeline } from "../src/pipeline.js";
import { type paths, reply, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = JSON.stringify({ ok: true });

/** A client whose pipeline records what it was handed and sends with the global fetch. */
async function recording() {
  server = await startServer((_, __, res) => reply(res, 200, ok));
  const handed: unknown[] = [];
  const pipeline = createPipeline({ provider: "test" });
  const client = createApiClient<paths>(
    (request) => {
      handed.push(request);
      return pipeline(request);
    },
    { baseUrl: server.url, headers: { "X-Base": "b" } },
  );
  return { client, handed, seen: server.seen };
}

describe("createApiClient", () => {
  it("hands the pipeline a CallRequest, and the wire gets what a platform Request would send", async () => {
    const { client, handed, seen } = await recording();
    const posted = await client.POST("/things", { body: { name: "a" }, headers: { "X-Call": "c" } });
    expect(posted.data).toEqual({ ok: true });
    const fetched = await client.GET("/things");
    expect(fetched.data).toEqual({ ok: true });
    expect(handed.every((request) => request instanceof CallRequest)).toBe(true);

    // The same two calls through platform Requests, for comparison.
    const viaPlatform: typeof seen = [];
    const plain = await startServer((entry, _, res) => {
      viaPlatform.push(entry);
      reply(res, 200, ok);
    });
    try {
      const baseline = createApiClient<paths>(createPipeline({ provider: "test" }), {
        baseUrl: plain.url,
        headers: { "X-Base": "b" },
      });
      baseline.use({ onRequest: () => undefined }); // any middleware switches the client to platform Requests
      await baseline.POST("/things", { body: { name: "a" }, headers: { "X-Call": "c" } });
      await baseline.GET("/things");
    } finally {
      await plain.close();
    }
    const wire = (list: typeof seen) =>
      list.map(({ method, url, body, headers }) => ({
        method,
        url,
        body,
        headers: { ...headers, host: undefined },
      }));
    expect(wire(seen)).toEqual(wire(viaPlatform));
    expect(seen[0]).toMatchObject({ method: "POST", body: '{"name":"a"}' });
    expect(seen[0]!.headers).toMatchObject({
      "content-type": "application/json",
      "x-base": "b",
      "x-call": "c",
    });
  });

  it("types a text body without a Content-Type as a platform Request does", () => {
    const request = new CallRequest("http://127.0.0.1/x", { method: "PUT", body: "hi" });
    expect(request.headers.get("content-type")).toBe(
      new Request("http://x/", { method: "PUT", body: "hi" }).headers.get("content-type"),
    );
    expect(new TextDecoder().decode(request.bodyBytes()!)).toBe("hi");
    expect(new CallRequest("http://127.0.0.1/x").body).toBeNull();
  });

  it("refuses to be copied by new Request(request), which would drop its method and body", () => {
    const request = new CallRequest("http://127.0.0.1/x", { method: "POST", body: "{}" });
    expect(() => new Request(request as unknown as Request)).toThrow(
      /register the middleware with client\.use\(\)/,
    );
    const copy = request.clone();
    expect({ url: copy.url, method: copy.method, type: copy.headers.get("content-type") }).toEqual({
      url: request.url,
      method: "POST",
      type: "text/plain;charset=UTF-8",
    });
  });

  it("gives middleware platform Requests it may copy; what it adds is sent", async () => {
    server = await startServer((_, __, res) => reply(res, 200, ok));
    const handed: unknown[] = [];
    const pipeline = createPipeline({ provider: "test" });
    const client = createApiClient<paths>(
      (request) => {
        handed.push(request);
        return pipeline(request);
      },
      { baseUrl: server.url },
    );
    client.use({
      onRequest({ request }) {
        expect(request).toBeInstanceOf(Request);
        return new Request(request, {
          headers: { ...Object.fromEntries(request.headers), "X-Trace-Id": "t1" },
        });
      },
    });
    const { data } = await client.POST("/things", { body: { name: "b" } });
    expect(data).toEqual({ ok: true });
    expect(handed[0]).toBeInstanceOf(Request);
    expect(server.seen[0]).toMatchObject({ method: "POST", body: '{"name":"b"}' });
    expect(server.seen[0]!.headers["x-trace-id"]).toBe("t1");
  });

  it("a caller's signal still cancels a call, with and without time limits", async () => {
    for (const options of [{}, { timeout: false as const }]) {
      server = await startServer(() => {}); // never answers
      const client = createApiClient<paths>(createPipeline({ provider: "test" }, options), {
        baseUrl: server.url,
      });
      const controller = new AbortController();
      const call = client.GET("/things", { signal: controller.signal }).catch((e: unknown) => e);
      while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect(await call).toBeInstanceOf(AbortedError);
      await server.close();
      server = undefined;
    }
  });

  it("hands a body other than text (FormData, Blob) to a platform Request", async () => {
    const handed: unknown[] = [];
    const fetch: Pipeline = async (request) => {
      handed.push(request);
      return new Response(ok, { headers: { "content-type": "application/json" } });
    };
    const client = createApiClient<paths>(fetch, { baseUrl: "http://127.0.0.1:9" });
    await client.POST("/things", { body: { name: "c" }, bodySerializer: () => new Blob(["x"]) });
    expect(handed[0]).toBeInstanceOf(Request);
  });
});
