/**
 * What MPC and DBSS share, tested once per service against its loopback fake: every auth mode, the
 * whole fault catalogue, and the mapping of every Huawei error body shape to a typed `ApiError`.
 */

import { inspect } from "node:util";
import {
  AbortedError,
  ApiError,
  AuthenticationError,
  ConnectionError,
  MalformedResponseError,
  PermissionError,
  type PipelineEvent,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@bucketry/core";
import { collectGarbage } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import { huaweiCredentials, huaweiCredentialsFromEnv, staticToken } from "../src/mpc.js";
import {
  expectNoSecrets,
  type HuaweiFake,
  listingRequests,
  passwordOf,
  rejection,
  SERVICES,
  tokenRequests,
} from "./harness.js";

const SDK_DATE = /^\d{8}T\d{6}Z$/;

/** The `SignedHeaders` list of a logged request's Authorization. */
function signedHeaders(authorization: string | undefined): string[] {
  return /SignedHeaders=([^,]+)/.exec(authorization ?? "")?.[1]?.split(";") ?? [];
}

/** A token of the fake's IAM user that is scoped to the account (domain), not to a project. */
async function domainScopedToken(fake: HuaweiFake): Promise<string> {
  const response = await fetch(`${fake.url}/v3/auth/tokens?nocatalog=true`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: fake.iam.userName,
              password: fake.iam.password,
              domain: { name: fake.iam.accountName },
            },
          },
        },
        scope: { domain: { name: fake.iam.accountName } },
      },
    }),
  });
  expect(response.status).toBe(201);
  return response.headers.get("x-subject-token") as string;
}

const UNSCOPED_CODE = { MPC: "MPC.10203", DBSS: "DBSS.10020100" } as const;

