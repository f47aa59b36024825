/**
 * Requests made from other requests. Node's fetch (undici) links a new Request's signal to its
 * source's through a WeakRef, so once the source Request is garbage-collected, aborting the source's
 * signal no longer aborts the new one (nodejs/undici#4068, nodejs/node#55428: open, and reproduced on
 * Node 20.20). A deadline or a caller's abort would then be lost silently in the middle of a call. Every
 * Request we make from another therefore keeps its source alive for as long as it lives itself.
 */
const sources = new WeakMap<Request, Request>();

/** Returns `derived`, keeping `source` (and through it, its own sources) alive while `derived` lives. */
export function keepSource<T extends Request>(derived: T, source: Request): T {
  if (derived !== source) sources.set(derived, source);
  return derived;
}

/** `new Request(source, init)`, whose signal keeps following `source`'s. */
export function deriveRequest(source: Request, init?: RequestInit): Request {
  return keepSource(new Request(source, init), source);
}

/**
 * A copy of `request` with half of its body (as `clone()`), whose signal keeps following the
 * original's. Not `clone()` itself: nothing holds a clone's own link to the original's signal, so a
 * collection breaks it even while both requests live.
 */
export function cloneRequest(request: Request): Request {
  if (request.body === null) return deriveRequest(request);
  return keepSource(new Request(request.clone(), { signal: request.signal }), request);
}
