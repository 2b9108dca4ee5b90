/**
 * Reading a stream for `client.stream` (see `stream.ts`): each connection one call through the
 * client's call path, its body decoded as Server-Sent Events or JSON Lines, reconnecting with
 * `Last-Event-ID`. Loaded when a stream is first iterated: an app that never streams does not
 * carry it or its decoders.
 */
import { MAX_TIMER_MS } from "../internal/option-schema.js";
import { excerpt } from "../internal/redact.js";
import { CALL, SCOPE, type StageClient } from "../client/stage.js";
import { PorticoError } from "../errors/portico-error.js";
import { isIdempotentMethod } from "../resilience/retry-policy.js";
import type { StreamDescriptor } from "../spec/streams.js";
import { jsonLinesDecoder, sseDecoder, type Decoder, type SseState } from "./stream-decode.js";
import type { RuntimeInit } from "./stream.js";

const DEFAULT_MAX_RECONNECTS = 5;
const DEFAULT_MAX_ITEM_LENGTH = 16 * 1024 * 1024;

const ACCEPT: Readonly<Record<StreamDescriptor["format"], string>> = {
  sse: "text/event-stream",
  jsonl: "application/jsonl, application/x-ndjson",
};

/** The items of one stream: connections through the client's call path, reconnecting as SSE allows. */
export async function* run(client: StageClient, key: string, init: RuntimeInit, state: SseState): AsyncGenerator<unknown, void, undefined> {
  const space = key.indexOf(" ");
  const method = key.slice(0, space).toUpperCase();
  const path = key.slice(space + 1);
  const { descriptor, clock, redact } = client[SCOPE]();
  const keptId = (): string | undefined => (state.lastEventId === undefined ? undefined : excerpt(state.lastEventId, 128, redact));
  const format = descriptor.operations[key]?.stream;
  if (space < 1 || format === undefined) {
    throw new PorticoError("INVALID_REQUEST", `${key} is not a streaming operation of the ${descriptor.name} API (its spec declares no text/event-stream or JSON Lines success response). Nothing was sent.`);
  }
  const { lastEventId: _id, maxReconnects: _max, retryMs: _retry, reconnectOnEnd = false, maxItemLength = DEFAULT_MAX_ITEM_LENGTH, ...callInit } = init;
  const signal = init.signal;
  const maxReconnects = init.maxReconnects ?? DEFAULT_MAX_RECONNECTS;
  // Only a request that may be sent twice is sent again: never a POST or PATCH (RFC 9110 §9.2.2).
  const resumable = format.format === "sse" && isIdempotentMethod(method);
  let reconnects = 0;

  for (;;) {
    const headers: Record<string, unknown> = { accept: ACCEPT[format.format], ...init.headers };
    if (format.format === "sse" && state.lastEventId !== undefined) headers["last-event-id"] = utf8Header(state.lastEventId);
    const result = await client[CALL](method, path, { ...callInit, headers, parseAs: "stream" });
    if (result.error !== undefined) throw result.error;
    const body = result.data as ReadableStream<Uint8Array> | null | undefined;
    // No body (204): the server says there is nothing (more) to stream.
    if (body === null || body === undefined) return;
    const contentType = result.response.headers.get("content-type") ?? "";
    if (!accepts(format.format, contentType)) {
      await body.cancel().catch(() => undefined);
      // The content type itself is not quoted: it is the server's text, and servers echo credentials in headers.
      throw new PorticoError("UNEXPECTED_RESPONSE", `${key} answered ${result.response.status} with ${contentType === "" ? "no content type" : "another content type"}, not ${ACCEPT[format.format]}.`, {
        status: result.response.status,
        requestId: result.meta.requestId,
      });
    }
    const decoder: Decoder<unknown> = format.format === "sse" ? sseDecoder(key, format.json === true, state, maxItemLength, redact) : jsonLinesDecoder(key, maxItemLength);
    const connection = readConnection(body, decoder, signal);
    let ended: "clean" | "broken";
    let received = false;
    try {
      for (;;) {
        const next = await connection.next();
        if (next.done === true) {
          ended = next.value;
          break;
        }
        received = true;
        yield next.value;
      }
    } finally {
      // `break`, `return` or a throw in the consumer: the connection is closed, not drained.
      await connection.return("broken");
    }
    if (signal?.aborted) throw abortedError(key, signal);
    if (ended === "clean" && !(resumable && reconnectOnEnd)) return;
    if (received) reconnects = 0;
    if (!resumable) {
      const why =
        format.format === "jsonl"
          ? "a JSON Lines stream cannot be resumed"
          : `${method} is not idempotent, so it was not sent again (no event was replayed)`;
      throw new PorticoError("STREAM_INTERRUPTED", `${key}: the connection broke off before the stream ended; ${why}.`, {
        ...(format.format === "jsonl" ? { line: (decoder as { lines?: number }).lines } : { eventId: keptId() }),
      });
    }
    if (reconnects >= maxReconnects) {
      throw new PorticoError("STREAM_INTERRUPTED", `${key}: the connection broke off ${reconnects + 1} times in a row without an event; gave up reconnecting.`, { eventId: keptId(), reconnects });
    }
    reconnects++;
    // A `retry` past what a timer can wait would fire at once (a reconnect storm): waited at most that long.
    if (!(await clock.sleep(Math.min(state.retryMs, MAX_TIMER_MS), signal))) throw abortedError(key, signal);
  }
}

/**
 * One connection's items, read a chunk at a time as they are asked for. Returns how the body
 * ended; a malformed item is thrown. Closing it (`return`) cancels the body.
 */
async function* readConnection(body: ReadableStream<Uint8Array>, decoder: Decoder<unknown>, signal: AbortSignal | undefined): AsyncGenerator<unknown, "clean" | "broken", undefined> {
  const reader = body.getReader();
  const text = new TextDecoder();
  let done = false;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal?.aborted) return "broken";
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The connection broke off (reset, cut mid-body) or the signal cancelled it.
        done = true;
        yield* emit(decoder.end(false));
        return "broken";
      }
      if (chunk.done) {
        done = true;
        if (signal?.aborted) return "broken";
        yield* emit(decoder.feed(text.decode()));
        yield* emit(decoder.end(true));
        return "clean";
      }
      yield* emit(decoder.feed(text.decode(chunk.value, { stream: true })));
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

function* emit(decoded: { readonly items: unknown[]; readonly error?: PorticoError<string> }): Generator<unknown, void, undefined> {
  yield* decoded.items;
  if (decoded.error !== undefined) throw decoded.error;
}

function accepts(format: StreamDescriptor["format"], contentType: string): boolean {
  const type = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return format === "sse" ? type === "text/event-stream" : type === "application/jsonl" || type === "application/x-ndjson" || type === "application/json-lines";
}

/**
 * An id as a header value: its UTF-8 bytes, one Latin-1 character each, which is what goes on the
 * wire (as browsers send it). The server gets back the bytes it sent, and an id with characters
 * beyond Latin-1 (which a header value cannot hold as it is) still resumes.
 */
function utf8Header(id: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(id)) out += String.fromCharCode(byte);
  return out;
}

function abortedError(key: string, signal: AbortSignal | undefined): PorticoError {
  return new PorticoError("ABORTED", `${key} was aborted by the caller's signal; the stream was closed.`, { cause: signal?.reason });
}
