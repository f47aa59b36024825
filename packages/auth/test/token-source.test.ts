// The token cache on its own: single flight, renewal margin, failures not cached, invalidation by
// token, and aborts. The clock is injected; HTTP behaviour is covered in keystone/keycloak/bearer tests.
import { inspect } from "node:util";
import { CredentialsError, SecretRegistry } from "@bucketry/core";
import { describe, expect, it } from "vitest";
import { cachedTokenSource, registeredTokens, staticToken, Token } from "../src/tokens/token.js";

const MINUTE = 60_000;

/** A fetchToken whose calls the test resolves by hand. */
function manualFetcher() {
  const calls: { signal: AbortSignal; resolve(token: Token): void; reject(error: unknown): void }[] = [];
  const fetchToken = (signal: AbortSignal) =>
    new Promise<Token>((resolve, reject) => {
      calls.push({ signal, resolve, reject });
    });
  return { calls, fetchToken };
}

/** A fetchToken that answers tok-1, tok-2, … at once, each valid for `lifetimeMs` on the given clock. */
function countingFetcher(clock: { now: number }, lifetimeMs?: number) {
  let count = 0;
  return {
    get count() {
      return count;
    },
    fetchToken: async () => {
      count++;
      return new Token(
        `tok-${count}`,
        lifetimeMs === undefined ? undefined : new Date(clock.now + lifetimeMs),
      );
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Token", () => {
  it("shows its value only through reveal()", () => {
    const token = new Token("s3cr3t-TOKEN-value", new Date("2030-01-02T03:04:05Z"));
    expect(token.reveal()).toBe("s3cr3t-TOKEN-value");
    for (const shown of [
      inspect(token, { showHidden: true, depth: 5 }),
      inspect({ nested: { token } }, { depth: 5 }),
      JSON.stringify(token),
      JSON.stringify({ token }),
      String(token),
      `${token}`,
    ]) {
      expect(shown).not.toContain("s3cr3t");
    }
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      value: "[REDACTED]",
      expiresAt: "2030-01-02T03:04:05.000Z",
    });
  });

  it("refuses an empty value", () => {
    expect(() => new Token("")).toThrow(CredentialsError);
  });
});

