import { PorticoError, type EventsChannel } from "@portico/core";
import { isSecureTransport } from "@portico/core/internal";
import { EventsConnectionError } from "../errors.js";

/** The credential of an event stream: an API key, or a function returning a short-lived token. One, never both. */
export type EventsCredential =
  | { readonly apiKey: string; readonly getShortLivedToken?: undefined }
  | {
      readonly getShortLivedToken: () => Promise<string> | string;
      readonly apiKey?: undefined;
      /** Query parameter that carries the token. @default "access_token" (RFC 6750 §2.3) */
      readonly tokenParameter?: string;
    };

/** Options of `connectEvents`. */
export type ConnectEventsOptions<Message> = EventsCredential & {
  /** API base URL, e.g. `https://sandbox.api.atlas-softpos.com`; the stream is at the channel's `path` under it (`https:` is turned into `wss:`). */
  readonly baseUrl: string;
  /** Receives each message, parsed from JSON (and by `parse` when given). */
  readonly onEvent: (event: Message) => void;
  /** Validates a message (e.g. a `zod/mini` schema's `parse`); a throw reports `onError` and drops it. */
  readonly parse?: (message: unknown) => Message;
  /** Connection problems after the first open, and messages that fail to parse. */
  readonly onError?: (error: PorticoError<"UNEXPECTED_RESPONSE" | "EVENTS_CONNECTION_FAILED">) => void;
  /** Reconnect after an unexpected close, with backoff (a new token each time). @default true */
  readonly reconnect?: boolean;
  /** Largest pause between reconnection attempts. @default 30000 */
  readonly maxReconnectDelayMs?: number;
  readonly signal?: AbortSignal;
  /** @default globalThis.WebSocket */
  readonly WebSocket?: typeof WebSocket;
};

/** An open event stream. */
export interface EventsConnection {
  /** Closes the stream for good (no reconnect). */
  close(): void;
  /** Resolves when the stream is closed for good. */
  readonly closed: Promise<void>;
}

