/** A loopback HTTP server for tests: each test scripts the answers and reads back what arrived. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ErrorFormat, parseErrorBody } from "../src/error-bodies.js";
import type { AttemptStep } from "../src/pipeline.js";

/** The answer of the test API. */
export interface Ok {
  ok: boolean;
}

/** A small API: an idempotent GET, a plain POST, and a POST that is a read (Hitachi's listing). */
export interface paths {
  "/things": {
    get: { responses: { 200: { content: { "application/json": Ok } } } };
    post: {
      requestBody: { content: { "application/json": { name: string } } };
      responses: { 200: { content: { "application/json": Ok } } };
    };
  };
  "/v1/user/list_buckets": {
    post: {
      requestBody: { content: { "application/json": { id: number } } };
      responses: { 200: { content: { "application/json": Ok } } };
    };
  };
}

/** Stands in for a signer: stamps each attempt with its number and the clock. */
export const stampDate: AttemptStep = {
  prepare(request, attempt) {
    request.headers.set("x-test-date", `${attempt.number} ${new Date().toISOString()}`);
  },
};

/** One request as the server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** `performance.now()` when the request arrived. */
  at: number;
}

/** What a handler gets: the request as seen, its index among all requests, and the raw response. */
export type Handler = (seen: Seen, index: number, res: ServerResponse, req: IncomingMessage) => void;

/** A started server; `close()` also ends connections left open by a test. */
export interface TestServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (port 0) that answers every request with `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: performance.now(),
      };
      seen.push(entry);
      handler(entry, seen.length - 1, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a status, headers and a body. */
export function reply(
  res: ServerResponse,
  status: number,
  body = "",
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

/** A URL on 127.0.0.1 where nothing listens (a port that was just freed). */
export async function deadUrl(): Promise<string> {
  const server = await startServer(() => {});
  await server.close();
  return server.url;
}

/** A provider's error format as a test server speaks it: `{error_code, error_msg}` and `X-Request-Id`. */
export const testFormat: ErrorFormat = {
  requestId: "x-request-id",
  parse: (text) =>
    parseErrorBody(text, (json) => {
      const { error_code, error_msg } = json as Record<string, string | undefined>;
      return { code: error_code, message: error_msg };
    }),
};
