/**
 * `pnpm new-provider` (scripts/new-provider.mjs) in a scratch copy of the repository: bad names exit 2
 * and write nothing; a good one copies the private example provider (packages/example) into a sixth
 * provider whose spec passes the strict Redocly rules, whose package builds and passes its own tests
 * through turbo, exactly as a developer's next command (`pnpm turbo run build test --filter=…`) would
 * run it, packs, and whose client has the options and helpers of the five real ones.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { facadeAdapters, publishablePackages } from "../scripts/packages.mjs";
import { copyPaths, readJson, removeScratch, repoFiles, repoRoot, scratchDir } from "./repo-copy.js";

const run = promisify(execFile);

/**
 * Where this machine keeps packages and how it reaches the registry: the nested pnpm must use the same
 * (turbo.json passes the store, cache and registry variables through to this test).
 */
const MACHINE_CONFIG =
  /^(npm|pnpm)_config_(store_dir|cache_dir|registry|userconfig|https?_proxy|proxy|noproxy|strict_ssl|cafile)$/i;

/**
 * The environment for commands in the copy: without the variables of the pnpm, turbo and vitest that
 * run this test (they describe *this* run and would confuse the nested ones), except MACHINE_CONFIG.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const runOwn = /^(npm_|pnpm_|turbo_|vitest|__vitest|node_env$|node_options$)/i.test(key);
    if (!runOwn || MACHINE_CONFIG.test(key)) env[key] = value;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", ...extra };
}

/**
 * This checkout's turbo cache. A linked git worktree has none of its own: turbo uses the main
 * checkout's, next to the common .git directory.
 */
function turboCacheDir(): string {
  const gitDir = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  return process.env.TURBO_CACHE_DIR ?? join(dirname(gitDir), ".turbo", "cache");
}

/** `{ status, output }` of a command in `cwd`, failing or not. */
async function attempt(
  cwd: string,
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: cleanEnv(extraEnv),
      maxBuffer: 32 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      status: typeof e.code === "number" ? e.code : -1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    };
  }
}

/** A scratch copy of the repository's files (no node_modules, dist or caches), and their list. */
function copyRepo(label: string): { dir: string; files: string[] } {
  const dir = scratchDir(label);
  const files = repoFiles();
  copyPaths(files, dir);
  return { dir, files };
}

describe("the example provider the scaffold copies", () => {
  it("is private: never packed by the release checks, never an adapter or dependency of the facade", () => {
    const example = readJson(join(repoRoot, "packages/example/package.json"));
    expect(example).toMatchObject({ name: "@bucketry-internal/example", private: true });
    expect(publishablePackages().map((pkg) => pkg.name)).not.toContain(example.name);
    expect(publishablePackages().length).toBeGreaterThanOrEqual(8);
    expect((facadeAdapters() ?? []).map((adapter) => adapter.packageName)).not.toContain(example.name);
    expect(JSON.stringify(readJson(join(repoRoot, "packages/bucketry/package.json")))).not.toContain(
      example.name,
    );
  });
});

