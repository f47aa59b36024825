import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// Packs every package once (test/global-setup.ts); npm installs and tsc runs need longer limits.
export default mergeConfig(
  shared,
  defineConfig({
    test: { globalSetup: ["test/global-setup.ts"], testTimeout: 180_000, hookTimeout: 180_000 },
  }),
);
