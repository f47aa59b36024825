/** The CSRF double-submit cookie session, on its own entry so a client imports only its scheme. */
export { type XsrfSessionOptions, xsrfSession } from "./session/xsrf.js";
