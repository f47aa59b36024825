// Hitachi VSP One Object credentials from VSP_OBJECT_* variables and from values: each missing or
// malformed one named in a CredentialsError, secrets hidden, URLs derived, and the token source
// posting the right form to a loopback Keycloak.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { CredentialsError, InvalidInputError } from "@bucketry/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  vspOneObjectCredentials,
  vspOneObjectCredentialsFromEnv,
  vspOneObjectTokenUrl,
} from "../src/credentials.js";

const PASSWORD = "vsp-pw-SEKRIT-31";
const CLIENT_SECRET = "vsp-cs-SEKRIT-77";
const ENV = {
  VSP_OBJECT_CLUSTER: "cluster1.example.com",
  VSP_OBJECT_REGION: "us-west-2",
  VSP_OBJECT_USERNAME: "admin",
  VSP_OBJECT_PASSWORD: PASSWORD,
};

function failingField(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    const field = (error as CredentialsError).field;
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).not.toContain("SEKRIT");
    return field;
  }
  throw new Error("expected a CredentialsError");
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe("vspOneObjectCredentialsFromEnv", () => {
  it.each(Object.keys(ENV))("names %s when it is missing or empty", (name) => {
    expect(failingField(() => vspOneObjectCredentialsFromEnv({ ...ENV, [name]: undefined }))).toBe(name);
    expect(failingField(() => vspOneObjectCredentialsFromEnv({ ...ENV, [name]: "" }))).toBe(name);
  });

  it.each([
    ["VSP_OBJECT_CLUSTER", "https://cluster1.example.com"],
    ["VSP_OBJECT_CLUSTER", "cluster1.example.com/mapi"],
    ["VSP_OBJECT_REGION", "us west"],
    ["VSP_OBJECT_PASSWORD", ` ${PASSWORD}`],
    ["VSP_OBJECT_CLIENT_SECRET", `${CLIENT_SECRET}\n`],
    ["VSP_OBJECT_CLIENT_ID", "   "],
  ])("names %s when it is malformed (%j)", (name, value) => {
    expect(failingField(() => vspOneObjectCredentialsFromEnv({ ...ENV, [name]: value }))).toBe(name);
  });

  it("derives the Keycloak and MAPI URLs, defaults the client and hides the secrets", () => {
    const credentials = vspOneObjectCredentialsFromEnv({ ...ENV, VSP_OBJECT_CLIENT_SECRET: CLIENT_SECRET });
    expect(credentials).toMatchObject({
      cluster: "cluster1.example.com",
      region: "us-west-2",
      username: "admin",
      clientId: "vsp-object-external-client",
      tokenUrl:
        "https://admin.gms.cluster1.example.com/ui/auth/realms/vsp-object/protocol/openid-connect/token",
      mapiUrl: "https://admin.us-west-2.cluster1.example.com/mapi",
    });
    expect(inspect(credentials, { showHidden: true, depth: 10 })).not.toContain("SEKRIT");
    expect(JSON.stringify(credentials)).not.toContain("SEKRIT");
  });

  it("posts the password grant with VSP_OBJECT_CLIENT_ID and VSP_OBJECT_CLIENT_SECRET", async () => {
    const forms: Record<string, string>[] = [];
    const server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      forms.push(Object.fromEntries(new URLSearchParams(body)));
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end('{"access_token":"at-env","expires_in":300}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => server.close();
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const meant: string[] = [];
    const credentials = vspOneObjectCredentialsFromEnv({
      ...ENV,
      VSP_OBJECT_CLIENT_ID: "my-client",
      VSP_OBJECT_CLIENT_SECRET: CLIENT_SECRET,
    });
    const source = credentials.tokenSource({
      fetch: (request) => {
        meant.push(request.url);
        return fetch(new Request(local + new URL(request.url).pathname, request));
      },
    });
    expect((await source.token()).reveal()).toBe("at-env");
    expect(meant).toEqual([credentials.tokenUrl]);
    expect(forms).toEqual([
      {
        grant_type: "password",
        client_id: "my-client",
        client_secret: CLIENT_SECRET,
        username: "admin",
        password: PASSWORD,
      },
    ]);
  });
});

describe("vspOneObjectCredentials", () => {
  it("names the option at fault", () => {
    const values = { cluster: "c.example.com", region: "r1", username: "u", password: PASSWORD };
    expect(failingField(() => vspOneObjectCredentials({ ...values, password: "" }))).toBe("password");
    expect(failingField(() => vspOneObjectCredentials({ ...values, cluster: "c example" }))).toBe("cluster");
    expect(failingField(() => vspOneObjectCredentials({ ...values, region: undefined as never }))).toBe(
      "region",
    );
    expect(vspOneObjectCredentials(values).mapiUrl).toBe("https://admin.r1.c.example.com/mapi");
  });
});

describe("vspOneObjectTokenUrl", () => {
  it("is the realm vsp-object token endpoint of the cluster's identity provider", () => {
    expect(vspOneObjectTokenUrl("cluster1.example.com")).toBe(
      "https://admin.gms.cluster1.example.com/ui/auth/realms/vsp-object/protocol/openid-connect/token",
    );
    for (const bad of ["https://cluster1.example.com", "a b", "c.example/path", ""]) {
      expect(() => vspOneObjectTokenUrl(bad)).toThrow(InvalidInputError);
    }
  });
});
