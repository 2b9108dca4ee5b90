/**
 * Reference decoders for the stream properties, written from the specs rather than from the
 * stage: Server-Sent Events by the WHATWG "parsing an event stream" rules, JSON Lines by
 * docs/streaming.md. Each reads one connection's text as a whole (no chunks), so what the stage
 * yields for any chunking of the same bytes can be compared with it.
 *
 * The item limit (`maxItemLength`, docs/streaming.md: "longest event or line") is read as: a line
 * (without its terminator; for JSON Lines also without one trailing CR) longer than the limit,
 * or an event whose `data` grows longer than the limit, is `STREAM_MALFORMED` at that point. A
 * line cut off by the end of the connection counts too (it is already too long).
 */

export interface RefEvent {
  readonly event: string;
  readonly data: unknown;
  readonly id: string | undefined;
}

export interface RefFailure {
  readonly code: "STREAM_MALFORMED" | "STREAM_INTERRUPTED";
  readonly details: Record<string, unknown>;
}

export interface SseReference {
  readonly items: RefEvent[];
  readonly error?: RefFailure;
  /** The last event id after this connection (what a reconnect sends as `Last-Event-ID`). */
  readonly lastEventId: string | undefined;
  /** The reconnection time after this connection. */
  readonly retryMs: number;
}

/**
 * One connection's event stream, as text (already UTF-8 decoded, which drops one leading BOM).
 * `lastEventId` and `retryMs` are the state the connection starts with.
 */
export function referenceSse(text: string, options: { json: boolean; maxLength: number; lastEventId: string | undefined; retryMs: number }): SseReference {
  const { json, maxLength } = options;
  let lastEventId = options.lastEventId;
  let retryMs = options.retryMs;
  const items: RefEvent[] = [];
  const result = (error?: RefFailure): SseReference => ({ items, ...(error === undefined ? {} : { error }), lastEventId, retryMs });
  const tooLong = (): SseReference => result({ code: "STREAM_MALFORMED", details: { eventId: lastEventId, limit: maxLength } });

  const lines: string[] = [];
  const terminator = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = terminator.exec(text); match !== null; match = terminator.exec(text)) {
    lines.push(text.slice(start, match.index));
    start = match.index + match[0].length;
  }
  const rest = text.slice(start);

  let data = "";
  let dataLines = 0;
  let type: string | undefined;
  let idBuffer: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] as string;
    if (line.length > maxLength) return tooLong();
    // One leading byte order mark is ignored (decoded, or as the three Latin-1 characters of its bytes).
    if (index === 0) line = line.replace(/^(?:\uFEFF|\xEF\xBB\xBF)/, "");
    if (line === "") {
      // Dispatch.
      if (idBuffer !== undefined) lastEventId = idBuffer === "" ? undefined : idBuffer;
      if (dataLines > 0) {
        const event = type ?? "message";
        let value: unknown = data;
        if (json) {
          try {
            value = JSON.parse(data) as unknown;
          } catch {
            return result({ code: "STREAM_MALFORMED", details: { eventId: lastEventId, event } });
          }
        }
        items.push({ event, data: value, id: lastEventId });
      }
      data = "";
      dataLines = 0;
      type = undefined;
      idBuffer = undefined;
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        data = dataLines === 0 ? value : `${data}\n${value}`;
        dataLines++;
        if (data.length > maxLength) return tooLong();
        break;
      case "event":
        type = value === "" ? undefined : value;
        break;
      case "id":
        if (!value.includes("\0")) idBuffer = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) retryMs = parseInt(value, 10);
        break;
      default:
      // Ignored.
    }
  }
  if (rest.length > maxLength) return tooLong();
  return result();
}

export interface JsonLinesReference {
  readonly items: unknown[];
  readonly error?: RefFailure;
}

/** One connection's JSON Lines, as text; `clean`: the body ended (else it broke off). */
export function referenceJsonLines(text: string, options: { maxLength: number; clean: boolean }): JsonLinesReference {
  const { maxLength } = options;
  const items: unknown[] = [];
  const pieces = text.split("\n");
  const rest = pieces.pop() as string;
  const content = (piece: string): string => (piece.endsWith("\r") ? piece.slice(0, -1) : piece);
  const read = (piece: string, line: number): RefFailure | undefined => {
    const value = content(piece);
    if (value.length > maxLength) return { code: "STREAM_MALFORMED", details: { line, limit: maxLength } };
    if (value.trim() === "") return undefined;
    try {
      items.push(JSON.parse(value) as unknown);
      return undefined;
    } catch {
      return { code: "STREAM_MALFORMED", details: { line } };
    }
  };
  for (let index = 0; index < pieces.length; index++) {
    const error = read(pieces[index] as string, index + 1);
    if (error !== undefined) return { items, error };
  }
  if (content(rest).length > maxLength) return { items, error: { code: "STREAM_MALFORMED", details: { line: pieces.length + 1, limit: maxLength } } };
  if (!options.clean) return { items, error: { code: "STREAM_INTERRUPTED", details: { line: pieces.length } } };
  if (rest !== "") {
    const error = read(rest, pieces.length + 1);
    if (error !== undefined) return { items, error };
  }
  return { items };
}

/** `bytes` cut at `cuts` (offsets, any order, repeats and ends allowed: empty chunks are chunks too). */
export function chunksOf(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...cuts].map((c) => Math.min(Math.max(0, c), bytes.byteLength)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of at) {
    out.push(bytes.slice(start, cut));
    start = cut;
  }
  out.push(bytes.slice(start));
  return out;
}

/**
 * A response body that hands out `chunks` one per read, then ends: `clean` closes it, `broken`
 * errors it as a reset connection does (with `resetMessage`, which may carry what the test wants
 * to see never reach an error).
 */
export function bodyStream(chunks: readonly Uint8Array[], end: "clean" | "broken", resetMessage = "read ECONNRESET"): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++] as Uint8Array);
      else if (end === "clean") controller.close();
      else controller.error(Object.assign(new Error(resetMessage), { code: "ECONNRESET" }));
    },
  });
}

/** The bytes a reader of a connection decodes: all of them when it ended, else up to the last whole character. */
export function decodeConnection(bytes: Uint8Array, clean: boolean): string {
  const decoder = new TextDecoder();
  return clean ? decoder.decode(bytes) : decoder.decode(bytes, { stream: true });
}

export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
};
