/**
 * A Keystone v3 token service (`/v3/auth/tokens`) that fakes can mount on their own server: the
 * password method with a project scope, `201` + `X-Subject-Token`, validation (`GET`/`HEAD`) and
 * revocation (`DELETE`), and Keystone's `{"error": {code, message, title}}` bodies. An independent
 * implementation: it is the oracle our Keystone clients are tested against.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { FakeResponse, RecordedRequest } from "../server.js";

/** A Keystone user that can be issued tokens. */
export interface KeystoneUser {
  id: string;
  /** The login name (NAVER: the access key id). */
  name: string;
  /** The password (NAVER: the secret key). */
  password: string;
  domainId: string;
  domainName: string;
  /** The projects the user has a role on (the only ones a token may be scoped to). */
  projectIds: string[];
}

/** A Keystone project. */
export interface KeystoneProject {
  id: string;
  name: string;
  domainId: string;
  domainName: string;
}

/** A token the service issued. */
export interface KeystoneToken {
  /** The token itself, as sent in `X-Subject-Token` / `X-Auth-Token`. */
  id: string;
  user: KeystoneUser;
  project: KeystoneProject;
  /** Fake-clock ms. */
  issuedAt: number;
  /** Fake-clock ms; the token is refused from this instant on. */
  expiresAt: number;
  /** The microseconds written after the milliseconds in `expires_at`/`issued_at` (Keystone prints µs). */
  micros: [number, number];
  auditId: string;
  revoked: boolean;
}

/** Options of {@link KeystoneService}. */
export interface KeystoneServiceOptions {
  users: KeystoneUser[];
  projects: KeystoneProject[];
  /** Token lifetime in ms. */
  ttlMs: number;
  /** The fake's clock (ms since epoch). */
  now: () => number;
  /** Refuse `user.domain.name` (401) and accept only `user.domain.id`, as NAVER reportedly does. */
  rejectDomainName?: boolean;
  /** The service catalog written into token bodies (omitted with `?nocatalog`). */
  catalog?: (project: KeystoneProject, baseUrl: string) => unknown[];
}

const TOKENS_PATH = "/v3/auth/tokens";

/** The status titles Keystone writes into error bodies. */
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
};

/** An in-memory Keystone v3 token service; call {@link KeystoneService.handle} from a fake's handler. */
export class KeystoneService {
  /** Every token issued, by token id (expired and revoked ones included). */
  readonly tokens = new Map<string, KeystoneToken>();
  readonly #options: KeystoneServiceOptions;

  constructor(options: KeystoneServiceOptions) {
    this.#options = options;
  }

