export { type CallOptions, type Paginator, Secret } from "@bucketry/core/internal";
export {
  OSTOR_ENV,
  type S3Credentials,
  type S3CredentialsInit,
  type S3EnvNames,
  s3Credentials,
  s3CredentialsFromEnv,
} from "./credentials.js";
export { OSTOR_ERRORS } from "./errors.js";
export type * as OstorApi from "./generated/ostor.js";
export {
  createOstorClient,
  MalformedResponseError,
  type OstorAkSkFrom,
  type OstorAkSkInline,
  type OstorClient,
  type OstorClientCredentials,
  type OstorClientOptions,
  type OstorCredentialsSource,
  type OstorHelpers,
  type OstorListUsersParams,
  type OstorSignatureVersion,
  type OstorUserSelector,
  ostorOptionsFromEnv,
} from "./ostor.js";
export type {
  OstorAccessKey,
  OstorAccount,
  OstorRawUser,
  OstorRawUserDetail,
  OstorSpaceStat,
  OstorUser,
  OstorUserDetail,
  Sealed,
} from "./ostor-model.js";
export { ostorQuery, serializeOstorQuery } from "./ostor-query.js";
