import { defineConfig } from "vitest/config";

// The integration suite, run only by scripts/test-integration.mjs (`pnpm test:integration`), which
// starts Swift and Prism and passes their endpoints in the environment. The JSON report has the shape
// of the packages' (vitest.shared.ts) so scripts/summary.mjs adds it to CI's last line.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".test-results/vitest.json" }]],
    // Paging 2,500 containers one per request takes a while on 2 cores; hooks seed data.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
