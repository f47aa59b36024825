/**
 * The parts of a call's request, as openapi-fetch builds it for the pipeline: URL, method, headers,
 * a text body (what openapi-fetch serializes JSON to), signal. Readable like a `Request`; it cannot
 * be copied by `new Request(request)`, which would silently drop its method and body.
 */
export class CallRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;
  readonly credentials: RequestCredentials | undefined;
  readonly #text: string | null;

  constructor(url: string, init: RequestInit & { body?: string | null | undefined } = {}) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect;
    this.credentials = init.credentials;
    this.#text = init.body ?? null;
    // What a platform Request adds to a text body without a type.
    if (this.#text !== null && !this.headers.has("content-type")) {
      this.headers.set("content-type", "text/plain;charset=UTF-8");
    }
  }

  /** Non-null when there is a body, like `Request.body`; the pipeline reads {@link bytes} instead. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#text === null ? null : new Response(this.#text).body;
  }

  /** The body as UTF-8 bytes, or null. */
  bodyBytes(): Uint8Array<ArrayBuffer> | null {
    return this.#text === null ? null : utf8.encode(this.#text);
  }

  async text(): Promise<string> {
    return this.#text ?? "";
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.#text ?? "");
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (this.bodyBytes() ?? new Uint8Array(0)).buffer;
  }
  clone(): CallRequest {
    return new CallRequest(this.url, {
      method: this.method,
      headers: new Headers(this.headers),
      body: this.#text,
      ...(this.signal ? { signal: this.signal } : {}),
      ...(this.redirect ? { redirect: this.redirect } : {}),
      ...(this.credentials ? { credentials: this.credentials } : {}),
    });
  }

  /** `new Request(request)` converts its argument to a string when it is not a platform Request. */
  toString(): never {
    throw new TypeError(
      "This request cannot be copied with new Request(request): register the middleware with client.use(), or build one from request.url",
    );
  }
}

const utf8 = /* @__PURE__ */ new TextEncoder();
