/** AWS Signature Version 4, on its own entry so a client imports only its scheme. */
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
