export { type ParsedErrorBody, parseErrorBody } from "./error-bodies.js";
export {
  AbortedError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BucketryError,
  ConnectionError,
  CredentialsError,
  InvalidInputError,
  NotFoundError,
  PermissionError,
  parseRetryAfter,
  RateLimitError,
  requestIdOf,
  ServerError,
  TimeoutError,
} from "./errors.js";
export {
  isSecretField,
  isSecretHeader,
  REDACTED,
  redactHeaders,
  redactUrl,
  redactValue,
  SecretRegistry,
} from "./redact.js";
export { replay, setReplay } from "./replay.js";
