/**
 * Acceptance: every error class, raised through the paths that raise it in a client, with secrets
 * seeded in credentials, request and response headers, URLs and bodies, shows none of them in its
 * `message`, `stack`, `JSON.stringify` or `util.inspect` (hidden properties and causes included).
 */
import { inspect } from "node:util";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortedError,
  ApiError,
  AuthenticationError,
  ConnectionError,
  CredentialsError,
  InvalidInputError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../src/errors.js";
import { expectOk } from "../src/expect-ok.js";
import { PaginationError, paginate } from "../src/paginate.js";
import { type AttemptStep, createPipeline } from "../src/pipeline.js";
import type { TimeLimits } from "../src/policy.js";
import { SecretRegistry } from "../src/redact.js";
import { deadUrl, reply, startServer, type TestServer, testFormat } from "./helpers.js";

const SECRETS = {
  secretKey: "SEKRIT-sk-7f3a9c2e41b8d6e0",
  bearer: "SEKRIT-bearer-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2ln",
  cookie: "SEKRIT-cookie-vertx-9d8c7b6a",
  xsrf: "SEKRIT-xsrf-55aa66bb",
  awsSecret: "SEKRIT-aws-wJalrXUtnFEMI/K7MDENG+bPxRfiCY",
  password: "SEKRIT-pass-hunter2!",
  urlToken: "SEKRIT-url-token-5566",
  securityToken: "SEKRIT-sts-0a1b2c3d4e",
};
const ALL = Object.values(SECRETS);

/** Every rendering of an error a log or a crash report could show. */
function renderings(error: unknown): Record<string, string> {
  const e = error as Error;
  return {
    message: e.message,
    stack: String(e.stack),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  };
}

function expectNoSecrets(error: unknown, secrets = ALL): void {
  expect(error).toBeInstanceOf(Error);
  for (const [how, text] of Object.entries(renderings(error))) {
    for (const secret of secrets) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        expect(text.includes(form), `${(error as Error).name} ${how} shows ${form}:\n${text}`).toBe(false);
      }
    }
  }
}

/** The registry a client would fill with the credentials it was given and the tokens it obtained. */
function registry(): SecretRegistry {
  const secrets = new SecretRegistry();
  secrets.add(...ALL);
  return secrets;
}

/** Stamps credentials the way auth steps do: bearer token, session cookie, XSRF, security token. */
const credentials: AttemptStep = {
  prepare({ headers }) {
    headers.set("Authorization", `Bearer ${SECRETS.bearer}`);
    headers.set("Cookie", `XSRF-TOKEN=${SECRETS.xsrf}; vertx-web.session=${SECRETS.cookie}`);
    headers.set("X-XSRF-TOKEN", SECRETS.xsrf);
    headers.set("X-Security-Token", SECRETS.securityToken);
  },
};

/** A client over the pipeline with the stamping step, secrets registered. */
function clientOf(
  baseUrl: string,
  options: { retry?: false; timeout?: TimeLimits; registry?: boolean } = {},
) {
  const fetch = createPipeline(
    { provider: "p", steps: [credentials], secrets: options.registry === false ? undefined : registry() },
    { retry: options.retry ?? { random: () => 0 }, timeout: options.timeout },
  );
  return createClient<paths>({ baseUrl, fetch });
}

/**
 * Error bodies that echo secrets. `named` ones put each secret under a secret-sounding name (a JSON
 * field, a header line, a query parameter), which redaction catches by name even with no registry;
 * `bare` ones echo them in plain prose, which only the registry of known values can catch.
 */
