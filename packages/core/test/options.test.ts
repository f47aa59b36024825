import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../src/errors.js";
import { readEnv, readEnvTable, resolveClientOptions, resolveOptions } from "../src/options.js";

const spec = { factory: "createTestClient", keys: ["baseUrl", "credentials"] };

function refusal(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("resolveOptions", () => {
  it.each([
    ["undefined", undefined],
    ["a string", "https://host.example"],
    ["an array", []],
  ])("refuses options that are %s, naming the factory", (_, options) => {
    const error = refusal(() => resolveOptions(options as never, spec));
    expect(error.field).toBe("options");
    expect(error.message).toBe("options: createTestClient takes one options object");
  });

  it("refuses an unknown key, listing the known ones", () => {
    const error = refusal(() => resolveOptions({ baseURL: "https://x.example" } as never, spec));
    expect(error.field).toBe("baseURL");
    expect(error.message).toBe(
      "baseURL: is not an option of createTestClient; known: baseUrl, credentials, fetch, retry, timeout, headers, onEvent, limiter",
    );
  });

  it("says why for a key the factory has a hint for", () => {
    const error = refusal(() =>
      resolveOptions({ region: "kr" } as never, { ...spec, hints: { region: "has zones, not regions" } }),
    );
    expect(error.message).toBe("region: has zones, not regions");
  });

  it("takes an unknown key that is undefined as not given", () => {
    expect(() => resolveOptions({ extra: undefined } as never, spec)).not.toThrow();
  });

  it("registers the secrets of the credentials and of secret headers before any other check", () => {
    const { client } = resolveOptions(
      {
        credentials: { username: "alice", password: "pw-secret-1", nested: { secretKey: "sk-secret-2" } },
        headers: { Authorization: "Bearer tok-secret-3", "X-Trace": "trace-1234" },
      } as never,
      spec,
    );
    const text = client.secrets.scrub("pw-secret-1 sk-secret-2 Bearer tok-secret-3 alice trace-1234");
    expect(text).toBe("[REDACTED] [REDACTED] [REDACTED] alice trace-1234");
  });

  it.each([
    [{ fetch: "fetch" }, "fetch", /must be a function/],
    [{ onEvent: 1 }, "onEvent", /must be a function/],
    [{ limiter: {} }, "limiter", /take\(signal\)/],
    [{ headers: { "X-A": 1 } }, "headers.X-A", /must be a string/],
    [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts", /at least 1/],
    [{ timeout: { attemptMs: -1 } }, "timeout.attemptMs", /milliseconds/],
  ])("checks the shared options once: %o", (options, field, message) => {
    const error = refusal(() => resolveOptions(options as never, spec));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("resolves once: resolved options pass through unchanged", () => {
    const { client } = resolveOptions({ retry: false, timeout: false }, spec);
    expect(client.retry).toBeUndefined();
    expect(client.timeout).toBeUndefined();
    expect(resolveClientOptions(client)).toBe(client);
  });
});

describe("readEnv", () => {
  it("reads a variable, an empty one as unset", () => {
    expect(readEnv("A", { A: "1" })).toBe("1");
    expect(readEnv("A", { A: "" })).toBeUndefined();
    expect(readEnv("A", {})).toBeUndefined();
  });

  it("reads a credentials table by field", () => {
    expect(readEnvTable({ key: "K", secret: "S", token: "T" }, { K: "k", S: "", X: "x" })).toEqual({
      key: "k",
    });
  });
});
