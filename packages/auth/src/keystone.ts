/** OpenStack Keystone v3 password tokens, on their own entry so a client imports only its scheme. */
export {
  KEYSTONE_ERRORS,
  type KeystoneRef,
  type KeystoneV3TokenOptions,
  keystoneV3Token,
} from "./tokens/keystone.js";
