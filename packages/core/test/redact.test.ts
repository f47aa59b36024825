import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  isSecretField,
  isSecretHeader,
  REDACTED,
  redact,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  SecretRegistry,
} from "../src/redact.js";

describe("isSecretHeader", () => {
  it.each([
    "Authorization",
    "proxy-authorization",
    "Cookie",
    "Set-Cookie",
    "X-Auth-Token",
    "X-Subject-Token",
    "X-Storage-Token",
    "X-XSRF-TOKEN",
    "X-Security-Token",
    "x-amz-security-token",
    "X-Account-Meta-Temp-URL-Key",
    "X-Api-Key",
  ])("%s is secret", (name) => expect(isSecretHeader(name)).toBe(true));

  it.each([
    "Content-Type",
    "X-Sdk-Date",
    "x-amz-content-sha256",
    "X-Project-Id",
    "X-Request-Id",
    "Date",
    "Host",
  ])("%s is not", (name) => expect(isSecretHeader(name)).toBe(false));
});

describe("isSecretField", () => {
  it.each([
    "password",
    "Passwd",
    "secret",
    "AWSSecretAccessKey",
    "secretKey",
    "secret_access_key",
    "sk",
    "SK",
    "token",
    "security_token",
    "access_token",
    "refresh_token",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "X-Amz-Credential",
    "Signature",
    "temp_url_sig",
    "client_secret",
    "api_key",
    "private_key",
    "cookie",
  ])("%s is secret", (name) => expect(isSecretField(name)).toBe(true));

  it.each([
    "name",
    "access_key",
    "AWSAccessKeyId",
    "ak",
    "marker",
    "limit",
    "user_id",
    "task",
    "desk",
    "signed",
  ])("%s is not", (name) => expect(isSecretField(name)).toBe(false));
});

describe("redactHeaders", () => {
  const expected = {
    authorization: REDACTED,
    "content-type": "application/json",
    "x-subject-token": REDACTED,
  };

  it("takes Headers, pairs or a record, and lowercases names", () => {
    const pairs: [string, string][] = [
      ["Authorization", "Bearer t0k"],
      ["Content-Type", "application/json"],
      ["X-Subject-Token", "gAAAA"],
    ];
    expect(redactHeaders(new Headers(pairs))).toEqual(expected);
    expect(redactHeaders(pairs)).toEqual(expected);
    expect(redactHeaders(Object.fromEntries(pairs))).toEqual(expected);
  });
});

describe("redactValue", () => {
  it("redacts secret fields at any depth and keeps the rest", () => {
    const value = {
      user: { name: "bob", password: "p4ss", keys: [{ AWSAccessKeyId: "AK", AWSSecretAccessKey: "SK" }] },
      token: { expires_at: "2030-01-01T00:00:00Z", methods: ["password"] },
      count: 2,
      none: null,
    };
    expect(redactValue(value)).toEqual({
      user: {
        name: "bob",
        password: REDACTED,
        keys: [{ AWSAccessKeyId: "AK", AWSSecretAccessKey: REDACTED }],
      },
      token: { expires_at: "2030-01-01T00:00:00Z", methods: ["password"] },
      count: 2,
      none: null,
    });
    // A copy: the original is untouched.
    expect(value.user.password).toBe("p4ss");
  });
});

describe("redactUrl", () => {
  it("redacts secret query values and keeps every other byte of the query", () => {
    expect(
      redactUrl("https://h.example:8443/v1/a%2Fb?X-Amz-Signature=abc&marker=a%20b&flag&token=t&pageSize=2"),
    ).toBe(
      `https://h.example:8443/v1/a%2Fb?X-Amz-Signature=${REDACTED}&marker=a%20b&flag&token=${REDACTED}&pageSize=2`,
    );
  });

  it("drops userinfo and the fragment", () => {
    expect(redactUrl(new URL("https://user:pa55@h.example/p?q=1#frag"))).toBe("https://h.example/p?q=1");
  });

  it("keeps a URL without a query as it is", () => {
    expect(redactUrl("http://127.0.0.1:9/v1/")).toBe("http://127.0.0.1:9/v1/");
  });

  it("never keeps the query of something that is not a URL", () => {
    expect(redactUrl("/relative?token=x")).toBe(`/relative?${REDACTED}`);
    expect(redactUrl("plain")).toBe("plain");
  });
});

