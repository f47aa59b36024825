/**
 * Every documented error status of `GET /?ostor-users` as a typed `ApiError` with code, message and
 * `x-amz-request-id`, for both signature versions; refused signatures are never retried; and no
 * credential reaches a message, `JSON.stringify` or `util.inspect` of an error.
 */
import { inspect } from "node:util";
import { ApiError, expectOk, NotFoundError, PermissionError } from "@bucketry/core/internal";
import { describe, expect, it } from "vitest";
import { createOstorClient, OSTOR_ERRORS, s3Credentials } from "../src/index.js";
import { clientFor, SIGNATURES, startFake, USER1, USER2 } from "./helpers.js";

/** A fetch that records the request id of every response, to compare with the error's. */
function recordingFetch(ids: (string | null)[]) {
  return async (request: Request) => {
    const response = await fetch(request);
    ids.push(response.headers.get("x-amz-request-id"));
    return response;
  };
}

/** Asserts that nothing printable about `error` contains any of `secrets`. */
function expectNoSecrets(error: unknown, secrets: string[]): void {
  const views = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY }),
    (error as Error).stack ?? "",
  ];
  for (const view of views) for (const secret of secrets) expect(view).not.toContain(secret);
}

describe.each(SIGNATURES)("signature %s", (signature) => {
  it("404 NoSuchUser for an unknown id → NotFoundError with code, message and request id", async () => {
    const fake = await startFake();
    const ids: (string | null)[] = [];
    const client = clientFor(fake, { signature, fetch: recordingFetch(ids) });
    const error = await client.getUser({ id: "0123456789abcdef" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      code: "NoSuchUser",
      provider: "virtuozzo-ostor",
      operation: "listOstorUsers",
      requestId: ids[0],
    });
    expect(ids[0]).toMatch(/^8000000000000016[0-9a-f]{16}$/);
    expect((error as Error).message).toContain("The specified user does not exist.");
    expect(fake.log).toHaveLength(1);
  });

  it("404 for an unknown email address", async () => {
    const fake = await startFake();
    const error = await clientFor(fake, { signature })
      .getUser({ emailAddress: "nobody@example.com", space: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).request?.url).toBe(
      `${fake.url}/?ostor-users&emailAddress=nobody%40example.com&space`,
    );
  });

  it("403 SignatureDoesNotMatch for a wrong secret → PermissionError, not retried, secret never shown", async () => {
    const fake = await startFake();
    const wrong = "WRONG-secret-wJalrXUtnFEMI-K7MDENG-bPxRfiCY";
    const ids: (string | null)[] = [];
    const client = createOstorClient({
      baseUrl: fake.url,
      credentials: {
        type: "aksk",
        from: s3Credentials({ accessKeyId: fake.credentials.accessKeyId, secretAccessKey: wrong }),
      },
      signature,
      fetch: recordingFetch(ids),
    });
    const error = await client
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "SignatureDoesNotMatch", requestId: ids[0] });
    expect((error as Error).message).toContain("does not match the signature you provided");
    expect(fake.log).toHaveLength(1);
    expect(fake.authFailures.map((f) => f.code)).toEqual(["SignatureDoesNotMatch"]);
    expectNoSecrets(error, [wrong, fake.credentials.secretAccessKey]);
    // The Authorization header is not kept, and the response headers hold nothing secret.
    expect(JSON.stringify(error)).not.toContain(fake.log[0]?.headers.authorization ?? "-");
  });

  it("403 InvalidAccessKeyId for an unknown key id", async () => {
    const fake = await startFake();
    const client = createOstorClient({
      baseUrl: fake.url,
      credentials: {
        type: "aksk",
        from: s3Credentials({
          accessKeyId: "ffffffffffffffffZZZZ",
          secretAccessKey: "secret-of-nobody",
        }),
      },
      signature,
    });
    const error = await client.getUser({ id: USER1.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "InvalidAccessKeyId" });
    expect(fake.log).toHaveLength(1);
  });

  it("403 AccessDenied for a valid key of a user who is not a system user", async () => {
    const fake = await startFake();
    const key = fake.findUser(USER2.id)!.AWSAccessKeys[0]!;
    const client = createOstorClient({
      baseUrl: fake.url,
      credentials: {
        type: "aksk",
        from: s3Credentials({
          accessKeyId: key.AWSAccessKeyId,
          secretAccessKey: key.AWSSecretAccessKey,
        }),
      },
      signature,
    });
    const error = await client
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({
      status: 403,
      code: "AccessDenied",
      message: expect.stringContaining("Access Denied"),
    });
    expect(fake.log).toHaveLength(1);
    expectNoSecrets(error, [key.AWSSecretAccessKey]);
  });

  it("403 RequestTimeTooSkewed when the clocks differ by more than 15 minutes, not retried", async () => {
    const fake = await startFake();
    fake.setClock(() => Date.now() + 20 * 60_000);
    const error = await clientFor(fake, { signature })
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, code: "RequestTimeTooSkewed" });
    expect((error as Error).message).toContain("too large");
    expect(fake.log).toHaveLength(1);
    // Within the window, the same client succeeds.
    fake.setClock(() => Date.now() + 10 * 60_000);
    await expect(clientFor(fake, { signature }).listUsers().all()).resolves.toHaveLength(3);
  });

  it("400 for two selectors, which only a raw call can send; expectOk types it", async () => {
    const fake = await startFake();
    const client = clientFor(fake, { signature });
    const result = await client.GET("/?ostor-users", {
      params: { query: { id: USER1.id, emailAddress: USER1.email } },
    });
    expect(result.response.status).toBe(400);
    expect(fake.log[0]?.target).toBe(`/?ostor-users&id=${USER1.id}&emailAddress=user1%40email.com`);
    // The 400 comes from the admin layer: the raw call was signed and accepted.
    expect(fake.authFailures).toEqual([]);
    const error = await expectOk(result, {
      provider: "virtuozzo-ostor",
      operation: "listOstorUsers",
      format: OSTOR_ERRORS,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "InvalidArgument",
      message: expect.stringContaining("Only one of id and emailAddress may be set."),
      requestId: expect.stringMatching(/^8000000000000016/),
    });
    expect(fake.log).toHaveLength(1);
  });
});

