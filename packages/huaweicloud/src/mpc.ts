import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/mpc.js";

export type * as MpcApi from "./generated/mpc.js";

/** Options for {@link createMpcClient}. */
export interface MpcClientOptions {
  /** The regional endpoint, `https://mpc.{region}.myhuaweicloud.com`. */
  baseUrl: string;
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed openapi-fetch client of the Huawei Cloud Media Processing Center (MPC) API. */
export type MpcClient = Client<paths>;

/** Creates a typed client of the Huawei Cloud Media Processing Center (MPC) API. */
export function createMpcClient(options: MpcClientOptions): MpcClient {
  return createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
}
