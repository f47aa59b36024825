import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/archive-storage.js";

/** Options for {@link createArchiveStorageClient}. */
export interface ArchiveStorageClientOptions {
  /** The storage endpoint, e.g. `https://kr.archive.ncloudstorage.com`. */
  baseUrl: string;
  /** The fetch to send requests with; the global `fetch` by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed openapi-fetch client of NAVER Cloud Archive Storage (OpenStack Swift). */
export type ArchiveStorageClient = Client<paths>;

/** Creates a typed client of NAVER Cloud Archive Storage (OpenStack Swift). */
export function createArchiveStorageClient(options: ArchiveStorageClientOptions): ArchiveStorageClient {
  return createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
}