const BODIES = {
  named: {
    json: JSON.stringify({
      error_code: "IAM.0002",
      error_msg: `bad credentials password=${SECRETS.password}`,
      credential: { AWSSecretAccessKey: SECRETS.awsSecret, sk: SECRETS.secretKey },
    }),
    apigw: JSON.stringify({
      error_code: "APIGW.0301",
      error_msg: `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET|/v1/x/|token=${SECRETS.urlToken}|authorization:Bearer ${SECRETS.bearer}|cookie:vertx-web.session=${SECRETS.cookie}|x-security-token:${SECRETS.securityToken}|x-xsrf-token:${SECRETS.xsrf}|`,
      request_id: "r-1",
    }),
    xml: `<Error><Code>AccessDenied</Code><Message>signature mismatch</Message><SecretKey>${SECRETS.secretKey}</SecretKey><Password>${SECRETS.password}</Password><AWSSecretAccessKey>${SECRETS.awsSecret}</AWSSecretAccessKey></Error>`,
    text: `Unauthorized: X-Auth-Token: ${SECRETS.bearer}\npassword=${SECRETS.password}`,
  },
  bare: {
    json: JSON.stringify({
      code: "LOGIN_FAILED",
      message: `user bob could not log in with ${SECRETS.password}`,
      details: `keys ${SECRETS.awsSecret} and ${SECRETS.secretKey} rejected`,
      user: { keys: [{ value: SECRETS.awsSecret }] },
    }),
    text: `Login failed for bob/${SECRETS.password}; session ${SECRETS.cookie}, xsrf ${SECRETS.xsrf}, sts ${SECRETS.securityToken}, bearer ${SECRETS.bearer}, url ${SECRETS.urlToken}`,
    html: `<html><h1>Forbidden</h1><p>${SECRETS.secretKey} is not allowed</p></html>`,
  },
} as const;

const STATUS_CLASSES: [number, typeof ApiError][] = [
  [400, ApiError],
  [401, AuthenticationError],
  [403, PermissionError],
  [404, NotFoundError],
  [429, RateLimitError],
  [500, ServerError],
  [503, ServerError],
];

interface paths {
  "/{status}/{kind}/{variant}": {
    get: {
      parameters: { path: { status: number; kind: string; variant: string }; query?: Record<string, string> };
      responses: { 200: { content: { "application/json": unknown } } };
    };
  };
}