describe("pnpm new-provider refuses bad input and writes nothing", () => {
  let dir: string;
  let filesBefore: string[];
  const scaffold = (...args: string[]) =>
    attempt(dir, process.execPath, ["scripts/new-provider.mjs", ...args]);

  beforeAll(() => {
    ({ dir, files: filesBefore } = copyRepo("new-provider-input"));
    // It stops before installing anything, so the root's node_modules (for its `yaml` import) is shared.
    symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  });
  afterAll(() => removeScratch(dir));

  it.each([
    ["an upper-case name", ["Acme"], /"Acme" is not kebab-case/],
    ["a name with an underscore", ["acme_cloud"], /"acme_cloud" is not kebab-case/],
    ["a name starting with a digit", ["3par"], /"3par" is not kebab-case/],
    ["a trailing hyphen", ["acme-"], /"acme-" is not kebab-case/],
    [
      "a bad service name",
      ["acme", "--service", "Object_Store"],
      /service name "Object_Store" is not kebab-case/,
    ],
    [
      "an existing provider",
      ["ncloud"],
      /cannot create provider "ncloud": .*already named @bucketry\/ncloud/,
    ],
    ["a shared package's name", ["core"], /"core" is a shared package/],
    ["the example's own name", ["example"], /"example" is a shared package/],
    ["no name", [], /the provider name is missing/],
    ["two names", ["acme", "other"], /give one provider name/],
    ["an unknown option", ["acme", "--force"], /unknown option --force/],
  ])("refuses %s with exit code 2", async (_, args, message) => {
    const redocly = readFileSync(join(dir, "redocly.yaml"), "utf8");
    const result = await scaffold(...args);
    expect(result.status, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("usage: pnpm new-provider <name>");
    expect(readFileSync(join(dir, "redocly.yaml"), "utf8")).toBe(redocly);
    expect(existsSync(join(dir, "packages", String(args[0] ?? "none")))).toBe(
      existsSync(join(repoRoot, "packages", String(args[0] ?? "none"))),
    );
  });

  it("exits 2 through the root script too", async () => {
    const result = await attempt(dir, "pnpm", ["new-provider", "Acme"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"Acme" is not kebab-case/);
  });

  it("left the copy as it was", () => {
    expect(filesBefore.every((file) => existsSync(join(dir, file)))).toBe(true);
    expect(existsSync(join(dir, ".changeset", "initial-release-acme.md"))).toBe(false);
  });
});

/** Two installs that may download the whole workspace's dependencies into an empty store. */
const INSTALL_TIMEOUT = 300_000;

describe("pnpm new-provider acme-cloud --service object-store", () => {
  const name = "acme-cloud";
  const pkgDir = `packages/${name}`;
  let dir: string;
  let redoclyBefore: string;
  let lockfileBefore: string;
  let scaffold: Awaited<ReturnType<typeof attempt>>;
  const timings: Record<string, number> = {};
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[label] = Math.round(performance.now() - started);
    }
  };

  beforeAll(async () => {
    dir = await timed("copy", async () => copyRepo("new-provider").dir);
    redoclyBefore = readFileSync(join(dir, "redocly.yaml"), "utf8");
    lockfileBefore = readFileSync(join(dir, "pnpm-lock.yaml"), "utf8");
    // A developer's checkout, installed from the lockfile. Never a link to this repository's
    // node_modules: the scaffolder installs again, and must not touch the real one. Not --offline: an
    // empty store (a fresh CI machine) must be filled from the registry.
    const install = await timed("install", () =>
      attempt(dir, "pnpm", ["install", "--frozen-lockfile", "--prefer-offline"]),
    );
    if (install.status !== 0)
      throw new Error(`pnpm install failed in the copy:\n${install.stdout}${install.stderr}`);
    // The script itself runs `pnpm install` again (resolving the new package, so it needs registry
    // metadata no frozen install leaves behind), `pnpm generate` and a Biome check.
    scaffold = await timed("scaffold", () =>
      attempt(dir, "pnpm", ["new-provider", name, "--service", "object-store"]),
    );
  }, INSTALL_TIMEOUT);
  afterAll(() => {
    // biome-ignore lint/suspicious/noConsole: the timings are the point of this line
    console.info(`new-provider timings (ms): ${JSON.stringify(timings)}`);
    removeScratch(dir);
  });

  it("scaffolds, installs and generates", () => {
    expect(scaffold.status, scaffold.stdout + scaffold.stderr).toBe(0);
    expect(scaffold.stdout).toContain("@bucketry/acme-cloud is ready");
    for (const file of [
      "specs/acme-cloud/object-store.yaml",
      `${pkgDir}/package.json`,
      `${pkgDir}/tsconfig.json`,
      `${pkgDir}/tsconfig.build.json`,
      `${pkgDir}/vitest.config.ts`,
      `${pkgDir}/README.md`,
      `${pkgDir}/src/index.ts`,
      `${pkgDir}/src/object-store.ts`,
      `${pkgDir}/src/generated/README.md`,
      `${pkgDir}/src/generated/object-store.ts`,
      `${pkgDir}/src/generated/object-store-rules.ts`,
      `${pkgDir}/test/object-store.test.ts`,
      `${pkgDir}/test/types.test-d.ts`,
      ".changeset/initial-release-acme-cloud.md",
      ...(existsSync(join(repoRoot, "packages/example/LICENSE")) ? [`${pkgDir}/LICENSE`] : []),
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, `${pkgDir}/src/object-store.ts`), "utf8")).toContain(
      "export function createObjectStoreClient(",
    );
    // Linked into the workspace by the install.
    expect(existsSync(join(dir, pkgDir, "node_modules", "@bucketry", "core", "package.json"))).toBe(true);
    // The new importer and nothing else: other changes mean the committed lockfile is not what pnpm
    // writes (it lacked other platforms' binaries once), and they change turbo's hashes.
    const lockfile = readFileSync(join(dir, "pnpm-lock.yaml"), "utf8");
    expect(lockfile).toContain(`\n  ${pkgDir}:\n`);
    expect(lockfile.replace(new RegExp(`^  ${pkgDir}:\n(?: {4}.*\n)*\n`, "m"), "")).toBe(lockfileBefore);
  });

  it("adds the API to redocly.yaml without touching the rest (comments included)", () => {
    const after = readFileSync(join(dir, "redocly.yaml"), "utf8");
    const added = after.split("\n").filter((line) => !redoclyBefore.split("\n").includes(line));
    expect(added).toEqual([
      "  acme-cloud-object-store:",
      "    root: ./specs/acme-cloud/object-store.yaml",
      "      output: ./packages/acme-cloud/src/generated/object-store.ts",
    ]);
    const beforeLines = redoclyBefore.trimEnd().split("\n");
    expect(after.split("\n").slice(0, beforeLines.length)).toEqual(beforeLines);
    const apis = parse(after).apis as Record<string, { root: string; "x-openapi-ts": { output: string } }>;
    expect(apis["acme-cloud-object-store"]).toEqual({
      root: "./specs/acme-cloud/object-store.yaml",
      "x-openapi-ts": { output: "./packages/acme-cloud/src/generated/object-store.ts" },
    });
    expect(Object.keys(apis).slice(0, -1)).toEqual(Object.keys(parse(redoclyBefore).apis));
  });

  it("writes a manifest shaped like the other providers' and a first changeset", () => {
    const manifest = readJson(join(dir, pkgDir, "package.json"));
    const template = readJson(join(repoRoot, "packages/ncloud/package.json"));
    expect(Object.keys(manifest)).toEqual(Object.keys(template));
    expect(manifest.private).toBeUndefined();
    expect(manifest).toMatchObject({
      name: "@bucketry/acme-cloud",
      version: "0.0.0",
      dependencies: {
        "@bucketry/auth": "workspace:^",
        "@bucketry/core": "workspace:^",
        "openapi-fetch": template.dependencies?.["openapi-fetch"],
      },
    });
    expect(Object.keys(manifest.exports as object)).toEqual([".", "./package.json"]);
    expect(JSON.stringify(manifest)).not.toMatch(/ncloud|naver|swift|internal|sample/i);
    expect(readFileSync(join(dir, ".changeset/initial-release-acme-cloud.md"), "utf8")).toMatch(
      /^---\n"@bucketry\/acme-cloud": minor\n---\n\nInitial release: `createObjectStoreClient`/,
    );
  });

  it("writes a spec that passes the strict Redocly rules", async () => {
    const lint = await timed("lint", () =>
      attempt(dir, "pnpm", ["exec", "redocly", "lint", "acme-cloud-object-store", "--format=stylish"]),
    );
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout + lint.stderr).toContain("Your API description is valid");
    expect(lint.stdout + lint.stderr).not.toMatch(/You have \d+ warnings?/);
  });

  it("writes code Biome finds nothing to change in", async () => {
    const biome = await attempt(dir, "pnpm", ["exec", "biome", "check", pkgDir, "scripts/new-provider.mjs"]);
    expect(biome.status, biome.stdout + biome.stderr).toBe(0);
  });

  it("builds, type-checks its tests and passes them through turbo (drift check included)", async () => {
    // Read-only use of this run's turbo cache: core and auth come from it when this run built them.
    const turbo = await timed("build+test", () =>
      attempt(
        dir,
        "pnpm",
        [
          "exec",
          "turbo",
          "run",
          "build",
          "typecheck",
          "test",
          `--filter=@bucketry/${name}`,
          "--cache=local:r",
          "--output-logs=errors-only",
        ],
        { TURBO_CACHE_DIR: turboCacheDir() },
      ),
    );
    expect(turbo.status, turbo.stdout + turbo.stderr).toBe(0);
    // One bundled file for the entry; declarations per module.
    for (const file of ["index.js", "index.d.ts", "object-store.d.ts", "generated/object-store.d.ts"]) {
      expect(existsSync(join(dir, pkgDir, "dist", file)), `dist/${file}`).toBe(true);
    }
    const report = readJson<{
      numPassedTests: number;
      numFailedTests: number;
      testResults: { name: string }[];
    }>(join(dir, pkgDir, ".test-results", "vitest.json"));
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(5);
    expect(report.testResults.map((r) => r.name.split("/").at(-1)).sort()).toEqual([
      "object-store.test.ts",
      "types.test-d.ts",
    ]);
  });
  it("packs into a tarball that publint and attw (esm-only) pass, with the README and LICENSE", async () => {
    const packDir = join(dir, ".packed");
    const pack = await attempt(join(dir, pkgDir), "pnpm", ["pack", "--pack-destination", packDir]);
    expect(pack.status, pack.stdout + pack.stderr).toBe(0);
    const tarball = join(packDir, "bucketry-acme-cloud-0.0.0.tgz");
    expect(existsSync(tarball)).toBe(true);
    const bin = (tool: string) => join(dir, "tools", "release-checks", "node_modules", ".bin", tool);
    const publint = await attempt(dir, bin("publint"), ["run", tarball]);
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain("All good!");
    const attw = await attempt(dir, bin("attw"), [tarball, "--profile", "esm-only"]);
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
    const list = await attempt(dir, "tar", ["-tzf", tarball]);
    expect(list.stdout.split("\n")).toEqual(
      expect.arrayContaining(["package/README.md", "package/package.json", "package/dist/index.js"]),
    );
    if (existsSync(join(repoRoot, "packages/example/LICENSE")))
      expect(list.stdout).toContain("package/LICENSE");
  });

  it("has a client with the options shape and helpers of the five real providers", () => {
    const real = REAL_FACTORIES.map(([module, factory]) => shapeOf(module, factory));
    const scaffolded = shapeOf(join(dir, pkgDir, "dist", "index.js"), "createObjectStoreClient");
    for (const shape of [...real, scaffolded]) {
      // Core's shared options, declared once (ClientOptions): the same names and types everywhere.
      expect(shape.options, shape.factory).toMatchObject(real[0]!.shared);
      expect(shape.shared, shape.factory).toEqual(real[0]!.shared);
      // One discriminated credentials option, required, every form naming its `type`.
      expect(shape.credentials, shape.factory).toEqual({ required: true, discriminated: true });
      // Every list*() is a Paginator; every helper's last parameter is core's CallOptions.
      expect(shape.lists.length, shape.factory).toBeGreaterThan(0);
      expect(shape.callOptions.length, shape.factory).toBeGreaterThan(0);
      for (const list of shape.lists) expect(list, shape.factory).toMatch(/^list\w+ → Paginator</);
      for (const helper of shape.callOptions)
        expect(helper, shape.factory).toMatch(/: CallOptions( \| undefined)?$/);
    }
    expect(Object.keys(scaffolded.options).sort()).toEqual(["baseUrl", "credentials", ...SHARED].sort());
  });
});

