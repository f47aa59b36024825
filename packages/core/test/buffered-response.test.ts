/** The in-memory Response the pipeline hands on: it reads like the answer it stands for, once. */
import { describe, expect, it } from "vitest";
import { bufferedResponse } from "../src/buffered-response.js";

const bytes = () => new TextEncoder().encode('{"ok":true}');
const original = () =>
  new Response("ignored", {
    status: 201,
    statusText: "Created",
    headers: { "content-type": "application/json" },
  });

describe("bufferedResponse", () => {
  it("is a Response with the original's status, headers and URL", () => {
    const source = original();
    Object.defineProperty(source, "url", { value: "http://127.0.0.1/x" });
    const response = bufferedResponse(source, bytes());
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.statusText, response.ok, response.url]).toEqual([
      201,
      "Created",
      true,
      "http://127.0.0.1/x",
    ]);
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it("hands out its body once, by any reader, and refuses a second read", async () => {
    for (const read of ["text", "json", "arrayBuffer", "bytes", "blob"] as const) {
      const response = bufferedResponse(original(), bytes());
      expect(response.bodyUsed).toBe(false);
      const value = await response[read]();
      const text =
        value instanceof Blob
          ? await value.text()
          : value instanceof Uint8Array || value instanceof ArrayBuffer
            ? new TextDecoder().decode(value)
            : typeof value === "string"
              ? value
              : JSON.stringify(value);
      expect(text).toBe('{"ok":true}');
      expect(response.bodyUsed).toBe(true);
      await expect(response.text()).rejects.toThrow(TypeError);
    }
  });

  it("streams its body when asked, and clones before it is read", async () => {
    const response = bufferedResponse(original(), bytes());
    const copy = response.clone();
    expect(await new Response(response.body).text()).toBe('{"ok":true}');
    expect(response.bodyUsed).toBe(true);
    expect(await copy.json()).toEqual({ ok: true });
    expect(() => response.clone()).toThrow(TypeError);
  });

  it("gives what the pipeline already parsed, and a null body stays null", async () => {
    const parsed = { ok: true };
    const response = bufferedResponse(original(), bytes(), { json: { value: parsed } });
    expect(await response.json()).toBe(parsed);
    const empty = bufferedResponse(new Response(null, { status: 503 }), null);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe("");
  });
});
