/** Bad input: a clear typed error naming the option or parameter, and nothing sent (not even a token request). */
import { staticToken } from "@bucketry/auth";
import { CredentialsError, InvalidInputError } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import {
  type ArchiveStorageClient,
  type ArchiveStorageClientOptions,
  createArchiveStorageClient,
  ncloudCredentials,
} from "../src/index.js";
import { clientFor, startFake, thrown } from "./fixtures.js";

const PROJECT = "5942771066a0482bb6aaf7f5bc792b00";
const KEYS = {
  accessKeyId: "NCPFAKEACCESSKEY0001",
  secretKey: "ncpFakeSecretKey0000000000000000000000001",
  domainId: "default",
};

type Case = [
  label: string,
  options: Record<string, unknown>,
  Class: typeof InvalidInputError,
  field: string,
  message: RegExp,
];

const FACTORY_CASES: Case[] = [
  ["empty project id", { projectId: "" }, InvalidInputError, "projectId", /projectId: is required/],
  [
    "`..` as project id",
    { projectId: ".." },
    InvalidInputError,
    "projectId",
    /must be one path segment \(not "\." or "\.\.", no "\/"\)/,
  ],
  [
    "`/` in the project id",
    { projectId: "abc/def" },
    InvalidInputError,
    "projectId",
    /must be one path segment/,
  ],
  [
    "a non-ASCII project id (the spec's pattern)",
    { projectId: "프로젝트" },
    InvalidInputError,
    "projectId",
    /must match \^\[A-Za-z0-9_-\]\+\$, not "프로젝트" \(spec: pattern\); the project id from the Archive Storage console/,
  ],
  [
    "a project id with a dot (the spec's pattern)",
    { projectId: "my.project" },
    InvalidInputError,
    "projectId",
    /\(spec: pattern\)/,
  ],
  [
    "a 65-character project id (the spec's maxLength)",
    { projectId: "a".repeat(65) },
    InvalidInputError,
    "projectId",
    /must be of length 1 to 64, .*\(65 characters\) \(spec: minLength 1, maxLength 64\)/,
  ],
  [
    "an unknown zone",
    { zone: "private" },
    InvalidInputError,
    "zone",
    /must be "public" or "gov", not "private"/,
  ],
  [
    "a region instead of a zone",
    { zone: undefined, region: "kr" },
    InvalidInputError,
    "region",
    /zones, not regions/,
  ],
  [
    "zone and baseUrl",
    { baseUrl: "https://swift.example" },
    InvalidInputError,
    "baseUrl",
    /either zone or baseUrl/,
  ],
  [
    "neither zone nor baseUrl",
    { zone: undefined },
    InvalidInputError,
    "zone",
    /is required: "public" or "gov"/,
  ],
  [
    "a baseUrl that is not http(s)",
    { zone: undefined, baseUrl: "ftp://swift.example" },
    InvalidInputError,
    "baseUrl",
    /must use http or https/,
  ],
  [
    "a baseUrl that is no URL",
    { zone: undefined, baseUrl: "kr.archive.ncloudstorage.com" },
    InvalidInputError,
    "baseUrl",
    /is not a URL/,
  ],
  [
    "no credentials",
    { credentials: undefined },
    CredentialsError,
    "credentials",
    /is required: \{ type: "keystone", accessKeyId, secretKey, domainId \}/,
  ],
  [
    "credentials of no known form",
    { credentials: "token" },
    CredentialsError,
    "credentials",
    /must be \{ type: "keystone"/,
  ],
  [
    "an API key without its type (the old duck-typed form)",
    { credentials: { accessKeyId: KEYS.accessKeyId, secretKey: KEYS.secretKey, domainId: "default" } },
    CredentialsError,
    "credentials.type",
    /must be "keystone" or "token", not undefined/,
  ],
  [
    "a pre-issued token under type keystone",
    {
      credentials: {
        type: "keystone",
        from: ncloudCredentials({ token: "t0ken-value", storageUrl: "https://swift.example/v1/AUTH_x" }),
      },
    },
    CredentialsError,
    "credentials.type",
    /holds a pre-issued token \(OS_AUTH_TOKEN\): use type "token"/,
  ],
  [
    "an API key without its secret",
    { credentials: { type: "keystone", accessKeyId: KEYS.accessKeyId, domainId: "default" } },
    CredentialsError,
    "credentials.secretKey",
    /is not set/,
  ],
  [
    "an API key without a domain id",
    { credentials: { type: "keystone", accessKeyId: KEYS.accessKeyId, secretKey: KEYS.secretKey } },
    CredentialsError,
    "credentials.domainId",
    /is not set/,
  ],
  [
    "an API key with baseUrl but no authUrl",
    { zone: undefined, baseUrl: "https://swift.example" },
    InvalidInputError,
    "authUrl",
    /is required with baseUrl/,
  ],
  [
    "authUrl with a TokenSource",
    {
      authUrl: "https://keystone.example/v3",
      credentials: { type: "token", source: staticToken("t0ken-value") },
    },
    InvalidInputError,
    "authUrl",
    /only to credentials given as an API key/,
  ],
  [
    "authUrl with NcloudCredentials",
    {
      authUrl: "https://keystone.example/v3",
      credentials: { type: "keystone", from: ncloudCredentials({ ...KEYS, projectId: PROJECT }) },
    },
    InvalidInputError,
    "authUrl",
    /carry their own authUrl/,
  ],
  [
    "a project id other than the credentials'",
    {
      credentials: {
        type: "keystone",
        from: ncloudCredentials({ ...KEYS, projectId: "0123456789abcdef0123456789abcdef" }),
      },
    },
    InvalidInputError,
    "projectId",
    /differs from the credentials' project id/,
  ],
  [
    "gov zone with public-zone credentials",
    {
      zone: "gov",
      credentials: { type: "keystone", from: ncloudCredentials({ ...KEYS, projectId: PROJECT }) },
    },
    InvalidInputError,
    "zone",
    /is "gov" but the credentials log in to the public zone's Keystone/,
  ],
  [
    "a token storage URL that is no account URL",
    {
      zone: undefined,
      projectId: undefined,
      credentials: {
        type: "token",
        from: ncloudCredentials({ token: "t0ken-value", storageUrl: "https://swift.example/v1/" }),
      },
    },
    InvalidInputError,
    "credentials.storageUrl",
    /must be an account URL/,
  ],
  [
    "an API key with an access key id that has a space",
    { credentials: { type: "keystone", ...KEYS, accessKeyId: "NCP KEY" } },
    CredentialsError,
    "credentials.accessKeyId",
    /must be printable ASCII/,
  ],
  [
    "an API key whose secret ends in a newline",
    { credentials: { type: "keystone", ...KEYS, secretKey: `${KEYS.secretKey}\n` } },
    CredentialsError,
    "credentials.secretKey",
    /leading or trailing whitespace/,
  ],
  ["fetch that is not a function", { fetch: "fetch" }, InvalidInputError, "fetch", /must be a function/],
  [
    "retry with zero attempts",
    { retry: { maxAttempts: 0 } },
    InvalidInputError,
    "retry.maxAttempts",
    /at least 1/,
  ],
  [
    "a negative attempt timeout",
    { timeout: { attemptMs: -1 } },
    InvalidInputError,
    "timeout.attemptMs",
    /must be a number of milliseconds/,
  ],
  [
    "an unknown option",
    { endpoint: "https://swift.example" },
    InvalidInputError,
    "endpoint",
    /is not an option of createArchiveStorageClient; known: zone, baseUrl, authUrl, projectId, credentials, fetch/,
  ],
];

type HelperCase = [
  label: string,
  call: (client: ArchiveStorageClient) => unknown,
  field: string,
  message: RegExp,
];

const signal = "not a signal" as unknown as AbortSignal;

const HELPER_CASES: HelperCase[] = [
  [
    "limit 0",
    (c) => c.getAccount({ limit: 0 }),
    "limit",
    /must be 1 to 10000, not 0 \(spec: minimum 1, maximum 10000\)/,
  ],
  ["limit 10,001", (c) => c.getAccount({ limit: 10_001 }), "limit", /must be 1 to 10000, not 10001/],
  ["pageSize 0", (c) => c.listContainers({ pageSize: 0 }), "pageSize", /must be 1 to 10000/],
  ["pageSize 10,001", (c) => c.listContainers({ pageSize: 10_001 }), "pageSize", /not 10001/],
  [
    "pageSize 2.5",
    (c) => c.listContainers({ pageSize: 2.5 }),
    "pageSize",
    /must be of type integer, not 2.5/,
  ],
  [
    "a two-character delimiter",
    (c) => c.listContainers({ delimiter: "ab" }),
    "delimiter",
    /must be of length 1, not "ab" \(spec: minLength 1, maxLength 1\)/,
  ],
  [
    "a non-ASCII delimiter (the spec's pattern)",
    (c) => c.getAccount({ delimiter: "é" }),
    "delimiter",
    /must match \^\[\\x01-\\x7F\]\$, not "é" \(spec: pattern\)/,
  ],
  ["an empty delimiter", (c) => c.getAccount({ delimiter: "" }), "delimiter", /must be of length 1, not ""/],
  [
    "newest that is not a boolean (the spec's X-Newest type)",
    (c) => c.getAccount({ newest: 1 as unknown as boolean }),
    "newest",
    /must be of type boolean, not 1 \(spec: type boolean\)/,
  ],
  [
    "an endMarker that is not a string (the spec's end_marker type)",
    (c) => c.listContainers({ endMarker: ["z"] as unknown as string }),
    "endMarker",
    /must be of type string, not \["z"\]/,
  ],
  [
    "an unknown format",
    (c) => c.listContainers({ format: "yaml" as "json" }),
    "format",
    /must be one of "json", "xml", "plain", not "yaml" \(spec: enum\)/,
  ],
  [
    "a marker with a lone surrogate",
    (c) => c.listContainers({ marker: "a\ud800" }),
    "marker",
    /must be well-formed Unicode/,
  ],
  [
    "a prefix that is not a string",
    (c) => c.getAccount({ prefix: 5 as unknown as string }),
    "prefix",
    /must be of type string, not 5/,
  ],
  [
    "reverse that is not a boolean",
    (c) => c.listContainers({ reverse: "yes" as unknown as boolean }),
    "reverse",
    /must be of type boolean, not "yes"/,
  ],
  [
    "limit in listContainers",
    (c) => c.listContainers({ limit: 5 } as object),
    "limit",
    /not a parameter of listContainers; use pageSize/,
  ],
  [
    "end_marker spelled the Swift way",
    (c) => c.getAccount({ end_marker: "x" } as object),
    "end_marker",
    /use endMarker/,
  ],
  [
    "a resume point whose page is no marker",
    (c) => c.listContainers({ from: { page: 5 as unknown as string, offset: 0 } }),
    "from.page",
    /marker string/,
  ],
  [
    "a resume point with a negative offset",
    (c) => c.listContainers({ from: { page: "a", offset: -1 } }),
    "from.offset",
    /whole number/,
  ],
  [
    "a signal that is no AbortSignal",
    (c) => c.getAccount({}, { signal }),
    "signal",
    /must be an AbortSignal/,
  ],
  [
    "parameters that are no object",
    (c) => c.listContainers(null as unknown as object),
    "params",
    /one object/,
  ],
];

/** A fetch that records every request it is asked to send, anywhere. */
function recorder(sent: string[]) {
  return (request: Request) => {
    sent.push(`${request.method} ${request.url}`);
    return fetch(request);
  };
}

describe(`bad input to the factory (${FACTORY_CASES.length} cases): a typed error naming the option, nothing sent`, () => {
  for (const [label, override, Class, field, message] of FACTORY_CASES) {
    it(label, async () => {
      const sent: string[] = [];
      const options = {
        zone: "public",
        projectId: PROJECT,
        credentials: { type: "keystone", ...KEYS },
        fetch: recorder(sent),
        ...override,
      };
      const error = (await thrown(() =>
        createArchiveStorageClient(options as unknown as ArchiveStorageClientOptions),
      )) as InvalidInputError;
      expect(error).toBeInstanceOf(Class);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
      expect(error.message).not.toContain(KEYS.secretKey);
      expect(sent).toEqual([]);
    });
  }
});

describe(`bad input to the helpers (${HELPER_CASES.length} cases): a typed error naming the parameter, nothing sent`, () => {
  for (const [label, call, field, message] of HELPER_CASES) {
    it(label, async () => {
      const fake = await startFake();
      const sent: string[] = [];
      const client = clientFor(fake, { fetch: recorder(sent) });
      const error = (await thrown(() => call(client))) as InvalidInputError;
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      // Not a listing request, and not even the token request that would precede it.
      expect(sent).toEqual([]);
      expect(fake.log).toHaveLength(0);
    });
  }

  it("the paginator refuses synchronously, before its first request", async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    expect(() => client.listContainers({ pageSize: 0 })).toThrow(InvalidInputError);
    expect(fake.log).toHaveLength(0);
  });
});
