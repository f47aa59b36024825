export type * as OstorApi from "./generated/ostor.js";
export {
  createOstorClient,
  type OstorClient,
  type OstorClientOptions,
  ostorQuery,
  serializeOstorQuery,
} from "./ostor.js";
