// Scaffolds a new provider (developer: `pnpm new-provider <name> [--service <service>] [--title <title>]`):
// its spec, the redocly.yaml entry, the package (factory, README, a first loopback test) and a first
// changeset, then installs and generates so the package starts from a green build. Exits 2 on bad input.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The provider package whose manifest and configs the new one copies. */
const TEMPLATE = "ncloud";
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** biome.json's line width: the templates break a line where Biome would. */
const LINE_WIDTH = JSON.parse(readFileSync(join(root, "biome.json"), "utf8")).formatter?.lineWidth ?? 80;
const USAGE = 'usage: pnpm new-provider <name> [--service <service>] [--title "<API title>"]';

class UsageError extends Error {}

try {
  const input = parseArgs(process.argv.slice(2));
  const plan = planProvider(input);
  writeFiles(plan);
  finish(plan);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`✘ ${error.message}\n${USAGE}\n`);
  process.exitCode = 2;
}

/** `{ name, service, title }` from the command line, or a UsageError. */
function parseArgs(args) {
  const options = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const match = /^--(service|title)(?:=(.*))?$/.exec(arg);
    if (match) {
      const value = match[2] ?? args[++i];
      if (value === undefined || value === "") throw new UsageError(`--${match[1]} needs a value`);
      options[match[1]] = value;
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) {
    throw new UsageError(positional.length === 0 ? "the provider name is missing" : "give one provider name");
  }
  const [name] = positional;
  const service = options.service ?? name;
  for (const [what, value] of [
    ["provider name", name],
    ["service name", service],
  ]) {
    if (!KEBAB.test(value) || value.length > 40) {
      throw new UsageError(
        `the ${what} ${JSON.stringify(value)} is not kebab-case (lowercase letters and digits in words joined by "-", starting with a letter, at most 40 characters), e.g. "acme" or "object-storage"`,
      );
    }
  }
  const title = options.title ?? `${words(name)}${service === name ? "" : ` ${words(service)}`} API`;
  if (/[\n\r`]/.test(title)) throw new UsageError("the title must be one line without backticks");
  return { name, service, title };
}

/** Every name and path of the new provider; refuses names that are taken. */
function planProvider({ name, service, title }) {
  const packageName = `@bucketry/${name}`;
  const apiKey = service === name ? name : `${name}-${service}`;
  const pascal = pascalCase(service);
  const plan = {
    name,
    service,
    title,
    packageName,
    apiKey,
    provider: apiKey,
    factory: `create${pascal}Client`,
    clientType: `${pascal}Client`,
    optionsType: `${pascal}ClientOptions`,
    bucketType: `${pascal}Bucket`,
    namespace: `${pascal}Api`,
    specPath: `specs/${name}/${service}.yaml`,
    packageDir: `packages/${name}`,
    generatedPath: `packages/${name}/src/generated/${service}.ts`,
    changesetPath: `.changeset/initial-release-${name}.md`,
  };

  const taken = [];
  const workspaceNames = workspaceManifests().map((m) => m.name);
  if (workspaceNames.includes(packageName) || workspaceNames.includes(name)) {
    taken.push(`a workspace package is already named ${packageName}`);
  }
  if (["bucketry", "core", "auth", "testing"].includes(name)) taken.push(`"${name}" is a shared package`);
  for (const path of [plan.packageDir, `specs/${name}`, plan.changesetPath]) {
    if (existsSync(join(root, path))) taken.push(`${path} already exists`);
  }
  const apis = parse(readFileSync(join(root, "redocly.yaml"), "utf8"))?.apis ?? {};
  if (apiKey in apis) taken.push(`redocly.yaml already has an API named ${apiKey}`);
  if (taken.length > 0) throw new UsageError(`cannot create provider "${name}": ${taken.join("; ")}`);
  return plan;
}

/** Writes the spec, the redocly.yaml entry, the package and the changeset. */
function writeFiles(plan) {
  const files = {
    [plan.specPath]: specYaml(plan),
    [`${plan.packageDir}/package.json`]: `${JSON.stringify(packageJson(plan), null, 2)}\n`,
    [`${plan.packageDir}/tsconfig.json`]: templateFile("tsconfig.json"),
    [`${plan.packageDir}/tsconfig.build.json`]: templateFile("tsconfig.build.json"),
    [`${plan.packageDir}/vitest.config.ts`]: templateFile("vitest.config.ts"),
    [`${plan.packageDir}/src/generated/README.md`]: templateFile("src/generated/README.md"),
    [`${plan.packageDir}/src/index.ts`]: indexTs(plan),
    [`${plan.packageDir}/src/${plan.service}.ts`]: clientTs(plan),
    [`${plan.packageDir}/test/${plan.service}.test.ts`]: clientTestTs(plan),
    [`${plan.packageDir}/test/types.test-d.ts`]: typesTestTs(plan),
    [`${plan.packageDir}/README.md`]: readme(plan),
    // The template ships the root LICENSE; so does the new package.
    ...(existsSync(join(root, "packages", TEMPLATE, "LICENSE")) && {
      [`${plan.packageDir}/LICENSE`]: readFileSync(join(root, "LICENSE"), "utf8"),
    }),
    [plan.changesetPath]: changeset(plan),
  };
  const redocly = withApiEntry(readFileSync(join(root, "redocly.yaml"), "utf8"), plan);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, "redocly.yaml"), redocly);
  log(`✔︎ wrote ${Object.keys(files).length} files and the redocly.yaml entry "${plan.apiKey}"`);
}

/** Links the new package, generates its client types and checks its code with Biome. */
function finish(plan) {
  const steps = [
    // Not frozen even under CI=true: the lockfile must gain the new package.
    ["pnpm install", ["pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile"]]],
    ["pnpm generate", ["pnpm", ["generate"]]],
    // A check, not --write: the templates are written as Biome formats them, and this says when one drifts.
    ["biome check", ["pnpm", ["exec", "biome", "check", plan.packageDir]]],
  ];
  for (const [index, [label, [command, args]]] of steps.entries()) {
    const started = Date.now();
    try {
      execFileSync(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    } catch (error) {
      log(`✘ [${index + 1}/${steps.length}] ${label} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
      log(`The files are written; fix the cause and run \`${command} ${args.join(" ")}\` again.`);
      process.exitCode = 1;
      return;
    }
    log(`✔︎ [${index + 1}/${steps.length}] ${label} (${Date.now() - started} ms)`);
  }
  log(
    [
      "",
      `${plan.packageName} is ready. Next:`,
      `  1. Model the real API in ${plan.specPath} (its description says what to replace), then \`pnpm generate\`.`,
      `  2. Build and test it: \`pnpm turbo run build test --filter=${plan.packageName}\`.`,
      "  3. Add it to the packages table of the root README; for `bucketry`, add an adapter in packages/bucketry.",
    ].join("\n"),
  );
}

