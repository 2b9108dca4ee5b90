import type { Dispatcher } from "undici";

type BodyReadable = Dispatcher.ResponseData["body"];

/** `@portico/core`'s marker of a body framed by its content-length (a registered symbol). */
const FRAMED_BODY = Symbol.for("portico.framed-body");

/** `@portico/core`'s seam for a fetcher's own bounded body read (`READ_UP_TO` in `@portico/core/internal`). */
const READ_UP_TO = Symbol.for("portico.read-up-to");

/** `@portico/core`'s seam for a fetcher's own view of response headers (`HEADER_VIEW` in `@portico/core/internal`). */
const HEADER_VIEW = Symbol.for("portico.header-view");

type RawHeaders = Dispatcher.ResponseData["headers"];

/** What a bounded read returns (`BoundedRead` in `@portico/core/internal`). */
interface BoundedRead {
  readonly chunks: Uint8Array[];
  readonly read: number;
  readonly over: boolean;
}

/** Statuses whose `Response` must have a null body (Fetch standard). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps undici's response in a WHATWG `Response` without buffering. The body is read straight
 * from undici's stream by `arrayBuffer()`, `text()`, `json()` and friends; a `ReadableStream` is
 * made only when `body` itself is asked for (bridging a socket stream into a WHATWG one costs
 * more than the rest of a small call). Either way the body streams on demand, can be read once,
 * and cancelling it destroys the underlying stream.
 */
export function responseFromUndici(data: Dispatcher.ResponseData, method: string, signal: Pick<AbortSignal, "aborted" | "reason"> | undefined): Response {
  const status = data.statusCode;
  if (NULL_BODY_STATUS.has(status) || method === "HEAD") {
    data.body.dump().catch(noop);
    return new Response(null, { status, statusText: data.statusText ?? "", headers: headerPairs(data.headers) });
  }
  return new UndiciResponse(data.body, signal, { status, statusText: data.statusText ?? "" }, data.headers);
}

/** How far a body has been taken: untouched, bridged to a `ReadableStream`, or read. */
type BodyState =
  | { readonly at: "source"; readonly source: BodyReadable }
  | { readonly at: "stream"; readonly stream: ReadableStream<Uint8Array>; disturbed: boolean }
  | { readonly at: "used" };

/**
 * A `Response` (so `instanceof Response` holds) whose body methods read undici's stream directly,
 * and whose `Headers` are built only when asked for: core reads undici's header object through
 * `HEADER_VIEW` instead (building `Headers` checks every name and value, a good part of what a
 * small call costs).
 */
class UndiciResponse extends Response {
  #state: BodyState;
  readonly #signal: Pick<AbortSignal, "aborted" | "reason"> | undefined;
  readonly #raw: RawHeaders;
  #headers: Headers | undefined;

  constructor(source: BodyReadable, signal: Pick<AbortSignal, "aborted" | "reason"> | undefined, init: ResponseInit, raw: RawHeaders) {
    super(null, init);
    this.#state = { at: "source", source };
    this.#signal = signal;
    this.#raw = raw;
  }

  /** The headers as core reads them: by lower-case name, repeated fields joined as `Headers.get` joins them. */
  get [HEADER_VIEW](): { get(name: string): string | null; names(): Iterable<string> } {
    const raw = this.#raw;
    return {
      get: (name) => {
        const value = raw[name];
        return value === undefined ? null : typeof value === "string" ? httpTrim(value) : value.map(httpTrim).join(", ");
      },
      names: () => Object.keys(raw).filter((name) => raw[name] !== undefined),
    };
  }

