export type * as SampleStoreApi from "./generated/sample-store.js";
export {
  type CallOptions,
  createSampleStoreClient,
  type Paginator,
  SAMPLE_STORE_PROVIDER,
  type SampleStoreBucket,
  type SampleStoreClient,
  type SampleStoreClientOptions,
  type SampleStoreListParams,
  staticToken,
  type TokenCredentials,
  type TokenSource,
} from "./sample-store.js";