/** redocly.yaml with the new API appended to `apis:` (text insertion keeps every comment). */
function withApiEntry(text, plan) {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => /^apis:\s*(#.*)?$/.test(line));
  if (start === -1) throw new Error("redocly.yaml has no top-level `apis:` block");
  // The block ends before the next top-level key (or at the end); trailing blank lines stay after it.
  let end = lines.findIndex((line, i) => i > start && /^[^\s#]/.test(line));
  if (end === -1) end = lines.length;
  while (end > start + 1 && lines[end - 1].trim() === "") end--;
  const entry = [
    `  ${plan.apiKey}:`,
    `    root: ./${plan.specPath}`,
    "    x-openapi-ts:",
    `      output: ./${plan.generatedPath}`,
  ];
  const updated = [...lines.slice(0, end), ...entry, ...lines.slice(end)].join("\n");
  const api = parse(updated)?.apis?.[plan.apiKey];
  if (api?.root !== `./${plan.specPath}` || api?.["x-openapi-ts"]?.output !== `./${plan.generatedPath}`) {
    throw new Error("could not add the API to redocly.yaml: its `apis:` block has an unexpected layout");
  }
  return updated;
}

/** The template provider's manifest, renamed, with only what the scaffolded code imports. */
function packageJson(plan) {
  const template = JSON.parse(templateFile("package.json"));
  const keep = (deps, names) =>
    Object.fromEntries(Object.entries(deps ?? {}).filter(([n]) => names.includes(n)));
  const out = {};
  for (const [key, value] of Object.entries(template)) {
    switch (key) {
      case "name":
        out.name = plan.packageName;
        break;
      case "version":
        out.version = "0.0.0";
        break;
      case "description":
        out.description = `Typed client for the ${plan.title}.`;
        break;
      case "keywords":
        out.keywords = [...new Set([...sharedProviderKeywords(), plan.name])];
        break;
      case "exports":
        out.exports = { ".": value["."], "./package.json": "./package.json" };
        break;
      case "dependencies":
        out.dependencies = keep(value, ["@bucketry/auth", "@bucketry/core", "openapi-fetch"]);
        break;
      case "devDependencies":
        out.devDependencies = Object.fromEntries(
          Object.entries(value).filter(([n]) => n !== "@bucketry/testing"),
        );
        break;
      default:
        out[key] = JSON.parse(JSON.stringify(value).replaceAll(`packages/${TEMPLATE}`, plan.packageDir));
    }
  }
  const leftover = JSON.stringify(out).match(new RegExp(`${TEMPLATE}|naver|swift|keystone`, "i"));
  if (leftover) {
    throw new Error(
      `packages/${TEMPLATE}/package.json has a provider-specific value ("${leftover[0]}") new-provider.mjs does not rewrite; teach packageJson() about it`,
    );
  }
  return out;
}

/** Keywords every existing provider package has (its own name aside). */
function sharedProviderKeywords() {
  const lists = ["hitachi", "huaweicloud", "ncloud", "virtuozzo"]
    .map((dir) => join(root, "packages", dir, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")).keywords ?? []);
  return lists.length === 0 ? [] : lists[0].filter((k) => lists.every((list) => list.includes(k)));
}

function templateFile(path) {
  const text = readFileSync(join(root, "packages", TEMPLATE, path), "utf8");
  if (path !== "package.json" && /ncloud|naver|swift/i.test(text)) {
    throw new Error(
      `packages/${TEMPLATE}/${path} is provider-specific now; new-provider.mjs copies it verbatim`,
    );
  }
  return text;
}

/** The manifests of the workspace's packages (pnpm-workspace.yaml's `dir` and `dir/*` patterns). */
function workspaceManifests() {
  const { packages: patterns = [] } = parse(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")) ?? {};
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = join(root, pattern.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((dir) => join(pattern.slice(0, -2), dir)) : [];
  });
  return dirs
    .map((dir) => join(root, dir, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")));
}

function specYaml(p) {
  return `openapi: 3.1.0
info:
  title: ${p.title}
  version: 1.0.0
  summary: Bucket listing for the ${p.title}.
  description: |
    Scaffolded by \`pnpm new-provider ${p.name}\` as a starting point: one token-authenticated
    operation that lists buckets, with the shape every Bucketry spec has (named schemas, examples,
    a 4xx answer, a security scheme). Replace this description with where the API is documented
    (the vendor's page and version) and every way this spec departs from it, then model the real
    operations, parameters and errors.
  contact:
    name: Bucketry maintainers
    url: https://github.com/bucketry/bucketry
  license:
    name: MIT
    identifier: MIT
servers:
  - url: https://{host}
    description: The API endpoint of one deployment or region.
    variables:
      host:
        default: ${p.name}.invalid
        description: Host name of the API endpoint (the \`.invalid\` placeholder must be replaced).
security:
  - authToken: []
tags:
  - name: Buckets
    description: Calls about buckets.
paths:
  /v1/buckets:
    get:
      operationId: listBuckets
      summary: List the buckets
      description: |
        Lists every bucket of the account the token belongs to, in one answer (the scaffold does not
        page; model the real API's pagination with \`x-pagination\` when it has one).
      tags:
        - Buckets
      responses:
        '200':
          description: The buckets of the account.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/BucketList'
              examples:
                twoBuckets:
                  summary: An account with two buckets
                  value:
                    buckets:
                      - name: backups
                        createdAt: '2024-05-01T12:00:00Z'
                      - name: logs
                        createdAt: '2024-06-15T08:30:00Z'
        '401':
          description: The token is missing, expired or not valid.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
              examples:
                invalidToken:
                  summary: A token the service does not accept
                  value:
                    code: Unauthorized
                    message: The token is not valid.
components:
  securitySchemes:
    authToken:
      type: apiKey
      in: header
      name: X-Auth-Token
      description: An API token, sent as is in the \`X-Auth-Token\` header of every request.
  schemas:
    BucketList:
      type: object
      description: The buckets of an account.
      additionalProperties: false
      required:
        - buckets
      properties:
        buckets:
          type: array
          description: Every bucket, in the order the service lists them.
          items:
            $ref: '#/components/schemas/Bucket'
    Bucket:
      type: object
      description: One bucket.
      additionalProperties: false
      required:
        - name
      properties:
        name:
          type: string
          description: The bucket name.
        createdAt:
          type: string
          format: date-time
          description: When the bucket was created (RFC 3339).
    Error:
      type: object
      description: The error body of every failed call.
      properties:
        code:
          type: string
          description: A machine-readable error code.
        message:
          type: string
          description: What went wrong.
`;
}

function indexTs(p) {
  const client = `./${p.service}.js`;
  const types = `./generated/${p.service}.js`;
  const names = [
    p.factory,
    constName(p),
    "staticToken",
    ...[
      p.bucketType,
      "CallOptions",
      p.clientType,
      p.optionsType,
      "Paginator",
      "TokenCredentials",
      "TokenSource",
    ].map((n) => `type ${n}`),
  ];
  const statements = {
    [client]: namedList("export", names, client),
    [types]: `export type * as ${p.namespace} from "${types}";`,
  };
  return `${sortedBySource(statements).join("\n")}\n`;
}

function constName(p) {
  return `${p.service.toUpperCase().replaceAll("-", "_")}_PROVIDER`;
}

function clientTs(p) {
  const PROVIDER = constName(p);
  const providerConst = fit(
    `export const ${PROVIDER} = "${p.provider}";`,
    `export const ${PROVIDER} =\n  "${p.provider}";`,
  );
  const signature = fit(
    `export function ${p.factory}(options: ${p.optionsType}): ${p.clientType} {`,
    `export function ${p.factory}(\n  options: ${p.optionsType},\n): ${p.clientType} {`,
  );
  return `/**
 * The ${p.title} client (spec ${p.specPath}).
 *
 * The typed openapi-fetch client, authenticated with a token in \`X-Auth-Token\`, sending through
 * the request pipeline every Bucketry client shares (retries, time limits, typed errors, events),
 * plus \`listBuckets()\`, a core \`Paginator\` that throws a typed \`ApiError\` instead of returning \`{ error }\`.
 */
import { checkTokenSource, type TokenCredentials, tokenAuth } from "@bucketry/auth/tokens";
import {
  answerMeta,
  type CallOptions,
  type ClientOptions,
  checkCallOptions,
  createApiClient,
  createPipeline,
  credentialsType,
  type ErrorFormat,
  expectOk,
  onePage,
  type Paginator,
  parseEndpoint,
  resolveOptions,
} from "@bucketry/core/internal";
import type { Client } from "openapi-fetch";
import type { components, paths } from "./generated/${p.service}.js";

// Re-exported so callers need no direct dependency on @bucketry/auth or @bucketry/core.
export { staticToken, type TokenCredentials, type TokenSource } from "@bucketry/auth/tokens";
export type { CallOptions, Paginator } from "@bucketry/core";

/** The provider name errors carry. */
${providerConst}

const LIST_BUCKETS = "listBuckets";

// The provider's own error reading: its request-id header, and a \`parse\` for a body shape core's
// generic reading (\`code\`/\`message\`, XML, text) does not cover.
const ERRORS: ErrorFormat = { requestId: "x-request-id" };

/** Options for {@link ${p.factory}}. */
export interface ${p.optionsType} extends ClientOptions {
  /** The API endpoint, e.g. \`https://${p.name}.invalid\`: an http(s) URL without query or credentials. */
  baseUrl: string;
  /** \`{ type: "token", source }\`: the token source (e.g. \`staticToken(token)\`) sent in \`X-Auth-Token\`. */
  credentials: TokenCredentials;
}

/** One bucket, as the service lists it. */
export type ${p.bucketType} = components["schemas"]["Bucket"];

/** The typed openapi-fetch client (raw calls are authenticated too) plus helpers. */
export type ${p.clientType} = Client<paths> & {
  /** Every bucket of the account, as a one-page \`Paginator\` (the API does not page); \`ApiError\` when refused. */
  listBuckets(options?: CallOptions): Paginator<${p.bucketType}, never>;
};

const CREDENTIAL_FORMS = { token: '{ type: "token", source: staticToken(token) }' };

/**
 * Creates the ${p.title} client. The options are checked first: a bad endpoint or an unknown option
 * throws \`InvalidInputError\`, bad credentials \`CredentialsError\`, and nothing is sent.
 */
${signature}
  const resolved = resolveOptions(options, {
    factory: "${p.factory}",
    keys: ["baseUrl", "credentials"],
  });
  const { secrets } = resolved.client;
  const baseUrl = parseEndpoint(options.baseUrl);
  credentialsType(options.credentials, CREDENTIAL_FORMS);
  const source = checkTokenSource(options.credentials.source);
  // Every call goes through core's pipeline: the token on every attempt, retries, time limits, events.
  const fetch = createPipeline(
    {
      provider: ${PROVIDER},
      steps: [tokenAuth(source, { secrets })],
      errors: ERRORS,
      describe: (method, path) =>
        method === "GET" && path.endsWith("/v1/buckets") ? { operation: LIST_BUCKETS } : undefined,
    },
    resolved.client,
  );
  const client = createApiClient<paths>(fetch, { baseUrl });
  const context = {
    provider: ${PROVIDER},
    operation: LIST_BUCKETS,
    request: { method: "GET", url: \`\${baseUrl}/v1/buckets\` },
    secrets,
    format: ERRORS,
  };

  return {
    ...client,
    listBuckets(call?: CallOptions): Paginator<${p.bucketType}, never> {
      const signal = checkCallOptions(call);
      return onePage(
        async (pageSignal) => {
          const result = await client.GET("/v1/buckets", { signal: pageSignal });
          const data = await expectOk(result, context);
          return { items: data.buckets, ...answerMeta(result.response, ERRORS) };
        },
        { signal, context },
      );
    },
  };
}
`;
}

function clientTestTs(p) {
  const slashClient = fit(
    `    const client = ${p.factory}({ baseUrl: \`\${baseUrl}/\`, credentials: token(TOKEN) });`,
    `    const client = ${p.factory}({\n      baseUrl: \`\${baseUrl}/\`,\n      credentials: token(TOKEN),\n    });`,
  );
  const refused = fit(
    `    expect(error).toMatchObject({ status: 401, provider: "${p.provider}", operation: "listBuckets" });`,
    `    expect(error).toMatchObject({\n      status: 401,\n      provider: "${p.provider}",\n      operation: "listBuckets",\n    });`,
  );
  return `/**
 * The ${p.title} client over real HTTP: a loopback server answers as the spec documents, and the
 * tests check what the client sends (method, path, the token header) and what it makes of each answer.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthenticationError, CredentialsError, InvalidInputError } from "@bucketry/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ${p.factory}, staticToken } from "../src/index.js";

const TOKEN = "scaffold-token-0123456789";
const token = (value: string) => ({ type: "token", source: staticToken(value) }) as const;
/** The spec's example answer. */
const BUCKETS = {
  buckets: [
    { name: "backups", createdAt: "2024-05-01T12:00:00Z" },
    { name: "logs", createdAt: "2024-06-15T08:30:00Z" },
  ],
};

interface Seen {
  method: string | undefined;
  url: string | undefined;
  token: string | string[] | undefined;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const token = request.headers["x-auth-token"];
    seen.push({ method: request.method, url: request.url, token });
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET" || request.url !== "/v1/buckets") {
      reply(404, { code: "NotFound", message: "No such resource." });
    } else if (token !== TOKEN) {
      reply(401, { code: "Unauthorized", message: \`The token \${String(token)} is not valid.\` });
    } else {
      reply(200, BUCKETS);
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  seen.length = 0;
});

describe("${p.factory}", () => {
  it("sends GET /v1/buckets with the token in X-Auth-Token and returns the typed body", async () => {
    const client = ${p.factory}({ baseUrl, credentials: token(TOKEN) });
    const { data, error, response } = await client.GET("/v1/buckets");
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(BUCKETS);
    expect(seen).toEqual([{ method: "GET", url: "/v1/buckets", token: TOKEN }]);
  });

  it("lists the buckets with listBuckets()", async () => {
${slashClient}
    await expect(client.listBuckets().all()).resolves.toEqual(BUCKETS.buckets);
    expect(seen.map((s) => s.url)).toEqual(["/v1/buckets"]);
  });

  it("throws AuthenticationError on 401, once, without the token in the error", async () => {
    const wrong = "wrong-token-9876543210";
    const client = ${p.factory}({ baseUrl, credentials: token(wrong) });
    const error = await client
      .listBuckets()
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
${refused}
    expect(\`\${String(error)} \${JSON.stringify(error)}\`).not.toContain(wrong);
    expect(seen).toHaveLength(1);
  });

  it("checks its options before anything is sent", () => {
    const invalid = [
      [{ baseUrl: "ftp://127.0.0.1", credentials: token(TOKEN) }, InvalidInputError],
      [{ baseUrl: \`\${baseUrl}?x=1\`, credentials: token(TOKEN) }, InvalidInputError],
      [{ baseUrl, credentials: token(TOKEN), baseURL: baseUrl }, InvalidInputError],
      [{ baseUrl, credentials: { type: "token", source: TOKEN } }, CredentialsError],
      [{ baseUrl, credentials: { source: staticToken(TOKEN) } }, CredentialsError],
    ] as const;
    for (const [options, error] of invalid) {
      expect(() => ${p.factory}(options as never)).toThrow(error);
    }
    expect(seen).toEqual([]);
  });
});
`;
}

function typesTestTs(p) {
  const imports = namedList(
    "import",
    [`type ${p.bucketType}`, p.factory, "type Paginator", "staticToken"],
    "../src/index.js",
  );
  const client = fit(
    `  const client = ${p.factory}({ baseUrl: "http://127.0.0.1:1", credentials });`,
    `  const client = ${p.factory}({\n    baseUrl: "http://127.0.0.1:1",\n    credentials,\n  });`,
  );
  return `/** Type tests (compiled by vitest's typecheck, never run): the generated types reach the caller. */
import { describe, expectTypeOf, it } from "vitest";
${imports}

// A short name keeps the assertions below within the line width whatever the service is called.
type Bucket = ${p.bucketType};
const credentials = { type: "token", source: staticToken("token") } as const;

describe("${p.factory} types", () => {
${client}

  it("types listBuckets() from the spec's Bucket schema", () => {
    expectTypeOf(client.listBuckets).returns.toEqualTypeOf<Paginator<Bucket, never>>();
    expectTypeOf<Bucket>().toEqualTypeOf<{ name: string; createdAt?: string }>();
  });

  it("rejects a path the spec does not have and missing credentials", () => {
    // @ts-expect-error: the spec has no such path
    void client.GET("/v1/not-in-the-spec");
    // @ts-expect-error: the credentials are required
    ${p.factory}({ baseUrl: "http://127.0.0.1:1" });
  });
});
`;
}

function readme(p) {
  return `# ${p.packageName}

Typed client for the ${p.title}, generated from [\`${p.specPath}\`](../../${p.specPath}).

## Install

\`\`\`sh
npm install ${p.packageName}
\`\`\`

${installNotes()}

## Platforms

Not in the runtime matrix yet: add a listing of this client to \`scripts/runtimes/checks.mjs\` and
run \`pnpm test:runtimes\`, then fill in this table from what it shows.

| platform | works | what it needs |
|---|---|---|
| Node.js \`^20.19.0 \\|\\| >=22.12.0\` | | |
| Deno | | |
| Bun | | |
| Cloudflare Workers (workerd) | | |
| browser | | what the endpoint must allow for CORS |

## Quick start

\`\`\`ts
import { ${p.factory}, staticToken } from "${p.packageName}";

const client = ${p.factory}({
  baseUrl: "https://${p.name}.invalid",
  credentials: { type: "token", source: staticToken(process.env.API_TOKEN ?? "") },
});
for await (const bucket of client.listBuckets()) console.log(bucket.name);

// Every operation of the spec is also there, typed, as openapi-fetch calls:
const { data, error } = await client.GET("/v1/buckets");
\`\`\`

## Auth

\`credentials\` is \`{ type: "token", source }\`, the same discriminated shape as every Bucketry
client's: the source's token is sent in the \`X-Auth-Token\` header of every request. \`staticToken(token)\`
(re-exported here) for a token as is, or any \`TokenSource\` that renews it: on a 401 the source is
asked for a new token once and the request is sent again.

## Errors

\`listBuckets()\` (a core \`Paginator\`: \`for await\`, or \`.all()\`) throws the \`ApiError\` family of \`@bucketry/core\`: \`AuthenticationError\` (401),
\`PermissionError\` (403), \`NotFoundError\` (404), \`RateLimitError\` (429), \`ServerError\` (5xx), each
with \`status\`, \`code\`, \`requestId\` and the body, secrets redacted. A bad \`baseUrl\` throws
\`InvalidInputError\` and bad credentials \`CredentialsError\` before anything is sent. Network failures
and time limits surface as \`ConnectionError\` and \`TimeoutError\`; idempotent calls are retried.
The raw \`client.GET(...)\` calls return openapi-fetch's \`{ data, error, response }\` instead.

## Pagination

\`GET /v1/buckets\` returns every bucket in one answer: \`listBuckets()\` is a one-page \`Paginator\`. When the API pages, record the style in the
spec (\`x-pagination\`) and walk it with \`paginate()\` from \`@bucketry/core\`.

## Generated code

\`src/generated/\` is generated by openapi-typescript from \`${p.specPath}\`: edit the spec and run
\`pnpm generate\`; never edit the generated files.

## License

MIT
`;
}

/** What the Install section says about Node.js and the module format, as the other providers do. */
function installNotes() {
  const { engines } = JSON.parse(templateFile("package.json"));
  const moduleFormat = /^## Module format$/m.test(readFileSync(join(root, "README.md"), "utf8"))
    ? " (see [Module format](../../README.md#module-format))"
    : "";
  return [
    `Node.js \`${engines?.node ?? ">=20.19"}\`. The package is ESM; \`require()\` works too on those Node versions${moduleFormat}.`,
    "It brings `@bucketry/auth`, `@bucketry/core` and `openapi-fetch` along, and no other provider.",
  ].join("\n");
}

function changeset(p) {
  return `---
"${p.packageName}": minor
---

Initial release: \`${p.factory}\`, a typed client for the ${p.title} with token auth.
`;
}

/** `line` if it fits the line width, else `broken` (the layout Biome prints instead). */
function fit(line, broken) {
  return line.split("\n").every((l) => l.length <= LINE_WIDTH) ? line : broken;
}

/** An import or export of named bindings, in Biome's order and layout (one line when it fits). */
function namedList(keyword, names, from) {
  const sorted = names.toSorted((a, b) => naturalCompare(a.replace(/^type /, ""), b.replace(/^type /, "")));
  return fit(
    `${keyword} { ${sorted.join(", ")} } from "${from}";`,
    `${keyword} {\n${sorted.map((n) => `  ${n},\n`).join("")}} from "${from}";`,
  );
}

/** The statements of `{ source: statement }` in Biome's order (one chunk of relative sources). */
function sortedBySource(statements) {
  return Object.keys(statements)
    .toSorted(naturalCompare)
    .map((source) => statements[source]);
}

/**
 * Biome's natural order (organizeImports): "/" < "." < "_" < "-" < numbers (by value) < letters,
 * letters alphabetically with each capital just before its small letter (A < a < B < b).
 */
function naturalCompare(a, b) {
  const key = (token) => {
    const symbol = "/._-".indexOf(token);
    if (symbol !== -1) return [symbol, 0];
    if (/^\d/.test(token)) return [4, Number(token)];
    const lower = token.toLowerCase();
    return [5, lower.charCodeAt(0) * 2 + (token === lower ? 1 : 0)];
  };
  const [ta, tb] = [a, b].map((s) => s.match(/\d+|./g) ?? []);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const [ka, kb] = [key(ta[i]), key(tb[i])];
    const order = ka[0] - kb[0] || ka[1] - kb[1];
    if (order !== 0) return order;
  }
  return ta.length - tb.length;
}

function words(kebab) {
  return kebab
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}

function pascalCase(kebab) {
  return words(kebab).replaceAll(" ", "");
}

function log(line) {
  // biome-ignore lint/suspicious/noConsole: this is a script
  console.log(line);
}
