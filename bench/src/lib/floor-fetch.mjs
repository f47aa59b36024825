import { createHmac, hash } from "node:crypto";

// The least the pipeline's design costs (section 2 and overhead-gc.mjs): a `fetch` for openapi-fetch
// that gives each attempt an `AbortController` and a timer of its own and sends from plain parts, as
// the pipeline does, and nothing else (no retry, checks or buffering).
export async function floorFetch(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * The least a Huawei `SDK-HMAC-SHA256` signature of a body-less, query-less request costs: one URL
 * parse, one hash, one HMAC, no checks. The headers are the real ones (section 2 compares them with
 * `@bucketry/auth`'s before anything is timed).
 */
export function huaweiFloorSignature(method, url, date, { accessKey, secretKey, projectId }) {
  const { host, pathname, search } = new URL(url);
  if (search !== "") throw new Error("the floor signs query-less requests only");
  const sdkDate = `${date.toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
  const path = pathname.endsWith("/") ? pathname : `${pathname}/`;
  const canonical = `${method}\n${path}\n\nhost:${host}\nx-project-id:${projectId}\nx-sdk-date:${sdkDate}\n\nhost;x-project-id;x-sdk-date\n${EMPTY_SHA256}`;
  const signature = createHmac("sha256", secretKey)
    .update(`SDK-HMAC-SHA256\n${sdkDate}\n${hash("sha256", canonical, "hex")}`)
    .digest("hex");
  return {
    "x-sdk-date": sdkDate,
    "x-project-id": projectId,
    authorization: `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${signature}`,
  };
}

/** {@link floorFetch} that also signs each attempt with {@link huaweiFloorSignature}: the floor of a signed client. */
export function signedFloorFetch(keys) {
  return (request) => {
    const signed = huaweiFloorSignature(request.method, request.url, new Date(), keys);
    for (const name in signed) request.headers.set(name, signed[name]);
    return floorFetch(request);
  };
}
