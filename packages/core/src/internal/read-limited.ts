/**
 * Reads a response body up to a limit, counting the bytes as they arrive (after any
 * `Content-Encoding` is undone, so a small gzip bomb counts as what it inflates to), and stops
 * reading as soon as the limit is passed: a body never costs more memory than its limit.
 */
import type { HeaderView } from "./header-view.js";

/**
 * Set (to `true`) on a `Response` whose body cannot exceed its `content-length` (the HTTP client
 * frames it), so a body of announced length may be read whole. A registered symbol: the fetcher
 * and core need not share a module.
 */
export const FRAMED_BODY: unique symbol = Symbol.for("portico.framed-body") as never;

/**
 * A fetcher's own bounded read of a response body, skipping the `ReadableStream` a `Response`
 * would otherwise make (`@portico/node`'s responses read undici's stream directly). Called with
 * the limit: it reads until the body ends or passes the limit, then stops reading and releases
 * the rest; `undefined` when the body must be read through `response.body` after all. A
 * registered symbol: the fetcher and core need not share a module.
 */
export const READ_UP_TO: unique symbol = Symbol.for("portico.read-up-to") as never;

/** What a bounded read returns: the chunks read, their total size, and whether it passed the limit. */
export interface BoundedRead {
  readonly chunks: Uint8Array[];
  readonly read: number;
  readonly over: boolean;
}

type ReadsUpTo = { [READ_UP_TO]?: (limit: number) => Promise<BoundedRead> | undefined };

/** What was read: the bytes, or that the body is over the limit (the rest was cancelled). */
export type LimitedBody = { readonly bytes: Uint8Array; readonly overLimit: false } | { readonly overLimit: true; readonly read: number };

export async function readLimited(response: Response, limit: number, headers: HeaderView = response.headers): Promise<LimitedBody> {
  const length = headers.get("content-length");
  const declared = Number(length);
  if (length !== null && Number.isFinite(declared) && headers.get("content-encoding") === null) {
    if (declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      return { overLimit: true, read: 0 };
    }
    // A fetcher whose bodies are framed by their content-length (no more bytes can arrive) is
    // read whole, skipping the stream: `@portico/node`'s responses say so.
    if ((response as { [FRAMED_BODY]?: unknown })[FRAMED_BODY] === true) return { bytes: new Uint8Array(await response.arrayBuffer()), overLimit: false };
  }
  const { chunks, read, over } = await readUpTo(response, limit);
  return over ? { overLimit: true, read } : { bytes: joined(chunks, read), overLimit: false };
}

/** The first `limit` bytes of a body as text (an error body kept for its excerpt); the rest is cancelled unread. */
export async function readBounded(response: Response, limit: number): Promise<string> {
  const { chunks, read, over } = await readUpTo(response, limit);
  const bytes = joined(chunks, read);
  return utf8(over ? bytes.subarray(0, limit) : bytes);
}

/** Reads chunks until the body ends or passes `limit` (then cancels the rest). */
function readUpTo(response: Response, limit: number): Promise<BoundedRead> {
  return (response as ReadsUpTo)[READ_UP_TO]?.(limit) ?? readStreamUpTo(response, limit);
}

async function readStreamUpTo(response: Response, limit: number): Promise<BoundedRead> {
  const chunks: Uint8Array[] = [];
  let read = 0;
  const stream = response.body;
  if (!stream) return { chunks, read, over: false };
  const reader = stream.getReader();
  // The lock is released only on a failure: a body read to its end or cancelled is finished, and
  // releasing it would cost a rejected promise per response.
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks, read, over: false };
      read += value.byteLength;
      chunks.push(value);
      if (read > limit) {
        await reader.cancel().catch(() => undefined);
        return { chunks, read, over: true };
      }
    }
  } catch (error) {
    reader.releaseLock();
    throw error;
  }
}

function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks, length);
}

/** The chunks in one new array of `length` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD, as `Response.text()` does). */
export function utf8(bytes: Uint8Array): string {
  return (decoder ??= new TextDecoder()).decode(bytes);
}

/** One decoder for every body (stateless without `stream`). */
let decoder: TextDecoder | undefined;
