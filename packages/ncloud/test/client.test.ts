/** The factory: zones and endpoints, every credential form, raw calls, what is sent, and secrets. */
import { inspect } from "node:util";
import { staticToken } from "@bucketry/auth";
import { AuthenticationError } from "@bucketry/core";
import type { ArchiveStorageFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import * as ncloud from "../src/index.js";
import {
  ARCHIVE_STORAGE_ZONES,
  createArchiveStorageClient,
  ncloudCredentials,
  ncloudCredentialsFromEnv,
  ncloudKeystoneToken,
} from "../src/index.js";
import { clientFor, listingRequests, queryOf, startFake, thrown, tokenRequests } from "./fixtures.js";

describe("the package", () => {
  it("exports every public name", () => {
    expect(Object.keys(ncloud).sort()).toEqual([
      "ARCHIVE_STORAGE_PROVIDER",
      "ARCHIVE_STORAGE_ZONES",
      "MAX_LISTING_LIMIT",
      "MalformedResponseError",
      "NCLOUD_ENV",
      "NCLOUD_KEYSTONE_ENDPOINT",
      "SWIFT_ERRORS",
      "createArchiveStorageClient",
      "ncloudCredentials",
      "ncloudCredentialsFromEnv",
      "ncloudKeystoneToken",
      "staticToken",
    ]);
    expect(typeof ncloud.createArchiveStorageClient).toBe("function");
    expect(ncloud.ARCHIVE_STORAGE_PROVIDER).toBe("ncloud-archive-storage");
    expect(ncloud.MAX_LISTING_LIMIT).toBe(10_000);
    expect(new ncloud.MalformedResponseError("x", { provider: "p", operation: "o" })).toBeInstanceOf(Error);
    expect(ncloud.ARCHIVE_STORAGE_ZONES).toEqual({
      public: {
        baseUrl: "https://kr.archive.ncloudstorage.com",
        authUrl: "https://kr.archive.ncloudstorage.com:5000/v3",
      },
      gov: {
        baseUrl: "https://kr.archive.gov-ncloudstorage.com",
        authUrl: "https://kr.archive.gov-ncloudstorage.com:5000/v3",
      },
    });
  });
});

/** A fetch that sends the zone's real URLs to the fake, and records what was asked for. */
function routedFetch(fake: ArchiveStorageFake, zone: "public" | "gov", seen: string[]) {
  const { baseUrl, authUrl } = ARCHIVE_STORAGE_ZONES[zone];
  const keystone = new URL(authUrl).origin;
  return async (request: Request): Promise<Response> => {
    seen.push(`${request.method} ${request.url}`);
    const url = request.url.startsWith(keystone)
      ? fake.url + request.url.slice(keystone.length)
      : fake.url + request.url.slice(baseUrl.length);
    return fetch(new Request(url, request));
  };
}

describe("zones", () => {
  for (const zone of ["public", "gov"] as const) {
    it(`${zone}: Keystone on :5000/v3, the account under /v1/AUTH_{projectId}`, async () => {
      const fake = await startFake({ containers: 3 });
      const seen: string[] = [];
      const { accessKeyId, secretKey, domainId, projectId } = fake.credentials;
      const client = createArchiveStorageClient({
        zone,
        projectId,
        credentials: { type: "keystone", accessKeyId, secretKey, domainId },
        fetch: routedFetch(fake, zone, seen),
      });
      const names = (await client.listContainers().all()).map((entry) => entry.name);
      expect(names).toEqual(fake.containers.map((c) => c.name));
      const host = zone === "public" ? "kr.archive.ncloudstorage.com" : "kr.archive.gov-ncloudstorage.com";
      expect(seen).toEqual([
        `POST https://${host}:5000/v3/auth/tokens`,
        `GET https://${host}/v1/AUTH_${projectId}?format=json&limit=10000`,
      ]);
    });
  }
});

describe("credentials", () => {
  it("an API key with baseUrl and authUrl: a project-scoped Keystone login with domain.id", async () => {
    const fake = await startFake({ containers: 2 });
    const { accessKeyId, secretKey, domainId, projectId } = fake.credentials;
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      authUrl: fake.keystoneUrl,
      projectId,
      credentials: { type: "keystone", accessKeyId, secretKey, domainId },
    });
    await client.getAccount();
    const [login] = tokenRequests(fake);
    expect(JSON.parse(login!.body.toString())).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: accessKeyId, password: secretKey, domain: { id: domainId } } },
        },
        scope: { project: { id: projectId } },
      },
    });
    expect(listingRequests(fake)[0]!.headers["x-auth-token"]).toBe([...fake.issuedTokens.keys()][0]);
  });

  it("ncloudCredentials(...): the project id comes from the credentials", async () => {
    const fake = await startFake({ containers: 2 });
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      credentials: {
        type: "keystone",
        from: ncloudCredentials({ ...fake.credentials, authUrl: fake.keystoneUrl }),
      },
    });
    expect(client.projectId).toBe(fake.credentials.projectId);
    expect((await client.getAccount()).containers).toHaveLength(2);
  });

  it("ncloudCredentialsFromEnv(): the OS_* variables", async () => {
    const fake = await startFake({ containers: 2 });
    const credentials = ncloudCredentialsFromEnv({
      OS_AUTH_URL: `${fake.keystoneUrl}/v3`,
      OS_USERNAME: fake.credentials.accessKeyId,
      OS_PASSWORD: fake.credentials.secretKey,
      OS_USER_DOMAIN_ID: fake.credentials.domainId,
      OS_PROJECT_ID: fake.credentials.projectId,
    });
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      credentials: { type: "keystone", from: credentials },
    });
    expect((await client.getAccount()).account.containerCount).toBe(2);
  });

  it("a pre-issued token with its storage URL (OS_AUTH_TOKEN + OS_STORAGE_URL): endpoint and project from the URL", async () => {
    const fake = await startFake({ containers: 2 });
    const issuer = ncloudKeystoneToken({ ...fake.credentials, endpoint: fake.keystoneUrl });
    const token = (await issuer.token()).reveal();
    const credentials = ncloudCredentialsFromEnv({ OS_AUTH_TOKEN: token, OS_STORAGE_URL: fake.storageUrl });
    const client = createArchiveStorageClient({ credentials: { type: "token", from: credentials } });
    expect(client.projectId).toBe(fake.credentials.projectId);
    expect((await client.getAccount()).containers).toHaveLength(2);
    expect(listingRequests(fake).map((r) => r.headers["x-auth-token"])).toEqual([token]);
  });

  it("any TokenSource (staticToken)", async () => {
    const fake = await startFake({ containers: 2 });
    const token = (
      await ncloudKeystoneToken({ ...fake.credentials, endpoint: fake.keystoneUrl }).token()
    ).reveal();
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      projectId: fake.credentials.projectId,
      credentials: { type: "token", source: staticToken(token) },
    });
    expect((await client.getAccount()).containers).toHaveLength(2);
  });
});

