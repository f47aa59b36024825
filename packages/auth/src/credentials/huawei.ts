/**
 * What SDK-HMAC-SHA256 signs with: an AK/SK pair, optionally temporary and project-scoped, and the
 * checks of each part (five signature failures lock an AK for five minutes: better to fail first).
 */
import { CredentialsError } from "@bucketry/core/internal";

/** Huawei Cloud AK/SK credentials, optionally temporary (with a security token) and project-scoped. */
export interface HuaweiCredentials {
  /** The access key id (AK). */
  readonly accessKey: string;
  /** The secret access key (SK). */
  readonly secretKey: string;
  /** The security token of temporary AK/SK, sent and signed as `X-Security-Token`. */
  readonly securityToken?: string | undefined;
  /** The project id, sent and signed as `X-Project-Id`. */
  readonly projectId?: string | undefined;
}

const PROJECT_ID = /^[0-9A-Za-z-]{1,64}$/;
const WHITESPACE = /\s/;

/** Throws a {@link CredentialsError} unless `value` is a usable AK (non-empty, no whitespace). */
export function checkHuaweiAccessKey(value: unknown, field = "accessKey"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the access key (AK) is missing");
  if (WHITESPACE.test(value))
    throw new CredentialsError(field, "the access key (AK) must not contain whitespace");
}

/** Throws a {@link CredentialsError} unless `value` is a usable SK (non-empty, no surrounding whitespace). */
export function checkHuaweiSecretKey(value: unknown, field = "secretKey"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the secret key (SK) is missing");
  // A trailing newline from `$(cat sk.txt)` would sign everything wrong and lock the AK after five tries.
  if (value.trim() !== value) {
    throw new CredentialsError(field, "the secret key (SK) must not start or end with whitespace");
  }
}

/** Throws a {@link CredentialsError} unless `value` is a project id: 1–64 of `0-9 A-Z a-z -`. */
export function checkHuaweiProjectId(value: unknown, field = "projectId"): asserts value is string {
  if (typeof value !== "string" || !PROJECT_ID.test(value)) {
    throw new CredentialsError(field, "a project id is 1 to 64 characters of 0-9, A-Z, a-z and '-'");
  }
}

/** Throws a {@link CredentialsError} unless `value` is a security token that can travel in a header. */
export function checkHuaweiSecurityToken(value: unknown, field = "securityToken"): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new CredentialsError(field, "the security token is empty");
  if (WHITESPACE.test(value))
    throw new CredentialsError(field, "the security token must not contain whitespace");
}
