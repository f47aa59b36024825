/**
 * The openapi-fetch client every provider returns, sending through its pipeline.
 *
 * openapi-fetch builds a `Request` for each call and hands it to its `fetch`, our pipeline, which
 * only reads its parts and builds the `Request` it sends at the bottom. A platform `Request` there
 * would be built twice per call, and on Node each costs an `AbortController`, a URL parse and a
 * header list (about a sixth of a loopback call's client CPU; see BENCHMARKS.md). So while a client
 * has no middleware, openapi-fetch builds a {@link CallRequest}, which holds the parts and nothing
 * else. Once `client.use()` registers middleware, the client builds platform `Request`s again:
 * middleware may rely on any of their features.
 */

import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { CallRequest } from "./call-request.js";
import type { Pipeline } from "./pipeline.js";

/** openapi-fetch's `createClient` over a pipeline, building {@link CallRequest}s until middleware is added. */
export function createApiClient<Paths extends {}>(
  fetch: Pipeline,
  options: Omit<ClientOptions, "fetch" | "Request"> = {},
): Client<Paths> {
  let platform = false;
  // Called with `new` by openapi-fetch; a constructor that returns an object yields that object.
  function ClientRequest(url: string, init: RequestInit): Request | CallRequest {
    const { body } = init;
    if (platform || !(body === undefined || body === null || typeof body === "string")) {
      return new Request(url, init);
    }
    return new CallRequest(url, init as RequestInit & { body?: string | null });
  }
  // openapi-fetch checks what `onRequest` returns with `instanceof` this class.
  Object.defineProperty(ClientRequest, Symbol.hasInstance, {
    value: (value: unknown) => value instanceof Request || value instanceof CallRequest,
  });
  const client = createClient<Paths>({
    ...options,
    fetch: fetch as (request: Request) => Promise<Response>,
    Request: ClientRequest as unknown as typeof Request,
  });
  const use = client.use.bind(client);
  client.use = (...middleware) => {
    platform = true;
    use(...middleware);
  };
  return client;
}
