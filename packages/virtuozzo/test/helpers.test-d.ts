/**
 * Type-level contract of the helpers: `getUser` takes `id` OR `emailAddress` (both, neither or a
 * wrong type does not compile), results are typed, secrets are `Secret`s, and the factory's options
 * are checked by the compiler too.
 */
import type { Secret } from "@bucketry/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  createOstorClient,
  type OstorRawUserDetail,
  type OstorUser,
  type OstorUserDetail,
  type OstorUserSelector,
  s3Credentials,
} from "../src/index.js";

const credentials = {
  type: "aksk",
  from: s3Credentials({ accessKeyId: "f373d5175d1f3b63S7SX", secretAccessKey: "x-secret" }),
} as const;
const client = createOstorClient({ baseUrl: "https://s3.example.com", credentials });
const id = "b09693b73b3c7686";
const emailAddress = "user1@email.com";

describe("getUser selectors", () => {
  it("accept id or emailAddress, each with an optional space flag", () => {
    expectTypeOf(client.getUser({ id })).resolves.toEqualTypeOf<OstorUserDetail>();
    expectTypeOf(client.getUser({ emailAddress })).resolves.toEqualTypeOf<OstorUserDetail>();
    expectTypeOf(client.getUser({ id, space: true })).resolves.toEqualTypeOf<OstorUserDetail>();
    expectTypeOf(
      client.getUser({ emailAddress, space: false }, { signal: AbortSignal.timeout(1) }),
    ).resolves.toEqualTypeOf<OstorUserDetail>();
  });

  it("refuse both selectors at once", () => {
    // @ts-expect-error: id and emailAddress together (the service answers 400)
    client.getUser({ id, emailAddress });
    // @ts-expect-error: both, with space
    client.getUser({ emailAddress, id, space: true });
    // @ts-expect-error: a selector type cannot hold both either
    const both: OstorUserSelector = { id, emailAddress };
    void both;
  });

  it("refuse no selector, a missing argument, wrong types and unknown keys", () => {
    // @ts-expect-error: neither id nor emailAddress
    client.getUser({});
    // @ts-expect-error: space alone selects nothing
    client.getUser({ space: true });
    // @ts-expect-error: the selector is required
    client.getUser();
    // @ts-expect-error: id is a string
    client.getUser({ id: 1 });
    // @ts-expect-error: space is a boolean flag
    client.getUser({ id, space: "yes" });
    // @ts-expect-error: no `email` selector (it is `emailAddress`)
    client.getUser({ email: emailAddress });
  });
});

describe("listUsers", () => {
  it("takes an optional space flag and returns OstorUser[]", () => {
    expectTypeOf(client.listUsers().all()).resolves.toEqualTypeOf<OstorUser[]>();
    expectTypeOf(
      client.listUsers({ space: true }, { signal: new AbortController().signal }).all(),
    ).resolves.toEqualTypeOf<OstorUser[]>();
  });

  it("refuses selectors (that is getUser)", () => {
    // @ts-expect-error: listUsers lists everyone
    client.listUsers({ id }).all();
    // @ts-expect-error: space is a boolean flag
    client.listUsers({ space: 1 }).all();
  });
});

describe("results", () => {
  it("are normalised, with raw kept and secrets sealed", async () => {
    const user = await client.getUser({ id });
    expectTypeOf(user.state).toEqualTypeOf<"enabled" | "disabled">();
    expectTypeOf(user.accountCount).toEqualTypeOf<number>();
    expectTypeOf(user.raw.AccountCount).toEqualTypeOf<string>();
    expectTypeOf(user.accessKeys[0]!.secretAccessKey).toEqualTypeOf<Secret>();
    expectTypeOf(user.accounts[0]!.accessKeys[0]!.secretAccessKey).toEqualTypeOf<Secret>();
    expectTypeOf(user.raw).toEqualTypeOf<OstorRawUserDetail>();
    expectTypeOf(user.raw.AWSAccessKeys[0]!.AWSSecretAccessKey).toEqualTypeOf<Secret>();
    expectTypeOf(user.raw.Accounts[0]!.AWSAccessKeys[0]!.AWSSecretAccessKey).toEqualTypeOf<Secret>();
    expectTypeOf(user.spaceStat).toEqualTypeOf<
      { lastTs: number; sizeCurrent: number; sizeHMax: number; sizeHIntegral: number } | undefined
    >();
    // @ts-expect-error: a Secret is not a string; read it with reveal()
    const plain: string = user.accessKeys[0]!.secretAccessKey;
    void plain;
    expectTypeOf(user.accessKeys[0]!.secretAccessKey.reveal()).toEqualTypeOf<string>();
  });
});

describe("factory options", () => {
  it("accept v2 (default) and v4, region for v4, useAmzDate for v2", () => {
    createOstorClient({ baseUrl: "https://s3.example.com", credentials, signature: "v4", region: "ostor" });
    createOstorClient({ baseUrl: "https://s3.example.com", credentials, useAmzDate: true, retry: false });
    createOstorClient({
      baseUrl: "https://s3.example.com",
      credentials: { type: "aksk", from: () => credentials.from },
    });
  });

  it("refuse a missing baseUrl or credentials and unknown signature versions", () => {
    // @ts-expect-error: credentials are required
    createOstorClient({ baseUrl: "https://s3.example.com" });
    // @ts-expect-error: baseUrl is required (there is no region table)
    createOstorClient({ credentials });
    // @ts-expect-error: no signature v3
    createOstorClient({ baseUrl: "https://s3.example.com", credentials, signature: "v3" });
  });

  it("keep the raw typed client on the returned object", () => {
    client.GET("/?ostor-users", { params: { query: { emailAddress, space: true } } });
    // @ts-expect-error: no such admin call
    client.GET("/?ostor-buckets");
  });
});
