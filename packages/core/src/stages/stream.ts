/**
 * The stream stage: `client.stream("GET /sync-logs/stream", init)` reads a streaming operation's
 * success response as a typed `AsyncIterable`: Server-Sent Events (`text/event-stream`, WHATWG
 * rules, reconnecting with `Last-Event-ID`) or JSON Lines (`application/jsonl`,
 * `application/x-ndjson`). Every connection is one call through the whole call path (credential,
 * retries, typed errors). A generated client includes it when its spec has a streaming response;
 * the reading itself (`stream-read.ts`) loads when a stream is first iterated.
 *
 * Reading is pulled: the next chunk is read only when the consumer asks for the next item, so a
 * slow consumer leaves the rest on the socket. Abort (`signal`) and `break` close the connection.
 */
import type { Stage, StageClient } from "../client/stage.js";
import { PorticoError } from "../errors/portico-error.js";
import { missingChunkError } from "../internal/missing-chunk.js";
import { excerpt } from "../internal/redact.js";
import type { SseState } from "./stream-decode.js";
import type { EventStream, StreamOptions } from "./stream-types.js";

const DEFAULT_RETRY_MS = 3000;

/** The `init` of `stream` at run time: the call's own (`params`, `body`, `headers`, `signal`, ...) and the stream's options. */
export type RuntimeInit = Record<string, unknown> & StreamOptions & { signal?: AbortSignal; headers?: Record<string, unknown> };

/** `client.stream(key, init)` on clients whose spec streams. */
export const streamStage: Stage = {
  name: "stream",
  methods: {
    stream(this: StageClient, key: string, init?: RuntimeInit): EventStream<unknown> {
      return openStream(this, key, init ?? {});
    },
  } as Stage["methods"],
};

function openStream(client: StageClient, key: string, init: RuntimeInit): EventStream<unknown> {
  const state: SseState = { lastEventId: init.lastEventId, retryMs: init.retryMs ?? DEFAULT_RETRY_MS };
  let started = false;
  return {
    get lastEventId() {
      return state.lastEventId;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new PorticoError("INVALID_REQUEST", `This stream of ${key} was already iterated; call stream() again for a new one.`);
      started = true;
      return run(client, key, init, state);
    },
  };
}

/**
 * The stream's items, once the reading code is loaded. If it cannot be loaded (a chunk the app no
 * longer serves after a deployment, or a page gone offline), the iteration throws `NETWORK_ERROR`,
 * nothing sent, whose message says so and how to fix it; the next stream tries to load it again.
 */
async function* run(client: StageClient, key: string, init: RuntimeInit, state: SseState): AsyncGenerator<unknown, void, undefined> {
  let read: typeof import("./stream-read.js");
  try {
    read = await import("./stream-read.js");
  } catch (thrown) {
    const operation = excerpt(String(key), 128);
    throw missingChunkError({ code: "NETWORK_ERROR", notDone: `The stream of ${operation} was not opened`, module: "stream reader", loadedWith: "the first stream of client.stream()" }, thrown, {
      operation,
    });
  }
  yield* read.run(client, key, init, state);
}
