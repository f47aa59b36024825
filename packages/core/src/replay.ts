/**
 * How a retried attempt gets fresh auth. openapi-fetch runs `onRequest` middlewares once per call,
 * but a signature carries the attempt's date (Huawei rejects dates 15 minutes off; a replayed
 * SigV4 request is stale). So every middleware that stamps something per attempt (a signature, a
 * token, a deadline) records how to redo its work with `setReplay`, and `retry()` (registered last,
 * innermost) builds each new attempt with `replay(request)`: the whole chain redone, not a copy.
 */

import { cloneRequest, deriveRequest, keepSource } from "./lineage.js";

type Replay = () => Promise<Request>;

const replays = new WeakMap<Request, Replay>();

/**
 * Records that `output` was made from `input` by `redo`, so a later attempt can make a fresh one.
 * The first step of a chain keeps a copy of `input` (its body can be read only once); later steps
 * redo the earlier ones first. Stamping steps must not change the body. A step that stamps `input`
 * in place (`output === input`) records before it stamps, so the copy is of the unstamped request.
 */
export function setReplay(
  input: Request,
  output: Request,
  redo: (request: Request) => Promise<Request> | Request,
): void {
  const before = replays.get(input) ?? original(input, output);
  replays.set(output, async () => redo(await before()));
}

/** A fresh request for the next attempt: every recorded step redone, or a plain copy when none was recorded. */
export function replay(request: Request): Promise<Request> {
  return replays.get(request)?.() ?? Promise.resolve(cloneRequest(request));
}

/** A source of fresh copies of the request a chain started from. */
function original(input: Request, output: Request): Replay {
  // The headers as they are now: a later step may stamp `input` in place.
  const headers = [...input.headers];
  // Copies are made only if a replay is asked for, which most calls never do.
  if (input.body === null) return async () => deriveRequest(input, { headers });
  // A body can be read once: keep a tee of it now (of output's when a step already took input's),
  // read only on the first replay. Each copy follows input's signal itself (input is held here).
  const tee = (input.bodyUsed || input.body.locked ? output : input).clone();
  let bytes: Promise<ArrayBuffer> | undefined;
  return async () => {
    bytes ??= tee.arrayBuffer();
    const copy = new Request(input.url, {
      method: input.method,
      headers,
      body: await bytes,
      signal: input.signal,
      redirect: input.redirect,
      credentials: input.credentials,
      keepalive: input.keepalive,
    });
    return keepSource(copy, input);
  };
}
