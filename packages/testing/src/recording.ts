/**
 * Small loopback helpers for tests that need a server of their own making rather than one of the
 * fakes: a server answering from a handler and recording each request, a Keystone v3 token issuer to
 * answer with, and every rendering of an error a secret must not appear in.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";

/** A request as a {@link RecordingServer} received it. */
export interface SeenRequest {
  method: string;
  /** The raw request target, e.g. `/v3/auth/tokens?nocatalog`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
}

/** What a handler answers. */
export interface HandlerAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Every request so far, in arrival order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that records every request and answers with `handler`. */
export async function startRecordingServer(
  handler: (seen: SeenRequest) => HandlerAnswer | Promise<HandlerAnswer>,
): Promise<RecordingServer> {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    const answer = await handler(entry);
    res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A handler issuing Keystone v3 tokens `tok-1`, `tok-2`, … that expire `lifetimeMs` after issue, in
 * Keystone's microsecond `expires_at` format.
 */
export function keystoneTokens(lifetimeMs = 24 * 3600_000): () => HandlerAnswer {
  let issued = 0;
  return () => {
    issued++;
    const expires = new Date(Date.now() + lifetimeMs).toISOString().replace("Z", "000Z");
    return {
      status: 201,
      headers: { "X-Subject-Token": `tok-${issued}`, "Content-Type": "application/json" },
      body: JSON.stringify({ token: { expires_at: expires, methods: ["password"] } }),
    };
  };
}

/** Every way an error can be shown: message, stack, JSON, and `util.inspect` with hidden fields. */
export function errorRenderings(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
}