  /** The token if it was issued here, is not revoked and has not expired; otherwise undefined. */
  validate(id: string | undefined): KeystoneToken | undefined {
    if (!id) return undefined;
    const token = this.tokens.get(id);
    if (!token || token.revoked || this.#options.now() >= token.expiresAt) return undefined;
    return token;
  }

  /** Makes every issued token expired as of now (the `expire-tokens` fault). */
  expireAll(): void {
    const now = this.#options.now();
    for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
  }

  /**
   * Answers `/v3/auth/tokens` (`POST` issue, `GET`/`HEAD` validate, `DELETE` revoke); undefined for
   * any other path so the caller can route it. `baseUrl` is the fake's own URL (for the catalog and
   * the `WWW-Authenticate` challenge).
   */
  handle(request: RecordedRequest, baseUrl: string): FakeResponse | undefined {
    const [path = "", query = ""] = splitTarget(request.target);
    if (path.replace(/\/+$/, "") !== TOKENS_PATH) return undefined;
    const params = new URLSearchParams(query);
    switch (request.method) {
      case "POST":
        return this.#issue(request, params, baseUrl);
      case "GET":
      case "HEAD":
        return this.#check(request, params, baseUrl);
      case "DELETE":
        return this.#revoke(request, baseUrl);
      default:
        return {
          ...keystoneError(405, `The method ${request.method} is not allowed for ${TOKENS_PATH}.`),
          headers: { ...jsonHeaders(), allow: "GET, HEAD, POST, DELETE" },
        };
    }
  }

  #issue(request: RecordedRequest, params: URLSearchParams, baseUrl: string): FakeResponse {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return keystoneError(400, "Malformed JSON in the request body.");
    }
    const auth = field(body, "auth");
    const identity = field(auth, "identity");
    const methods = field(identity, "methods");
    if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === "string")) {
      return keystoneError(
        400,
        "Invalid input for field 'identity/methods': expected a non-empty list of strings.",
      );
    }
    // Only the password method is configured here (as on NAVER); token/totp/... are refused.
    if (!methods.includes("password") || methods.length !== 1) {
      return unauthorized(baseUrl);
    }
    const user = field(field(identity, "password"), "user");
    if (!isObject(user) || typeof user.password !== "string") {
      return keystoneError(
        400,
        "Invalid input for field 'identity/password/user': 'password' is a required property.",
      );
    }
    const found = this.#findUser(user);
    if (found === "bad-request") {
      return keystoneError(
        400,
        "Expecting to find domain in user. The server could not comply with the request.",
      );
    }
    if (!found || found.password !== user.password) return unauthorized(baseUrl);

    const scope = field(auth, "scope");
    const projectRef = field(scope, "project");
    // Unscoped tokens are useless for Swift and NAVER documents the project scope as mandatory; the
    // answer to an unscoped request is not documented, so this fake refuses it like bad credentials.
    if (projectRef === undefined) return unauthorized(baseUrl);
    const project = this.#findProject(projectRef);
    if (project === "bad-request") {
      return keystoneError(
        400,
        "Expecting to find id or name in project. The server could not comply with the request.",
      );
    }
    if (!project || !found.projectIds.includes(project.id)) return unauthorized(baseUrl);

    const now = this.#options.now();
    const token: KeystoneToken = {
      id: `gAAAAA${randomBytes(135).toString("base64url")}`,
      user: found,
      project,
      issuedAt: now,
      expiresAt: now + this.#options.ttlMs,
      micros: [Math.floor(Math.random() * 1000), Math.floor(Math.random() * 1000)],
      auditId: randomBytes(16).toString("base64url").slice(0, 22),
      revoked: false,
    };
    this.tokens.set(token.id, token);
    return {
      status: 201,
      headers: { ...jsonHeaders(), "x-subject-token": token.id, vary: "X-Auth-Token" },
      body: JSON.stringify(this.#tokenBody(token, !params.has("nocatalog"), baseUrl)),
    };
  }

  #check(request: RecordedRequest, params: URLSearchParams, baseUrl: string): FakeResponse {
    if (!this.validate(request.headers["x-auth-token"])) return unauthorized(baseUrl);
    const subject = this.validate(request.headers["x-subject-token"]);
    if (!subject) {
      return keystoneError(404, "Failed to validate token");
    }
    const body = JSON.stringify(this.#tokenBody(subject, !params.has("nocatalog"), baseUrl));
    return {
      status: 200,
      headers: { ...jsonHeaders(), "x-subject-token": subject.id, vary: "X-Auth-Token" },
      body: request.method === "HEAD" ? undefined : body,
    };
  }

  #revoke(request: RecordedRequest, baseUrl: string): FakeResponse {
    if (!this.validate(request.headers["x-auth-token"])) return unauthorized(baseUrl);
    const subject = this.validate(request.headers["x-subject-token"]);
    if (!subject) return keystoneError(404, "Failed to validate token");
    subject.revoked = true;
    return { status: 204, headers: { "x-openstack-request-id": requestId() } };
  }

  #findUser(ref: Record<string, unknown>): KeystoneUser | undefined | "bad-request" {
    const users = this.#options.users;
    if (typeof ref.id === "string") return users.find((u) => u.id === ref.id);
    if (typeof ref.name !== "string") return "bad-request";
    const domain = ref.domain;
    if (!isObject(domain)) return "bad-request";
    if (typeof domain.id === "string")
      return users.find((u) => u.name === ref.name && u.domainId === domain.id);
    if (typeof domain.name === "string") {
      if (this.#options.rejectDomainName) return undefined;
      return users.find((u) => u.name === ref.name && u.domainName === domain.name);
    }
    return "bad-request";
  }

  #findProject(ref: unknown): KeystoneProject | undefined | "bad-request" {
    if (!isObject(ref)) return "bad-request";
    const projects = this.#options.projects;
    if (typeof ref.id === "string") return projects.find((p) => p.id === ref.id);
    if (typeof ref.name !== "string" || !isObject(ref.domain)) return "bad-request";
    const domain = ref.domain;
    return projects.find(
      (p) =>
        p.name === ref.name &&
        (p.domainId === domain.id || (!this.#options.rejectDomainName && p.domainName === domain.name)),
    );
  }

  #tokenBody(token: KeystoneToken, withCatalog: boolean, baseUrl: string): unknown {
    const { user, project } = token;
    return {
      token: {
        methods: ["password"],
        user: {
          domain: { id: user.domainId, name: user.domainName },
          id: user.id,
          name: user.name,
          password_expires_at: null,
        },
        audit_ids: [token.auditId],
        expires_at: keystoneTime(token.expiresAt, token.micros[0]),
        issued_at: keystoneTime(token.issuedAt, token.micros[1]),
        project: {
          domain: { id: project.domainId, name: project.domainName },
          id: project.id,
          name: project.name,
        },
        is_domain: false,
        roles: [{ id: "9fe2ff9ee4384b1894a90878d3e92bab", name: "_member_" }],
        ...(withCatalog && this.#options.catalog ? { catalog: this.#options.catalog(project, baseUrl) } : {}),
      },
    };
  }
}

/** Keystone's time format: ISO 8601 in UTC with microseconds, e.g. `2018-09-11T02:16:09.123456Z`. */
export function keystoneTime(ms: number, extraMicros = 0): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, millis: string) => {
    return `.${millis}${String(extraMicros).padStart(3, "0")}Z`;
  });
}

/** Keystone's error body: `{"error": {"code", "message", "title"}}`. */
export function keystoneError(status: number, message: string): FakeResponse {
  return {
    status,
    headers: jsonHeaders(),
    body: JSON.stringify({ error: { code: status, message, title: TITLES[status] ?? "Error" } }),
  };
}

function unauthorized(baseUrl: string): FakeResponse {
  const answer = keystoneError(401, "The request you have made requires authentication.");
  return { ...answer, headers: { ...answer.headers, "www-authenticate": `Keystone uri="${baseUrl}"` } };
}

function jsonHeaders(): Record<string, string> {
  return { "content-type": "application/json", "x-openstack-request-id": requestId() };
}

function requestId(): string {
  return `req-${randomUUID()}`;
}

function splitTarget(target: string): [string, string] {
  const at = target.indexOf("?");
  return at < 0 ? [target, ""] : [target.slice(0, at), target.slice(at + 1)];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined;
}