describe.each(SERVICES)("$name: AK/SK", (service) => {
  it("lists every bucket with one signed GET (X-Sdk-Date, X-Project-Id and Host signed)", async () => {
    const fake = await service.start();
    const client = service.create(fake);
    const buckets = await client.list();
    expect(buckets.map((b) => b.name)).toEqual(service.names(fake));
    expect(fake.log).toHaveLength(1);
    const [request] = fake.log;
    expect(request?.method).toBe("GET");
    expect(request?.target).toBe(service.path(fake.projectId));
    expect(request?.headers["x-project-id"]).toBe(fake.projectId);
    expect(request?.headers["x-sdk-date"]).toMatch(SDK_DATE);
    expect(request?.headers.authorization).toMatch(
      new RegExp(
        `^SDK-HMAC-SHA256 Access=${fake.credentials.accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(request?.headers["x-auth-token"]).toBeUndefined();
    expect(request?.status).toBe(200);
  });

  // More than any page size a client might assume (1,000); 25,000 in one answer is in `pnpm bench`.
  it("lists 2,500 seeded buckets completely, in the fake's order, in one request (the API does not page)", async () => {
    const fake = await service.start({ buckets: 2_500 });
    const buckets = await service.create(fake).list();
    expect(buckets).toHaveLength(2_500);
    expect(buckets.map((b) => b.name)).toEqual(service.names(fake));
    expect(new Set(buckets.map((b) => b.name)).size).toBe(2_500);
    expect(fake.log).toHaveLength(1);
  });

  it("reads AK/SK and the project id from HUAWEICLOUD_SDK_* variables", async () => {
    const fake = await service.start();
    const env = {
      HUAWEICLOUD_SDK_AK: fake.credentials.accessKey,
      HUAWEICLOUD_SDK_SK: fake.credentials.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: fake.projectId,
    };
    const client = service.create(fake, {
      projectId: undefined,
      credentials: { type: "aksk", from: huaweiCredentialsFromEnv(env) },
    });
    expect(client.projectId).toBe(fake.projectId);
    expect((await client.list()).map((b) => b.name)).toEqual(service.names(fake));
    expect(fake.log[0]?.headers["x-project-id"]).toBe(fake.projectId);
  });

  it("takes credentials from a function, called for every attempt", async () => {
    const fake = await service.start();
    let calls = 0;
    const from = async () => {
      calls += 1;
      return huaweiCredentials(fake.credentials);
    };
    fake.inject({ kind: "status", status: 503, retryAfter: 0 });
    await service.create(fake, { credentials: { type: "aksk", from } }).list();
    expect(calls).toBe(2);
    expect(listingRequests(fake).map((r) => r.status)).toEqual([503, 200]);
  });

  it("signs temporary AK/SK with X-Security-Token (sent and signed)", async () => {
    const fake = await service.start();
    const temporary = {
      accessKey: "TEMPORARYACCESSKEY01",
      secretKey: "TemporarySecretKey000000000000000000000",
      securityToken: `gQ${"s".repeat(600)}`,
    };
    fake.addAccessKey(temporary);
    const buckets = await service.create(fake, { credentials: { type: "aksk", ...temporary } }).list();
    expect(buckets).toHaveLength(8);
    const [request] = fake.log;
    expect(request?.headers["x-security-token"]).toBe(temporary.securityToken);
    expect(signedHeaders(request?.headers.authorization)).toEqual([
      "host",
      "x-project-id",
      "x-sdk-date",
      "x-security-token",
    ]);
  });

  it("maps expired temporary AK/SK (APIGW.0307) to AuthenticationError, sent once, secrets kept out", async () => {
    const fake = await service.start();
    const temporary = {
      accessKey: "TEMPORARYACCESSKEY02",
      secretKey: "TemporarySecretKey000000000000000000002",
      securityToken: `gQ${"t".repeat(600)}`,
    };
    fake.addAccessKey(temporary);
    fake.inject({ kind: "expire-tokens" });
    const error = await rejection(
      service.create(fake, { credentials: { type: "aksk", ...temporary } }).list(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "APIGW.0307", provider: service.provider });
    expect((error as ApiError).requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.log).toHaveLength(1);
    expectNoSecrets(error, [temporary.secretKey, temporary.securityToken]);
  });

  it("maps a signature the gateway recomputes differently (wrong SK) to APIGW.0301, never retried", async () => {
    const fake = await service.start();
    const temporary = {
      accessKey: "TEMPORARYACCESSKEY03",
      secretKey: "TemporarySecretKey000000000000000000003",
      securityToken: `gQ${"u".repeat(600)}`,
    };
    fake.addAccessKey(temporary);
    const wrongSk = "WrongSecretKey0000000000000000000000000";
    const client = service.create(fake, { credentials: { type: "aksk", ...temporary, secretKey: wrongSk } });
    const error = await rejection(client.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "APIGW.0301" });
    expect(error.message).toMatch(/verify aksk signature fail/);
    // The gateway echoes its canonical request, security token included: scrubbed.
    expect(JSON.stringify((error as ApiError).body)).toContain("[REDACTED]");
    expectNoSecrets(error, [wrongSk, temporary.securityToken]);
    expect(fake.log).toHaveLength(1);
  });

  it("maps clock skew beyond 15 minutes to AuthenticationError with one request per call (no lock-out loop)", async () => {
    const fake = await service.start();
    fake.setClock(() => Date.now() + 20 * 60_000);
    const client = service.create(fake);
    for (let i = 0; i < 3; i++) {
      const error = await rejection(client.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: "APIGW.0301" });
      expect(error.message).toMatch(/signature expired/);
    }
    expect(fake.log).toHaveLength(3);
    fake.setClock();
    // Three failures are below the lock-out threshold (five): the key still works.
    expect(await client.list()).toHaveLength(8);
  });

  it("keeps raw calls through the typed client authenticated", async () => {
    const fake = await service.start();
    const { data, response } = await service.create(fake).rawGet();
    expect(response.status).toBe(200);
    const list = (data as Record<string, unknown[]>)[service.field];
    expect(list).toHaveLength(8);
    expect(fake.log[0]?.headers.authorization).toMatch(/^SDK-HMAC-SHA256 /);
  });
});

describe.each(SERVICES)("$name: IAM tokens", (service) => {
  it("logs in with a password once (project-scoped, nocatalog) and sends X-Auth-Token", async () => {
    const fake = await service.start();
    const client = service.create(fake, { credentials: passwordOf(fake) });
    await Promise.all([client.list(), client.list(), client.list()]);
    expect((await client.list()).map((b) => b.name)).toEqual(service.names(fake));
    const posts = tokenRequests(fake);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.method).toBe("POST");
    expect(posts[0]?.target).toBe("/v3/auth/tokens?nocatalog=true");
    expect(JSON.parse(posts[0]?.body.toString() ?? "{}")).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: fake.iam.userName,
              password: fake.iam.password,
              domain: { name: fake.iam.accountName },
            },
          },
        },
        scope: { project: { id: fake.projectId } },
      },
    });
    const gets = listingRequests(fake);
    expect(gets).toHaveLength(4);
    for (const get of gets) {
      expect(get.headers["x-auth-token"]).toBe(fake.issuedTokens[0]?.token);
      expect(get.headers.authorization).toBeUndefined();
    }
  });

  it("logs in again when the token expires (expire-tokens) and repeats the call once", async () => {
    const fake = await service.start();
    const client = service.create(fake, { credentials: passwordOf(fake) });
    await client.list();
    fake.inject({ kind: "expire-tokens" });
    expect((await client.list()).map((b) => b.name)).toEqual(service.names(fake));
    expect(fake.log.map((r) => [r.method, r.status])).toEqual([
      ["POST", 201],
      ["GET", 200],
      ["GET", 401],
      ["POST", 201],
      ["GET", 200],
    ]);
    expect(listingRequests(fake)[2]?.headers["x-auth-token"]).toBe(fake.issuedTokens[1]?.token);
  });

  it("maps a refused password to AuthenticationError before any listing is sent, password kept out", async () => {
    const fake = await service.start();
    const password = "Not-The-Passw0rd!";
    const client = service.create(fake, { credentials: { ...passwordOf(fake), password } as never });
    const error = await rejection(client.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ provider: "huaweicloud-iam", status: 401 });
    expect(listingRequests(fake)).toHaveLength(0);
    expectNoSecrets(error, [password]);
  });

  it("sends a ready token source's token", async () => {
    const fake = await service.start();
    const token = await domainScopedToken(fake);
    // A project-scoped token, issued by password login through another client.
    await service.create(fake, { credentials: passwordOf(fake) }).list();
    const scoped = fake.issuedTokens[1]?.token as string;
    const client = service.create(fake, { credentials: { type: "token", source: staticToken(scoped) } });
    expect(await client.list()).toHaveLength(8);
    expect(fake.log.at(-1)?.headers["x-auth-token"]).toBe(scoped);
    expect(token).not.toBe(scoped);
  });

  it(`maps a token that is not project-scoped to 401 ${UNSCOPED_CODE[service.name]}`, async () => {
    const fake = await service.start();
    const token = await domainScopedToken(fake);
    const error = await rejection(
      service.create(fake, { credentials: { type: "token", source: staticToken(token) } }).list(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: UNSCOPED_CODE[service.name] });
    expectNoSecrets(error, [token]);
    // A static token cannot be renewed: one attempt, no loop.
    expect(listingRequests(fake)).toHaveLength(1);
  });

  it("maps a token the gateway cannot decrypt to 401 APIGW.0301, sent once", async () => {
    const fake = await service.start();
    const garbage = `MII${"x".repeat(5000)}`;
    const error = await rejection(
      service.create(fake, { credentials: { type: "token", source: staticToken(garbage) } }).list(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "APIGW.0301" });
    expect(error.message).toMatch(/decrypt token fail/);
    expectNoSecrets(error, [garbage]);
    expect(fake.log).toHaveLength(1);
  });
});

describe.each(SERVICES)("$name: secrets", (service) => {
  it("never shows a secret key, security token or password in the client, its JSON or util.inspect", async () => {
    const fake = await service.start();
    const secrets = [
      "TopSecretKey-000000000000000000000000001",
      "gQ-security-token-value",
      fake.iam.password,
    ];
    const clients = [
      service.create(fake, {
        credentials: { type: "aksk", accessKey: "AK", secretKey: secrets[0]!, securityToken: secrets[1] },
      }),
      service.create(fake, { credentials: passwordOf(fake) }),
    ];
    await clients[1]?.list();
    for (const client of clients) {
      for (const view of [JSON.stringify(client), inspect(client, { depth: 10, showHidden: true })]) {
        for (const secret of secrets) expect(view).not.toContain(secret);
      }
    }
  });
});

describe.each(SERVICES)("$name: faults", (service) => {
  it("waits out a 429 burst (Retry-After: 0) and loses nothing", async () => {
    const fake = await service.start();
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { times: 2 });
    const buckets = await service.create(fake).list();
    expect(buckets.map((b) => b.name)).toEqual(service.names(fake));
    expect(fake.log.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("waits Huawei's advised 2 to 5 s on APIG.0308 (a 429 without Retry-After) before the retry", async () => {
    const fake = await service.start();
    const body = JSON.stringify({
      error_code: "APIG.0308",
      error_msg: "The throttling threshold has been reached",
    });
    fake.inject({ kind: "status", status: 429, body }, { times: 1 });
    const delays: number[] = [];
    const onEvent = (event: PipelineEvent) => {
      if (event.type === "retry") delays.push(event.delayMs);
    };
    const buckets = await service.create(fake, { onEvent }).list();
    expect(buckets.map((b) => b.name)).toEqual(service.names(fake));
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(delays[0]).toBeLessThanOrEqual(5000);
  });

  it("gives RateLimitError (with retryAfterMs) when the burst outlasts the attempts", async () => {
    const fake = await service.start();
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, { times: 3 });
    const error = await rejection(service.create(fake).list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect(fake.log).toHaveLength(3);
  });

  it("retries a 503 after its Retry-After with a fresh X-Sdk-Date and signature", async () => {
    const fake = await service.start();
    fake.inject({ kind: "status", status: 503, retryAfter: 1 });
    expect(await service.create(fake).list()).toHaveLength(8);
    const [first, second] = fake.log;
    expect(fake.log.map((r) => r.status)).toEqual([503, 200]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(first?.headers["x-sdk-date"]).toMatch(SDK_DATE);
    expect(second?.headers["x-sdk-date"]).toMatch(SDK_DATE);
    expect(second?.headers["x-sdk-date"]).not.toBe(first?.headers["x-sdk-date"]);
    expect(second?.headers.authorization).not.toBe(first?.headers.authorization);
  });

  it("gives ServerError after three 500s, and sends once with retry: false", async () => {
    const fake = await service.start();
    fake.inject({ kind: "status", status: 500 }, { times: 4 });
    expect(await rejection(service.create(fake).list())).toBeInstanceOf(ServerError);
    expect(fake.log).toHaveLength(3);
    expect(await rejection(service.create(fake, { retry: false }).list())).toBeInstanceOf(ServerError);
    expect(fake.log).toHaveLength(4);
  });

  it.each(["reset", "truncate", "malformed-json"] as const)(
    "retries a body that is %s, then lists everything once",
    async (kind) => {
      const fake = await service.start({ buckets: 300 });
      fake.inject({ kind });
      const buckets = await service.create(fake).list();
      expect(buckets.map((b) => b.name)).toEqual(service.names(fake));
      expect(fake.log.map((r) => r.fault)).toEqual([kind, undefined]);
      // Each attempt signed afresh (a new Authorization is computed even within the same second).
      expect(fake.log.every((r) => r.headers.authorization?.startsWith("SDK-HMAC-SHA256 "))).toBe(true);
    },
  );

  it.each([
    ["reset", ConnectionError, /was cut off before its end/],
    ["truncate", ConnectionError, /was cut off before its end/],
    ["malformed-json", MalformedResponseError, /answered HTTP 200 with a body that is not valid JSON/],
  ] as const)("when every attempt's body is %s, gives %o", async (kind, Class, message) => {
    const fake = await service.start({ buckets: 300 });
    fake.inject({ kind }, { times: 3 });
    const error = await rejection(service.create(fake).list());
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ provider: service.provider, operation: service.operation, status: 200 });
    expect(error.message).toMatch(message);
    expect(fake.log).toHaveLength(3);
  });

  it("cancels with the caller's signal (AbortedError), before or during the call", async () => {
    const fake = await service.start();
    const client = service.create(fake);
    const error = await rejection(client.list({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(fake.log).toHaveLength(0);
    fake.inject({ kind: "latency", ms: 10_000 });
    const controller = new AbortController();
    const during = rejection(client.list({ signal: controller.signal }));
    await fake.received(1);
    // Node's fetch loses an abort link whose Request was collected (nodejs/undici#4068); ours must not.
    await collectGarbage();
    controller.abort();
    expect(await during).toBeInstanceOf(AbortedError);
    expect(fake.log).toHaveLength(1);
  });

  it("gives TimeoutError when the answers are too slow", async () => {
    const fake = await service.start();
    fake.inject({ kind: "latency", ms: 5_000 }, { times: 5 });
    const client = service.create(fake, { timeout: { attemptMs: 100, totalMs: 350 } });
    const error = await rejection(client.list());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ provider: service.provider, operation: service.operation });
  });
});

/** Huawei's error body shapes (providers.md §1.4), as an injected answer → what the client must throw. */
interface Shape {
  shape: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  expected: { Class: typeof ApiError; code: string; message: RegExp; requestId: string };
}

const SHAPES: Shape[] = [
  {
    shape: "1. flat {error_code, error_msg}",
    status: 403,
    headers: { "content-type": "application/json", "x-request-id": "req-flat" },
    body: JSON.stringify({ error_code: "MPC.10208", error_msg: "Failed to verify the tenant ID." }),
    expected: {
      Class: PermissionError,
      code: "MPC.10208",
      message: /Failed to verify the tenant ID\./,
      requestId: "req-flat",
    },
  },
  {
    shape: "2. flat with details and encoded_authorization_message",
    status: 400,
    headers: { "content-type": "application/json", "x-request-id": "req-details" },
    body: JSON.stringify({
      details: [{ error_code: "DBSS.10000001", error_msg: "project_id is invalid" }],
      encoded_authorization_message: "ZW5jb2RlZA==",
      error_code: "DBSS.10000001",
      error_msg: "Enter a valid request message",
    }),
    expected: {
      Class: ApiError,
      code: "DBSS.10000001",
      message: /Enter a valid request message/,
      requestId: "req-details",
    },
  },
  {
    shape: "3. nested {error: {code, message}}",
    status: 401,
    headers: { "content-type": "application/json", "x-request-id": "req-nested" },
    body: JSON.stringify({
      error: { code: "DBSS.10020100", message: "Failed to authenticate the token in the request" },
    }),
    expected: {
      Class: AuthenticationError,
      code: "DBSS.10020100",
      message: /Failed to authenticate the token/,
      requestId: "req-nested",
    },
  },
  {
    shape: "3b. nested {error: {error_code, error_msg}}",
    status: 500,
    headers: { "content-type": "application/json", "x-request-id": "req-nested-b" },
    body: JSON.stringify({ error: { error_code: "DBSS.11000000", error_msg: "Internal system exception" } }),
    expected: {
      Class: ServerError,
      code: "DBSS.11000000",
      message: /Internal system exception/,
      requestId: "req-nested-b",
    },
  },
  {
    shape: "4. gateway {error_msg, error_code: APIGW, request_id} (request id only in the body)",
    status: 401,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      error_msg: "Incorrect IAM authentication information: decrypt token fail",
      error_code: "APIGW.0301",
      request_id: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
    }),
    expected: {
      Class: AuthenticationError,
      code: "APIGW.0301",
      message: /decrypt token fail/,
      requestId: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
    },
  },
  {
    shape: "5. OBS-style XML",
    status: 403,
    headers: { "content-type": "application/xml", "x-request-id": "req-xml" },
    body: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Error><Code>AccessDenied</Code><Message>AWS authentication requires a valid Date or x-amz-date header</Message><RequestId></RequestId><HostId></HostId></Error>',
    expected: {
      Class: PermissionError,
      code: "AccessDenied",
      message: /requires a valid Date or x-amz-date header/,
      requestId: "req-xml",
    },
  },
];

describe.each(SERVICES)("$name: error bodies", (service) => {
  it.each(SHAPES)("maps shape $shape", async ({ status, headers, body, expected }) => {
    const fake = await service.start();
    // 500 is retried: every attempt answers the same.
    fake.inject({ kind: "status", status, headers, body }, { times: 3 });
    const error = await rejection(service.create(fake).list());
    expect(error).toBeInstanceOf(expected.Class);
    if (expected.Class === ApiError) expect(error.constructor).toBe(ApiError);
    expect(error).toMatchObject({
      provider: service.provider,
      operation: service.operation,
      status,
      code: expected.code,
      requestId: expected.requestId,
      request: { method: "GET", url: `${fake.url}${service.path(fake.projectId)}` },
    });
    expect(error.message).toMatch(expected.message);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(fake.log).toHaveLength(status >= 500 ? 3 : 1);
  });

  it("keeps DBSS-style details in the body and its encoded_authorization_message (not a secret)", async () => {
    const fake = await service.start();
    fake.inject({
      kind: "status",
      status: SHAPES[1]!.status,
      headers: SHAPES[1]!.headers,
      body: SHAPES[1]!.body,
    });
    const error = (await rejection(service.create(fake).list())) as ApiError;
    expect(error.body).toEqual({
      details: [{ error_code: "DBSS.10000001", error_msg: "project_id is invalid" }],
      encoded_authorization_message: "ZW5jb2RlZA==",
      error_code: "DBSS.10000001",
      error_msg: "Enter a valid request message",
    });
  });

  it("maps the injected xml-error fault", async () => {
    const fake = await service.start();
    fake.inject({ kind: "xml-error", status: 403, code: "AccessDenied", message: "Access Denied" });
    const error = await rejection(service.create(fake).list());
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(error.message).toMatch(/Access Denied/);
  });

  it("rejects a 200 whose list is missing or holds a nameless entry (MalformedResponseError, not retried)", async () => {
    const fake = await service.start();
    const json = { "content-type": "application/json" };
    fake.inject({ kind: "status", status: 200, headers: json, body: "{}" });
    const missing = await rejection(service.create(fake).list());
    expect(missing.constructor).toBe(MalformedResponseError);
    expect(missing.message).toMatch(/has no ".+" list/);
    const bad = service.body(["ok"]) as Record<string, Array<Record<string, unknown>>>;
    const [field] = Object.keys(bad) as [string];
    bad[field]?.push({ nameless: true });
    fake.inject({ kind: "status", status: 200, headers: json, body: JSON.stringify(bad) });
    const nameless = await rejection(service.create(fake).list());
    expect(nameless.message).toMatch(/index 1/);
    expect(fake.log).toHaveLength(2);
  });
});