describe("cachedTokenSource", () => {
  it("makes one request however many callers wait, and gives them all its token", async () => {
    const { calls, fetchToken } = manualFetcher();
    const source = cachedTokenSource(fetchToken);
    const waiting = Array.from({ length: 50 }, () => source.token());
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(new Token("only-one"));
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens.map((t) => t.reveal()))).toEqual(new Set(["only-one"]));
    expect((await source.token()).reveal()).toBe("only-one");
    expect(calls).toHaveLength(1);
  });

  it("keeps a token until expiresAt less the 5-minute margin", async () => {
    const clock = { now: 1_000_000 };
    const fetcher = countingFetcher(clock, 60 * MINUTE);
    const source = cachedTokenSource(fetcher.fetchToken, { now: () => clock.now });
    expect((await source.token()).reveal()).toBe("tok-1");
    clock.now += 55 * MINUTE - 1;
    expect((await source.token()).reveal()).toBe("tok-1");
    clock.now += 1;
    expect((await source.token()).reveal()).toBe("tok-2");
    expect(fetcher.count).toBe(2);
  });

  it("caps the margin at half the lifetime, so a short-lived token is still used", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock, 4 * MINUTE);
    const source = cachedTokenSource(fetcher.fetchToken, { now: () => clock.now });
    await source.token();
    clock.now = 2 * MINUTE - 1;
    expect((await source.token()).reveal()).toBe("tok-1");
    clock.now = 2 * MINUTE;
    expect((await source.token()).reveal()).toBe("tok-2");
  });

  it("honours a custom margin", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock, 60 * MINUTE);
    const source = cachedTokenSource(fetcher.fetchToken, { now: () => clock.now, marginMs: 10 * MINUTE });
    await source.token();
    clock.now = 50 * MINUTE - 1;
    expect((await source.token()).reveal()).toBe("tok-1");
    clock.now = 50 * MINUTE;
    expect((await source.token()).reveal()).toBe("tok-2");
  });

  it("keeps a token without expiry until it is invalidated", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock);
    const source = cachedTokenSource(fetcher.fetchToken, { now: () => clock.now });
    await source.token();
    clock.now = 1e12;
    expect((await source.token()).reveal()).toBe("tok-1");
    source.invalidate();
    expect((await source.token()).reveal()).toBe("tok-2");
  });

  it("does not cache a failure: every waiter of that request fails, the next caller retries", async () => {
    const { calls, fetchToken } = manualFetcher();
    const source = cachedTokenSource(fetchToken);
    const first = [source.token(), source.token(), source.token()];
    await tick();
    calls[0]!.reject(new Error("identity service down"));
    for (const result of await Promise.allSettled(first)) {
      expect(result).toMatchObject({ status: "rejected", reason: { message: "identity service down" } });
    }
    const retry = source.token();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(new Token("after-failure"));
    expect((await retry).reveal()).toBe("after-failure");
  });

  it("invalidate(token) drops the cache only while it still holds that token", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock);
    const source = cachedTokenSource(fetcher.fetchToken);
    const a = await source.token();
    source.invalidate(a);
    const b = await source.token();
    expect(b.reveal()).toBe("tok-2");
    source.invalidate(a); // a late 401 on the old token
    source.invalidate(new Token("tok-1")); // the same value in another object
    expect((await source.token()).reveal()).toBe("tok-2");
    source.invalidate(new Token("tok-2")); // compared by value
    expect((await source.token()).reveal()).toBe("tok-3");
    expect(fetcher.count).toBe(3);
  });

  it("turns 200 refusals of the same token into one refresh", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock);
    const source = cachedTokenSource(fetcher.fetchToken);
    const stale = await source.token();
    const renewed = await Promise.all(
      Array.from({ length: 200 }, async () => {
        source.invalidate(stale);
        return source.token();
      }),
    );
    expect(fetcher.count).toBe(2);
    expect(new Set(renewed.map((t) => t.reveal()))).toEqual(new Set(["tok-2"]));
  });

  it("lets one waiter give up without failing the others", async () => {
    const { calls, fetchToken } = manualFetcher();
    const source = cachedTokenSource(fetchToken);
    const quitter = new AbortController();
    const gaveUp = source.token(quitter.signal);
    const stays = source.token(new AbortController().signal);
    await tick();
    quitter.abort(new Error("caller timed out"));
    await expect(gaveUp).rejects.toThrow("caller timed out");
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve(new Token("still-wanted"));
    expect((await stays).reveal()).toBe("still-wanted");
  });

  it("cancels the token request when every waiter has given up, and starts afresh after", async () => {
    const { calls, fetchToken } = manualFetcher();
    const source = cachedTokenSource(fetchToken);
    const a = new AbortController();
    const b = new AbortController();
    const pending = [source.token(a.signal), source.token(b.signal)];
    await tick();
    a.abort(new Error("a gone"));
    b.abort(new Error("b gone"));
    await Promise.allSettled(pending);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.reject(calls[0]!.signal.reason);
    const next = source.token();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(new Token("fresh"));
    expect((await next).reveal()).toBe("fresh");
  });

  it("rejects at once for a signal already aborted, without fetching", async () => {
    const { calls, fetchToken } = manualFetcher();
    const source = cachedTokenSource(fetchToken);
    await expect(source.token(AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
    expect(calls).toHaveLength(0);
  });

  it("current() hands out the cached token at once while it is fresh, and nothing once it is due", async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(clock, 60 * MINUTE);
    const source = cachedTokenSource(fetcher.fetchToken, { now: () => clock.now });
    expect(source.current?.()).toBeUndefined();
    const token = await source.token();
    expect(source.current?.()).toBe(token);
    clock.now += 55 * MINUTE; // inside the 5-minute margin: due for renewal
    expect(source.current?.()).toBeUndefined();
    expect((await source.token()).reveal()).toBe("tok-2");
    source.invalidate();
    expect(source.current?.()).toBeUndefined();
    expect(fetcher.count).toBe(2);
  });

  it("keeps the cached token out of inspect and JSON of the source", async () => {
    const source = cachedTokenSource(async () => new Token("cached-s3cr3t"));
    await source.token();
    expect(inspect(source, { showHidden: true, depth: 10 })).not.toContain("cached-s3cr3t");
    expect(JSON.stringify(source)).not.toContain("cached-s3cr3t");
  });
});

describe("staticToken", () => {
  it("always hands out the same token, and invalidate changes nothing", async () => {
    const source = staticToken("pre-issued-token");
    source.invalidate(await source.token());
    expect((await source.token()).reveal()).toBe("pre-issued-token");
    expect(inspect(source)).not.toContain("pre-issued-token");
  });

  it("refuses an empty token", () => {
    expect(() => staticToken("")).toThrow(CredentialsError);
  });

  it("hands out its token at once through current()", () => {
    expect(staticToken("pre-issued-token").current?.()?.reveal()).toBe("pre-issued-token");
  });
});

describe("registeredTokens", () => {
  it("registers what current() hands out, and refuses what is not a Token", () => {
    const secrets = new SecretRegistry();
    const source = registeredTokens(staticToken("registered-s3cr3t"), secrets);
    expect(source.current?.()?.reveal()).toBe("registered-s3cr3t");
    expect(secrets.scrub("x registered-s3cr3t y")).not.toContain("registered-s3cr3t");
    const bad = registeredTokens(
      { token: async () => new Token("t"), current: () => "raw" as never, invalidate() {} },
      secrets,
    );
    expect(() => bad.current?.()).toThrow(CredentialsError);
  });

  it("has no current() when the source it wraps has none", () => {
    const source = registeredTokens(
      { token: async () => new Token("t"), invalidate() {} },
      new SecretRegistry(),
    );
    expect(source.current).toBeUndefined();
  });
});
