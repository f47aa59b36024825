export { MissingProviderError } from "./errors.js";
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from "./limiter.js";
export { collect, collectBuckets, ListingError, type ListOptions, listBuckets, listUsers } from "./list.js";
export {
  type Bucket,
  extraField,
  type ProviderName,
  type ProviderSource,
  type Source,
  SourceError,
  type User,
} from "./model.js";
