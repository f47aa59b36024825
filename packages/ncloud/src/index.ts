// Re-exported so callers need no direct dependency on @bucketry/auth to build `credentials`.
export { staticToken, type TokenCredentials, type TokenSource } from "@bucketry/auth/tokens";
export type { CallOptions, Paginator } from "@bucketry/core/internal";
export {
  type AccountPage,
  ARCHIVE_STORAGE_PROVIDER,
  type ArchiveStorageClient,
  type ArchiveStorageHelpers,
  createArchiveStorageClient,
  type GetAccountParams,
  type ListContainersParams,
  type ListingParams,
  MAX_LISTING_LIMIT,
  MalformedResponseError,
  type RawListing,
} from "./archive-storage.js";
export type {
  AccountInfo,
  AccountMetadata,
  ContainerEntry,
  ContainerItem,
  ContainerNameEntry,
  ContainerNameItem,
  EntryFor,
  ListingFormat,
  RawContainer,
  RawSubdir,
  StoragePolicyUsage,
  SubdirItem,
} from "./archive-storage-model.js";
export {
  ARCHIVE_STORAGE_ZONES,
  type ArchiveStorageClientOptions,
  type ArchiveStorageCredentials,
  type ArchiveStorageCredentialsFrom,
  type ArchiveStorageKeys,
  type ArchiveStorageZone,
} from "./archive-storage-options.js";
export {
  NCLOUD_ENV,
  NCLOUD_KEYSTONE_ENDPOINT,
  type NcloudCredentials,
  type NcloudCredentialsInit,
  type NcloudKeystoneTokenOptions,
  type NcloudTokenSourceOptions,
  ncloudCredentials,
  ncloudCredentialsFromEnv,
  ncloudKeystoneToken,
} from "./credentials.js";
export { SWIFT_ERRORS } from "./errors.js";
export type * as ArchiveStorageApi from "./generated/archive-storage.js";
