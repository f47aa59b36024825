/** The public API of @bucketry/core: the error family, pagination, redaction and the pipeline. */
export { createApiClient } from "./api-client.js";
export type { CallOptions, ClientOptions, RequestLimiter } from "./client.js";
export type { ErrorFormat, ParsedErrorBody } from "./error-bodies.js";
export {
  AbortedError,
  ApiError,
  type ApiErrorInit,
  type ApiErrorName,
  AuthenticationError,
  BucketryError,
  ConnectionError,
  CredentialsError,
  type ErrorContext,
  InvalidInputError,
  isRetryableStatus,
  MalformedResponseError,
  NotFoundError,
  PermissionError,
  parseRetryAfter,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { expectOk, type FetchResult } from "./expect-ok.js";
export {
  type FetchedPage,
  type LazyItems,
  onePage,
  type Page,
  type PaginateOptions,
  PaginationError,
  Paginator,
  paginate,
  type ResumePoint,
} from "./paginate.js";
export {
  type Attempt,
  type AttemptRequest,
  type AttemptStep,
  type BodyCheck,
  type BufferedBody,
  createPipeline,
  type FetchLike,
  type OperationInfo,
  type Pipeline,
  type PipelineEvent,
  type PipelineSetup,
  type StepEvent,
} from "./pipeline.js";
export type { RetryPolicy, TimeLimits } from "./policy.js";
export { REDACTED, redact, Secret, SecretRegistry } from "./redact.js";
