/** Every auth scheme; each is also its own entry (`@bucketry/auth/huawei`, `/aws-v4`, `/ostor-v2`, `/keystone`, `/keycloak`, `/xsrf`, `/tokens`). */

export * from "./aws-v4.js";
export * from "./huawei.js";
export * from "./keycloak.js";
export * from "./keystone.js";
export * from "./ostor-v2.js";
export * from "./tokens.js";
export * from "./xsrf.js";
