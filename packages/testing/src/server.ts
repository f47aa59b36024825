/**
 * The HTTP shell every fake shares: a real `node:http` server on 127.0.0.1 (port 0 unless told),
 * a log of every request exactly as received, and fault injection applied before the fake's own
 * handler runs. Each fake supplies only a `handle(request)` that answers like the vendor does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A request as the fake received it: the raw request target and header lines, and the body bytes. */
export interface RecordedRequest {
  method: string;
  /** The raw request target, e.g. `/?ostor-users&space` (not normalised). */
  target: string;
  /** Header names lower-cased; repeated headers joined with `, ` (Node's rule). */
  headers: Record<string, string>;
  /** Header lines as sent: `[name, value, name, value, ...]` with the client's casing and order. */
  rawHeaders: string[];
  body: Buffer;
  /** When it arrived (ms since epoch). */
  at: number;
  /** The status the fake answered with, once it has (undefined for a reset connection). */
  status?: number;
  /** The fault that answered it instead of the fake, if any. */
  fault?: Fault["kind"];
}

/** What a fake answers. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** A fault to inject. */
export type Fault =
  /** Wait before the fake answers (the answer itself is normal). */
  | { kind: "latency"; ms: number }
  /** Answer with this status instead (`Retry-After` and a body optional). */
  | {
      kind: "status";
      status: number;
      retryAfter?: number | string;
      body?: string;
      headers?: Record<string, string>;
    }
  /** Send the fake's headers and half its body, then destroy the connection. */
  | { kind: "reset" }
  /** Announce the full `Content-Length`, send half the body, end cleanly. */
  | { kind: "truncate" }
  /** Answer 200 with JSON that does not parse. */
  | { kind: "malformed-json" }
  /** Answer with an S3-style XML error body. */
  | { kind: "xml-error"; status: number; code: string; message: string }
  /** Expire every token the fake has issued (the fake's own state; the request is then answered normally). */
  | { kind: "expire-tokens" };

/** Which requests a fault applies to and how many times. */
export interface FaultOptions {
  /** How many matching requests it answers (default 1). */
  times?: number;
  /** Only requests this returns true for (default: every request). */
  match?: (request: RecordedRequest) => boolean;
}

interface FaultRule extends Required<FaultOptions> {
  fault: Fault;
}

/** A running fake. */
export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`, or `https://` with the `tls` option. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly log: RecordedRequest[];
  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault, options?: FaultOptions): void;
  /** Drops queued faults. */
  clearFaults(): void;
  /**
   * Resolves once `count` requests (those `match` accepts, if given) have arrived: a test that aborts
   * or collects garbage "while the server holds the request" waits for this, not for a guessed delay.
   */
  received(count: number, match?: (request: RecordedRequest) => boolean): Promise<void>;
  /** Stops the server and drops every open connection. */
  close(): Promise<void>;
}

/** Options every fake accepts. */
export interface FakeServerOptions {
  /** The port to listen on (default 0: any free port). */
  port?: number;
  /** Latency added to every answer, in ms (default 0). */
  latencyMs?: number;
  /** Throttles like a vendor's gateway: requests above the rate are answered 429 (see {@link Throttle}). */
  throttle?: Throttle;
  /**
   * Answer like an API behind a CORS-enabled gateway (default false), so a web page on another
   * origin can call the fake: a preflight (`OPTIONS` with `Access-Control-Request-Method`) gets 204
   * allowing the method and headers asked for, and every answer to a request with an `Origin`
   * allows that origin and exposes all its headers. Preflights are logged, answered before faults.
   */
  cors?: boolean;
  /**
   * Serve HTTPS with this certificate (PEM), e.g. `testCertificates`: its private CA lets a test
   * show what a client behind a private CA needs. Default: plain HTTP.
   */
  tls?: FakeTlsOptions;
}

/** A token bucket of `burst` refilled at `rate` per second; a request finding it empty is throttled. */
export interface Throttle {
  rate: number;
  /** Default: one second's worth, at least 1. */
  burst?: number;
  /** Only these requests count and are throttled (default: every request). */
  match?: (request: RecordedRequest) => boolean;
  /** The throttled answer (default: 429 with `Retry-After: 1`; the Huawei fakes answer APIG.0308). */
  answer?: (request: RecordedRequest) => FakeResponse;
}

/** The server certificate chain and its private key, PEM. */
export interface FakeTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
}