describe("redactText", () => {
  it.each([
    [
      "x-security-token:abc|x-sdk-date:20240101T000000Z|",
      `x-security-token:${REDACTED}|x-sdk-date:20240101T000000Z|`,
    ],
    ["Authorization: Bearer abc.def\nnext", `Authorization: ${REDACTED}\nnext`],
    ["authorization:SDK-HMAC-SHA256 Access=AK, Signature=ff|host:h", `authorization:${REDACTED}|host:h`],
    ["Cookie: XSRF-TOKEN=a; vertx-web.session=b", `Cookie: ${REDACTED}`],
    ['{"password": "two words", "user": "bob"}', `{"password": "${REDACTED}", "user": "bob"}`],
    [
      "<Error><SecretKey>s3</SecretKey><Code>C</Code></Error>",
      `<Error><SecretKey>${REDACTED}</SecretKey><Code>C</Code></Error>`,
    ],
    ["GET /v1?token=abc&limit=2 failed", `GET /v1?token=${REDACTED}&limit=2 failed`],
    ["sk=abc, ak=AK", `sk=${REDACTED}, ak=AK`],
  ])("redacts %j", (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    "Maximum limit is 10000",
    "Token expired, log in again",
    "task=3 disk: 5",
    "SignedHeaders=host;x-sdk-date",
  ])("leaves %j alone", (text) => expect(redactText(text)).toBe(text));
});

describe("redact", () => {
  it("redacts Headers, URLs, text and JSON-like values, scrubbing registered secrets too", () => {
    const secrets = new SecretRegistry();
    secrets.add("hunter22");
    expect(redact(new Headers({ Cookie: "a=b", "X-Echo": "pw hunter22" }), secrets)).toEqual({
      cookie: REDACTED,
      "x-echo": `pw ${REDACTED}`,
    });
    expect(redact(new URL("https://h/p?sig=1&a=hunter22"), secrets)).toBe(
      `https://h/p?sig=${REDACTED}&a=${REDACTED}`,
    );
    expect(redact("password=hunter22 rest")).toBe(`password=${REDACTED} rest`);
    expect(redact({ token: "t", msg: "Authorization: Bearer x", n: 1, list: ["hunter22"] }, secrets)).toEqual(
      {
        token: REDACTED,
        msg: `Authorization: ${REDACTED}`,
        n: 1,
        list: [REDACTED],
      },
    );
    expect(redact(null)).toBeNull();
  });
});

describe("SecretRegistry", () => {
  it("scrubs registered values as they are, percent-encoded and JSON-escaped", () => {
    const secrets = new SecretRegistry();
    secrets.add("s/cr+t key", 'quo"te', undefined, null, "abc");
    expect(secrets.size).toBe(2);
    expect(secrets.scrub("a s/cr+t key b s%2Fcr%2Bt%20key c")).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(secrets.scrub('{"v":"quo\\"te"}')).toBe(`{"v":"${REDACTED}"}`);
    // Too short to be told from ordinary text: ignored.
    expect(secrets.scrub("abc")).toBe("abc");
  });

  it("replaces a secret that contains another as a whole", () => {
    const secrets = new SecretRegistry();
    secrets.add("token", "token-and-more");
    expect(secrets.scrub("x token-and-more y")).toBe(`x ${REDACTED} y`);
  });

  it("redacts by field name, then scrubs every string and key", () => {
    const secrets = new SecretRegistry();
    secrets.add("hunter22");
    expect(secrets.redact({ password: "x", note: "pw hunter22", list: ["hunter22"], hunter22: 1 })).toEqual({
      password: REDACTED,
      note: `pw ${REDACTED}`,
      list: [REDACTED],
      [REDACTED]: 1,
    });
  });

  it("shows none of its contents in JSON or util.inspect", () => {
    const secrets = new SecretRegistry();
    secrets.add("hunter22");
    expect(JSON.stringify(secrets)).toBe('"SecretRegistry(1)"');
    expect(inspect(secrets, { showHidden: true })).not.toContain("hunter22");
  });
});

describe("names that look secret but are not", () => {
  it("keeps Huawei's encoded_authorization_message (a policy-denial explanation)", () => {
    expect(isSecretField("encoded_authorization_message")).toBe(false);
    expect(redactValue({ encoded_authorization_message: "abc", error_msg: "denied" })).toEqual({
      encoded_authorization_message: "abc",
      error_msg: "denied",
    });
  });
});
