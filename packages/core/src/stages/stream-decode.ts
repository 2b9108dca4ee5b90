/**
 * Decoders of streamed bodies, pulled one chunk at a time: Server-Sent Events (WHATWG rules, by
 * `eventsource-parser`) and JSON Lines. Each turns the chunks it is fed into items and keeps only
 * the unfinished tail, bounded by `maxLength`.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";
import { PorticoError } from "../errors/portico-error.js";
import { excerpt, type Redactor } from "../internal/redact.js";
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
export function sseDecoder(key: string, json: boolean, state: SseState, maxLength: number, redact: Redactor): Decoder<ServerSentEvent<unknown>> {
  /** Server text kept in an error's details: bounded, and redacted (a server may echo a credential in an id). */
  const kept = (text: string | undefined): string | undefined => (text === undefined ? undefined : excerpt(text, 128, redact));
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
            // The event's name and id are the server's text (servers echo credentials): in details only, not in the message.
            `${key} sent an event whose data is not JSON (details.event and details.eventId say which); the stream was closed.`,
            { eventId: kept(state.lastEventId), event: kept(event) },
          );
          return;
        }
      }
      items.push({ event, data, id: state.lastEventId });
    },
    onError: (problem) => {
      if (problem.type === "max-buffer-size-exceeded" && error === undefined) {
        error = new PorticoError("STREAM_MALFORMED", `${key} sent an event longer than ${maxLength} characters; the stream was closed.`, { eventId: kept(state.lastEventId), limit: maxLength });
      }
      // Unknown fields and invalid `retry` values are ignored, as the WHATWG rules say.
    },
  });
  const take = (): Decoded<ServerSentEvent<unknown>> => {
    const out = error === undefined ? { items } : { items, error };
    items = [];
    return out;
  };
  // The parser is fed whole lines, one at a time, ended by "\n": what it does (its buffer limit,
  // the state after an error) then depends on the lines only, never on where the chunks were cut.
  let line = "";
  let afterCr = false;
  const tooLong = (): PorticoError<string> =>
    new PorticoError("STREAM_MALFORMED", `${key} sent an event or line longer than ${maxLength} characters; the stream was closed.`, { eventId: kept(state.lastEventId), limit: maxLength });
  const terminator = /[\r\n]/g;
  return {
    feed(text) {
      let start = 0;
      // A CR that ended the last chunk ended its line; a LF first in this one completes that CRLF.
      if (afterCr && text !== "") {
        afterCr = false;
        if (text.charCodeAt(0) === 10) start = 1;
      }
      while (error === undefined) {
        terminator.lastIndex = start;
        const found = terminator.exec(text);
        if (found === null) {
          line += text.slice(start);
          if (line.length > maxLength) error = tooLong();
          break;
        }
        const end = found.index;
        const whole = line + text.slice(start, end);
        line = "";
        if (whole.length > maxLength) {
          error = tooLong();
          break;
        }
        parser.feed(`${whole}\n`);
        if (text.charCodeAt(end) === 13) {
          if (end + 1 === text.length) afterCr = true;
          start = end + (text.charCodeAt(end + 1) === 10 ? 2 : 1);
        } else {
          start = end + 1;
        }
      }
      return take();
    },
    end() {
      // An event without its closing blank line is dropped (WHATWG), whether or not the body ended cleanly.
      line = "";
      parser.reset();
      return take();
    },
  };
}

/** JSON Lines (`application/jsonl`, `application/x-ndjson`): one JSON value a line, blank lines skipped. */
export function jsonLinesDecoder(key: string, maxLength: number): Decoder<unknown> & { readonly lines: number } {
  let tail = "";
  let line = 0;
  const tooLong = (number: number): PorticoError<string> =>
    new PorticoError("STREAM_MALFORMED", `${key} sent line ${number} longer than ${maxLength} characters; the stream was closed.`, { line: number, limit: maxLength });
  const parseLine = (text: string, items: unknown[]): PorticoError<string> | undefined => {
    line++;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    // Checked before anything else, so a long line is refused whether it came whole or in pieces.
    if (trimmed.length > maxLength) return tooLong(line);
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
      // The unfinished line is already too long (a CR last may yet be its CRLF's, so it does not count).
      if ((tail.endsWith("\r") ? tail.length - 1 : tail.length) > maxLength) return { items, error: tooLong(line + 1) };
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
