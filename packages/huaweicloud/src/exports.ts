/** What both service entries (`/mpc`, `/dbss`) export besides their own client. */

// Re-exported so callers need no direct dependency on @bucketry/auth to build `credentials`.
export { staticToken, type TokenSource } from "@bucketry/auth/tokens";
export {
  HUAWEI_ENV,
  type HuaweiCredentials,
  type HuaweiCredentialsInit,
  type HuaweiIamTokenOptions,
  huaweiCredentials,
  huaweiCredentialsFromEnv,
  huaweiIamToken,
} from "./credentials.js";
export { HUAWEI_ERRORS } from "./errors.js";
export type {
  CallOptions,
  HuaweiAkSkFrom,
  HuaweiAkSkInline,
  HuaweiClientCredentials,
  HuaweiPasswordLogin,
  HuaweiTokenCredentials,
} from "./huawei.js";
