import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

/**
 * The signers import `#crypto`, which package.json `imports` maps into dist/ (crypto-node.js under
 * the `node` condition, crypto.js, on Web Crypto, everywhere else). Tests run the sources, twice:
 * every test on the Node implementation, and the signer tests (vectors, differential tests) again on
 * the Web Crypto one, so both stay proven. `BUCKETRY_CRYPTO` tells test/crypto.test.ts which ran.
 */
const using = (file: string) => ({
  "#crypto": fileURLToPath(new URL(`./src/${file}`, import.meta.url)),
});

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          resolve: { alias: using("crypto-node.ts") },
          test: { name: "node-crypto", env: { BUCKETRY_CRYPTO: "node-crypto" } },
        },
        {
          extends: true,
          resolve: { alias: using("crypto.ts") },
          test: {
            name: "web-crypto",
            include: ["test/{aws-v4,huawei,ostor}*.test.ts", "test/crypto.test.ts"],
            typecheck: { enabled: false },
            env: { BUCKETRY_CRYPTO: "web-crypto" },
          },
        },
      ],
    },
  }),
);
