/**
 * Huawei Cloud AK/SK signing (`SDK-HMAC-SHA256`, the API Gateway signer of Huawei's API Request Signing
 * Guide): request parts to headers, a `Request` wrapper, and a pipeline step that signs every attempt
 * afresh: the gateway rejects an `X-Sdk-Date` more than 15 minutes off, so a retry never reuses one.
 */
import { type AttemptStep, InvalidInputError } from "@bucketry/core/internal";
import { hmacHex, sha256Hex, sha256HexSync } from "#crypto";
import {
  checkHuaweiAccessKey,
  checkHuaweiProjectId,
  checkHuaweiSecretKey,
  checkHuaweiSecurityToken,
  type HuaweiCredentials,
} from "../credentials/huawei.js";
import { canonicalRequestOf } from "./huawei-canonical.js";
import { preparedKey } from "./keys.js";
import {
  basicIsoDate,
  type MaybePromise,
  type RequestParts,
  type RequestSignature,
  settle,
  signedRequest,
  signingStep,
} from "./signing-step.js";

export {
  type HuaweiCanonicalRequestParts,
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiCanonicalUri,
  huaweiQueryPairs,
} from "./huawei-canonical.js";

const ALGORITHM = "SDK-HMAC-SHA256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The credentials {@link signHuaweiRequest} needs. */
export interface HuaweiSigningCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
}

/** Options of {@link huaweiSignatureHeaders} and {@link signHuaweiRequest}. */
export interface HuaweiSignOptions {
  /** The signing time (`X-Sdk-Date`); now by default. */
  date?: Date;
  /** Sent and signed as `X-Project-Id`. */
  projectId?: string | undefined;
  /**
   * The headers to sign (any case), replacing the default set (`host`, `x-sdk-date`, and
   * `x-project-id`, `x-security-token`, `x-sdk-content-sha256` when present). `x-sdk-date` is always signed.
   */
  signedHeaders?: readonly string[];
  /** Sign `UNSIGNED-PAYLOAD` instead of the body hash, and send `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`. */
  unsignedPayload?: boolean;
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the `X-Sdk-Date` format. */
export function huaweiSdkDate(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
    throw new InvalidInputError("date", "is not a valid signing date");
  }
  return basicIsoDate(date);
}

/** The string to sign: the algorithm, the `X-Sdk-Date` value and the SHA-256 of the canonical request. */
export async function huaweiStringToSign(canonicalRequest: string, sdkDate: string): Promise<string> {
  return stringToSignOf(canonicalRequest, sdkDate);
}

