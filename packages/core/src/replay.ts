/**
 * How a retried attempt gets fresh auth. openapi-fetch runs `onRequest` middlewares once per call,
 * but a signature carries the attempt's date (Huawei rejects dates 15 minutes off; a replayed
 * SigV4 request is stale). So every middleware that stamps something per attempt (a signature, a
 * token, a deadline) records how to redo its work with `setReplay`, and `retry()` (registered last,
 * innermost) builds each new attempt with `replay(request)`: the whole chain redone, not a copy.
 */

type Replay = () => Promise<Request>;

const replays = new WeakMap<Request, Replay>();

/**
 * Records that `output` was made from `input` by `redo`, so a later attempt can make a fresh one.
 * `input` is cloned now (its body may be read only once), and earlier middlewares' work is redone first.
 */
export function setReplay(
  input: Request,
  output: Request,
  redo: (request: Request) => Promise<Request> | Request,
): void {
  const before = replays.get(input);
  const stash = before ? undefined : input.clone();
  replays.set(output, async () => redo(before ? await before() : stash!.clone()));
}

/** A fresh request for the next attempt: every recorded step redone, or a plain copy when none was recorded. */
export function replay(request: Request): Promise<Request> {
  return replays.get(request)?.() ?? Promise.resolve(request.clone());
}
