/**
 * Swift's error bodies are short texts or HTML pages (`Maximum limit is 10000`,
 * `<h1>Unauthorized</h1>`), which core's generic reader handles; its request id is `X-Trans-Id`.
 */
import type { ErrorFormat } from "@bucketry/core/internal";

export const SWIFT_ERRORS: ErrorFormat = { requestId: "x-trans-id" };
