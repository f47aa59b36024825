/**
 * Huawei Cloud AK/SK signing (`SDK-HMAC-SHA256`, the API Gateway signer of Huawei's API Request Signing Guide) as a
 * pure function and as an openapi-fetch middleware that signs every attempt afresh: the gateway
 * rejects an `X-Sdk-Date` more than 15 minutes off, so a retry must never reuse a signature.
 */
import { cloneRequest, deriveRequest, InvalidInputError, setReplay } from "@bucketry/core";
import type { Middleware } from "openapi-fetch";
import { hmacHex, sha256Hex } from "#crypto";
import {
  checkHuaweiAccessKey,
  checkHuaweiProjectId,
  checkHuaweiSecretKey,
  checkHuaweiSecurityToken,
  type HuaweiCredentials,
} from "../credentials/huawei.js";
import { huaweiCanonicalRequest } from "./huawei-canonical.js";
import { preparedKey } from "./keys.js";

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
/** Signed whenever present, besides `host` and `x-sdk-date` (the Java/Python SDK default; never `content-type`). */
const SIGNED_WHEN_PRESENT = ["x-project-id", "x-security-token", "x-sdk-content-sha256"];

/** The credentials {@link signHuaweiRequest} needs. */
export interface HuaweiSigningCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
}

/** Options of {@link signHuaweiRequest}. */
export interface HuaweiSignOptions {
  /** The signing time (`X-Sdk-Date`); now by default. */
  date?: Date;
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
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The string to sign: the algorithm, the `X-Sdk-Date` value and the SHA-256 of the canonical request. */
export async function huaweiStringToSign(canonicalRequest: string, sdkDate: string): Promise<string> {
  return `${ALGORITHM}\n${sdkDate}\n${await sha256Hex(canonicalRequest)}`;
}

function chooseSignedHeaders(headers: Headers, wanted: readonly string[] | undefined): string[] {
  if (wanted === undefined) {
    return ["host", "x-sdk-date", ...SIGNED_WHEN_PRESENT.filter((name) => headers.has(name))].sort();
  }
  const names = new Set(["x-sdk-date"]);
  for (const raw of wanted) {
    const name = raw.trim().toLowerCase();
    if (name === "authorization") {
      throw new InvalidInputError("signedHeaders", "Authorization cannot sign itself");
    }
    if (name !== "host" && !headers.has(name)) {
      throw new InvalidInputError("signedHeaders", `the header "${name}" is not on the request`);
    }
    names.add(name);
  }
  return [...names].sort();
}

/**
 * Signs `request` into `headers` (its own, or a copy), adding `extra` headers first; the shared core
 * of the function and the middleware. Returns the body bytes it hashed, if it read any.
 */
async function sign(
  request: Request,
  headers: Headers,
  credentials: HuaweiSigningCredentials,
  options: HuaweiSignOptions,
  extra?: Record<string, string>,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  checkHuaweiAccessKey(credentials.accessKey);
  checkHuaweiSecretKey(credentials.secretKey);
  if (credentials.securityToken !== undefined) checkHuaweiSecurityToken(credentials.securityToken);
  if (request.bodyUsed) {
    throw new InvalidInputError("request", "its body has already been read, so it cannot be signed");
  }

  const sdkDate = huaweiSdkDate(options.date ?? new Date());
  for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
  // Always a fresh date: a stale one (reused across retries) fails 15 minutes later.
  headers.set("X-Sdk-Date", sdkDate);
  if (credentials.securityToken !== undefined) headers.set("X-Security-Token", credentials.securityToken);

  const given = headers.get("x-sdk-content-sha256");
  if (given !== null && given !== UNSIGNED_PAYLOAD) {
    throw new InvalidInputError(
      "X-Sdk-Content-Sha256",
      `only "${UNSIGNED_PAYLOAD}" is supported; the body hash is computed`,
    );
  }
  const unsigned = options.unsignedPayload === true || given === UNSIGNED_PAYLOAD;
  if (unsigned) headers.set("X-Sdk-Content-Sha256", UNSIGNED_PAYLOAD);

  // The hash covers the exact bytes sent. A Request body can always be teed with clone(), so even a
  // stream is hashed (held in memory); large uploads should opt into `unsignedPayload`.
  const body =
    !unsigned && request.body !== null ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
  const payloadHash = unsigned ? UNSIGNED_PAYLOAD : body === undefined ? EMPTY_SHA256 : await sha256Hex(body);

  const signedHeaders = chooseSignedHeaders(headers, options.signedHeaders);
  const canonical = huaweiCanonicalRequest({
    method: request.method,
    url: request.url,
    headers,
    signedHeaders,
    payloadHash,
  });
  const stringToSign = await huaweiStringToSign(canonical, sdkDate);
  const key = preparedKey(credentials, "SHA-256", credentials.secretKey);
  const signature = await hmacHex("SHA-256", key, stringToSign);
  headers.set(
    "Authorization",
    `${ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`,
  );
  return body;
}

/**
 * Signs a request with Huawei's `SDK-HMAC-SHA256` and returns a new `Request` carrying `X-Sdk-Date`,
 * `Authorization` (and `X-Security-Token` for temporary credentials); the input stays usable.
 */
export async function signHuaweiRequest(
  request: Request,
  credentials: HuaweiSigningCredentials,
  options: HuaweiSignOptions = {},
): Promise<Request> {
  const headers = new Headers(request.headers);
  const body = await sign(request, headers, credentials, options);
  // The input's own body is never taken: the new Request gets the bytes already read, or a clone's.
  if (body !== undefined) return deriveRequest(request, { headers, body });
  return deriveRequest(request.body === null ? request : cloneRequest(request), { headers });
}

/** Options of {@link huaweiAkSk}. */
export interface HuaweiAkSkOptions {
  /** Sent and signed as `X-Project-Id`; defaults to the credentials' `projectId`. */
  projectId?: string;
  /** Sign `UNSIGNED-PAYLOAD` instead of hashing bodies (for large uploads). */
  unsignedPayload?: boolean;
}

/**
 * An openapi-fetch middleware signing every attempt with Huawei AK/SK. `credentials` may be a function
 * (called per attempt, so rotated temporary credentials are picked up); it registers a replay so
 * `retry()` re-signs each attempt with a new date.
 */
export function huaweiAkSk(
  credentials: HuaweiCredentials | (() => Promise<HuaweiCredentials>),
  options: HuaweiAkSkOptions = {},
): Middleware {
  if (options.projectId !== undefined) checkHuaweiProjectId(options.projectId);
  if (typeof credentials !== "function") {
    checkHuaweiAccessKey(credentials.accessKey);
    checkHuaweiSecretKey(credentials.secretKey);
    if (credentials.projectId !== undefined) checkHuaweiProjectId(credentials.projectId);
  }
  // Signs the attempt's own headers: no new Request per attempt (see core's lineage.ts).
  const signAttempt = async (request: Request): Promise<Request> => {
    const current = typeof credentials === "function" ? await credentials() : credentials;
    const projectId = options.projectId ?? current.projectId;
    if (projectId !== undefined) checkHuaweiProjectId(projectId);
    const extra = projectId === undefined ? undefined : { "X-Project-Id": projectId };
    await sign(
      request,
      request.headers,
      current,
      { unsignedPayload: options.unsignedPayload === true },
      extra,
    );
    return request;
  };
  return {
    async onRequest({ request }) {
      // Recorded before signing: a replay starts from the unsigned request.
      setReplay(request, request, signAttempt);
      await signAttempt(request);
      return undefined;
    },
  };
}
