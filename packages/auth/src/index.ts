/** Every auth scheme: the signers (`@bucketry/auth/signers`) and the token flows (`@bucketry/auth/tokens`). */
export * from "./signers.js";
export * from "./tokens.js";
