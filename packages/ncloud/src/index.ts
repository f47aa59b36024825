export {
  type ArchiveStorageClient,
  type ArchiveStorageClientOptions,
  createArchiveStorageClient,
} from "./archive-storage.js";
export type * as ArchiveStorageApi from "./generated/archive-storage.js";
