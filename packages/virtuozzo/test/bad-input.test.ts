/**
 * Bad input gets a typed error naming the option, parameter or variable at fault, and the fake's log
 * proves nothing was sent. Type-level refusals of the same inputs are in helpers.test-d.ts; these
 * calls cast past the compiler, as JavaScript callers would.
 */
import { CredentialsError, InvalidInputError } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import {
  createOstorClient,
  type OstorClient,
  type OstorClientOptions,
  ostorOptionsFromEnv,
  s3Credentials,
  s3CredentialsFromEnv,
} from "../src/index.js";
import { clientFor, startFake, USER1 } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed input, as from JavaScript
type Any = any;

interface Case {
  name: string;
  run: (env: { url: string; client: OstorClient; good: OstorClientOptions }) => unknown;
  error: typeof InvalidInputError;
  field: string;
  message: RegExp;
}

const cases: Case[] = [
  // getUser selectors
  {
    name: "both id and emailAddress",
    run: ({ client }) => client.getUser({ id: USER1.id, emailAddress: USER1.email } as Any),
    error: InvalidInputError,
    field: "selector",
    message: /either id or emailAddress, not both/,
  },
  {
    name: "both selectors, space too",
    run: ({ client }) => client.getUser({ emailAddress: USER1.email, id: USER1.id, space: true } as Any),
    error: InvalidInputError,
    field: "selector",
    message: /id or emailAddress/,
  },
  {
    name: "no selector",
    run: ({ client }) => client.getUser({} as Any),
    error: InvalidInputError,
    field: "selector",
    message: /needs id or emailAddress/,
  },
  {
    name: "no argument",
    run: ({ client }) => (client.getUser as Any)(),
    error: InvalidInputError,
    field: "selector",
    message: /must be an object/,
  },
  {
    name: "an upper-case id",
    run: ({ client }) => client.getUser({ id: "B09693B73B3C7686" }),
    error: InvalidInputError,
    field: "id",
    message: /must match \^\[0-9a-f\]\{16\}\$, not "B09693B73B3C7686" \(spec: pattern\)/,
  },
  {
    name: "an id of 15 characters",
    run: ({ client }) => client.getUser({ id: "b09693b73b3c768" }),
    error: InvalidInputError,
    field: "id",
    message: /must match \^\[0-9a-f\]\{16\}\$, .*\(spec: pattern\)/,
  },
  {
    name: "an id with a path",
    run: ({ client }) => client.getUser({ id: "../../b09693b73b" }),
    error: InvalidInputError,
    field: "id",
    message: /must match \^\[0-9a-f\]\{16\}\$, .*\(spec: pattern\)/,
  },
  {
    name: "an id with a query injection",
    run: ({ client }) => client.getUser({ id: "b09693b73b3c7686&emailAddress=x@y.z" }),
    error: InvalidInputError,
    field: "id",
    message: /must match \^\[0-9a-f\]\{16\}\$, .*\(spec: pattern\)/,
  },
  {
    name: "a numeric id",
    run: ({ client }) => client.getUser({ id: 1234567890123456 } as Any),
    error: InvalidInputError,
    field: "id",
    message: /must be of type string, not 1234567890123456 \(spec: type string\)/,
  },
  {
    name: "an email without @",
    run: ({ client }) => client.getUser({ emailAddress: "user1.email.com" }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be an email address, not ".*" \(spec: format email\)/,
  },
  {
    name: "an email with a space",
    run: ({ client }) => client.getUser({ emailAddress: "user 1@email.com" }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be an email address, not ".*" \(spec: format email\)/,
  },
  {
    name: "an email with two @",
    run: ({ client }) => client.getUser({ emailAddress: "a@b@email.com" }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be an email address, not ".*" \(spec: format email\)/,
  },
  {
    name: "an empty email",
    run: ({ client }) => client.getUser({ emailAddress: "" }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be an email address, not ".*" \(spec: format email\)/,
  },
  {
    name: "an email with an empty domain label",
    run: ({ client }) => client.getUser({ emailAddress: "user@email..com" }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be an email address, not ".*" \(spec: format email\)/,
  },
  {
    name: "an email of 255 characters (the spec's maxLength)",
    run: ({ client }) => client.getUser({ emailAddress: `user@${"a".repeat(246)}.com` }),
    error: InvalidInputError,
    field: "emailAddress",
    message: /must be of length at most 254, .*\(255 characters\) \(spec: maxLength 254\)/,
  },
  {
    name: "a misspelt selector",
    run: ({ client }) => client.getUser({ email: USER1.email } as Any),
    error: InvalidInputError,
    field: "email",
    message: /not a selector of getUser/,
  },
  {
    name: "space that is not a boolean (getUser)",
    run: ({ client }) => client.getUser({ id: USER1.id, space: "yes" } as Any),
    error: InvalidInputError,
    field: "space",
    message: /must be of type boolean, not .* \(spec: type boolean\)/,
  },
  {
    name: "space that is not a boolean (listUsers)",
    run: ({ client }) => client.listUsers({ space: 1 } as Any).all(),
    error: InvalidInputError,
    field: "space",
    message: /must be of type boolean, not .* \(spec: type boolean\)/,
  },
  {
    name: "a selector passed to listUsers",
    run: ({ client }) => client.listUsers({ id: USER1.id } as Any).all(),
    error: InvalidInputError,
    field: "id",
    message: /not a parameter of listUsers/,
  },
  {
    name: "a signal that is not an AbortSignal",
    run: ({ client }) => client.listUsers({}, { signal: "stop" } as Any).all(),
    error: InvalidInputError,
    field: "signal",
    message: /AbortSignal/,
  },
  // the factory
  {
    name: "missing credentials",
    run: ({ good }) => createOstorClient({ ...good, credentials: undefined } as Any),
    error: CredentialsError,
    field: "credentials",
    message: /is required: \{ type: "aksk", accessKeyId, secretAccessKey \}/,
  },
  {
    name: "a bare key pair without its type (the old form)",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: { accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "x" },
      } as Any),
    error: CredentialsError,
    field: "credentials.type",
    message: /must be "aksk", not undefined/,
  },
  {
    name: "an empty secret",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: { type: "aksk", accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "" },
      }),
    error: CredentialsError,
    field: "credentials.secretAccessKey",
    message: /secret access key is missing/,
  },
  {
    name: "an empty access key id",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: { type: "aksk", accessKeyId: "", secretAccessKey: "x-secret" },
      }),
    error: CredentialsError,
    field: "credentials.accessKeyId",
    message: /access key id is missing/,
  },
  {
    name: "an access key id with '/'",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: { type: "aksk", accessKeyId: "a/b", secretAccessKey: "x-secret" },
      }),
    error: CredentialsError,
    field: "credentials.accessKeyId",
    message: /printable ASCII/,
  },
  {
    name: "a secret with a trailing newline",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: { type: "aksk", accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "x-secret\n" },
      }),
    error: CredentialsError,
    field: "credentials.secretAccessKey",
    message: /whitespace/,
  },
  {
    name: "a session token with signature v2",
    run: ({ good }) =>
      createOstorClient({
        ...good,
        credentials: {
          type: "aksk",
          accessKeyId: "f373d5175d1f3b63S7SX",
          secretAccessKey: "x-secret",
          sessionToken: "tok-123",
        },
      }),
    error: CredentialsError,
    field: "credentials.sessionToken",
    message: /only sent with signature "v4"/,
  },
  {
    name: "credentials from an empty environment",
    run: () => s3CredentialsFromEnv({}),
    error: CredentialsError,
    field: "OSTOR_ACCESS_KEY_ID",
    message: /is not set/,
  },
  {
    name: "OSTOR_ENDPOINT unset",
    run: () => ostorOptionsFromEnv({ OSTOR_ACCESS_KEY_ID: "k", OSTOR_SECRET_ACCESS_KEY: "s" }),
    error: InvalidInputError,
    field: "OSTOR_ENDPOINT",
    message: /is not set/,
  },
  {
    name: "OSTOR_SECRET_ACCESS_KEY unset",
    run: () => ostorOptionsFromEnv({ OSTOR_ENDPOINT: "https://s3.example.com", OSTOR_ACCESS_KEY_ID: "k" }),
    error: CredentialsError,
    field: "OSTOR_SECRET_ACCESS_KEY",
    message: /is not set/,
  },
  {
    name: "a baseUrl that is not http(s)",
    run: ({ good }) => createOstorClient({ ...good, baseUrl: "ftp://s3.example.com" }),
    error: InvalidInputError,
    field: "baseUrl",
    message: /must use http or https, not ftp/,
  },
  {
    name: "no baseUrl",
    run: ({ good }) => createOstorClient({ ...good, baseUrl: undefined } as Any),
    error: InvalidInputError,
    field: "baseUrl",
    message: /is required/,
  },
  {
    name: "a baseUrl that is not a URL",
    run: ({ good }) => createOstorClient({ ...good, baseUrl: "s3.example.com" }),
    error: InvalidInputError,
    field: "baseUrl",
    message: /is not a URL/,
  },
  {
    name: "a baseUrl with a path",
    run: ({ good }) => createOstorClient({ ...good, baseUrl: "https://s3.example.com/admin" }),
    error: InvalidInputError,
    field: "baseUrl",
    message: /root, without a path/,
  },
  {
    name: "a baseUrl with a query",
    run: ({ good }) => createOstorClient({ ...good, baseUrl: "https://s3.example.com/?ostor-users" }),
    error: InvalidInputError,
    field: "baseUrl",
    message: /query or fragment/,
  },
  {
    name: "an unknown signature version",
    run: ({ good }) => createOstorClient({ ...good, signature: "v3" } as Any),
    error: InvalidInputError,
    field: "signature",
    message: /must be "v2" or "v4", not "v3"/,
  },
  {
    name: "a region with signature v2",
    run: ({ good }) => createOstorClient({ ...good, region: "ostor" }),
    error: InvalidInputError,
    field: "region",
    message: /signature "v4" only/,
  },
  {
    name: "a malformed region",
    run: ({ good }) => createOstorClient({ ...good, signature: "v4", region: "us east/1" }),
    error: InvalidInputError,
    field: "region",
    message: /letters, digits/,
  },
  {
    name: "useAmzDate with signature v4",
    run: ({ good }) => createOstorClient({ ...good, signature: "v4", useAmzDate: true }),
    error: InvalidInputError,
    field: "useAmzDate",
    message: /signature "v2" only/,
  },
  {
    name: "a fetch that is not a function",
    run: ({ good }) => createOstorClient({ ...good, fetch: "fetch" } as Any),
    error: InvalidInputError,
    field: "fetch",
    message: /must be a function/,
  },
  {
    name: "retry.maxAttempts of 0",
    run: ({ good }) => createOstorClient({ ...good, retry: { maxAttempts: 0 } }),
    error: InvalidInputError,
    field: "retry.maxAttempts",
    message: /at least 1/,
  },
  {
    name: "a negative attempt timeout",
    run: ({ good }) => createOstorClient({ ...good, timeout: { attemptMs: -1 } }),
    error: InvalidInputError,
    field: "timeout.attemptMs",
    message: /milliseconds/,
  },
  {
    name: "options that are not an object",
    run: () => createOstorClient(undefined as Any),
    error: InvalidInputError,
    field: "options",
    message: /createOstorClient takes one options object/,
  },
  {
    name: "an unknown option (a typo of signature)",
    run: ({ good }) => createOstorClient({ ...good, signatureVersion: "v4" } as Any),
    error: InvalidInputError,
    field: "signatureVersion",
    message:
      /is not an option of createOstorClient; known: baseUrl, credentials, signature, region, useAmzDate, fetch, retry/,
  },
];

