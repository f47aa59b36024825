/** This package's version, kept equal to package.json's by `pnpm version-packages` (checked in tests). */
export const VERSION = "0.0.0";
/** The default `User-Agent` of the client. */
export const USER_AGENT = `bucketry-ncloud/${VERSION}`;
