/**
 * Users' own openapi-fetch middleware (`client.use()`) runs once per call, above the pipeline: what
 * it adds is sent on every attempt and signed, and its `onResponse` sees only the final answer.
 */
import { describe, expect, it } from "vitest";
import { clientFor, startFake } from "./helpers.js";

for (const signature of ["v2", "v4"] as const) {
  describe(`client.use() on the ${signature} client`, () => {
    it("adds X-Trace-Id and x-amz-meta-team to both attempts of a call with one 503, signed; onResponse sees the 200", async () => {
      const fake = await startFake();
      const client = clientFor(fake, { signature });
      const seen: number[] = [];
      client.use({
        onRequest({ request }) {
          request.headers.set("X-Trace-Id", "trace-42");
          request.headers.set("x-amz-meta-team", "storage");
        },
        onResponse({ response }) {
          seen.push(response.status);
        },
      });
      fake.inject({ kind: "status", status: 503 }, { times: 1 });
      const users = await client.listUsers().all();
      expect(users.length).toBeGreaterThan(0);
      expect(fake.log.map((r) => r.status)).toEqual([503, 200]);
      for (const request of fake.log) {
        expect(request.headers["x-trace-id"]).toBe("trace-42");
        expect(request.headers["x-amz-meta-team"]).toBe("storage");
      }
      // The fake verified each signature; an x-amz-* header left out of it would be SignatureDoesNotMatch.
      const authorization = fake.log[1]!.headers.authorization!;
      if (signature === "v4") expect(authorization).toMatch(/SignedHeaders=[^,]*x-amz-meta-team/);
      expect(seen).toEqual([200]);
    });

    it("the headers option is sent and signed on every call", async () => {
      const fake = await startFake();
      const client = clientFor(fake, { signature, headers: { "x-amz-meta-team": "audit" } });
      await client.listUsers().all();
      expect(fake.log.map((r) => [r.status, r.headers["x-amz-meta-team"]])).toEqual([[200, "audit"]]);
      expect(fake.log[0]!.headers["user-agent"]).toMatch(/^bucketry-virtuozzo\/\d+\.\d+\.\d+/);
    });
  });
}