describe("error bodies", () => {
  it("reads the message from X-Amz-Err-Message when the body has none", async () => {
    const fake = await startFake();
    fake.inject({
      kind: "status",
      status: 403,
      body: "",
      headers: {
        "x-amz-err-message": "Access denied by policy",
        "x-amz-request-id": "8000000000000016abcdef0123456789",
      },
    });
    const error = await clientFor(fake)
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ requestId: "8000000000000016abcdef0123456789" });
    expect((error as Error).message).toContain("Access denied by policy");
  });

  it("an XML 403 error document (fault) → PermissionError with its code, not retried", async () => {
    const fake = await startFake();
    fake.inject({ kind: "xml-error", status: 403, code: "AccessDenied", message: "Access Denied" });
    const error = await clientFor(fake, { signature: "v4" })
      .getUser({ id: USER1.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ code: "AccessDenied" });
    expect(fake.log).toHaveLength(1);
  });

  it("scrubs the client's own secret if a server ever echoes it back", async () => {
    const fake = await startFake();
    const secret = fake.credentials.secretAccessKey;
    fake.inject({
      kind: "status",
      status: 400,
      body: `<Error><Code>InvalidArgument</Code><Message>bad key ${secret}</Message></Error>`,
      headers: { "x-amz-err-message": `bad key ${secret}` },
    });
    const error = await clientFor(fake)
      .listUsers()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain("bad key [REDACTED]");
    expectNoSecrets(error, [secret]);
  });
});