/** Starts the shared HTTP shell around a fake's handler. */
export async function startHttpFake(
  handle: (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>,
  options: FakeServerOptions & { onFault?: (fault: Fault) => void } = {},
): Promise<FakeHttpServer> {
  const log: RecordedRequest[] = [];
  let rules: FaultRule[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const throttled = options.throttle ? throttler(options.throttle) : undefined;

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const request = await record(req);
    log.push(request);
    for (const check of waiters) check();
    if (options.cors && isPreflight(request)) {
      send(res, request, preflightAnswer(request));
      return;
    }
    if (options.cors && request.headers.origin) {
      // Set before the answer's own: writeHead merges them, so faults' answers carry them too.
      for (const [name, value] of Object.entries(corsHeaders(request))) res.setHeader(name, value);
    }
    try {
      const refused = throttled?.(request);
      if (refused) return send(res, request, refused);
      if (options.latencyMs) await sleep(options.latencyMs);
      const rule = rules.find((r) => r.times > 0 && r.match(request));
      if (rule) {
        rule.times -= 1;
        rules = rules.filter((r) => r.times > 0);
        request.fault = rule.fault.kind;
        options.onFault?.(rule.fault);
        if (await applyFault(rule.fault, request, res, handle)) return;
      }
      send(res, request, await handle(request));
    } catch (error) {
      send(res, request, { status: 500, body: `fake server error: ${(error as Error).message}` });
    }
  };
  const tls = options.tls;
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
  // Raw TCP sockets, TLS or not, so close() drops handshakes in flight too.
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    log,
    inject(fault, faultOptions = {}) {
      rules.push({ fault, times: faultOptions.times ?? 1, match: faultOptions.match ?? (() => true) });
    },
    clearFaults() {
      rules = [];
    },
    received(count, match = () => true) {
      return new Promise((resolve) => {
        const check = () => {
          if (log.filter(match).length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function throttler(throttle: Throttle): (request: RecordedRequest) => FakeResponse | undefined {
  const burst = throttle.burst ?? Math.max(1, throttle.rate);
  let tokens = burst;
  let last = Date.now();
  return (request) => {
    if (throttle.match && !throttle.match(request)) return undefined;
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * throttle.rate);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return undefined;
    }
    return (
      throttle.answer?.(request) ?? {
        status: 429,
        headers: { "retry-after": "1", "content-type": "text/plain; charset=utf-8" },
        body: "throttled",
      }
    );
  };
}

/** Answers with the fault; false when the fault only changes state and the fake should answer. */
async function applyFault(
  fault: Fault,
  request: RecordedRequest,
  res: ServerResponse,
  handle: (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>,
): Promise<boolean> {
  switch (fault.kind) {
    case "latency":
      await sleep(fault.ms);
      return false;
    case "expire-tokens":
      return false;
    case "status": {
      const headers: Record<string, string> = {
        "content-type": "text/plain; charset=utf-8",
        ...fault.headers,
      };
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
      send(res, request, { status: fault.status, headers, body: fault.body ?? `injected ${fault.status}` });
      return true;
    }
    case "xml-error": {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${fault.message}</Message></Error>`;
      send(res, request, { status: fault.status, headers: { "content-type": "application/xml" }, body });
      return true;
    }
    case "malformed-json":
      send(res, request, {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"buckets": [{"bu',
      });
      return true;
    case "reset":
    case "truncate": {
      const answer = await handle(request);
      const body = Buffer.from(answer.body ?? "");
      const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
      request.status = answer.status;
      res.writeHead(answer.status, { ...answer.headers, "content-length": String(Math.max(body.length, 2)) });
      if (fault.kind === "reset") {
        res.write(half, () => res.destroy());
      } else {
        // Claim the full length, send half, then close: the client sees a premature end of body.
        res.write(half, () => res.socket?.end());
      }
      return true;
    }
  }
}

function isPreflight(request: RecordedRequest): boolean {
  return request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
}

/** A gateway's answer to a preflight: whatever the page asks for is allowed. */
function preflightAnswer(request: RecordedRequest): FakeResponse {
  const headers: Record<string, string> = {
    "access-control-allow-origin": request.headers.origin ?? "*",
    "access-control-allow-methods": request.headers["access-control-request-method"] ?? "GET",
    "access-control-max-age": "600",
    vary: "Origin",
  };
  const asked = request.headers["access-control-request-headers"];
  if (asked) headers["access-control-allow-headers"] = asked;
  return { status: 204, headers };
}

/** Headers for an actual cross-origin answer; exposed headers are listed by name in send(). */
function corsHeaders(request: RecordedRequest): Record<string, string> {
  return { "access-control-allow-origin": request.headers.origin ?? "*", vary: "Origin" };
}

function send(res: ServerResponse, request: RecordedRequest, answer: FakeResponse): void {
  request.status = answer.status;
  const body = answer.body === undefined ? undefined : Buffer.from(answer.body);
  const headers: Record<string, string | string[]> = { ...answer.headers };
  if (body !== undefined && answer.status !== 204) headers["content-length"] = String(body.length);
  if (res.hasHeader("access-control-allow-origin")) {
    // By name, not `*`: a page reads only the headers listed here (X-Subject-Token, X-Trans-Id, ...).
    res.setHeader("access-control-expose-headers", Object.keys(headers).join(", "));
  }
  res.writeHead(answer.status, headers);
  res.end(answer.status === 204 ? undefined : body);
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    headers,
    rawHeaders: req.rawHeaders,
    body: Buffer.concat(chunks),
    at: Date.now(),
  };
}
