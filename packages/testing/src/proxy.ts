/**
 * A loopback HTTP proxy that tunnels `CONNECT` to loopback ports only: enough to show a client's
 * proxy settings (undici's `ProxyAgent`, `HTTPS_PROXY`) reach a fake, without an open proxy.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";

/** A `CONNECT` the proxy received. */
export interface ProxiedConnect {
  /** `host:port` as asked for. */
  target: string;
  /** Header names lower-cased, as received. */
  headers: Record<string, string>;
  /** What the proxy answered: 200 (tunnel open), 403 (not loopback), 407 (no or wrong credentials), 502. */
  status: number;
}

/** Options of {@link startProxyServer}. */
export interface ProxyServerOptions {
  /** The port to listen on (default 0: any free port). */
  port?: number;
  /** Require `Proxy-Authorization: Basic` with these (default: no authentication). */
  credentials?: { username: string; password: string };
}

/** A running proxy. */
export interface ProxyServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every `CONNECT` received, oldest first. */
  readonly connects: ProxiedConnect[];
  /** Stops the proxy and drops every tunnel. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Starts a loopback `CONNECT` proxy; `close()` it when done. */
export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServer> {
  const connects: ProxiedConnect[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const expected = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString("base64")}`
    : undefined;

  // Plain requests in absolute form are not forwarded: every client here tunnels.
  const server = createServer((_req, res) => {
    res.writeHead(501, { "content-type": "text/plain" }).end("this test proxy only tunnels CONNECT");
  });
  server.on("connection", track);
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const record: ProxiedConnect = { target, headers, status: 0 };
    connects.push(record);
    const refuse = (status: number, reason: string, extra = "") => {
      record.status = status;
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}content-length: 0\r\nconnection: close\r\n\r\n`);
    };
    const at = target.lastIndexOf(":");
    const host = target.slice(0, at);
    const port = Number(target.slice(at + 1));
    if (expected !== undefined && req.headers["proxy-authorization"] !== expected) {
      return refuse(407, "Proxy Authentication Required", 'proxy-authenticate: Basic realm="bucketry"\r\n');
    }
    if (!LOOPBACK.has(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
      return refuse(403, "Forbidden");
    }
    const upstream = connect(port, host.replace(/^\[|\]$/g, ""));
    track(upstream);
    upstream.once("connect", () => {
      record.status = 200;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once("error", () => (record.status === 0 ? refuse(502, "Bad Gateway") : client.destroy()));
    client.once("error", () => upstream.destroy());
    client.once("close", () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
