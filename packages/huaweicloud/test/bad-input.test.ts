/**
 * Bad input, per client: each case throws a typed error naming the option (or environment variable)
 * at creation, with a message that says what is wrong, and the fake sees nothing — not even an IAM
 * token request.
 */
import { CredentialsError, InvalidInputError } from "@bucketry/core";
import { type DbssFake, type MpcFake, startFakeServer } from "@bucketry/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDbssClient, type DbssClientOptions } from "../src/dbss.js";
import {
  createMpcClient,
  huaweiCredentials,
  huaweiCredentialsFromEnv,
  type MpcClientOptions,
} from "../src/mpc.js";

type Fake = MpcFake | DbssFake;
type Options = Record<string, unknown>;

interface Case {
  name: string;
  /** The options (or a function that itself throws while building them, like `huaweiCredentialsFromEnv`). */
  options: (fake: Fake) => Options;
  Class: typeof InvalidInputError;
  field: string;
  message: RegExp;
}

const SK = "Secret-Key-Value-000000000000000000000";
const PROJECT = "0123456789abcdef0123456789abcdef";

function base(fake: Fake): Options {
  return {
    baseUrl: fake.url,
    projectId: fake.projectId,
    credentials: {
      type: "aksk",
      accessKey: fake.credentials.accessKey,
      secretKey: fake.credentials.secretKey,
    },
  };
}

function withCredentials(credentials: unknown) {
  return (fake: Fake): Options => ({ ...base(fake), credentials });
}

function withOption(name: string, value: unknown) {
  return (fake: Fake): Options => ({ ...base(fake), [name]: value });
}

const password = (fake: Fake) => ({ type: "password", ...fake.iam, iamEndpoint: fake.url });

