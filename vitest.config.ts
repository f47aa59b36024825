import { defineConfig } from "vitest/config";

// The root project holds only the tests of the specs themselves; each package has its own config.
export default defineConfig({
  test: {
    include: ["specs/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: ".test-results/vitest.json" }]],
  },
});
