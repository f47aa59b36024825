/**
 * Every adapter's descriptor, in the order tools list them: the one list a sixth provider is added
 * to. The CLI (config file, environment variables, help, `providers`) and the release checks read it.
 */
import { hitachiDescriptor } from "./hitachi-descriptor.js";
import { dbssDescriptor, mpcDescriptor } from "./huaweicloud-descriptor.js";
import { ncloudDescriptor } from "./ncloud-descriptor.js";
import { ostorDescriptor } from "./virtuozzo-descriptor.js";

export const ADAPTERS = [
  hitachiDescriptor,
  mpcDescriptor,
  dbssDescriptor,
  ncloudDescriptor,
  ostorDescriptor,
] as const;

/** The providers the facade knows: the names in {@link ADAPTERS}. */
export type ProviderName = (typeof ADAPTERS)[number]["provider"];
