/**
 * Public types of `client.stream(...)`: the events it yields and the options it takes. The
 * generated client types `stream` per operation key with {@link StreamMethod}.
 */
import type { FilterKeys } from "openapi-typescript-helpers";
import type { CallInit, CallInitParam } from "../client/types.js";

/** One Server-Sent Event: `data` parsed as the spec's item type (a string when the spec says string). */
export interface ServerSentEvent<Data = string> {
  /** The event type (`event:` field), `"message"` when the server gave none. */
  readonly event: string;
  readonly data: Data;
  /** The last event id the server set (`id:` field) at this event, if any: what a reconnect resumes from. */
  readonly id: string | undefined;
}

/** Options of one stream, next to the call's `params`, `body`, `headers` and `signal`. */
export interface StreamOptions {
  /** Resume an event stream after this id (sent as `Last-Event-ID` on the first request). */
  lastEventId?: string;
  /**
   * Reconnects of an event stream in a row without an event in between, before the iteration
   * ends with `STREAM_INTERRUPTED`. Only GET, HEAD, OPTIONS, PUT and DELETE streams reconnect.
   * @default 5
   */
  maxReconnects?: number;
  /** Wait before a reconnect when the server sent no `retry:` field, in ms. @default 3000 */
  retryMs?: number;
  /** Reconnect also when the server ends the event stream cleanly (EventSource behaviour). @default false */
  reconnectOnEnd?: boolean;
  /** Largest single event or line, in characters; a longer one is `STREAM_MALFORMED`. @default 16777216 */
  maxItemLength?: number;
}

/**
 * The items of a streamed response, pulled from the connection as the consumer asks (a slow
 * consumer leaves the rest on the socket). Errors (`STREAM_MALFORMED`, `STREAM_INTERRUPTED`,
 * `ABORTED`, and every error a call can end in) are thrown by the iteration, which then ends.
 * Breaking out of `for await` closes the connection. Iterable once.
 */
export interface EventStream<Item> extends AsyncIterable<Item> {
  /** The id of the last event received (SSE), for a later `lastEventId`. */
  readonly lastEventId: string | undefined;
}

/** What codegen emits per streaming operation key: the format and the item type. */
export interface StreamShape {
  readonly format: "sse" | "jsonl";
  readonly item: unknown;
}

/** The item a stream yields: a `ServerSentEvent` of the item type for SSE, the item itself for JSON Lines. */
export type StreamItem<Shape> = Shape extends { format: "sse"; item: infer Data } ? ServerSentEvent<Data> : Shape extends { item: infer Item } ? Item : never;

/** The streaming operation keys whose path and method the client's `Paths` has. */
export type StreamKey<Paths, Streams> = {
  [Key in keyof Streams & string]: Key extends `${infer Method} ${infer Path}`
    ? Path extends keyof Paths
      ? Lowercase<Method> extends keyof Paths[Path]
        ? Key
        : never
      : never
    : never;
}[keyof Streams & string];

/** The `init` of a stream of one operation: its typed params and body, call options, stream options. */
export type StreamInit<Paths, Key extends string> = Key extends `${infer Method} ${infer Path}`
  ? Path extends keyof Paths
    ? Omit<CallInit<FilterKeys<Paths[Path], Lowercase<Method>>>, "parseAs"> & StreamOptions
    : never
  : never;

/**
 * `client.stream("GET /v1/events", init)`: the typed stream of a streaming operation. Only the
 * keys in `Streams` (the spec's streaming operations) compile.
 */
export type StreamMethod<Paths, Streams> = <Key extends StreamKey<Paths, Streams>>(
  key: Key,
  ...init: CallInitParam<StreamInit<Paths, Key>>
) => EventStream<StreamItem<Streams[Key]>>;
