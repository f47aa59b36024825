/**
 * Token sources (static, Keystone v3, Keycloak's password grant), the token steps and the CSRF
 * cookie session: one entry, apart from the signers, so a token client loads no signing code.
 */

export { type XsrfSessionOptions, xsrfSession } from "./session/xsrf.js";
export {
  type KeycloakPasswordTokenOptions,
  keycloakPasswordToken,
  OAUTH_ERRORS,
} from "./tokens/keycloak.js";
export {
  KEYSTONE_ERRORS,
  type KeystoneRef,
  type KeystoneV3TokenOptions,
  keystoneV3Token,
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
