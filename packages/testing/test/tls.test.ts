/**
 * The `tls` option (every fake over HTTPS with the private test CA), the certificates themselves,
 * and the loopback CONNECT proxy, driven with node:https and node:http (the clients' side, with
 * undici dispatchers, is in each provider's test/networking.test.ts).
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeApi, startFakeServer, startProxyServer, testCertificates } from "../src/index.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const APIS: FakeApi[] = [
  "hitachi-vsp-one-object",
  "huaweicloud-mpc",
  "huaweicloud-dbss",
  "ncloud-archive-storage",
  "virtuozzo-ostor",
];

/** One GET over HTTPS; resolves to the status, or rejects with the TLS error. */
function get(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A raw CONNECT to the proxy; resolves to its status line's code. */
function connectThrough(
  proxy: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(proxy, { method: "CONNECT", path: target, headers, agent: false });
    req.on("connect", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("tls option", () => {
  it.each(APIS)("%s serves HTTPS that a client trusting the test CA accepts", async (api) => {
    const fake = await startFakeServer(api, { tls: testCertificates });
    closers.push(() => fake.close());
    expect(fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // Unsigned, so the fake's answer is an auth error or 404: the handshake and the request are what count.
    const status = await get(`${fake.url}/`, testCertificates.ca);
    expect(status).toBeGreaterThanOrEqual(200);
    expect(fake.log).toHaveLength(1);
  });

  it("is refused by a client that does not trust the CA, before any request arrives", async () => {
    const fake = await startFakeServer("virtuozzo-ostor", { tls: testCertificates });
    closers.push(() => fake.close());
    await expect(get(`${fake.url}/`)).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    expect(fake.log).toHaveLength(0);
  });

  it("stays plain HTTP without it", async () => {
    const fake = await startFakeServer("virtuozzo-ostor");
    closers.push(() => fake.close());
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("testCertificates", () => {
  const ca = new X509Certificate(testCertificates.ca);
  const leaf = new X509Certificate(testCertificates.cert);

  it("is a CA and a loopback server certificate it issued", () => {
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkIP("::1")).toBe("::1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
  });

  it("outlives any test run (regenerate with scripts/generate-certificates.sh)", () => {
    expect(new Date(leaf.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2100);
    expect(new Date(ca.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2100);
  });

  it("holds the server's key and no CA key: nothing else can be issued under it", () => {
    expect(Object.keys(testCertificates).sort()).toEqual(["ca", "cert", "key"]);
    expect(leaf.checkPrivateKey(createPrivateKey(testCertificates.key))).toBe(true);
  });
});

describe("startProxyServer", () => {
  it("tunnels to a loopback port and records the CONNECT", async () => {
    const fake = await startFakeServer("virtuozzo-ostor", { tls: testCertificates });
    const proxy = await startProxyServer();
    closers.push(
      () => fake.close(),
      () => proxy.close(),
    );
    const target = new URL(fake.url).host;
    expect(await connectThrough(proxy.url, target)).toBe(200);
    expect(proxy.connects).toEqual([expect.objectContaining({ target, status: 200 })]);
  });

  it("refuses targets off loopback (403) and missing or wrong credentials (407)", async () => {
    const proxy = await startProxyServer({ credentials: { username: "user", password: "pa:ss" } });
    closers.push(() => proxy.close());
    const good = `Basic ${Buffer.from("user:pa:ss").toString("base64")}`;
    expect(await connectThrough(proxy.url, "example.com:443", { "proxy-authorization": good })).toBe(403);
    expect(await connectThrough(proxy.url, "127.0.0.1:9")).toBe(407);
    const wrong = `Basic ${Buffer.from("user:nope").toString("base64")}`;
    expect(await connectThrough(proxy.url, "127.0.0.1:9", { "proxy-authorization": wrong })).toBe(407);
    expect(proxy.connects.map((c) => c.status)).toEqual([403, 407, 407]);
  });

  it("answers 502 when nothing listens on the target", async () => {
    const proxy = await startProxyServer();
    closers.push(() => proxy.close());
    // A port just freed: nothing listens there.
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise((resolve) => spare.close(resolve));
    expect(await connectThrough(proxy.url, `127.0.0.1:${port}`)).toBe(502);
  });
});
