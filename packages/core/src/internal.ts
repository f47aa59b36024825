/**
 * Everything core holds: the public API (re-exported by the main entry) and what Bucketry's own
 * packages build clients with (options resolver, checks, error builders, the generic error-body
 * reader). Not a stable API for applications, which use the main entry.
 */
export { createApiClient } from "./api-client.js";
export { parsedJson } from "./buffered-response.js";
export { CallRequest } from "./call-request.js";
export {
  type CallOptions,
  CLIENT_OPTION_KEYS,
  type ClientOptions,
  checkCallOptions,
  checkHeaders,
  httpUrl,
  parseEndpoint,
  type RequestLimiter,
  requiredText,
} from "./client.js";
export {
  type ErrorFormat,
  firstLine,
  type JsonErrorFields,
  type ParsedErrorBody,
  parseErrorBody,
  record,
  requestIdOf,
  text,
  xmlElement,
} from "./error-bodies.js";
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
  malformedResponse,
  NotFoundError,
  PermissionError,
  parseRetryAfter,
  RateLimitError,
  readBody,
  ServerError,
  TimeoutError,
  UnexpectedShape,
} from "./errors.js";
export {
  expectOk,
  type FetchResult,
} from "./expect-ok.js";
export {
  checkObject,
  credentialsType,
  type Env,
  type OptionsSpec,
  processEnv,
  type ResolvedClientOptions,
  readEnv,
  readEnvTable,
  resolveClientOptions,
  resolveOptions,
} from "./options.js";
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
export { checkParam, type ParamRule } from "./params.js";
export {
  type Attempt,
  type AttemptRequest,
  type AttemptStep,
  answerMeta,
  attemptsOf,
  type BodyCheck,
  type BufferedBody,
  createPipeline,
  type FetchLike,
  type OperationInfo,
  type Pipeline,
  type PipelineEvent,
  type PipelineSetup,
  requireJson,
  type StepEvent,
} from "./pipeline.js";
export {
  type RetryPolicy,
  resolveRetry,
  resolveTimeout,
  type TimeLimits,
} from "./policy.js";
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
