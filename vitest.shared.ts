import { defineConfig } from "vitest/config";

/**
 * The one vitest configuration every package uses: behaviour tests in `test/*.test.ts`, type tests
 * in `test/*.test-d.ts` (compiled, never run), and a JSON report that `scripts/test.mjs` adds up
 * into the `N passed, N failed` line CI reads.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    reporters: ["default", ["json", { outputFile: ".test-results/vitest.json" }]],
    // A limit for hangs, not a speed check: a test that takes 1 s alone takes 20 s or more on a
    // 2-core machine running two suites at once.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
