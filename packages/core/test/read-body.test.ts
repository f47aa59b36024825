import type { ServerResponse } from "node:http";
import createClient, { type Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { useStandardMiddleware } from "../src/client.js";
import {
  AbortedError,
  ConnectionError,
  MalformedResponseError,
  NotFoundError,
  TimeoutError,
} from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { mapNetworkErrors } from "../src/network-errors.js";
import { type BodyCheck, type ReadBodyOptions, readBody, requireJson } from "../src/read-body.js";
import { SecretRegistry } from "../src/redact.js";
import { attemptsOf, type RetryOptions, retry } from "../src/retry.js";
import { timeout } from "../src/timeout.js";
import { type Handler, type paths, reply, stampDate, startServer, type TestServer } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = JSON.stringify({ ok: true });
// A body that is secret-bearing and cut short: no error may quote it.
const SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
const garbled = `{"AWSSecretAccessKey": "${SECRET}", "ok": tr`;

/** Headers and half of `body`, then the connection is destroyed (a reset) or ended early (truncated). */
function cut(res: ServerResponse, kind: "reset" | "truncate", body = ok.repeat(200)): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
  res.write(body.slice(0, body.length / 2), () => (kind === "reset" ? res.destroy() : res.socket?.end()));
}

/** Headers and half a body, then nothing until the connection is closed. */
function stall(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  res.write("[1,2,3,");
}

/** The standard chain (as the provider clients install it) in front of a loopback server. */
async function clientFor(
  handler: Handler,
  options: { retry?: RetryOptions | false; validate?: BodyCheck; secrets?: SecretRegistry } = {},
) {
  server = await startServer(handler);
  const client = createClient<paths>({ baseUrl: server.url });
  useStandardMiddleware(client, {
    provider: "test",
    auth: [stampDate],
    secrets: options.secrets,
    operation: ({ method }) => (method === "GET" ? "getThings" : "postThings"),
    safe: ({ schemaPath }) => schemaPath === "/v1/user/list_buckets",
    validate: options.validate,
    retry: options.retry === false ? false : { random: () => 0, ...options.retry },
  });
  return { client, seen: server.seen };
}

/** Only the given middlewares, for options the standard chain does not expose. */
async function bareClient(handler: Handler, ...middleware: Middleware[]) {
  server = await startServer(handler);
  const client = createClient<paths>({ baseUrl: server.url });
  client.use(...middleware);
  return { client, seen: server.seen };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error,
  );

