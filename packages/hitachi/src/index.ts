// The class is core's (one class for every provider); re-exported so the name stays.

// Re-exported so callers need no direct dependency on @bucketry/auth to build `credentials`.
export { staticToken, type TokenCredentials, type TokenSource } from "@bucketry/auth/tokens";
export { type CallOptions, MalformedResponseError, type Paginator } from "@bucketry/core/internal";
export {
  VSP_OBJECT_DEFAULT_CLIENT_ID,
  VSP_OBJECT_ENV,
  type VspOneObjectCredentials,
  type VspOneObjectCredentialsInit,
  type VspOneObjectTokenSourceOptions,
  vspOneObjectCredentials,
  vspOneObjectCredentialsFromEnv,
  vspOneObjectTokenUrl,
} from "./credentials.js";
export { VSP_ONE_OBJECT_ERRORS } from "./errors.js";
export type * as VspOneObjectApi from "./generated/vsp-one-object.js";
export {
  createVspOneObjectClient,
  type VspOneObjectClient,
  type VspOneObjectHelpers,
} from "./vsp-one-object.js";
export type {
  VspOneObjectBucket,
  VspOneObjectBucketPage,
  VspOneObjectListBucketsPageParams,
  VspOneObjectListBucketsParams,
} from "./vsp-one-object-model.js";
export type {
  VspOneObjectClientCredentials,
  VspOneObjectClientOptions,
  VspOneObjectPasswordCredentials,
  VspOneObjectPasswordFrom,
} from "./vsp-one-object-options.js";
