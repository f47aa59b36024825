export {
  HUAWEI_ENV,
  type HuaweiCredentials,
  type HuaweiCredentialsInit,
  huaweiCredentials,
  huaweiCredentialsFromEnv,
} from "./credentials/huawei.js";
export {
  VSP_OBJECT_DEFAULT_CLIENT_ID,
  VSP_OBJECT_ENV,
  type VspOneObjectCredentials,
  type VspOneObjectCredentialsInit,
  type VspOneObjectTokenSourceOptions,
  vspOneObjectCredentials,
  vspOneObjectCredentialsFromEnv,
} from "./credentials/keycloak.js";
export {
  NCLOUD_ENV,
  type NcloudCredentials,
  type NcloudCredentialsInit,
  type NcloudTokenSourceOptions,
  ncloudCredentials,
  ncloudCredentialsFromEnv,
} from "./credentials/keystone.js";
export {
  OSTOR_ENV,
  type S3Credentials,
  type S3CredentialsInit,
  type S3EnvNames,
  s3Credentials,
  s3CredentialsFromEnv,
} from "./credentials/s3.js";
export { type XsrfSessionOptions, xsrfSession } from "./session/xsrf.js";
export {
  type AwsV4CanonicalParts,
  type AwsV4Credentials,
  type AwsV4CredentialsSource,
  type AwsV4Options,
  awsV4,
  awsV4CanonicalRequest,
  awsV4Signature,
  awsV4SignatureHeaders,
  awsV4StringToSign,
  signAwsV4Request,
} from "./signers/aws-v4.js";
export {
  type HuaweiAkSkOptions,
  type HuaweiCanonicalRequestParts,
  type HuaweiSigningCredentials,
  type HuaweiSignOptions,
  huaweiAkSk,
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiSignatureHeaders,
  huaweiStringToSign,
  signHuaweiRequest,
} from "./signers/huawei.js";
export {
  type OstorV2Credentials,
  type OstorV2CredentialsSource,
  type OstorV2Options,
  ostorV2,
  ostorV2SignatureHeaders,
  ostorV2StringToSign,
  signOstorV2Request,
} from "./signers/ostor-v2.js";
export type {
  CredentialsSource,
  RequestParts,
  RequestSignature,
} from "./signers/signing-step.js";
export {
  type KeycloakPasswordTokenOptions,
  keycloakPasswordToken,
  vspOneObjectTokenUrl,
} from "./tokens/keycloak.js";
export {
  type HuaweiIamTokenOptions,
  huaweiIamToken,
  type KeystoneRef,
  type KeystoneV3TokenOptions,
  keystoneV3Token,
  NCLOUD_KEYSTONE_ENDPOINT,
  type NcloudKeystoneTokenOptions,
  ncloudKeystoneToken,
} from "./tokens/keystone.js";
export {
  type CachedTokenSourceOptions,
  cachedTokenSource,
  checkTokenSource,
  DEFAULT_TOKEN_MARGIN_MS,
  staticToken,
  Token,
  type TokenCredentials,
  type TokenSource,
} from "./tokens/token.js";
export { bearerAuth, type TokenAuthOptions, tokenAuth } from "./tokens/token-auth.js";