/** The five real factories and the module each is imported from (this workspace's built packages). */
const REAL_FACTORIES = [
  ["@bucketry/hitachi", "createVspOneObjectClient"],
  ["@bucketry/huaweicloud/mpc", "createMpcClient"],
  ["@bucketry/huaweicloud/dbss", "createDbssClient"],
  ["@bucketry/ncloud", "createArchiveStorageClient"],
  ["@bucketry/virtuozzo", "createOstorClient"],
] as const;

/** Core's ClientOptions: what every factory takes besides its endpoint and credentials. */
const SHARED = ["fetch", "retry", "timeout", "headers", "onEvent", "limiter"];

interface Shape {
  factory: string;
  /** Every option: its declared type as the compiler prints it, `?` when optional. */
  options: Record<string, string>;
  shared: Record<string, string>;
  credentials: { required: boolean; discriminated: boolean };
  /** `listX → <return type>` for each list*() helper. */
  lists: string[];
  /** `helper: <type of the last parameter>` for each helper taking per-call options. */
  callOptions: string[];
}

/** What the compiler sees of `factory` exported by `module` (a package name or a built file). */
function shapeOf(module: string, factory: string): Shape {
  const file = join(repoRoot, "tools", "release-checks", "test", `__shape_${factory}.ts`);
  const source = `import { ${factory} } from ${JSON.stringify(module)};\nexport const f = ${factory};\n`;
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(file)!;
  const problems = ts
    .getPreEmitDiagnostics(program, sourceFile)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(problems, `${factory} from ${module}`).toEqual([]);
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile)!)[0]!;
  const signature = checker.getTypeOfSymbol(exported).getCallSignatures()[0]!;
  const print = (type: ts.Type) => checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
  const optionsType = checker.getTypeOfSymbol(signature.getParameters()[0]!);
  const described: Record<string, string> = {};
  for (const property of checker.getPropertiesOfType(optionsType)) {
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    described[property.name] = `${optional ? "?" : ""}${print(checker.getTypeOfSymbol(property))}`;
  }
  const credentials = checker.getPropertyOfType(optionsType, "credentials");
  const forms = credentials ? checker.getNonNullableType(checker.getTypeOfSymbol(credentials)) : undefined;
  const members = forms ? (forms.isUnion() ? forms.types : [forms]) : [];
  const discriminated =
    members.length > 0 &&
    members.every((member) => {
      const type = checker.getPropertyOfType(member, "type");
      if (type === undefined) return false;
      // A literal, or literals (NAVER's `from` form takes the kind its credentials hold).
      const literal = checker.getTypeOfSymbol(type);
      return (literal.isUnion() ? literal.types : [literal]).every((t) => t.isStringLiteral());
    });
  const client = signature.getReturnType();
  const lists: string[] = [];
  const callOptions: string[] = [];
  for (const property of checker.getPropertiesOfType(client)) {
    if (/^[A-Z]+$/.test(property.name)) continue; // openapi-fetch's GET, POST, ...
    const helper = checker.getTypeOfSymbol(property).getCallSignatures()[0];
    if (!helper) continue;
    // listBucketsPage (Hitachi) fetches one page by token: a page, not a listing.
    if (property.name.startsWith("list") && !property.name.endsWith("Page"))
      lists.push(`${property.name} → ${print(helper.getReturnType())}`);
    const last = helper.getParameters().at(-1);
    if (last?.name === "options" || last?.name === "callOptions" || last?.name === "call") {
      callOptions.push(`${property.name}: ${print(checker.getTypeOfSymbol(last))}`);
    }
  }
  return {
    factory,
    options: described,
    shared: Object.fromEntries(SHARED.map((key) => [key, described[key] ?? "(missing)"])),
    credentials: {
      required: credentials !== undefined && !described.credentials?.startsWith("?"),
      discriminated,
    },
    lists,
    callOptions,
  };
}
