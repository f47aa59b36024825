/** S3 Signature Version 2 as ostor checks it, on its own entry so a client imports only its scheme. */
export {
  type OstorV2Credentials,
  type OstorV2CredentialsSource,
  type OstorV2Options,
  ostorV2,
  ostorV2SignatureHeaders,
  ostorV2StringToSign,
  signOstorV2Request,
} from "./signers/ostor-v2.js";
