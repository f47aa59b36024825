import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, TimeoutError } from "../src/errors.js";
import { mapNetworkErrors } from "../src/network-errors.js";
import { deadUrl, startServer } from "./helpers.js";

interface paths {
  "/v1/{project_id}/buckets": {
    get: {
      parameters: { path: { project_id: string } };
      responses: { 200: { content: { "application/json": unknown } } };
    };
  };
}
const params = { params: { path: { project_id: "p1" } } };

describe("mapNetworkErrors()", () => {
  it("turns a refused connection into a ConnectionError naming provider, operation and endpoint", async () => {
    const url = await deadUrl();
    const client = createClient<paths>({ baseUrl: url });
    client.use(mapNetworkErrors({ provider: "huaweicloud-mpc" }));
    const error = (await client
      .GET("/v1/{project_id}/buckets", params)
      .catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error.provider).toBe("huaweicloud-mpc");
    expect(error.operation).toBe("GET /v1/{project_id}/buckets");
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(
      `huaweicloud-mpc GET /v1/{project_id}/buckets: no response from ${url}/v1/p1/buckets (ECONNREFUSED)`,
    );
    // undici's "fetch failed" carries nothing but the socket error, so it stays as the cause.
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("turns a dropped connection into a ConnectionError, with the operation name given", async () => {
    const server = await startServer((_, __, res) => res.socket?.destroy());
    try {
      const client = createClient<paths>({ baseUrl: server.url });
      client.use(
        mapNetworkErrors({ provider: "p", operation: ({ method }) => `${method.toLowerCase()}Buckets` }),
      );
      const error = await client.GET("/v1/{project_id}/buckets", params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).operation).toBe("getBuckets");
    } finally {
      await server.close();
    }
  });

  it("turns the caller's abort into an AbortedError, whatever the reason", async () => {
    const server = await startServer(() => {});
    try {
      const client = createClient<paths>({ baseUrl: server.url });
      client.use(mapNetworkErrors({ provider: "p" }));
      for (const reason of [undefined, "a string", new Error("custom")]) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(reason), 20);
        const error = await client
          .GET("/v1/{project_id}/buckets", { ...params, signal: controller.signal })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AbortedError);
      }
    } finally {
      await server.close();
    }
  });

  it("leaves errors that are not network failures as they are", async () => {
    const odd = new RangeError("not a network error");
    const client = createClient<paths>({
      baseUrl: "http://127.0.0.1:9",
      fetch: async () => {
        throw odd;
      },
    });
    client.use(mapNetworkErrors({ provider: "p" }));
    await expect(client.GET("/v1/{project_id}/buckets", params)).rejects.toBe(odd);
  });
});