describe("retry() reads each 2xx body in full", () => {
  it.each(["reset", "truncate"] as const)(
    "retries a body that is %s, and stamps the attempt afresh",
    async (kind) => {
      const { client, seen } = await clientFor((_, i, res) =>
        i === 0 ? cut(res, kind) : reply(res, 200, ok),
      );
      const { data, response } = await client.GET("/things");
      expect(data).toEqual({ ok: true });
      expect(seen).toHaveLength(2);
      expect(attemptsOf(response)).toBe(2);
      expect(seen[0]!.headers["x-test-date"]).not.toBe(seen[1]!.headers["x-test-date"]);
    },
  );

  it("retries a 2xx JSON body that does not parse", async () => {
    const { client, seen } = await clientFor((_, i, res) => reply(res, 200, i === 0 ? garbled : ok));
    const { data } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it("checks a +json body too, and a body openapi-fetch will parse as JSON whatever its type", async () => {
    const { client, seen } = await clientFor((_, i, res) => {
      if (i === 0) reply(res, 200, garbled, { "content-type": "application/problem+json" });
      else if (i === 1) reply(res, 200, "<html>maintenance</html>", { "content-type": "text/html" });
      else reply(res, 200, ok);
    });
    expect((await client.GET("/things")).data).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it("throws a ConnectionError when every attempt's body breaks off: typed, redacted, no body text", async () => {
    const secrets = new SecretRegistry();
    secrets.add(SECRET);
    const { client, seen } = await clientFor((_, __, res) => cut(res, "reset", garbled.repeat(50)), {
      secrets,
    });
    const query = { params: { query: { token: "t0ps3cret" } } } as never;
    const error = (await failure(client.GET("/things", query))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ provider: "test", operation: "getThings", status: 200, body: undefined });
    expect(error.message).toBe(
      `test getThings: the response body could not be read (HTTP 200 from ${server!.url}/things?token=[REDACTED]): it was cut off before its end (UND_ERR_SOCKET)`,
    );
    expect(error.request).toEqual({ method: "GET", url: `${server!.url}/things?token=[REDACTED]` });
    const shown = `${JSON.stringify(error)} ${error.stack} ${String((error.cause as Error | undefined)?.stack)}`;
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain("t0ps3cret");
    expect(seen).toHaveLength(3);
  });

  it("throws a MalformedResponseError when every attempt's body is garbled, never quoting it", async () => {
    const { client, seen } = await clientFor((_, __, res) =>
      reply(res, 200, garbled, { "x-request-id": "r-1" }),
    );
    const error = (await failure(client.GET("/things"))) as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({
      name: "MalformedResponseError",
      provider: "test",
      operation: "getThings",
      status: 200,
      code: "MalformedResponse",
      requestId: "r-1",
      body: undefined,
    });
    expect(error.message).toBe(
      `test getThings answered HTTP 200 with a body that is not valid JSON (${garbled.length} bytes, content-type "application/json"; GET ${server!.url}/things)`,
    );
    expect(JSON.stringify(error) + error.stack).not.toContain(SECRET);
    expect(seen).toHaveLength(3);
  });

  it("does not retry a POST that is not marked safe, but still gives typed errors", async () => {
    const reset = await clientFor((_, __, res) => cut(res, "reset"));
    expect(await failure(reset.client.POST("/things", { body: { name: "a" } }))).toBeInstanceOf(
      ConnectionError,
    );
    expect(reset.seen).toHaveLength(1);
    await server?.close();
    const bad = await clientFor((_, __, res) => reply(res, 200, garbled));
    expect(await failure(bad.client.POST("/things", { body: { name: "a" } }))).toBeInstanceOf(
      MalformedResponseError,
    );
    expect(bad.seen).toHaveLength(1);
  });

  it("retries a POST marked safe, sending the same body each time", async () => {
    const { client, seen } = await clientFor((_, i, res) =>
      i === 0 ? cut(res, "truncate") : reply(res, 200, ok),
    );
    const { data } = await client.POST("/v1/user/list_buckets", { body: { id: -468170324 } });
    expect(data).toEqual({ ok: true });
    expect(seen.map((s) => s.body)).toEqual(['{"id":-468170324}', '{"id":-468170324}']);
  });

  it("hands back the answer with the same status, status text, headers and URL", async () => {
    const { client } = await clientFor((_, __, res) => {
      res.writeHead(201, "Made", { "content-type": "application/json", "x-trans-id": "tx1" });
      res.end(ok);
    });
    const { data, response } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Made");
    expect(response.headers.get("x-trans-id")).toBe("tx1");
    expect(response.url).toBe(`${server!.url}/things`);
  });

  it("accepts an empty 2xx body and a 204", async () => {
    const { client } = await clientFor((_, i, res) => (i === 0 ? reply(res, 200, "") : reply(res, 204)));
    expect((await client.GET("/things")).data).toBeUndefined();
    const { response } = await client.GET("/things");
    expect(response.status).toBe(204);
  });

  it("keeps an error status whose body breaks off: the status is the answer", async () => {
    const { client, seen } = await clientFor((_, __, res) => {
      res.writeHead(404, { "content-type": "application/json", "content-length": "100" });
      res.write('{"code":"NoSuch', () => res.destroy());
    });
    const result = await client.GET("/things");
    expect(result.response.status).toBe(404);
    await expect(expectOk(result, { provider: "test", operation: "getThings" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(seen).toHaveLength(1);
  });

  it("retries a body that fails the caller's check, which sees the text and the request", async () => {
    const checked: string[] = [];
    const validate: BodyCheck = ({ text, request, schemaPath }) => {
      checked.push(`${schemaPath} ${new URL(request.url).search} ${text()}`);
      return text().includes("</account>") ? undefined : "ends before </account>";
    };
    const { client, seen } = await clientFor(
      (_, i, res) =>
        reply(res, 200, i === 0 ? "<account>" : "<account></account>", { "content-type": "application/xml" }),
      { validate },
    );
    const { data } = await client.GET("/things", {
      params: { query: { format: "xml" } } as never,
      parseAs: "text",
    });
    expect(data).toBe("<account></account>");
    expect(seen).toHaveLength(2);
    expect(checked).toEqual(["/things ?format=xml <account>", "/things ?format=xml <account></account>"]);
  });

  it("reports the caller's check as a MalformedResponseError once the attempts are spent", async () => {
    const { client, seen } = await clientFor(
      (_, __, res) => reply(res, 200, "", { "content-type": "text/plain" }),
      {
        validate: requireJson,
        retry: { maxAttempts: 2 },
      },
    );
    const error = (await failure(client.GET("/things", { parseAs: "text" }))) as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain(
      'answered HTTP 200 with a body that is empty (0 bytes, content-type "text/plain"',
    );
    expect(seen).toHaveLength(2);
  });
});

describe("time limits and cancellation cover the body", () => {
  it("the per-attempt timer covers reading the body: a stalled body is retried", async () => {
    const { client, seen } = await bareClient(
      (_, i, res) => (i === 0 ? stall(res) : reply(res, 200, ok)),
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 200 }),
      retry({ random: () => 0 }),
    );
    const started = performance.now();
    const { data } = await client.GET("/things");
    expect(data).toEqual({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(seen).toHaveLength(2);
  });

  it("a body that stalls on every attempt ends in a per-attempt TimeoutError", async () => {
    const { client, seen } = await bareClient(
      (_, __, res) => stall(res),
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 100 }),
      retry({ random: () => 0, maxAttempts: 2 }),
    );
    const error = await failure(client.GET("/things"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("per-attempt timeout");
    expect(seen).toHaveLength(2);
  });

  it("the overall deadline during a body read is final: not retried", async () => {
    const { client, seen } = await bareClient(
      (_, __, res) => stall(res),
      mapNetworkErrors({ provider: "test" }),
      timeout({ attemptMs: 5_000, totalMs: 200 }),
      retry({ random: () => 0 }),
    );
    const error = await failure(client.GET("/things"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("overall timeout");
    expect(seen).toHaveLength(1);
  });

  it("the caller's abort during a body read is an AbortedError, not retried", async () => {
    const { client, seen } = await clientFor((_, __, res) => stall(res));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(client.GET("/things", { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(1);
  });
});

describe("without retries: readBody()", () => {
  it("retry: false still reads the body and gives typed errors, after one attempt", async () => {
    const reset = await clientFor((_, __, res) => cut(res, "reset"), { retry: false });
    expect(await failure(reset.client.GET("/things"))).toBeInstanceOf(ConnectionError);
    expect(reset.seen).toHaveLength(1);
    await server?.close();
    const bad = await clientFor((_, __, res) => reply(res, 200, garbled), { retry: false });
    expect(await failure(bad.client.GET("/things"))).toBeInstanceOf(MalformedResponseError);
    expect(bad.seen).toHaveLength(1);
  });

  it("reads an answer that an auth middleware fetched again after a 401", async () => {
    const reauth: Middleware = {
      async onResponse({ request, response, options }) {
        if (response.status !== 401) return undefined;
        return options.fetch(new Request(request.url, { headers: { authorization: "fresh" } }));
      },
    };
    const { client, seen } = await bareClient(
      (_, i, res) => (i === 0 ? reply(res, 401, "{}") : cut(res, "truncate")),
      mapNetworkErrors({ provider: "test" }),
      readBody(),
      reauth,
      retry(),
    );
    expect(await failure(client.GET("/things"))).toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(2);
  });

  it("names the host when no mapNetworkErrors() describes the call", async () => {
    const { client } = await bareClient((_, __, res) => reply(res, 200, garbled), readBody());
    const error = (await failure(client.GET("/things"))) as MalformedResponseError;
    expect(error.provider).toBe(new URL(server!.url).host);
    expect(error.operation).toBe("GET /things");
  });
});

describe("opting out of buffering", () => {
  const unbuffered: ReadBodyOptions = { bufferBody: false };

  it("bufferBody: false hands the answer on unread: openapi-fetch meets the broken body itself", async () => {
    const { client, seen } = await bareClient(
      (_, __, res) => cut(res, "reset"),
      mapNetworkErrors({ provider: "test" }),
      readBody(unbuffered),
      retry({ ...unbuffered, random: () => 0 }),
    );
    const error = await failure(client.GET("/things"));
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(1);
  });

  it("parseAs: stream is never buffered: the body streams as it arrives", async () => {
    let finish: (() => void) | undefined;
    const { client } = await clientFor((_, __, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("first chunk;");
      finish = () => res.end("last chunk");
    });
    // Resolves while the server still holds the rest back: nothing waited for the whole body.
    const { data } = await client.GET("/things", { parseAs: "stream" });
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first chunk;");
    finish!();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe("last chunk");
  });
});
