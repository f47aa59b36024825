import { defineConfig } from "vitest/config";

// The root project holds only the tests of the specs themselves; each package has its own config.
export default defineConfig({
  test: {
    include: ["specs/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: ".test-results/vitest.json" }]],
    // A limit for hangs, as in vitest.shared.ts: compiling a schema that takes 50 ms alone took
    // over 5 s (vitest's default) on a 2-core machine at load 25.
    testTimeout: 90_000,
  },
});
