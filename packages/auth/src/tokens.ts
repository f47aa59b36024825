/** Token sources and the token auth steps every token scheme shares. */

export type {
  CredentialsSource,
  RequestParts,
  RequestSignature,
} from "./signers/signing-step.js";
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