function streamUrl(channel: EventsChannel<unknown>, baseUrl: string): URL {
  if (typeof channel !== "object" || channel === null || typeof channel.path !== "string" || channel.path === "") {
    throw new PorticoError("INVALID_OPTIONS", 'connectEvents: the channel must be an object with a non-empty "path", e.g. a generated client\'s <name>Events.', {
      option: "channel",
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(`${String(baseUrl).replace(/\/+$/, "")}/${channel.path.replace(/^\/+/, "")}`);
  } catch {
    throw new PorticoError("INVALID_OPTIONS", 'connectEvents: "baseUrl" must be an absolute http(s) or ws(s) URL.', { option: "baseUrl" });
  }
  if (parsed.protocol === "https:") parsed.protocol = "wss:";
  else if (parsed.protocol === "http:") parsed.protocol = "ws:";
  if (parsed.protocol !== "wss:" && parsed.protocol !== "ws:") {
    throw new PorticoError("INVALID_OPTIONS", 'connectEvents: "baseUrl" must be a ws(s) or http(s) URL.', { option: "baseUrl" });
  }
  return parsed;
}

/**
 * Opens an API's WebSocket event stream from a browser, given as a channel (a generated client's
 * `<name>Events`, or any `{ path }`); messages are typed as the channel's. Browsers cannot set
 * headers on the upgrade request, so the credential goes in the query string: `?apiKey=` (the
 * fallback Atlas documents) or a short-lived token from `getShortLivedToken`. This is the one
 * place portico puts a secret in a URL: prefer a short-lived token, keep `wss:`; see the README
 * for the trade-off. Resolves once the stream is open; a first connection that fails is
 * `EVENTS_CONNECTION_FAILED`.
 *
 * @example
 * import { atlasEvents } from "@atlas-softpos/api-client";
 * const stream = await connectEvents(atlasEvents, { baseUrl: "https://sandbox.api.atlas-softpos.com", getShortLivedToken, onEvent: (event) => show(event.type) });
 */
export function connectEvents<Message>(channel: EventsChannel<Message>, options: ConnectEventsOptions<NoInfer<Message>>): Promise<EventsConnection> {
  const hasKey = options.apiKey !== undefined;
  const hasToken = options.getShortLivedToken !== undefined;
  if (hasKey === hasToken) {
    throw new PorticoError("INVALID_OPTIONS", 'connectEvents: give exactly one of "apiKey" or "getShortLivedToken" (one credential per connection, never both).', {
      option: "apiKey",
    });
  }
  if (hasKey && (typeof options.apiKey !== "string" || options.apiKey === "")) {
    throw new PorticoError("INVALID_OPTIONS", 'connectEvents: "apiKey" must be a non-empty string.', { option: "apiKey" });
  }
  const base = streamUrl(channel, options.baseUrl);
  const where = `${base.origin}${base.pathname}`;
  if (!isSecureTransport(base)) {
    throw new PorticoError("INSECURE_TRANSPORT", `connectEvents: refusing to put a credential in the URL of ${where} over plain ws:; use wss: (plain ws: is allowed only to loopback).`);
  }
  const param = options.apiKey !== undefined ? "apiKey" : (options.tokenParameter ?? "access_token");
  if (base.searchParams.has(param)) {
    throw new PorticoError("INVALID_OPTIONS", `connectEvents: the stream URL already has a "${param}" parameter; pass the credential as an option.`, { option: "baseUrl" });
  }
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const reconnect = options.reconnect ?? true;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const report = (error: PorticoError<"UNEXPECTED_RESPONSE" | "EVENTS_CONNECTION_FAILED">): void => {
    try {
      options.onError?.(error);
    } catch {
      // The stream goes on.
    }
  };

  let socket: WebSocket | undefined;
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish!: () => void;
  const closed = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    socket?.close(1000);
    finish();
  };
  options.signal?.addEventListener("abort", stop, { once: true });

  const deliver = (data: unknown): void => {
    let event: Message;
    try {
      const message: unknown = typeof data === "string" ? JSON.parse(data) : data;
      event = options.parse ? options.parse(message) : (message as Message);
    } catch (cause) {
      report(new PorticoError("UNEXPECTED_RESPONSE", `An event from ${where} is not a valid message; it was dropped.`, { cause }));
      return;
    }
    options.onEvent(event);
  };

  const open = async (): Promise<void> => {
    const secret = options.apiKey ?? (await options.getShortLivedToken?.());
    if (typeof secret !== "string" || secret === "") {
      throw new EventsConnectionError("EVENTS_CONNECTION_FAILED", `connectEvents: getShortLivedToken gave no token for ${where}.`);
    }
    const url = new URL(base.href);
    url.searchParams.set(param, secret);
    const next = new Socket(url.href);
    socket = next;
    await new Promise<void>((resolve, reject) => {
      next.onopen = () => resolve();
      next.onerror = () => reject(new EventsConnectionError("EVENTS_CONNECTION_FAILED", `The event stream ${where} could not be opened (refused, unauthorized or unreachable).`));
      next.onclose = (event) =>
        reject(new EventsConnectionError("EVENTS_CONNECTION_FAILED", `The event stream ${where} closed before it opened (code ${event.code}).`, { closeCode: event.code }));
    });
    failures = 0;
    next.onmessage = (event: MessageEvent<unknown>) => deliver(event.data);
    next.onerror = null;
    next.onclose = (event) => {
      if (stopped) return;
      if (!reconnect) {
        stop();
        return;
      }
      report(new EventsConnectionError("EVENTS_CONNECTION_FAILED", `The event stream ${where} closed (code ${event.code}); reconnecting.`, { closeCode: event.code }));
      schedule();
    };
  };

  const schedule = (): void => {
    failures += 1;
    const delay = Math.min(maxDelay, 500 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
    timer = setTimeout(() => {
      if (stopped) return;
      open().catch((error: unknown) => {
        if (stopped) return;
        report(error instanceof EventsConnectionError ? error : new EventsConnectionError("EVENTS_CONNECTION_FAILED", `Reconnecting to ${where} failed.`, { cause: error }));
        schedule();
      });
    }, delay);
  };

  return open().then(
    () => ({ close: stop, closed }),
    (error: unknown) => {
      stop();
      throw error instanceof PorticoError ? error : new EventsConnectionError("EVENTS_CONNECTION_FAILED", `The event stream ${where} could not be opened.`, { cause: error });
    },
  );
}
