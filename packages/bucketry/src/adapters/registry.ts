/**
 * Every adapter's descriptor, in the order tools list them: the one list a sixth provider is added
 * to. The CLI (config file, environment variables, help, `providers`) and the release checks read it.
 */
import type { AdapterDescriptor } from "./descriptor.js";
import { hitachiDescriptor } from "./hitachi-descriptor.js";
import { dbssDescriptor, mpcDescriptor } from "./huaweicloud-descriptor.js";
import { ncloudDescriptor } from "./ncloud-descriptor.js";
import { ostorDescriptor } from "./virtuozzo-descriptor.js";

export const ADAPTERS: readonly AdapterDescriptor[] = [
  hitachiDescriptor,
  mpcDescriptor,
  dbssDescriptor,
  ncloudDescriptor,
  ostorDescriptor,
];
