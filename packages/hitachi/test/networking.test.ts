/**
 * The README's Networking section, over real HTTPS on 127.0.0.1: the fake serves a certificate of
 * @bucketry/testing's private test CA, as an on-premises cluster behind a private CA does.
 */
import { inspect } from "node:util";
import { ConnectionError, type FetchLike } from "@bucketry/core";
import { type HitachiFake, startFakeServer, startProxyServer, testCertificates } from "@bucketry/testing";
import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createVspOneObjectClient } from "../src/index.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

function own<D extends Dispatcher>(dispatcher: D): D {
  closers.push(() => dispatcher.close());
  return dispatcher;
}

// As the README shows it: Node's fetch takes an undici `dispatcher` (the DOM types do not list it).
const through =
  (dispatcher: Dispatcher): FetchLike =>
  (request) =>
    fetch(request, { dispatcher } as RequestInit);

/** Everything an error shows: none of it may hold a secret. */
const surfaces = (error: unknown) =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 8 })].join("\n");

const proxyCredentials = { username: "proxy-user", password: "proxy-pa55word" };

async function proxied(password: string, fake: { url: string }) {
  const proxy = await startProxyServer({ credentials: proxyCredentials });
  closers.push(() => proxy.close());
  const uri = `http://${proxyCredentials.username}:${password}@${new URL(proxy.url).host}`;
  const dispatcher = own(new ProxyAgent({ uri, requestTls: { ca: testCertificates.ca } }));
  return { proxy, fetch: through(dispatcher), target: new URL(fake.url).host };
}

async function start(): Promise<HitachiFake> {
  const fake = await startFakeServer("hitachi-vsp-one-object", { tls: testCertificates });
  closers.push(() => fake.close());
  return fake;
}

// Keycloak, the CSRF session and MAPI all sit behind the same certificate, as on a cluster.
const list = (fake: HitachiFake, fetch?: FetchLike) =>
  createVspOneObjectClient({
    baseUrl: fake.cluster.mapiUrl,
    tokenUrl: fake.cluster.tokenUrl,
    credentials: { type: "password", ...fake.credentials },
    retry: false,
    fetch,
  })
    .listBuckets({ userId: fake.defaultUserId })
    .all();

const secretsOf = (fake: HitachiFake) =>
  [fake.credentials.password, fake.credentials.clientSecret].filter((secret) => secret !== undefined);

describe("Hitachi VSP One Object", () => {
  it("behind a private CA, the default fetch fails with a ConnectionError naming the certificate problem", async () => {
    const fake = await start();
    const error = await list(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    for (const secret of secretsOf(fake)) expect(surfaces(error)).not.toContain(secret);
    expect(fake.log).toEqual([]);
  });

  it("a fetch with an undici Agent trusting the CA lists", async () => {
    const fake = await start();
    const dispatcher = own(new Agent({ connect: { ca: testCertificates.ca } }));
    expect((await list(fake, through(dispatcher))).length).toBe(fake.users.get(fake.defaultUserId)?.length);
    expect(fake.log.length).toBeGreaterThan(0);
    expect(fake.log.every((request) => (request.status ?? 0) < 300)).toBe(true);
  });

  it("an undici ProxyAgent tunnels to it, trusting its CA", async () => {
    const fake = await start();
    const { proxy, fetch, target } = await proxied(proxyCredentials.password, fake);
    expect((await list(fake, fetch)).length).toBe(fake.users.get(fake.defaultUserId)?.length);
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(proxy.connects.every((c) => c.target === target && c.status === 200)).toBe(true);
  });

  it("a proxy that refuses the credentials is a ConnectionError that shows no password", async () => {
    const fake = await start();
    const { proxy, fetch } = await proxied("wrong-pa55word", fake);
    const error = await list(fake, fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(proxy.connects.map((c) => c.status)).toEqual([407]);
    for (const secret of ["wrong-pa55word", proxyCredentials.password, ...secretsOf(fake)]) {
      expect(surfaces(error)).not.toContain(secret);
    }
    expect(fake.log).toEqual([]);
  });
});

describe("Hitachi VSP One Object, proxy from the environment", () => {
  // EnvHttpProxyAgent reads https_proxy before HTTPS_PROXY, and NO_PROXY on every request.
  const env = (proxy: string, noProxy: string) => {
    vi.stubEnv("https_proxy", undefined);
    vi.stubEnv("no_proxy", undefined);
    vi.stubEnv("HTTPS_PROXY", proxy);
    vi.stubEnv("NO_PROXY", noProxy);
  };

  it("an EnvHttpProxyAgent takes HTTPS_PROXY", async () => {
    const fake = await start();
    const proxy = await startProxyServer();
    closers.push(() => proxy.close());
    env(proxy.url, "");
    const dispatcher = own(new EnvHttpProxyAgent({ requestTls: { ca: testCertificates.ca } }));
    expect((await list(fake, through(dispatcher))).length).toBe(fake.users.get(fake.defaultUserId)?.length);
    expect(proxy.connects.length).toBeGreaterThan(0);
  });

  it("and goes direct to a host NO_PROXY names", async () => {
    const fake = await start();
    const proxy = await startProxyServer();
    closers.push(() => proxy.close());
    env(proxy.url, "127.0.0.1");
    const dispatcher = own(
      new EnvHttpProxyAgent({
        connect: { ca: testCertificates.ca },
        requestTls: { ca: testCertificates.ca },
      }),
    );
    expect((await list(fake, through(dispatcher))).length).toBe(fake.users.get(fake.defaultUserId)?.length);
    expect(proxy.connects).toEqual([]);
  });
});
