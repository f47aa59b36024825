/**
 * The request signers (Huawei SDK-HMAC-SHA256, AWS SigV4, S3 SigV2 as ostor checks it): one entry,
 * apart from the token flows, so a signing client loads no token code.
 */
export {
  checkHuaweiAccessKey,
  checkHuaweiProjectId,
  checkHuaweiSecretKey,
  checkHuaweiSecurityToken,
  type HuaweiCredentials,
} from "./credentials/huawei.js";
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
