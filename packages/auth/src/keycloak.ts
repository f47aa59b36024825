/** Keycloak (OpenID Connect) password-grant tokens, on their own entry so a client imports only its scheme. */
export {
  type KeycloakPasswordTokenOptions,
  keycloakPasswordToken,
  OAUTH_ERRORS,
} from "./tokens/keycloak.js";
