import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/vsp-one-object.js";

/** Options for {@link createVspOneObjectClient}. */
export interface VspOneObjectClientOptions {
  /** The Management API base, `https://admin.{region}.{cluster}/mapi`. */
  baseUrl: string;
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed openapi-fetch client of the VSP One Object Management API. */
export type VspOneObjectClient = Client<paths>;

/** Creates a typed client of the Hitachi VSP One Object Management API. */
export function createVspOneObjectClient(options: VspOneObjectClientOptions): VspOneObjectClient {
  return createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
}
