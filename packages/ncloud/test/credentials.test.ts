// NAVER Archive Storage credentials from OS_* variables and from values: each missing or malformed
// one named in a CredentialsError, secrets hidden, and the token source working against a loopback Keystone.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { CredentialsError } from "@bucketry/core";
import { afterEach, describe, expect, it } from "vitest";
import { ncloudCredentials, ncloudCredentialsFromEnv } from "../src/credentials.js";

const SECRET = "ncp-secret-SEKRIT-5d1f";
const TOKEN = "pre-issued-SEKRIT-token";
const ENV = {
  OS_USERNAME: "ncp_iam_AKID1234",
  OS_PASSWORD: SECRET,
  OS_USER_DOMAIN_ID: "default",
  OS_PROJECT_ID: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
};

/** The variable a CredentialsError names, or a failure if none is thrown. */
function failingField(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    const field = (error as CredentialsError).field;
    expect((error as Error).message).toContain(field);
    return field;
  }
  throw new Error("expected a CredentialsError");
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe("ncloudCredentialsFromEnv", () => {
  it.each(Object.keys(ENV))("names %s when it is missing or empty", (name) => {
    expect(failingField(() => ncloudCredentialsFromEnv({ ...ENV, [name]: undefined }))).toBe(name);
    expect(failingField(() => ncloudCredentialsFromEnv({ ...ENV, [name]: "" }))).toBe(name);
  });

  it.each([
    ["OS_AUTH_URL", "kr.archive.ncloudstorage.com:5000/v3"],
    ["OS_AUTH_URL", "ftp://kr.archive.ncloudstorage.com/v3"],
    ["OS_PROJECT_ID", "../other-project"],
    ["OS_USER_DOMAIN_ID", "default domain"],
    ["OS_USERNAME", "AK ID"],
    ["OS_PASSWORD", `${SECRET}\n`],
    ["OS_STORAGE_URL", "not a url"],
  ])("names %s when it is malformed (%j), without echoing it", (name, value) => {
    let message = "";
    expect(
      failingField(() => {
        try {
          ncloudCredentialsFromEnv({ ...ENV, [name]: value });
        } catch (error) {
          message = (error as Error).message;
          throw error;
        }
      }),
    ).toBe(name);
    expect(message).not.toContain(SECRET);
  });

  it("defaults OS_AUTH_URL to the public-zone Keystone and hides the secret key", () => {
    const credentials = ncloudCredentialsFromEnv(ENV);
    expect(credentials).toMatchObject({
      kind: "keystone",
      authUrl: "https://kr.archive.ncloudstorage.com:5000/v3",
      accessKeyId: "ncp_iam_AKID1234",
      domainId: "default",
      projectId: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      storageUrl: undefined,
    });
    expect(inspect(credentials, { showHidden: true, depth: 10 })).not.toContain("SEKRIT");
    expect(JSON.stringify(credentials)).not.toContain("SEKRIT");
    expect(Object.isFrozen(credentials)).toBe(true);
  });

  it("logs in with OS_USERNAME/OS_PASSWORD to OS_AUTH_URL, scoped by OS_USER_DOMAIN_ID and OS_PROJECT_ID", async () => {
    const bodies: unknown[] = [];
    const server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      bodies.push({ url: req.url, body: JSON.parse(body) });
      res
        .writeHead(201, { "X-Subject-Token": "tok-env" })
        .end('{"token":{"expires_at":"2099-01-01T00:00:00Z"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => server.close();
    const authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
    const credentials = ncloudCredentialsFromEnv({ ...ENV, OS_AUTH_URL: authUrl });
    expect((await credentials.tokenSource().token()).reveal()).toBe("tok-env");
    expect(bodies).toEqual([
      {
        url: "/v3/auth/tokens",
        body: {
          auth: {
            identity: {
              methods: ["password"],
              password: { user: { name: ENV.OS_USERNAME, password: SECRET, domain: { id: "default" } } },
            },
            scope: { project: { id: ENV.OS_PROJECT_ID } },
          },
        },
      },
    ]);
  });

  it("uses OS_AUTH_TOKEN as is, and then requires OS_STORAGE_URL", async () => {
    expect(failingField(() => ncloudCredentialsFromEnv({ OS_AUTH_TOKEN: TOKEN }))).toBe("OS_STORAGE_URL");
    const credentials = ncloudCredentialsFromEnv({
      OS_AUTH_TOKEN: TOKEN,
      OS_STORAGE_URL: "https://kr.archive.ncloudstorage.com/v1/AUTH_a1b2",
    });
    expect(credentials).toMatchObject({
      kind: "token",
      storageUrl: "https://kr.archive.ncloudstorage.com/v1/AUTH_a1b2",
      projectId: undefined,
    });
    const source = credentials.tokenSource();
    source.invalidate();
    expect((await source.token()).reveal()).toBe(TOKEN);
    expect(inspect(credentials, { showHidden: true, depth: 10 })).not.toContain("SEKRIT");
    expect(JSON.stringify(credentials)).not.toContain("SEKRIT");
  });

  it("reads process.env by default", () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, ENV);
      delete process.env.OS_AUTH_TOKEN;
      expect(ncloudCredentialsFromEnv().accessKeyId).toBe(ENV.OS_USERNAME);
    } finally {
      for (const name of Object.keys(ENV)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});

describe("ncloudCredentials", () => {
  const values = {
    accessKeyId: "AKID",
    secretKey: SECRET,
    domainId: "default",
    projectId: "p1",
  };

  it("names the option at fault", () => {
    expect(failingField(() => ncloudCredentials({ ...values, secretKey: "" }))).toBe("secretKey");
    expect(failingField(() => ncloudCredentials({ ...values, domainId: undefined as never }))).toBe(
      "domainId",
    );
    expect(failingField(() => ncloudCredentials({ ...values, authUrl: "nope" }))).toBe("authUrl");
    expect(failingField(() => ncloudCredentials({ token: TOKEN, storageUrl: "" }))).toBe("storageUrl");
  });

  it("keeps given values and hides the secret", () => {
    const credentials = ncloudCredentials({
      ...values,
      authUrl: "https://kr.archive.gov-ncloudstorage.com:5000/v3/",
    });
    expect(credentials.authUrl).toBe("https://kr.archive.gov-ncloudstorage.com:5000/v3");
    expect(inspect(credentials, { depth: 10 })).not.toContain("SEKRIT");
  });
});
