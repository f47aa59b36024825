export { collect, collectBuckets, ListingError, type ListOptions, listBuckets, listUsers } from "./list.js";
export { type Bucket, type ProviderName, type Source, SourceError, type User } from "./model.js";