// Synchronous in both #crypto builds: the canonical request is short public data.
function stringToSignOf(canonicalRequest: string, sdkDate: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256HexSync(canonicalRequest)}`;
}

/** Lower-case, sorted, unique names to sign; `headerValue` sees the request's headers and the ones being added. */
function chooseSignedHeaders(
  headerValue: (name: string) => string | null,
  wanted: readonly string[] | undefined,
): string[] {
  if (wanted === undefined) {
    // The Java/Python SDK default (never `content-type`), in sorted order.
    const names = ["host"];
    if (headerValue("x-project-id") !== null) names.push("x-project-id");
    if (headerValue("x-sdk-content-sha256") !== null) names.push("x-sdk-content-sha256");
    names.push("x-sdk-date");
    if (headerValue("x-security-token") !== null) names.push("x-security-token");
    return names;
  }
  const names = new Set(["x-sdk-date"]);
  for (const raw of wanted) {
    const name = raw.trim().toLowerCase();
    if (name === "authorization") {
      throw new InvalidInputError("signedHeaders", "Authorization cannot sign itself");
    }
    if (name !== "host" && headerValue(name) === null) {
      throw new InvalidInputError("signedHeaders", `the header "${name}" is not on the request`);
    }
    names.add(name);
  }
  return [...names].sort();
}

/**
 * The headers that sign `parts` with Huawei's `SDK-HMAC-SHA256`: `x-sdk-date`, `authorization`, and
 * `x-project-id`, `x-security-token` (temporary credentials) and `x-sdk-content-sha256` when they apply.
 * The body hash covers `parts.body`, the exact bytes sent.
 */
export async function huaweiSignatureHeaders(
  parts: RequestParts,
  credentials: HuaweiSigningCredentials,
  options: HuaweiSignOptions = {},
): Promise<RequestSignature> {
  return huaweiSignature(parts, credentials, options, false);
}

/** {@link huaweiSignatureHeaders}, at once where the digests are; `checked` when the step checked the values. */
function huaweiSignature(
  parts: RequestParts,
  credentials: HuaweiSigningCredentials,
  options: HuaweiSignOptions,
  checked: boolean,
): MaybePromise<RequestSignature> {
  const { accessKey, secretKey, securityToken } = credentials;
  if (!checked) {
    checkHuaweiAccessKey(accessKey);
    checkHuaweiSecretKey(secretKey);
    if (securityToken !== undefined) checkHuaweiSecurityToken(securityToken);
    if (options.projectId !== undefined) checkHuaweiProjectId(options.projectId);
  }
  const sdkDate = huaweiSdkDate(options.date ?? new Date());

  const given = parts.headers.get("x-sdk-content-sha256");
  if (given !== null && given !== UNSIGNED_PAYLOAD) {
    throw new InvalidInputError(
      "X-Sdk-Content-Sha256",
      `only "${UNSIGNED_PAYLOAD}" is supported; the body hash is computed`,
    );
  }
  const unsigned = options.unsignedPayload === true || given === UNSIGNED_PAYLOAD;

  // What this signature sets is signed as if it were already on the request.
  const headers: Record<string, string> = { "x-sdk-date": sdkDate };
  if (options.projectId !== undefined) headers["x-project-id"] = options.projectId;
  if (securityToken !== undefined) headers["x-security-token"] = securityToken;
  if (unsigned) headers["x-sdk-content-sha256"] = UNSIGNED_PAYLOAD;
  const headerValue = (name: string) =>
    Object.hasOwn(headers, name) ? headers[name]! : parts.headers.get(name);

  const { body } = parts;
  const payloadHash = unsigned
    ? UNSIGNED_PAYLOAD
    : body === null || body.length === 0
      ? EMPTY_SHA256
      : sha256Hex(body);
  const signedHeaders = chooseSignedHeaders(headerValue, options.signedHeaders);
  return settle(payloadHash, (hash) => {
    const canonical = canonicalRequestOf(parts.method, new URL(parts.url), headerValue, signedHeaders, hash);
    const stringToSign = stringToSignOf(canonical, sdkDate);
    const key = preparedKey(credentials, "SHA-256", secretKey);
    return settle(hmacHex("SHA-256", key, stringToSign), (signature) => {
      headers.authorization = `${ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
      return { headers };
    });
  });
}

/**
 * Signs a request with Huawei's `SDK-HMAC-SHA256` and returns a new `Request` carrying `X-Sdk-Date`,
 * `Authorization` (and `X-Security-Token` for temporary credentials); the input stays usable.
 */
export function signHuaweiRequest(
  request: Request,
  credentials: HuaweiSigningCredentials,
  options: HuaweiSignOptions = {},
): Promise<Request> {
  return signedRequest(request, (parts) => huaweiSignatureHeaders(parts, credentials, options));
}

/** Options of {@link huaweiAkSk}. */
export interface HuaweiAkSkOptions {
  /** Sent and signed as `X-Project-Id`; defaults to the credentials' `projectId`. */
  projectId?: string;
  /** Sign `UNSIGNED-PAYLOAD` instead of hashing bodies (for large uploads). */
  unsignedPayload?: boolean;
}

/**
 * The pipeline step signing every attempt with Huawei AK/SK. `credentials` may be a function (called
 * per attempt, so rotated temporary credentials are picked up).
 */
export function huaweiAkSk(
  credentials: HuaweiCredentials | (() => Promise<HuaweiCredentials>),
  options: HuaweiAkSkOptions = {},
): AttemptStep {
  if (options.projectId !== undefined) checkHuaweiProjectId(options.projectId);
  if (typeof credentials !== "function") {
    checkHuaweiAccessKey(credentials.accessKey);
    checkHuaweiSecretKey(credentials.secretKey);
    if (credentials.securityToken !== undefined) checkHuaweiSecurityToken(credentials.securityToken);
    if (credentials.projectId !== undefined) checkHuaweiProjectId(credentials.projectId);
  }
  const unsignedPayload = options.unsignedPayload === true;
  const { projectId } = options;
  // Static credentials were checked above; a function's are checked at every signature.
  const checked = typeof credentials !== "function";
  return signingStep(credentials, (parts, current, date) =>
    huaweiSignature(
      parts,
      current,
      { date, projectId: projectId ?? current.projectId, unsignedPayload },
      checked,
    ),
  );
}
