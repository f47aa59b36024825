// Keycloak password-grant tokens (Hitachi VSP One Object's identity provider) against a loopback
// node:http server acting as Keycloak's token endpoint.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { AuthenticationError, InvalidInputError } from "@bucketry/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keycloakPasswordToken } from "../src/tokens/keycloak.js";

const PASSWORD = "p@ss-SEKRIT-&=+ü %";
const CLIENT_SECRET = "cs-SEKRIT-77aa";
const TOKEN_PATH = "/ui/auth/realms/vsp-object/protocol/openid-connect/token";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}
type Answer = { status: number; body: unknown };

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  vi.useRealTimers();
});

async function serve(handler: (seen: Seen, n: number) => Answer) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
    const entry = { url: req.url!, headers: req.headers, form };
    seen.push(entry);
    const answer = handler(entry, seen.length);
    res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => server.close();
  return { tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${TOKEN_PATH}`, seen };
}

/** Keycloak issuing at-1, at-2, … valid 300 s, with refresh tokens rt-1, rt-2, … valid 1800 s. */
const issue = (_: Seen, n: number): Answer => ({
  status: 200,
  body: {
    access_token: `at-${n}`,
    expires_in: 300,
    refresh_token: `rt-${n}`,
    refresh_expires_in: 1800,
    token_type: "Bearer",
  },
});

describe("keycloakPasswordToken", () => {
  it("posts the password grant as a form, without client_secret when there is none", async () => {
    const server = await serve(issue);
    const source = keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "vsp-object-external-client",
      username: "admin",
      password: PASSWORD,
    });
    const token = await source.token();
    expect(token.reveal()).toBe("at-1");
    const [request] = server.seen;
    expect(request!.url).toBe(TOKEN_PATH);
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request!.form).toEqual({
      grant_type: "password",
      client_id: "vsp-object-external-client",
      username: "admin",
      password: PASSWORD,
    });
  });

  it("adds client_secret for a confidential client", async () => {
    const server = await serve(issue);
    await keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "my-client",
      clientSecret: CLIENT_SECRET,
      username: "admin",
      password: PASSWORD,
    }).token();
    expect(server.seen[0]!.form).toEqual({
      grant_type: "password",
      client_id: "my-client",
      client_secret: CLIENT_SECRET,
      username: "admin",
      password: PASSWORD,
    });
  });

  it("sets expiresAt from expires_in and renews before expiry, by refresh token first", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const server = await serve(issue);
    const source = keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "c",
      username: "admin",
      password: PASSWORD,
    });
    const first = await source.token();
    expect(first.expiresAt?.toISOString()).toBe("2030-01-01T00:05:00.000Z");
    // A 300 s token: the 5-minute margin is capped at half its life, so it is used for 150 s.
    vi.setSystemTime(new Date("2030-01-01T00:02:29Z"));
    expect((await source.token()).reveal()).toBe("at-1");
    vi.setSystemTime(new Date("2030-01-01T00:02:31Z"));
    expect((await Promise.all([source.token(), source.token()])).map((t) => t.reveal())).toEqual([
      "at-2",
      "at-2",
    ]);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]!.form).toEqual({
      grant_type: "refresh_token",
      refresh_token: "rt-1",
      client_id: "c",
    });
  });

  it("falls back to the password grant when the refresh token is refused or expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const server = await serve((seen, n) =>
      seen.form.grant_type === "refresh_token"
        ? { status: 400, body: { error: "invalid_grant", error_description: "Session not active" } }
        : issue(seen, n),
    );
    const source = keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "c",
      username: "u",
      password: PASSWORD,
    });
    await source.token();
    vi.setSystemTime(new Date("2030-01-01T00:03:00Z"));
    expect((await source.token()).reveal()).toBe("at-3");
    expect(server.seen.map((s) => s.form.grant_type)).toEqual(["password", "refresh_token", "password"]);
    // Past refresh_expires_in the refresh token is not even tried.
    vi.setSystemTime(new Date("2030-01-01T01:00:00Z"));
    await source.token();
    expect(server.seen.map((s) => s.form.grant_type).slice(3)).toEqual(["password"]);
  });

  it("a refused login is an AuthenticationError naming the endpoint, never the password or secret", async () => {
    const server = await serve((seen) => ({
      status: 401,
      body: {
        error: "invalid_grant",
        error_description: `Invalid user credentials for ${seen.form.password} / ${seen.form.client_secret}`,
      },
    }));
    const source = keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "c",
      clientSecret: CLIENT_SECRET,
      username: "u",
      password: PASSWORD,
      provider: "hitachi-vsp-one-object",
    });
    const error = (await source.token().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe("invalid_grant");
    expect(error.message).toContain(
      `hitachi-vsp-one-object token request to ${server.tokenUrl} failed with HTTP 401`,
    );
    expect(error.message).toContain("Invalid user credentials");
    for (const shown of [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
    ]) {
      expect(shown).not.toContain("SEKRIT");
    }
    expect(inspect(source, { showHidden: true, depth: 10 })).not.toContain("SEKRIT");
  });

  it("a 200 without access_token is an AuthenticationError", async () => {
    const server = await serve(() => ({ status: 200, body: { token_type: "Bearer" } }));
    const source = keycloakPasswordToken({
      tokenUrl: server.tokenUrl,
      clientId: "c",
      username: "u",
      password: PASSWORD,
    });
    await expect(source.token()).rejects.toThrow(/HTTP 200 \(no access_token/);
  });

  it("rejects bad options before sending anything", () => {
    const base = { clientId: "c", username: "u", password: PASSWORD };
    const fieldOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).field;
      }
      throw new Error("no error");
    };
    expect(fieldOf(() => keycloakPasswordToken(base as never))).toBe("tokenUrl");
    expect(fieldOf(() => keycloakPasswordToken({ ...base, tokenUrl: "not a url" }))).toBe("tokenUrl");
    expect(
      fieldOf(() => keycloakPasswordToken({ ...base, tokenUrl: "https://c.example/token", clientId: "" })),
    ).toBe("clientId");
    expect(
      fieldOf(() => keycloakPasswordToken({ ...base, tokenUrl: "https://c.example/token", password: "" })),
    ).toBe("password");
    expect(
      fieldOf(() =>
        keycloakPasswordToken({ ...base, tokenUrl: "https://c.example/token", clientSecret: "" }),
      ),
    ).toBe("clientSecret");
  });
});