/** Cases both clients share. */
function common(service: "huaweicloud-mpc" | "huaweicloud-dbss"): Case[] {
  const I = InvalidInputError;
  const C = CredentialsError;
  return [
    {
      name: "empty project id",
      options: withOption("projectId", ""),
      Class: I,
      field: "projectId",
      message: /is required/,
    },
    {
      name: "no project id anywhere",
      options: withOption("projectId", undefined),
      Class: I,
      field: "projectId",
      message: /is required; pass projectId or credentials carrying one \(HUAWEICLOUD_SDK_PROJECT_ID\)/,
    },
    {
      name: 'project id ".."',
      options: withOption("projectId", ".."),
      Class: I,
      field: "projectId",
      message: /must be one path segment \(not "\." or "\.\.", no "\/"\)/,
    },
    {
      name: 'project id "."',
      options: withOption("projectId", "."),
      Class: I,
      field: "projectId",
      message: /must be one path segment \(not "\." or "\.\.", no "\/"\)/,
    },
    {
      name: 'project id with "/"',
      options: withOption("projectId", `${PROJECT.slice(0, 16)}/${PROJECT.slice(16)}`),
      Class: I,
      field: "projectId",
      message: /must be one path segment/,
    },
    {
      name: "project id with an underscore",
      options: withOption("projectId", `${PROJECT.slice(0, 31)}_`),
      Class: I,
      field: "projectId",
      message: /must match \^\[0-9A-Za-z-\]\+\$, not "[0-9a-f]{31}_" \(spec: pattern\)/,
    },
    {
      name: "project id of 65 characters",
      options: withOption("projectId", "a".repeat(65)),
      Class: I,
      field: "projectId",
      message:
        /must be of length \d+ to 64, not "a{59}… \(65 characters\) \(spec: minLength \d+, maxLength 64\)/,
    },
    {
      name: "project id that is not a string",
      options: withOption("projectId", 42),
      Class: I,
      field: "projectId",
      message: /must be of type string, not 42 \(spec: type string\)/,
    },
    {
      name: "unknown region",
      options: (fake) => ({ ...base(fake), baseUrl: undefined, region: "mars-north-1" }),
      Class: I,
      field: "region",
      message: new RegExp(
        `unknown ${service} region "mars-north-1"; known regions: cn-north-4, cn-north-1, .*\\(or pass baseUrl\\)`,
      ),
    },
    {
      name: "unknown region even with a baseUrl",
      options: withOption("region", "cn-north-7"),
      Class: I,
      field: "region",
      message: /unknown .* region "cn-north-7"/,
    },
    {
      name: "neither region nor baseUrl",
      options: withOption("baseUrl", undefined),
      Class: I,
      field: "region",
      message: /give a region \(one of cn-north-4, .*\) or a baseUrl/,
    },
    {
      name: "baseUrl that is not http(s)",
      options: withOption("baseUrl", "ftp://mpc.example"),
      Class: I,
      field: "baseUrl",
      message: /must use http or https, not ftp/,
    },
    {
      name: "baseUrl without a scheme",
      options: withOption("baseUrl", "mpc.cn-north-4.myhuaweicloud.com"),
      Class: I,
      field: "baseUrl",
      message: /is not a URL/,
    },
    {
      name: "baseUrl with a query",
      options: withOption("baseUrl", "https://proxy.example/?x=1"),
      Class: I,
      field: "baseUrl",
      message: /must not have a query/,
    },
    {
      name: "no credentials",
      options: withCredentials(undefined),
      Class: C,
      field: "credentials",
      message: /is required: \{ type: "aksk"/,
    },
    {
      name: "unknown credentials type",
      options: withCredentials({ type: "oauth" }),
      Class: C,
      field: "credentials.type",
      message: /must be "aksk", "password" or "token", not "oauth"/,
    },
    {
      name: "missing AK",
      options: withCredentials({ type: "aksk", secretKey: SK }),
      Class: C,
      field: "credentials.accessKey",
      message: /the access key \(AK\) is missing/,
    },
    {
      name: "AK with a space",
      options: withCredentials({ type: "aksk", accessKey: "AK 1", secretKey: SK }),
      Class: C,
      field: "credentials.accessKey",
      message: /must not contain whitespace/,
    },
    {
      name: "missing SK",
      options: withCredentials({ type: "aksk", accessKey: "AK" }),
      Class: C,
      field: "credentials.secretKey",
      message: /the secret key \(SK\) is missing/,
    },
    {
      name: "SK with a trailing newline",
      options: withCredentials({ type: "aksk", accessKey: "AK", secretKey: `${SK}\n` }),
      Class: C,
      field: "credentials.secretKey",
      message: /must not start or end with whitespace/,
    },
    {
      name: "SK with a leading space",
      options: withCredentials({ type: "aksk", accessKey: "AK", secretKey: ` ${SK}` }),
      Class: C,
      field: "credentials.secretKey",
      message: /must not start or end with whitespace/,
    },
    {
      name: "empty security token",
      options: withCredentials({ type: "aksk", accessKey: "AK", secretKey: SK, securityToken: "" }),
      Class: C,
      field: "credentials.securityToken",
      message: /is empty/,
    },
    {
      name: "`from` that is not credentials",
      options: withCredentials({ type: "aksk", from: "AK:SK" }),
      Class: C,
      field: "credentials.from",
      message: /must be huaweiCredentials/,
    },
    {
      name: "`from` that is null",
      options: withCredentials({ type: "aksk", from: null }),
      Class: C,
      field: "credentials.from",
      message: /must be huaweiCredentials/,
    },
    {
      name: "project id differing from the credentials'",
      options: (fake) => ({
        ...base(fake),
        credentials: {
          type: "aksk",
          from: huaweiCredentials({ ...fake.credentials, projectId: "f".repeat(32) }),
        },
      }),
      Class: I,
      field: "projectId",
      message: /differs from the credentials' project id/,
    },
    {
      name: "HUAWEICLOUD_SDK_AK not set",
      options: (fake) => ({
        ...base(fake),
        credentials: { type: "aksk", from: huaweiCredentialsFromEnv({ HUAWEICLOUD_SDK_SK: SK }) },
      }),
      Class: C,
      field: "HUAWEICLOUD_SDK_AK",
      message: /is not set/,
    },
    {
      name: "HUAWEICLOUD_SDK_SK with whitespace",
      options: (fake) => ({
        ...base(fake),
        credentials: {
          type: "aksk",
          from: huaweiCredentialsFromEnv({ HUAWEICLOUD_SDK_AK: "AK", HUAWEICLOUD_SDK_SK: `${SK} ` }),
        },
      }),
      Class: C,
      field: "HUAWEICLOUD_SDK_SK",
      message: /must not start or end with whitespace/,
    },
    {
      name: "password login without a user name",
      options: (fake) => ({ ...base(fake), credentials: { ...password(fake), userName: " " } }),
      Class: C,
      field: "credentials.userName",
      message: /is missing or empty/,
    },
    {
      name: "password login without a password",
      options: (fake) => ({ ...base(fake), credentials: { ...password(fake), password: "" } }),
      Class: C,
      field: "credentials.password",
      message: /is missing or empty/,
    },
    {
      name: "password login without an account name",
      options: (fake) => ({ ...base(fake), credentials: { ...password(fake), accountName: undefined } }),
      Class: C,
      field: "credentials.accountName",
      message: /is missing or empty/,
    },
    {
      name: "password login with a baseUrl, no region and no iamEndpoint",
      options: (fake) => ({ ...base(fake), credentials: { ...password(fake), iamEndpoint: undefined } }),
      Class: I,
      field: "credentials.iamEndpoint",
      message: /is required when the client has a baseUrl and no region/,
    },
    {
      name: "password login with a non-http iamEndpoint",
      options: (fake) => ({ ...base(fake), credentials: { ...password(fake), iamEndpoint: "ldap://iam" } }),
      Class: I,
      field: "credentials.iamEndpoint",
      message: /must use http or https/,
    },
    {
      name: "token credentials without a source",
      options: withCredentials({ type: "token", source: "a-token-string" }),
      Class: C,
      field: "credentials.source",
      message: /must be a TokenSource/,
    },
    {
      name: "retry with zero attempts",
      options: withOption("retry", { maxAttempts: 0 }),
      Class: I,
      field: "retry.maxAttempts",
      message: /at least 1/,
    },
    {
      name: "a negative timeout",
      options: withOption("timeout", { attemptMs: -1 }),
      Class: I,
      field: "timeout.attemptMs",
      message: /milliseconds/,
    },
    {
      name: "fetch that is not a function",
      options: withOption("fetch", "fetch"),
      Class: I,
      field: "fetch",
      message: /must be a function/,
    },
    {
      name: "an unknown option (a typo of projectId)",
      options: withOption("projectID", "0123456789abcdef0123456789abcdef"),
      Class: I,
      field: "projectID",
      message: new RegExp(
        `is not an option of ${service === "huaweicloud-mpc" ? "createMpcClient" : "createDbssClient"}; known: region, baseUrl, projectId, credentials, fetch`,
      ),
    },
  ];
}

const CLIENTS = [
  {
    name: "MPC",
    api: "huaweicloud-mpc" as const,
    create: (options: Options) => createMpcClient(options as unknown as MpcClientOptions),
    list: async (client: unknown, call: unknown) =>
      (client as ReturnType<typeof createMpcClient>).listBuckets(call as never).all(),
    cases: [
      ...common("huaweicloud-mpc"),
      {
        name: "a DBSS-only region",
        options: (fake: Fake) => ({ ...base(fake), baseUrl: undefined, region: "me-east-1" }),
        Class: InvalidInputError,
        field: "region",
        message: /unknown huaweicloud-mpc region "me-east-1"/,
      },
    ] as Case[],
  },
  {
    name: "DBSS",
    api: "huaweicloud-dbss" as const,
    create: (options: Options) => createDbssClient(options as unknown as DbssClientOptions),
    list: async (client: unknown, call: unknown) =>
      (client as ReturnType<typeof createDbssClient>).listBuckets(call as never).all(),
    cases: [
      ...common("huaweicloud-dbss"),
      {
        name: "project id of 31 characters",
        options: withOption("projectId", PROJECT.slice(1)),
        Class: InvalidInputError,
        field: "projectId",
        message: /must be of length 32 to 64, not "[0-9a-f]{31}" \(spec: minLength 32, maxLength 64\)/,
      },
      {
        name: "project id of 1 character",
        options: withOption("projectId", "a"),
        Class: InvalidInputError,
        field: "projectId",
        message: /must be of length 32 to 64, not "a"/,
      },
      {
        name: "project id from the credentials too short for DBSS",
        options: (fake: Fake) => ({
          ...base(fake),
          projectId: undefined,
          credentials: {
            type: "aksk",
            from: huaweiCredentials({ ...fake.credentials, projectId: "short-id" }),
          },
        }),
        Class: InvalidInputError,
        field: "projectId",
        message: /must be of length 32 to 64, not "short-id" .*; from the credentials$/,
      },
    ] as Case[],
  },
];

describe.each(CLIENTS)("$name: bad input", (client) => {
  let fake: Fake;
  beforeAll(async () => {
    fake = await startFakeServer(client.api);
  });
  afterAll(() => fake.close());

  it.each(client.cases)("rejects $name, and sends nothing", (entry) => {
    let thrown: unknown;
    try {
      client.create(entry.options(fake));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(entry.Class);
    // Exactly the class: an InvalidInputError case must not be a CredentialsError, and vice versa.
    expect((thrown as Error).constructor).toBe(entry.Class);
    expect(thrown).toMatchObject({ field: entry.field });
    expect((thrown as Error).message.startsWith(`${entry.field}: `)).toBe(true);
    expect((thrown as Error).message).toMatch(entry.message);
    expect((thrown as Error).message).not.toContain(SK);
    expect(fake.log).toEqual([]);
  });

  it("has at least ten cases", () => {
    expect(client.cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ["a signal that is not an AbortSignal", { signal: "stop" }, "signal", /must be an AbortSignal/],
    ["call options that are not an object", "fast", "options", /must be an object/],
  ])("rejects %s at call time, and sends nothing", async (_name, call, field, message) => {
    const created = client.create(base(fake));
    const error = await client.list(created, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toMatch(message);
    expect(fake.log).toEqual([]);
  });
});

describe("the project id rule is each spec's (src/generated/*-rules.ts)", () => {
  const inline = { type: "aksk", accessKey: "AK", secretKey: SK } as const;
  const make = { mpc: createMpcClient, dbss: createDbssClient };
  // specs/huaweicloud/mpc.yaml: minLength 1; dbss.yaml: minLength 32; both maxLength 64.
  it.each([
    ["mpc", "a", true],
    ["dbss", "a", false],
    ["dbss", "a".repeat(32), true],
    ["mpc", "a".repeat(64), true],
    ["mpc", "a".repeat(65), false],
  ] as const)("%s takes a project id of %j: %s", (service, projectId, accepted) => {
    const create = () => make[service]({ baseUrl: "http://127.0.0.1:1", projectId, credentials: inline });
    if (accepted) expect(create).not.toThrow();
    else expect(create).toThrow(/\(spec: minLength (1|32), maxLength 64\)/);
  });
});
