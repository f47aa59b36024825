/**
 * S3-style key pairs (ostor system users, any SigV2/SigV4 store): from static values or from the
 * environment. Checked when made, so a bad key fails at client creation, not at the server. The secret
 * and the session token live in private fields: `util.inspect`, `JSON.stringify` and spreading never
 * show them.
 */
import { CredentialsError, type Env, processEnv, REDACTED, readEnvTable } from "@bucketry/core/internal";

/** An S3 access key pair, optionally with an STS session token (SigV4 only). */
export interface S3Credentials {
  /** The access key id, e.g. `b09693b73b3c7686A1B2`. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** A temporary session token, sent and signed as `x-amz-security-token` by SigV4. */
  readonly sessionToken?: string | undefined;
}

/** The values {@link s3Credentials} accepts. */
export interface S3CredentialsInit {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/**
 * The environment variables the ostor client reads: the system user's key pair, and the cluster's S3
 * endpoint (`OSTOR_ENDPOINT`, e.g. `https://s3.example.com`), which the client factory reads and checks.
 */
export const OSTOR_ENV = {
  accessKeyId: "OSTOR_ACCESS_KEY_ID",
  secretAccessKey: "OSTOR_SECRET_ACCESS_KEY",
  endpoint: "OSTOR_ENDPOINT",
} as const;

/** Which variable holds each credential, for {@link s3CredentialsFromEnv}. */
export interface S3EnvNames {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const INSPECT = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
// Key ids go into `Credential=<id>/…` (V4) and `AWS <id>:…` (V2): printable ASCII without `/` or `,`.
// A `:` is fine (servers split V2's header at the last one): Swift's s3api names keys `account:user`.
const ACCESS_KEY_ID = /^[\x21-\x7e]+$/;
const SEPARATORS = /[/,]/;

// In a pure wrapper, so a bundle that never makes these credentials drops the class (its computed
// `[INSPECT]` key would otherwise keep it).
const SealedS3Credentials = /* @__PURE__ */ (() =>
  class SealedS3Credentials implements S3Credentials {
    readonly accessKeyId: string;
    readonly #secretAccessKey: string;
    readonly #sessionToken: string | undefined;

    constructor(init: S3CredentialsInit) {
      this.accessKeyId = init.accessKeyId;
      this.#secretAccessKey = init.secretAccessKey;
      this.#sessionToken = init.sessionToken;
    }

    get secretAccessKey(): string {
      return this.#secretAccessKey;
    }

    get sessionToken(): string | undefined {
      return this.#sessionToken;
    }

    toJSON(): Record<string, string | undefined> {
      return {
        accessKeyId: this.accessKeyId,
        secretAccessKey: REDACTED,
        sessionToken: this.#sessionToken === undefined ? undefined : REDACTED,
      };
    }

    [INSPECT](): string {
      const fields = Object.entries(this.toJSON()).filter(([, value]) => value !== undefined);
      return `S3Credentials { ${fields.map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(", ")} }`;
    }
  })();

function seal(init: S3CredentialsInit, names: Required<S3EnvNames>): S3Credentials {
  const { accessKeyId, secretAccessKey, sessionToken } = init ?? {};
  if (typeof accessKeyId !== "string" || accessKeyId === "") {
    throw new CredentialsError(names.accessKeyId, "the access key id is missing");
  }
  if (!ACCESS_KEY_ID.test(accessKeyId) || SEPARATORS.test(accessKeyId)) {
    throw new CredentialsError(
      names.accessKeyId,
      "the access key id must be printable ASCII without spaces, '/', ',' or ':'",
    );
  }
  if (typeof secretAccessKey !== "string" || secretAccessKey === "") {
    throw new CredentialsError(names.secretAccessKey, "the secret access key is missing");
  }
  // A trailing newline from `$(cat key.txt)` would make every signature wrong.
  if (secretAccessKey.trim() !== secretAccessKey) {
    throw new CredentialsError(
      names.secretAccessKey,
      "the secret access key must not start or end with whitespace",
    );
  }
  if (sessionToken !== undefined && (typeof sessionToken !== "string" || !ACCESS_KEY_ID.test(sessionToken))) {
    throw new CredentialsError(names.sessionToken, "the session token must be non-empty printable ASCII");
  }
  return new SealedS3Credentials({ accessKeyId, secretAccessKey, sessionToken });
}

/** Static S3 credentials, validated now; errors name the option (`accessKeyId`, `secretAccessKey`, ...). */
export function s3Credentials(init: S3CredentialsInit): S3Credentials {
  return seal(init, {
    accessKeyId: "accessKeyId",
    secretAccessKey: "secretAccessKey",
    sessionToken: "sessionToken",
  });
}

/**
 * S3 credentials from the environment: by default ostor's `OSTOR_ACCESS_KEY_ID` and
 * `OSTOR_SECRET_ACCESS_KEY` ({@link OSTOR_ENV}); pass `names` for other variables. Errors name the variable.
 */
export function s3CredentialsFromEnv(env: Env = processEnv(), names: S3EnvNames = OSTOR_ENV): S3Credentials {
  const { accessKeyId, secretAccessKey, sessionToken } = readEnvTable(names, env);
  if (!accessKeyId) throw new CredentialsError(names.accessKeyId, "is not set");
  if (!secretAccessKey) throw new CredentialsError(names.secretAccessKey, "is not set");
  return seal({ accessKeyId, secretAccessKey, sessionToken }, { sessionToken: "sessionToken", ...names });
}