describe("the typed openapi-fetch client", () => {
  it("stays reachable and authenticated for raw calls", async () => {
    const fake = await startFake({ containers: 3 });
    const client = clientFor(fake);
    const { data, response } = await client.GET("/v1/AUTH_{project_id}", {
      params: { path: { project_id: client.projectId }, query: { format: "json", limit: 2 } },
    });
    expect(response.status).toBe(200);
    expect((data as { name: string }[]).map((c) => c.name)).toEqual(
      fake.containers.slice(0, 2).map((c) => c.name),
    );
    expect(listingRequests(fake)[0]!.headers["x-auth-token"]).toMatch(/.{16,}/);
  });
});

describe("what is sent", () => {
  it("every listing parameter, exactly", async () => {
    const fake = await startFake({ containers: 3 });
    const client = clientFor(fake);
    await client.getAccount({
      limit: 2,
      marker: "a b&c",
      endMarker: "버킷",
      prefix: "p+",
      delimiter: "-",
      reverse: true,
      format: "xml",
      newest: true,
    });
    const [request] = listingRequests(fake);
    expect(request!.method).toBe("GET");
    expect(request!.target.split("?")[0]).toBe(`/v1/AUTH_${fake.credentials.projectId}`);
    expect(queryOf(request!.target)).toEqual({
      format: "xml",
      limit: "2",
      marker: "a b&c",
      end_marker: "버킷",
      prefix: "p+",
      delimiter: "-",
      reverse: "true",
    });
    expect(request!.target).toContain("end_marker=%EB%B2%84%ED%82%B7");
    expect(request!.headers["x-newest"]).toBe("true");
  });

  it("no optional parameter unless asked for", async () => {
    const fake = await startFake({ containers: 1 });
    await clientFor(fake).getAccount();
    const [request] = listingRequests(fake);
    expect(request!.target).toBe(`/v1/AUTH_${fake.credentials.projectId}?format=json`);
    expect(request!.headers["x-newest"]).toBeUndefined();
  });
});

describe("secrets", () => {
  it("a refused login names the endpoint, never the secret key", async () => {
    const fake = await startFake();
    const secretKey = "wrong-secret-key-0123456789";
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      authUrl: fake.keystoneUrl,
      projectId: fake.credentials.projectId,
      credentials: {
        type: "keystone",
        accessKeyId: fake.credentials.accessKeyId,
        secretKey,
        domainId: "default",
      },
    });
    const error = await thrown(() => client.getAccount());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    for (const text of [
      error.message,
      error.stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 9 }),
    ]) {
      expect(text).not.toContain(secretKey);
    }
    expect(listingRequests(fake)).toHaveLength(0);
  });

  it("a refused token never appears in the error, and a static token is not retried", async () => {
    const fake = await startFake();
    const token = "gAAAAABstale-token-value-0123456789";
    const client = createArchiveStorageClient({
      baseUrl: fake.url,
      projectId: fake.credentials.projectId,
      credentials: { type: "token", source: staticToken(token) },
    });
    const error = await thrown(() => client.getAccount());
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 9 })]) {
      expect(text).not.toContain(token);
    }
    expect(listingRequests(fake)).toHaveLength(1);
  });

  it("the client object shows no credential", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await client.getAccount();
    const token = [...fake.issuedTokens.keys()][0]!;
    for (const text of [inspect(client, { depth: 9, showHidden: true }), JSON.stringify(client) ?? ""]) {
      expect(text).not.toContain(fake.credentials.secretKey);
      expect(text).not.toContain(token);
    }
  });
});
