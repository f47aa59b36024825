/**
 * How adapters reach their provider package: a dynamic `import()`, made once and only when a source
 * is first used, so `bucketry` itself never requires a provider to be installed. A failed import of
 * the provider package itself becomes a `MissingProviderError` that says what to install.
 */
import { InvalidInputError } from "@bucketry/core";
import { MissingProviderError } from "../errors.js";

/** Options every adapter's source factory takes besides the provider client's own. */
export interface AdapterOptions<Module> {
  /** A label for output and errors, unique among the sources listed together; the provider name by default. */
  name?: string | undefined;
  /**
   * Loads the provider package; a dynamic `import()` of it by default. Pass your own when a bundler
   * needs a static import (`loader: async () => provider`), or to simulate a missing package in tests.
   */
  loader?: (() => Promise<Module>) | undefined;
}

/** The provider module, loaded once; a missing package rejects with {@link MissingProviderError}. */
export function providerLoader<Module>(
  adapter: string,
  packageName: string,
  load: () => Promise<Module>,
): () => Promise<Module> {
  let loading: Promise<Module> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      throw isMissing(error, packageName)
        ? new MissingProviderError(adapter, packageName, { cause: error })
        : error;
    });
    return loading;
  };
}

/** The provider's client, made once from the loaded module (a bad option rejects every call alike). */
export function lazyClient<Module, Client>(
  load: () => Promise<Module>,
  make: (module: Module) => Client,
): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () => {
    client ??= load().then(make);
    return client;
  };
}

/** Checks an adapter's `name` and `loader` options; returns the name to use. */
export function checkAdapterOptions(options: unknown, fallbackName: string): string {
  if (options === null || typeof options !== "object") {
    throw new InvalidInputError("options", "must be an object with the provider client's options");
  }
  const { name, loader } = options as AdapterOptions<unknown>;
  if (loader !== undefined && typeof loader !== "function") {
    throw new InvalidInputError("loader", "must be a function returning a promise of the provider module");
  }
  if (name === undefined) return fallbackName;
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidInputError("name", "must be a non-empty string");
  }
  return name;
}

// Node: ERR_MODULE_NOT_FOUND ("Cannot find package 'x'"); CommonJS and webpack: MODULE_NOT_FOUND;
// Vite and browsers: "Failed to resolve module specifier". Only a failure that names this package
// counts: a provider that is installed but broken (its own dependency missing) is reported as is.
function isMissing(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const names = [`'${packageName}'`, `"${packageName}"`, `'${packageName}/`, `"${packageName}/`];
  const named = names.some((name) => error.message.includes(name));
  const notFound =
    code === "ERR_MODULE_NOT_FOUND" ||
    code === "MODULE_NOT_FOUND" ||
    /cannot find (package|module)|failed to (resolve|fetch)/i.test(error.message);
  return named && notFound;
}
