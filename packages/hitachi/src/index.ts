export type * as VspOneObjectApi from "./generated/vsp-one-object.js";
export {
  createVspOneObjectClient,
  type VspOneObjectClient,
  type VspOneObjectClientOptions,
} from "./vsp-one-object.js";
