/**
 * openapi-fetch returns `{ data, error, response }` and never throws for an HTTP error status.
 * Provider helpers decide once, here, to throw: `expectOk` hands back `data` or throws the typed
 * `ApiError` for the status, built from the error body openapi-fetch already read and parsed.
 */
import { ApiError, type ErrorContext } from "./errors.js";
import { attemptsOf } from "./pipeline.js";

/** The part of an openapi-fetch result `expectOk` reads. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Returns `result.data` when the response succeeded; otherwise throws the matching `ApiError`
 * subclass (`AuthenticationError`, `NotFoundError`, `RateLimitError`, ...) with the provider's
 * code, message and request id, and the body redacted.
 */
export async function expectOk<T>(result: FetchResult<T>, context: ErrorContext): Promise<T> {
  const { response } = result;
  if (response.ok) return result.data as T;
  // openapi-fetch consumed the body: it left the text, or what JSON.parse made of it.
  const text =
    result.error === undefined
      ? ""
      : typeof result.error === "string"
        ? result.error
        : JSON.stringify(result.error);
  throw ApiError.fromParts(response.status, response.headers, text, {
    ...context,
    attempts: attemptsOf(response),
  });
}
