/**
 * A `Response` whose body is already in memory. The pipeline reads each answer in full inside its
 * loop (so a body that breaks off is retried); handing on a `new Response(bytes)` would build a
 * fresh stream per call, which costs more than the request itself on loopback. This subclass keeps
 * the bytes and the original headers and makes a stream only if `body` is asked for.
 */

/** What the pipeline's check already decoded and parsed of a body. */
export interface BodyRead {
  text?: string | undefined;
  json?: { value: unknown } | undefined;
  /** What the operation's own parser made of it (`OperationInfo.parse`), for its helpers only. */
  parsed?: { value: unknown } | undefined;
}

// Defined on first use: touching the global `Response` loads Node's fetch implementation (undici),
// which costs tens of milliseconds, so a client is imported without it and pays at its first call.
let BufferedClass: ReturnType<typeof defineBufferedResponse> | undefined;

/** The answer `original` with its body already read into `bytes` (null: none). */
export function bufferedResponse(
  original: Response,
  bytes: Uint8Array<ArrayBuffer> | null,
  read?: BodyRead,
): Response {
  BufferedClass ??= defineBufferedResponse();
  return new BufferedClass(original, bytes, read);
}

/**
 * The JSON the pipeline already parsed from this answer's body while checking it (or what the
 * operation's own parser made of it), so a helper does not parse it again; undefined when none.
 */
export function parsedJson(response: Response): { value: unknown } | undefined {
  return BufferedClass !== undefined && response instanceof BufferedClass
    ? BufferedClass.parsedOf(response)
    : undefined;
}

function defineBufferedResponse() {
  class BufferedResponse extends Response {
    readonly #bytes: Uint8Array<ArrayBuffer> | null;
    readonly #headers: Headers;
    readonly #url: string;
    readonly #redirected: boolean;
    #stream: ReadableStream<Uint8Array> | null | undefined;
    #used = false;
    // What the pipeline's check already decoded and parsed, handed out once instead of redone.
    #text: string | undefined;
    #json: { value: unknown } | undefined;
    #parsed: { value: unknown } | undefined;

    constructor(original: Response, bytes: Uint8Array<ArrayBuffer> | null, read: BodyRead = {}) {
      super(null, { status: original.status, statusText: original.statusText });
      this.#bytes = bytes;
      this.#text = read.text;
      this.#json = read.json;
      this.#parsed = read.parsed;
      this.#headers = original.headers;
      this.#url = original.url;
      this.#redirected = original.redirected;
    }

    /** See {@link parsedJson}. */
    static parsedOf(response: BufferedResponse): { value: unknown } | undefined {
      return response.#parsed ?? response.#json;
    }

    override get headers(): Headers {
      return this.#headers;
    }
    override get url(): string {
      return this.#url;
    }
    override get redirected(): boolean {
      return this.#redirected;
    }
    override get bodyUsed(): boolean {
      return this.#used;
    }
    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
      if (this.#stream === undefined) {
        const bytes = this.#bytes;
        this.#stream =
          bytes === null
            ? null
            : new ReadableStream({
                start: (controller) => {
                  this.#used = true;
                  controller.enqueue(bytes);
                  controller.close();
                },
              });
      }
      return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>> | null;
    }

    override async arrayBuffer(): Promise<ArrayBuffer> {
      return this.#take().slice().buffer;
    }
    override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
      return this.#take().slice();
    }
    override async text(): Promise<string> {
      const bytes = this.#take();
      return this.#text ?? utf8.decode(bytes);
    }
    override async json(): Promise<unknown> {
      const bytes = this.#take();
      return this.#json ? this.#json.value : JSON.parse(this.#text ?? utf8.decode(bytes));
    }
    override async blob(): Promise<Blob> {
      const type = this.#headers.get("content-type");
      return new Blob([this.#take()], type ? { type } : {});
    }
    override clone(): Response {
      if (this.#used) throw new TypeError("Response.clone: the body has already been read");
      return new BufferedResponse(this, this.#bytes);
    }

    #take(): Uint8Array<ArrayBuffer> {
      if (this.#used || this.#stream) throw new TypeError("Body has already been read");
      this.#used = true;
      return this.#bytes ?? new Uint8Array(0);
    }
  }
  return BufferedResponse;
}

const utf8 = /* @__PURE__ */ new TextDecoder();
