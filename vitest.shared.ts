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
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
