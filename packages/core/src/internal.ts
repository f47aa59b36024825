/**
 * What Bucketry's own packages build clients with (options resolver, checks, error builders,
 * helpers of openapi-fetch results); not a stable API for applications, which use the main entry.
 */

export { parsedJson } from "./buffered-response.js";
export { CallRequest } from "./call-request.js";
export {
  CLIENT_OPTION_KEYS,
  checkCallOptions,
  checkHeaders,
  checkPathParameter,
  parseEndpoint,
} from "./client.js";
export {
  firstLine,
  type JsonErrorFields,
  parseErrorBody,
  record,
  requestIdOf,
  text,
  xmlElement,
} from "./error-bodies.js";
export { malformedResponse, readBody, UnexpectedShape } from "./errors.js";
export * from "./index.js";
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
export { answerMeta, attemptsOf, requireJson } from "./pipeline.js";
export { resolveRetry, resolveTimeout } from "./policy.js";
export {
  isSecretField,
  isSecretHeader,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
} from "./redact.js";