describe("no error shows a secret", () => {
  let server: TestServer;
  beforeAll(async () => {
    // GET /<status>/<named|bare>/<variant>: that status, that body, and response headers that echo secrets.
    server = await startServer((seen, _, res) => {
      const [, status, kind, variant] = new URL(seen.url, "http://x").pathname.split("/");
      const body = (BODIES as Record<string, Record<string, string>>)[kind!]![variant!]!;
      const headers: Record<string, string> = {
        "content-type": variant === "xml" || variant === "html" ? "application/xml" : "application/json",
        "set-cookie": `vertx-web.session=${SECRETS.cookie}; Path=/; HttpOnly`,
        "x-subject-token": SECRETS.bearer,
        "x-account-meta-temp-url-key": SECRETS.secretKey,
        "x-request-id": "req-1",
      };
      if (kind === "bare") headers["x-echo"] = `you sent ${SECRETS.xsrf} and ${SECRETS.urlToken}`;
      reply(res, Number(status), body, headers);
    });
  });
  afterAll(() => server.close());

  const query = { token: SECRETS.urlToken, "X-Amz-Signature": SECRETS.secretKey, marker: "b-1" };

  for (const [status, Class] of STATUS_CLASSES) {
    for (const variant of Object.keys(BODIES.named)) {
      it(`HTTP ${status}, secrets under secret names (${variant}), redacted by name with no registry`, async () => {
        const client = clientOf(server.url, { retry: false, registry: false });
        const result = await client.GET("/{status}/{kind}/{variant}", {
          params: { path: { status, kind: "named", variant }, query },
        });
        const error = await expectOk(result, { provider: "p", operation: "op", format: testFormat }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Class);
        expectNoSecrets(error);
      });
    }

    for (const variant of Object.keys(BODIES.bare)) {
      it(`HTTP ${status}, secrets echoed in prose (${variant}), scrubbed by the client's registry`, async () => {
        const url = `${server.url}/${status}/bare/${variant}?token=${SECRETS.urlToken}&sig2=${encodeURIComponent(SECRETS.awsSecret)}`;
        const request = new Request(url, {
          headers: { Authorization: `Bearer ${SECRETS.bearer}`, Cookie: `s=${SECRETS.cookie}` },
        });
        const error = await ApiError.fromResponse(await fetch(request), {
          provider: "p",
          operation: "op",
          request,
          secrets: registry(),
        });
        expect(error).toBeInstanceOf(Class);
        expect(error.requestId).toBe("req-1");
        expectNoSecrets(error);
      });
    }
  }

  it("keeps what is not secret, so the errors stay useful", async () => {
    const client = createClient<paths>({ baseUrl: server.url });
    const result = await client.GET("/{status}/{kind}/{variant}", {
      params: { path: { status: 401, kind: "named", variant: "apigw" }, query },
    });
    const error = (await expectOk(result, { provider: "p", operation: "op", format: testFormat }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.code).toBe("APIGW.0301");
    expect(error.message).toContain("verify aksk signature fail");
    expect(error.headers["x-request-id"]).toBe("req-1");
    expect(error.headers["set-cookie"]).toBe("[REDACTED]");
  });

  it("ConnectionError (refused), with secrets in the URL and headers", async () => {
    const client = clientOf(await deadUrl(), { retry: false });
    const error = await client
      .GET("/{status}/{kind}/{variant}", {
        params: { path: { status: 1, kind: SECRETS.urlToken, variant: "x" }, query },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expectNoSecrets(error);
  });

  it("ConnectionError (dropped after retries), with secrets in the URL and headers", async () => {
    const dropping = await startServer((_, __, res) => res.socket?.destroy());
    try {
      const client = clientOf(dropping.url);
      const error = await client
        .GET("/{status}/{kind}/{variant}", {
          params: { path: { status: 1, kind: "k", variant: "x" }, query },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(dropping.seen).toHaveLength(3);
      expectNoSecrets(error);
    } finally {
      await dropping.close();
    }
  });

  it("TimeoutError (per attempt and overall) and AbortedError, even when the abort reason holds a secret", async () => {
    const silent = await startServer(() => {});
    try {
      const make = (limits: TimeLimits) => clientOf(silent.url, { retry: false, timeout: limits });
      const call = (client: ReturnType<typeof make>, signal?: AbortSignal) =>
        client
          .GET("/{status}/{kind}/{variant}", {
            params: { path: { status: 1, kind: "k", variant: "x" }, query },
            signal,
          })
          .catch((e: unknown) => e);

      const perAttempt = await call(make({ attemptMs: 50 }));
      expect(perAttempt).toBeInstanceOf(TimeoutError);
      expectNoSecrets(perAttempt);

      const overall = await call(make({ totalMs: 50 }));
      expect(overall).toBeInstanceOf(TimeoutError);
      expectNoSecrets(overall);

      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error(`cancelled, password ${SECRETS.password}`)), 30);
      const aborted = await call(make({}), controller.signal);
      expect(aborted).toBeInstanceOf(AbortedError);
      expectNoSecrets(aborted);
    } finally {
      await silent.close();
    }
  });

  it("InvalidInputError, CredentialsError and PaginationError", async () => {
    // Bad options are named, never echoed.
    const invalid = (() => {
      try {
        paginate({
          fetchPage: async () => ({ items: [], next: undefined }),
          from: { page: SECRETS.urlToken, offset: -1 },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(invalid).toBeInstanceOf(InvalidInputError);
    expectNoSecrets(invalid);

    // What an environment reader raises for a malformed secret: the variable's name, not its value.
    const env: Record<string, string> = { HUAWEICLOUD_SDK_SK: ` ${SECRETS.secretKey}` };
    const credentials = new CredentialsError(
      "HUAWEICLOUD_SDK_SK",
      `must not start or end with whitespace (${env.HUAWEICLOUD_SDK_SK!.length} characters)`,
    );
    expectNoSecrets(credentials);

    // A cursor may be an opaque token: a looping listing does not echo it.
    const looping = await paginate({ fetchPage: async () => ({ items: [1], next: SECRETS.urlToken }) })
      .all()
      .catch((e: unknown) => e);
    expect(looping).toBeInstanceOf(PaginationError);
    expectNoSecrets(looping);
  });

  it("the registry itself shows no secret", () => {
    const secrets = registry();
    expect(JSON.stringify({ secrets })).not.toContain("SEKRIT");
    expect(inspect(secrets, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain("SEKRIT");
  });
});
