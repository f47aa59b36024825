import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/dbss.js";

export type * as DbssApi from "./generated/dbss.js";

/** Options for {@link createDbssClient}. */
export interface DbssClientOptions {
  /** The regional endpoint, `https://dbss.{region}.myhuaweicloud.com`. */
  baseUrl: string;
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed openapi-fetch client of the Huawei Cloud Database Security Service (DBSS) API. */
export type DbssClient = Client<paths>;

/** Creates a typed client of the Huawei Cloud Database Security Service (DBSS) API. */
export function createDbssClient(options: DbssClientOptions): DbssClient {
  return createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
}
