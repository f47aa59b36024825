export type * as VspOneObjectApi from "./generated/vsp-one-object.js";
export {
  createVspOneObjectClient,
  type VspOneObjectClient,
  type VspOneObjectHelpers,
} from "./vsp-one-object.js";
export {
  MalformedResponseError,
  type VspOneObjectBucket,
  type VspOneObjectBucketPage,
  type VspOneObjectCallOptions,
  type VspOneObjectListBucketsPageParams,
  type VspOneObjectListBucketsParams,
} from "./vsp-one-object-model.js";
export type {
  VspOneObjectClientOptions,
  VspOneObjectPasswordCredentials,
} from "./vsp-one-object-options.js";
