/** Errors of the facade itself (the providers' own errors come from `@bucketry/core`). */
import { BucketryError } from "@bucketry/core";

/**
 * An adapter whose provider package is not installed: `bucketry/hitachi` needs `@bucketry/hitachi`.
 * The message says what to install; `cause` is the failed import.
 */
export class MissingProviderError extends BucketryError {
  override name = "MissingProviderError" as const;
  constructor(
    /** The adapter, e.g. `bucketry/hitachi`. */
    readonly adapter: string,
    /** The package it needs, e.g. `@bucketry/hitachi`. */
    readonly packageName: string,
    options?: { cause?: unknown },
  ) {
    super(`${adapter} needs ${packageName}: npm install ${packageName}`, options);
  }
}
