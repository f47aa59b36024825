/**
 * Bad input fails at once with a typed error naming the option or parameter, and nothing is sent:
 * the fake (which also plays Keycloak) logs no request at all, not even a token or CSRF request.
 */
import { staticToken, Token } from "@bucketry/auth";
import { CredentialsError, InvalidInputError } from "@bucketry/core";
import type { HitachiFake } from "@bucketry/testing";
import { describe, expect, it } from "vitest";
import {
  createVspOneObjectClient,
  type VspOneObjectClientOptions,
  vspOneObjectCredentials,
  vspOneObjectCredentialsFromEnv,
} from "../src/index.js";
import { clientFor, startFake } from "./helpers.js";

type Case = [
  name: string,
  options: (fake: HitachiFake) => Partial<VspOneObjectClientOptions>,
  error: typeof InvalidInputError,
  field: string,
  message: RegExp,
];

const password = (fake: HitachiFake) => ({
  username: fake.credentials.username,
  password: fake.credentials.password,
});

const vsp = () =>
  vspOneObjectCredentials({
    cluster: "c.example.com",
    region: "us-west-2",
    username: "u",
    password: "pw-1234",
  });

const factoryCases: Case[] = [
  [
    "no credentials",
    () => ({ credentials: undefined }),
    CredentialsError,
    "credentials",
    /is required: \{ type: "password", username, password \}/,
  ],
  [
    "credentials of the wrong type",
    () => ({ credentials: "admin:pw" as never }),
    CredentialsError,
    "credentials",
    /must be \{ type: "password"/,
  ],
  [
    "credentials without a type (the old duck-typed form)",
    (f) => ({ credentials: password(f) as never }),
    CredentialsError,
    "credentials.type",
    /must be "password" or "token", not undefined/,
  ],
  [
    "a Token instead of a TokenSource",
    () => ({ credentials: { type: "token", source: new Token("t-1") } as never }),
    CredentialsError,
    "credentials.source",
    /wrap it with staticToken/,
  ],
  [
    "an empty username",
    (f) => ({ credentials: { type: "password", ...password(f), username: " " } }),
    CredentialsError,
    "credentials.username",
    /is missing or empty/,
  ],
  [
    "a missing password",
    (f) => ({ credentials: { type: "password", username: f.credentials.username } as never }),
    CredentialsError,
    "credentials.password",
    /is missing or empty/,
  ],
  [
    "a password pasted with its newline",
    (f) => ({ credentials: { type: "password", ...password(f), password: "pw\n" } }),
    CredentialsError,
    "credentials.password",
    /leading or trailing whitespace/,
  ],
  [
    "an empty client secret",
    (f) => ({ credentials: { type: "password", ...password(f), clientSecret: "" } }),
    CredentialsError,
    "credentials.clientSecret",
    /is missing or empty/,
  ],
  [
    "cluster password credentials with an empty username",
    () => ({
      baseUrl: undefined,
      tokenUrl: undefined,
      cluster: "c.example.com",
      region: "us-west-2",
      credentials: { type: "password", username: "", password: "pw-1" },
    }),
    CredentialsError,
    "credentials.username",
    /is missing or empty/,
  ],
  [
    "a URL as cluster",
    () => ({
      baseUrl: undefined,
      tokenUrl: undefined,
      cluster: "https://c.example.com",
      region: "us-west-2",
      credentials: { type: "password", username: "u", password: "p" },
    }),
    InvalidInputError,
    "cluster",
    /must be a DNS name/,
  ],
  [
    "a baseUrl that is not http(s)",
    () => ({ baseUrl: "ftp://admin.us-west-2.cluster.example.com/mapi" }),
    InvalidInputError,
    "baseUrl",
    /must use http or https, not ftp/,
  ],
  [
    "a baseUrl that is not a URL",
    () => ({ baseUrl: "admin.us-west-2.cluster.example.com" }),
    InvalidInputError,
    "baseUrl",
    /is not a URL/,
  ],
  [
    "a baseUrl with a query",
    (f) => ({ baseUrl: `${f.cluster.mapiUrl}?x=1` }),
    InvalidInputError,
    "baseUrl",
    /must not have a query/,
  ],
  [
    "baseUrl together with region and cluster",
    () => ({ region: "us-west-2", cluster: "c.example.com" }),
    InvalidInputError,
    "baseUrl",
    /either baseUrl or region and cluster/,
  ],
  [
    "no endpoint at all",
    () => ({ baseUrl: undefined, tokenUrl: undefined }),
    InvalidInputError,
    "baseUrl",
    /give region and cluster/,
  ],
  [
    "region without cluster",
    () => ({ baseUrl: undefined, region: "us-west-2" }),
    InvalidInputError,
    "cluster",
    /is required with region/,
  ],
  [
    "cluster without region",
    () => ({ baseUrl: undefined, cluster: "c.example.com" }),
    InvalidInputError,
    "region",
    /is required with cluster/,
  ],
  [
    "a region with a space",
    () => ({ baseUrl: undefined, region: "us west 2", cluster: "c.example.com" }),
    InvalidInputError,
    "region",
    /region name such as us-west-2/,
  ],
  [
    "a cluster given as a URL",
    () => ({ baseUrl: undefined, region: "us-west-2", cluster: "https://c.example.com" }),
    InvalidInputError,
    "cluster",
    /DNS name such as cluster\.example\.com \(no scheme/,
  ],
  [
    "password credentials with baseUrl but no tokenUrl",
    () => ({ tokenUrl: undefined }),
    InvalidInputError,
    "tokenUrl",
    /is required with baseUrl/,
  ],
  [
    "a tokenUrl that is not http(s)",
    () => ({ tokenUrl: "file:///etc/token" }),
    InvalidInputError,
    "tokenUrl",
    /must use http or https/,
  ],
  [
    "a tokenUrl with a TokenSource",
    () => ({ credentials: { type: "token", source: staticToken("t-1") } }),
    InvalidInputError,
    "tokenUrl",
    /only used with \{ type: "password" \} credentials/,
  ],
  [
    "a cluster other than the credentials'",
    () => ({
      baseUrl: undefined,
      tokenUrl: undefined,
      region: "us-west-2",
      cluster: "other.example.com",
      credentials: { type: "password", from: vsp() },
    }),
    InvalidInputError,
    "cluster",
    /credentials are for cluster "c\.example\.com"/,
  ],
  [
    "a tokenUrl with vspOneObjectCredentials",
    () => ({
      baseUrl: undefined,
      tokenUrl: "https://elsewhere.example.com/token",
      credentials: { type: "password", from: vsp() },
    }),
    InvalidInputError,
    "tokenUrl",
    /cannot change the token URL/,
  ],
  [
    "a fetch that is not a function",
    () => ({ fetch: "fetch" as never }),
    InvalidInputError,
    "fetch",
    /must be a function/,
  ],
  [
    "retry.maxAttempts 0",
    () => ({ retry: { maxAttempts: 0 } }),
    InvalidInputError,
    "retry.maxAttempts",
    /at least 1/,
  ],
  [
    "timeout.attemptMs -1",
    () => ({ timeout: { attemptMs: -1 } }),
    InvalidInputError,
    "timeout.attemptMs",
    /milliseconds/,
  ],
  [
    "env credentials with nothing set",
    () => ({
      baseUrl: undefined,
      tokenUrl: undefined,
      credentials: { type: "password", from: vspOneObjectCredentialsFromEnv({}) },
    }),
    CredentialsError,
    "VSP_OBJECT_CLUSTER",
    /is not set/,
  ],
  [
    "an unknown option (a typo of baseUrl)",
    () => ({ baseURL: "https://admin.example.com/mapi" }) as Partial<VspOneObjectClientOptions>,
    InvalidInputError,
    "baseURL",
    /is not an option of createVspOneObjectClient; known: region, cluster, baseUrl, tokenUrl, credentials, fetch/,
  ],
];

describe("createVspOneObjectClient rejects bad options before sending anything", () => {
  it.each(factoryCases)("%s", async (_, options, Class, field, message) => {
    const fake = await startFake();
    let thrown: unknown;
    try {
      clientFor(fake, options(fake));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Class);
    expect(thrown).toMatchObject({ field });
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message.startsWith(`${field}: `)).toBe(true);
    expect(fake.log).toHaveLength(0);
  });

  it("a non-object options argument", () => {
    expect(() => createVspOneObjectClient(undefined as never)).toThrow(
      /^options: createVspOneObjectClient takes one options object/,
    );
  });
});

type HelperCase = [
  name: string,
  call: (client: ReturnType<typeof clientFor>) => unknown,
  field: string,
  message: RegExp,
];

const helperCases: HelperCase[] = [
  [
    "a missing user id",
    (c) => c.listBucketsPage({} as never),
    "userId",
    /is required; the numeric MAPI user id, e\.g\. -468170324/,
  ],
  [
    "a string user id",
    (c) => c.listBucketsPage({ userId: "42" as never }),
    "userId",
    /must be of type integer, not "42" \(spec: type integer\); the numeric MAPI user id/,
  ],
  [
    "a non-integer user id",
    (c) => c.listBucketsPage({ userId: 1.5 }),
    "userId",
    /must be of type integer, not 1.5 \(spec: type integer\)/,
  ],
  [
    "a NaN user id",
    (c) => c.listBuckets({ userId: Number.NaN }),
    "userId",
    /must be of type integer, not NaN/,
  ],
  [
    "an infinite user id",
    (c) => c.listBuckets({ userId: Number.NEGATIVE_INFINITY }),
    "userId",
    /must be of type integer, not -Infinity/,
  ],
  [
    "an unsafe user id (2^53)",
    (c) => c.listBucketsPage({ userId: 2 ** 53 }),
    "userId",
    /must be -9007199254740991 to 9007199254740991, not 9007199254740992 \(spec: format int64\)/,
  ],
  [
    "a bigint user id",
    (c) => c.listBucketsPage({ userId: 5n as never }),
    "userId",
    /must be of type integer, not a bigint/,
  ],
  [
    "count 0",
    (c) => c.listBucketsPage({ userId: 1, count: 0 }),
    "count",
    /must be 1 to 2147483647, not 0 \(spec: minimum 1, format int32\)/,
  ],
  [
    "count 1.5",
    (c) => c.listBucketsPage({ userId: 1, count: 1.5 }),
    "count",
    /must be of type integer, not 1.5/,
  ],
  [
    "count 2^31 (beyond int32)",
    (c) => c.listBucketsPage({ userId: 1, count: 2 ** 31 }),
    "count",
    /must be 1 to 2147483647, not 2147483648/,
  ],
  [
    "pageSize 0",
    (c) => c.listBuckets({ userId: 1, pageSize: 0 }),
    "pageSize",
    /must be 1 to 2147483647, not 0/,
  ],
  [
    "pageSize as a string",
    (c) => c.listBuckets({ userId: 1, pageSize: "10" as never }),
    "pageSize",
    /must be of type integer, not "10" \(spec: type integer\)/,
  ],
  [
    "a null user id (the spec's type)",
    (c) => c.listBucketsPage({ userId: null as never }),
    "userId",
    /must be of type integer, not null \(spec: type integer\)/,
  ],
  [
    "a pageToken that is not a string",
    (c) => c.listBucketsPage({ userId: 1, pageToken: 7 as never }),
    "pageToken",
    // A token-named parameter: its value is never quoted.
    /^pageToken: must be of type string \(spec: type string\)$/,
  ],
  [
    "a resume point with a numeric page",
    (c) => c.listBuckets({ userId: 1, from: { page: 3 as never, offset: 0 } }),
    "from.page",
    /page token string/,
  ],
  [
    "a resume point with a negative offset",
    (c) => c.listBuckets({ userId: 1, from: { page: "t", offset: -1 } }),
    "from.offset",
    /0 or more/,
  ],
  [
    "the wire name id instead of userId",
    (c) => c.listBucketsPage({ id: 1 } as never),
    "id",
    /not a parameter of listBucketsPage \(the user id is "userId"\)/,
  ],
  [
    "an unknown parameter",
    (c) => c.listBuckets({ userId: 1, limit: 5 } as never),
    "limit",
    /known: userId, pageSize, from/,
  ],
  ["no parameters object", (c) => c.listBuckets(undefined as never), "params", /takes one object/],
  [
    "a signal that is not an AbortSignal",
    (c) => c.listBucketsPage({ userId: 1 }, { signal: "stop" as never }),
    "signal",
    /must be an AbortSignal/,
  ],
];

describe("the helpers reject bad parameters before sending anything", () => {
  it.each(helperCases)("%s", async (_, call, field, message) => {
    const fake = await startFake();
    const client = clientFor(fake);
    let thrown: unknown;
    try {
      // listBuckets throws at once; listBucketsPage rejects.
      await call(client);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field });
    expect((thrown as Error).message).toMatch(message);
    expect(fake.log).toHaveLength(0);
  });

  it("listBuckets throws synchronously, before returning a paginator", async () => {
    const fake = await startFake();
    expect(() => clientFor(fake).listBuckets({ userId: 0.5 })).toThrow(InvalidInputError);
  });
});
