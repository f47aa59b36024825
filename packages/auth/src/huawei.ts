/** Huawei Cloud's SDK-HMAC-SHA256 signing (AK/SK), on its own entry so a client imports only its scheme. */
export {
  checkHuaweiAccessKey,
  checkHuaweiProjectId,
  checkHuaweiSecretKey,
  checkHuaweiSecurityToken,
  type HuaweiCredentials,
} from "./credentials/huawei.js";
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