describe("bad input is refused before anything is sent", () => {
  it("has at least ten cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)("$name → $error.name on $field", async ({ run, error, field, message }) => {
    const fake = await startFake();
    const good: OstorClientOptions = {
      baseUrl: fake.url,
      credentials: { type: "aksk", from: s3Credentials(fake.credentials) },
    };
    const client = clientFor(fake);
    let thrown: unknown;
    try {
      await run({ url: fake.url, client, good });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(error);
    expect((thrown as InvalidInputError).name).toBe(error.name);
    expect((thrown as InvalidInputError).field).toBe(field);
    expect((thrown as Error).message).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
    expect((thrown as Error).message).toMatch(message);
    expect(fake.log).toEqual([]);
  });

  it("credentials from a function are checked on use: CredentialsError, nothing sent", async () => {
    const fake = await startFake();
    const client = createOstorClient({
      baseUrl: fake.url,
      credentials: {
        type: "aksk",
        from: () => ({ accessKeyId: fake.credentials.accessKeyId, secretAccessKey: "" }),
      },
    });
    const error = await client
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ field: "credentials.from.secretAccessKey" });
    expect(fake.log).toEqual([]);
  });

  it("never echoes a rejected secret", () => {
    const secret = "my-secret-with-trailing-space ";
    try {
      createOstorClient({
        baseUrl: "https://s3.example.com",
        credentials: { type: "aksk", accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: secret },
      });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(secret.trim());
    }
  });
});
