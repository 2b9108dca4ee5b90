/**
 * Decoders of streamed bodies, pulled one chunk at a time: Server-Sent Events (WHATWG rules, by
 * `eventsource-parser`) and JSON Lines. Each turns the chunks it is fed into items and keeps only
 * the unfinished tail, bounded by `maxLength`.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";
import { PorticoError } from "../errors/portico-error.js";
import type { ServerSentEvent } from "./stream-types.js";

/** What one chunk gave: items, and a malformed item that ends the stream. */
export interface Decoded<Item> {
  readonly items: Item[];
  readonly error?: PorticoError<string>;
}

/** Feeds text, yields complete items; `end()` reads what the body left unterminated. */
export interface Decoder<Item> {
  feed(text: string): Decoded<Item>;
  /** The body ended cleanly (`true`) or broke off (`false`: an unfinished item is dropped). */
  end(clean: boolean): Decoded<Item>;
}

/** SSE state that outlives one connection: the last event id and the reconnection time. */
export interface SseState {
  lastEventId: string | undefined;
  retryMs: number;
}

/** Server-Sent Events: `event`, `id`, `retry`, comments and multi-line `data` per the WHATWG rules. */
export function sseDecoder(key: string, json: boolean, state: SseState, maxLength: number): Decoder<ServerSentEvent<unknown>> {
  let items: ServerSentEvent<unknown>[] = [];
  let error: PorticoError<string> | undefined;
  const parser: EventSourceParser = createParser({
    maxBufferSize: maxLength,
    onId: (id) => {
      state.lastEventId = id === "" ? undefined : id;
    },
    onRetry: (ms) => {
      state.retryMs = ms;
    },
    onEvent: (message) => {
      if (error !== undefined) return;
      if (message.id !== undefined) state.lastEventId = message.id === "" ? undefined : message.id;
      const event = message.event ?? "message";
      let data: unknown = message.data;
      if (json) {
        try {
          data = JSON.parse(message.data) as unknown;
        } catch {
          error = new PorticoError(
            "STREAM_MALFORMED",
            `${key} sent a "${event}" event${state.lastEventId !== undefined ? ` (id ${state.lastEventId})` : ""} whose data is not JSON; the stream was closed.`,
            { eventId: state.lastEventId, event },
          );
          return;
        }
      }
      items.push({ event, data, id: state.lastEventId });
    },
    onError: (problem) => {
      if (problem.type === "max-buffer-size-exceeded" && error === undefined) {
        error = new PorticoError("STREAM_MALFORMED", `${key} sent an event longer than ${maxLength} characters; the stream was closed.`, { eventId: state.lastEventId, limit: maxLength });
      }
      // Unknown fields and invalid `retry` values are ignored, as the WHATWG rules say.
    },
  });
  const take = (): Decoded<ServerSentEvent<unknown>> => {
    const out = error === undefined ? { items } : { items, error };
    items = [];
    return out;
  };
  return {
    feed(text) {
      if (error === undefined) parser.feed(text);
      return take();
    },
    end() {
      // An event without its closing blank line is dropped (WHATWG), whether or not the body ended cleanly.
      parser.reset();
      return take();
    },
  };
}

/** JSON Lines (`application/jsonl`, `application/x-ndjson`): one JSON value a line, blank lines skipped. */
export function jsonLinesDecoder(key: string, maxLength: number): Decoder<unknown> & { readonly lines: number } {
  let tail = "";
  let line = 0;
  const parseLine = (text: string, items: unknown[]): PorticoError<string> | undefined => {
    line++;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (trimmed.trim() === "") return undefined;
    try {
      items.push(JSON.parse(trimmed) as unknown);
      return undefined;
    } catch {
      return new PorticoError("STREAM_MALFORMED", `${key} sent line ${line}, which is not JSON; the stream was closed (the lines before it were delivered).`, { line });
    }
  };
  return {
    get lines() {
      return line;
    },
    feed(text) {
      const items: unknown[] = [];
      let start = 0;
      let end = text.indexOf("\n");
      if (end === -1) {
        tail += text;
      } else {
        let first = true;
        while (end !== -1) {
          const piece = first ? tail + text.slice(start, end) : text.slice(start, end);
          first = false;
          const error = parseLine(piece, items);
          if (error !== undefined) return { items, error };
          start = end + 1;
          end = text.indexOf("\n", start);
        }
        tail = text.slice(start);
      }
      if (tail.length > maxLength) {
        return { items, error: new PorticoError("STREAM_MALFORMED", `${key} sent line ${line + 1} longer than ${maxLength} characters; the stream was closed.`, { line: line + 1, limit: maxLength }) };
      }
      return { items };
    },
    end(clean) {
      const items: unknown[] = [];
      if (!clean || tail === "") return { items };
      const rest = tail;
      tail = "";
      const error = parseLine(rest, items);
      return error === undefined ? { items } : { items, error };
    },
  };
}
