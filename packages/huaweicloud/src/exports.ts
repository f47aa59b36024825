/** What both service entries (`/mpc`, `/dbss`) export besides their own client. */

// Re-exported so callers need no direct dependency on @bucketry/auth to build `credentials`.
export {
  type HuaweiCredentials,
  huaweiCredentials,
  huaweiCredentialsFromEnv,
  huaweiIamToken,
  staticToken,
  type TokenSource,
} from "@bucketry/auth";
export type {
  CallOptions,
  HuaweiAkSkFrom,
  HuaweiAkSkInline,
  HuaweiClientCredentials,
  HuaweiPasswordLogin,
  HuaweiTokenCredentials,
} from "./huawei.js";
