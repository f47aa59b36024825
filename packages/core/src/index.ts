export {
  type ClientOptions,
  checkCallOptions,
  checkPathParameter,
  type FetchLike,
  parseEndpoint,
  useStandardMiddleware,
} from "./client.js";
export { type ParsedErrorBody, parseErrorBody } from "./error-bodies.js";
export {
  AbortedError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BucketryError,
  ConnectionError,
  CredentialsError,
  type ErrorContext,
  InvalidInputError,
  MalformedResponseError,
  malformedResponse,
  NotFoundError,
  PermissionError,
  parseRetryAfter,
  RateLimitError,
  requestIdOf,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { expectOk, type FetchResult } from "./expect-ok.js";
export { cloneRequest, deriveRequest, keepSource } from "./lineage.js";
export { mapNetworkErrors, type NetworkErrorOptions } from "./network-errors.js";
export {
  type Page,
  type PaginateOptions,
  PaginationError,
  Paginator,
  paginate,
  type ResumePoint,
} from "./paginate.js";
export {
  type BodyCheck,
  type BufferedBody,
  type ReadBodyOptions,
  readBody,
  requireJson,
} from "./read-body.js";
export {
  isSecretField,
  isSecretHeader,
  REDACTED,
  redact,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  Secret,
  SecretRegistry,
} from "./redact.js";
export { replay, setReplay } from "./replay.js";
export { attemptsOf, type RetryOptions, retry } from "./retry.js";
export { type TimeoutOptions, timeout } from "./timeout.js";
