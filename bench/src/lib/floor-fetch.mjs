// The least the pipeline's design costs (section 2 and overhead-gc.mjs): a `fetch` for openapi-fetch
// that gives each attempt an `AbortController` and a timer of its own and sends from plain parts, as
// the pipeline does, and nothing else (no retry, checks or buffering).
export async function floorFetch(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}
