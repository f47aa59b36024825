import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// The CLI and README tests run the built package (dist/), so it is built once before any test.
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ["test/global-setup.ts"] } }));