  /** The bytes, once; a second read is the `TypeError` fetch throws. */
  async #take(): Promise<Uint8Array<ArrayBuffer>> {
    const state = this.#state;
    if (state.at === "used" || (state.at === "stream" && (state.disturbed || state.stream.locked))) throw new TypeError("Body is unusable: Body has already been read");
    this.#state = { at: "used" };
    if (state.at === "stream") return new Uint8Array(await new Response(state.stream).arrayBuffer());
    try {
      return new Uint8Array(await state.source.arrayBuffer());
    } catch (error) {
      // fetch errors the body with the abort reason, and with a TypeError on network failure.
      throw this.#signal?.aborted ? this.#signal.reason : new TypeError("terminated", { cause: error });
    }
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.#take()).buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#take();
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.#take());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  override async blob(): Promise<Blob> {
    const type = this.headers.get("content-type");
    return new Blob([await this.#take()], type !== null ? { type } : {});
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.#take(), { headers: this.headers }).formData();
  }

  override clone(): Response {
    // A clone needs two readers of one body: bridge it, and tee.
    const stream = this.body;
    if (stream === null || this.#state.at !== "stream" || this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    const [mine, theirs] = stream.tee();
    this.#state = { at: "stream", stream: mine, disturbed: false };
    return new Response(theirs, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  /**
   * Reads the body up to `limit` bytes straight from undici's stream, without bridging it to a
   * `ReadableStream`; past the limit the rest is dropped unread. `undefined` once `body` was
   * asked for: that stream is then the one reader.
   */
  [READ_UP_TO](limit: number): Promise<BoundedRead> | undefined {
    const state = this.#state;
    if (state.at !== "source") return undefined;
    this.#state = { at: "used" };
    const signal = this.#signal;
    return readUpTo(state.source, limit).catch((error: unknown) => {
      // fetch errors the body with the abort reason, and with a TypeError on network failure.
      throw signal?.aborted ? signal.reason : new TypeError("terminated", { cause: error });
    });
  }

  /** undici frames the body by its content-length: core may read a body of announced length whole. */
  get [FRAMED_BODY](): true {
    return true;
  }

  static {
    // `headers`, `body` and `bodyUsed` are accessors of `Response.prototype`; these replace them for this class.
    Object.defineProperty(UndiciResponse.prototype, "headers", {
      configurable: true,
      get(this: UndiciResponse): Headers {
        return (this.#headers ??= new Headers(headerPairs(this.#raw)));
      },
    });
    Object.defineProperty(UndiciResponse.prototype, "body", {
      configurable: true,
      get(this: UndiciResponse): ReadableStream<Uint8Array> | null {
        const state = this.#state;
        if (state.at === "stream") return state.stream;
        if (state.at === "used") return null;
        const bridged: { at: "stream"; stream: ReadableStream<Uint8Array>; disturbed: boolean } = { at: "stream", stream: streamBody(state.source, this.#signal, () => (bridged.disturbed = true)), disturbed: false };
        this.#state = bridged;
        return bridged.stream;
      },
    });
    Object.defineProperty(UndiciResponse.prototype, "bodyUsed", {
      configurable: true,
      get(this: UndiciResponse): boolean {
        const state = this.#state;
        return state.at === "used" || (state.at === "stream" && state.disturbed);
      },
    });
  }
}

/** undici's header object (arrays for repeated headers such as `set-cookie`) as pairs. */
function headerPairs(raw: RawHeaders): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value === "string") pairs.push([name, value]);
    else for (const item of value) pairs.push([name, item]);
  }
  return pairs;
}

/** Reads `body` until it ends or passes `limit` bytes; then destroys it, and its end is nobody's error. */
function readUpTo(body: BodyReadable, limit: number): Promise<BoundedRead> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let read = 0;
    const settle = (): void => {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
    };
    const onData = (chunk: Buffer): void => {
      read += chunk.byteLength;
      chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (read <= limit) return;
      settle();
      body.on("error", noop);
      body.destroy();
      resolve({ chunks, read, over: true });
    };
    const onEnd = (): void => {
      settle();
      resolve({ chunks, read, over: false });
    };
    const onError = (error: Error): void => {
      settle();
      reject(error);
    };
    body.on("data", onData);
    body.on("end", onEnd);
    body.on("error", onError);
  });
}

function streamBody(body: BodyReadable, signal: Pick<AbortSignal, "aborted" | "reason"> | undefined, onRead: () => void): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      onRead();
      chunks ??= body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (error) {
        // fetch errors the body with the abort reason, and with a TypeError on network failure.
        controller.error(signal?.aborted ? signal.reason : new TypeError("terminated", { cause: error }));
      }
    },
    cancel(reason) {
      onRead();
      // Nobody reads this body any more: its end (an abort error from undici) is nobody's either.
      body.on("error", noop);
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  }, { highWaterMark: 0 }); // pulled on read only, so `bodyUsed` means read
}

/** A header value as `Headers` keeps it: without leading and trailing spaces and tabs. */
function httpTrim(value: string): string {
  const edge = (code: number): boolean => code === 0x20 || code === 0x09;
  if (value.length === 0 || (!edge(value.charCodeAt(0)) && !edge(value.charCodeAt(value.length - 1)))) return value;
  return value.replace(/^[ \t]+|[ \t]+$/g, "");
}

function noop(): void {}
