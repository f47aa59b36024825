// Scaffolds a new provider (developer: `pnpm new-provider <name> [--service <service>] [--title <title>]`)
// by copying the private example provider, packages/example and its spec specs/example/sample-store.yaml,
// renaming every identifier; adds the redocly.yaml entry and a first changeset, then installs, generates
// and formats so the package starts from a green build. The example is real code, built, linted and
// tested in every CI run, so what this copies is known to work. Exits 2 on bad input.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The example provider the new one is copied from. */
const EXAMPLE = {
  packageName: "@bucketry-internal/example",
  name: "example",
  service: "sample-store",
  title: "Sample Store API",
  apiKey: "example-sample-store",
};
/** Any name of the example left after renaming. */
const LEFTOVER =
  /bucketry-internal|sample[ _-]?store|(?:packages|specs)\/example\b|example\.invalid|example-only/i;
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** What is never copied: installs, builds, reports, and the generated code `pnpm generate` writes anew. */
const SKIP = new Set(["node_modules", "dist", ".test-results", ".turbo"]);
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
    factory: `create${pascal}Client`,
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
  if (["bucketry", "core", "auth", "testing", EXAMPLE.name].includes(name)) {
    taken.push(`"${name}" is a shared package`);
  }
  for (const path of [plan.packageDir, `specs/${name}`, plan.changesetPath]) {
    if (existsSync(join(root, path))) taken.push(`${path} already exists`);
  }
  const apis = parse(readFileSync(join(root, "redocly.yaml"), "utf8"))?.apis ?? {};
  if (apiKey in apis) taken.push(`redocly.yaml already has an API named ${apiKey}`);
  if (taken.length > 0) throw new UsageError(`cannot create provider "${name}": ${taken.join("; ")}`);
  return plan;
}

/** Copies the example's spec and package, renamed, and writes the redocly.yaml entry and the changeset. */
function writeFiles(plan) {
  const files = {
    [plan.specPath]: renamed(
      readFileSync(join(root, `specs/${EXAMPLE.name}/${EXAMPLE.service}.yaml`), "utf8"),
      plan,
    ),
    [plan.changesetPath]: changeset(plan),
  };
  const from = join(root, "packages", EXAMPLE.name);
  for (const path of exampleFiles(from)) {
    const target = `${plan.packageDir}/${path.replaceAll(EXAMPLE.service, plan.service)}`;
    const text = readFileSync(join(from, path), "utf8");
    files[target] = path === "package.json" ? packageJson(text, plan) : renamed(text, plan);
  }
  for (const [path, text] of Object.entries(files)) {
    const leftover = LEFTOVER.exec(text);
    if (leftover) {
      throw new Error(
        `${path} would keep the example's "${leftover[0]}": teach renamed() in scripts/new-provider.mjs about it`,
      );
    }
  }
  const redocly = withApiEntry(readFileSync(join(root, "redocly.yaml"), "utf8"), plan);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, "redocly.yaml"), redocly);
  log(`✔︎ wrote ${Object.keys(files).length} files and the redocly.yaml entry "${plan.apiKey}"`);
}

/** The example package's files (relative paths), without installs, builds and generated code. */
function exampleFiles(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (SKIP.has(entry.name)) return [];
    if (entry.isDirectory()) return exampleFiles(dir, path);
    return prefix === "src/generated" && entry.name.endsWith(".ts") ? [] : [path];
  });
}

/** The example's text with each of its names replaced by the new provider's (longest first). */
function renamed(text, plan) {
  const constant = plan.service.toUpperCase().replaceAll("-", "_");
  const pascal = pascalCase(plan.service);
  return text
    .replace(/<!-- example-only -->[\s\S]*?<!-- \/example-only -->\n\n?/g, "")
    .replaceAll(EXAMPLE.packageName, plan.packageName)
    .replaceAll(EXAMPLE.apiKey, plan.apiKey)
    .replaceAll(`specs/${EXAMPLE.name}/`, `specs/${plan.name}/`)
    .replaceAll(`packages/${EXAMPLE.name}`, plan.packageDir)
    .replaceAll(`${EXAMPLE.name}.invalid`, `${plan.name}.invalid`)
    .replaceAll(EXAMPLE.title, plan.title)
    .replaceAll(EXAMPLE.service, plan.service)
    .replaceAll("SAMPLE_STORE", constant)
    .replaceAll("SampleStore", pascal)
    .replaceAll("sampleStore", pascal[0].toLowerCase() + pascal.slice(1))
    .replaceAll("Sample Store", words(plan.service));
}

/** The example's manifest for the new package: public, its own name, description and keywords. */
function packageJson(text, plan) {
  const { private: _private, ...manifest } = JSON.parse(renamed(text, plan));
  manifest.version = "0.0.0";
  manifest.description = `Typed client for the ${plan.title}.`;
  manifest.keywords = [...new Set([...manifest.keywords.filter((k) => k !== EXAMPLE.name), plan.name])];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Links the new package, generates its client types and checks its code with Biome. */
function finish(plan) {
  const steps = [
    // Not frozen even under CI=true: the lockfile must gain the new package.
    ["pnpm install", ["pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile"]]],
    ["pnpm generate", ["pnpm", ["generate"]]],
    // New names have new lengths and sort elsewhere: Biome lays the copy out again, then checks it.
    ["biome format", ["pnpm", ["exec", "biome", "check", "--write", plan.packageDir]]],
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

function changeset(p) {
  return `---
"${p.packageName}": minor
---

Initial release: \`${p.factory}\`, a typed client for the ${p.title} with token auth.
`;
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
