import { WebSocket } from "ws";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import { backoffDelay, type ReconnectOptions } from "./backoff.js";
import { parseMessage, type MessageValidator } from "./parse-message.js";
import type { WebSocketClientOptions, WebSocketConnection, WebSocketConstructor, WebSocketData } from "./socket-types.js";
import { checkExtraHeaders, upgradeCredential, type SocketCredentialOptions, type TokenRequestContext } from "./upgrade-credential.js";

/** Options of a socket, apart from its credential. */
export interface SocketOptions<M> {
  /** `ws://` or `wss://` URL (`http(s)://` is accepted and converted). */
  url: string;
  /** Called with every message that parsed as JSON and passed `validate`. */
  onMessage(message: M): void;
  /** Shape check of each parsed message. @default accept any JSON value */
  validate?: MessageValidator<M>;
  /** A message that was not JSON or failed `validate`; the connection stays open. */
  onInvalidMessage?(error: PorticoNodeError): void;
  /** A connection opened (`attempt` 0 is the first). */
  onOpen?(event: { readonly attempt: number }): void;
  /** A connection closed; `reconnectInMs` is set when another attempt is scheduled. */
  onClose?(event: { readonly code: number; readonly reason: string; readonly status?: number; readonly reconnectInMs?: number }): void;
  /** Something failed (credential, handshake, handler); reconnects continue unless attempts ran out. */
  onError?(error: PorticoNodeError): void;
  /** Backoff between reconnects, or `false` to never reconnect. */
  reconnect?: ReconnectOptions | false;
  /** Extra headers for the upgrade request; `Authorization` and `X-Api-Key` are refused (`CREDENTIAL_CONFLICT`): the credential option sets them. */
  headers?: Record<string, string>;
  /** Ping interval that detects dead connections, ms; `0` turns it off. @default 30000 */
  pingIntervalMs?: number;
  /** WebSocket implementation: the `ws` package's `WebSocket` class, or one of the same shape. @default ws */
  WebSocket?: WebSocketConstructor;
  /** More `ws` client options (handshake timeout, TLS, agent...). Redirects are never followed. */
  clientOptions?: WebSocketClientOptions;
  /** Aborting closes the socket and stops reconnecting. */
  signal?: AbortSignal;
}

/** Options of `connectAuthenticatedSocket`: socket options plus exactly one of `apiKey`, `getToken`, `credential`. */
export type AuthenticatedSocketOptions<M> = SocketOptions<M> & SocketCredentialOptions;

/** A live, self-reconnecting socket. */
export interface AuthenticatedSocket {
  /** True while a connection is open. */
  readonly connected: boolean;
  /** Resolves when a connection is open (at once if one is); rejects if the socket is closed for good first. */
  opened(): Promise<void>;
  /** Sends a text frame on the open connection (throws if none is open). */
  send(data: string): void;
  /** Closes the connection and stops reconnecting. */
  close(code?: number, reason?: string): void;
}

/** Handshake statuses retrying cannot fix. */
const FATAL_STATUS = new Set([400, 403, 404, 405, 410, 426]);
/** Close codes servers use to say the credential was refused (policy violation, 4401 "unauthorized"). */
const UNAUTHORIZED_CLOSE = new Set([1008, 4401]);
/** A connection open this long resets the backoff. */
const STABLE_AFTER_MS = 5_000;

/**
 * Opens a WebSocket whose credential travels on the upgrade request: `X-Api-Key` or
 * `Authorization: Bearer` (never both, never in the URL). Before every reconnect it asks the
 * credential again (a refreshed token after a `401` or a close for policy reasons), and it
 * reconnects after server-side disconnects with full-jitter exponential backoff.
 *
 * @example
 * const socket = connectAuthenticatedSocket({ url: "wss://api.example.com/v1/events", getToken: () => tokens.get(), onMessage: console.log });
 */
export function connectAuthenticatedSocket<M = unknown>(options: AuthenticatedSocketOptions<M>): AuthenticatedSocket {
  const url = toWebSocketUrl(options.url);
  checkExtraHeaders(options.headers);
  const credential = upgradeCredential(options, url.href, url.pathname);
  const WebSocketImpl: WebSocketConstructor = options.WebSocket ?? WebSocket;
  const validate: MessageValidator<M> = options.validate ?? ((_value: unknown): _value is M => true);
  const reconnect = options.reconnect === false ? undefined : (options.reconnect ?? {});
  const maxAttempts = reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY;
  const pingIntervalMs = options.pingIntervalMs ?? 30_000;

  let current: WebSocketConnection | undefined;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  const report = (error: PorticoNodeError): void => call(() => options.onError?.(error));

  function stop(error?: PorticoNodeError): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    const pending = waiters;
    waiters = [];
    const reason = error ?? new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, "WebSocket closed");
    for (const waiter of pending) waiter.reject(reason);
  }

  function schedule(reason: TokenRequestContext["reason"], close: { code: number; reason: string; status?: number }): void {
    if (stopped || reconnect === undefined) {
      call(() => options.onClose?.(close));
      stop();
      return;
    }
    if (failures >= maxAttempts) {
      call(() => options.onClose?.(close));
      const error = new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, `WebSocket ${url.host}${url.pathname}: gave up after ${failures} reconnect attempts`);
      report(error);
      stop(error);
      return;
    }
    const delay = backoffDelay(failures, reconnect);
    failures += 1;
    call(() => options.onClose?.({ ...close, reconnectInMs: delay }));
    timer = setTimeout(() => void open(reason, failures), delay);
  }

  async function open(reason: TokenRequestContext["reason"], attempt: number): Promise<void> {
    if (stopped) return;
    let authorization;
    try {
      authorization = await credential.authorize({ reason, attempt, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      report(asNodeError(error, "could not get the credential for the upgrade request"));
      schedule(reason, { code: 1006, reason: "credential unavailable" });
      return;
    }
    if (stopped) return;

    const socket = new WebSocketImpl(url, {
      ...options.clientOptions,
      followRedirects: false,
      headers: { ...options.headers, ...authorization.headers },
    });
    current = socket;
    let status: number | undefined;
    let openedAt: number | undefined;
    let ping: NodeJS.Timeout | undefined;
    let alive = true;

    socket.on("unexpected-response", (_request, response) => {
      status = response.statusCode;
      response.resume();
      socket.terminate();
    });
    socket.on("open", () => {
      openedAt = Date.now();
      if (stopped) {
        socket.close(1000);
        return;
      }
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) waiter.resolve();
      if (pingIntervalMs > 0) {
        ping = setInterval(() => {
          if (!alive) return socket.terminate();
          alive = false;
          socket.ping();
        }, pingIntervalMs);
        ping.unref();
      }
      call(() => options.onOpen?.({ attempt }));
    });
    socket.on("pong", () => {
      alive = true;
    });
    socket.on("message", (data: WebSocketData) => {
      const parsed = parseMessage(data, validate);
      if (!parsed.ok) return call(() => options.onInvalidMessage?.(parsed.error));
      try {
        options.onMessage(parsed.message);
      } catch (error) {
        report(asNodeError(error, "onMessage threw"));
      }
    });
    socket.on("error", (error) => {
      const what = status === undefined ? "connection failed" : `upgrade refused with HTTP ${status}`;
      report(new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, `WebSocket ${url.host}${url.pathname}: ${what}`, { ...(status !== undefined ? { status } : {}), cause: error }));
    });
    socket.on("close", (code: number, reasonBuffer: Buffer) => {
      clearInterval(ping);
      if (current === socket) current = undefined;
      const close = { code, reason: reasonBuffer.toString("utf8"), ...(status !== undefined ? { status } : {}) };
      if (openedAt !== undefined && Date.now() - openedAt >= STABLE_AFTER_MS) failures = 0;
      if (status !== undefined && FATAL_STATUS.has(status)) {
        call(() => options.onClose?.(close));
        stop(new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, `WebSocket ${url.host}${url.pathname}: upgrade refused with HTTP ${status}`, { status }));
        return;
      }
      if (status !== 401 && !UNAUTHORIZED_CLOSE.has(code)) return schedule("reconnect", close);
      // The server refused this credential: drop it so the next upgrade carries a fresh one.
      void credential
        .invalidate(authorization.handle)
        .catch(() => {})
        .then(() => schedule("unauthorized", close));
    });
  }

  function onAbort(): void {
    handle.close(1000, "aborted");
  }

  const handle: AuthenticatedSocket = {
    get connected() {
      return current?.readyState === WebSocket.OPEN;
    },
    opened() {
      if (current?.readyState === WebSocket.OPEN) return Promise.resolve();
      if (stopped) return Promise.reject(new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, "WebSocket closed"));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    send(data) {
      if (current?.readyState !== WebSocket.OPEN) {
        throw new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, "WebSocket is not open; await socket.opened() first");
      }
      current.send(data);
    },
    close(code = 1000, reason = "") {
      stop();
      const socket = current;
      current = undefined;
      if (socket === undefined) return;
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(code, reason);
    },
  };

  if (options.signal?.aborted) {
    stop();
  } else {
    options.signal?.addEventListener("abort", onAbort, { once: true });
    void open("connect", 0);
  }
  return handle;
}

function toWebSocketUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'WebSocket: "url" must be an absolute ws://, wss://, http:// or https:// URL');
  }
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `WebSocket: unsupported URL scheme ${url.protocol}`);
  }
  if (url.searchParams.has("apiKey")) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, "WebSocket: in Node the credential goes on the upgrade headers, not in ?apiKey=");
  }
  return url;
}

function asNodeError(error: unknown, what: string): PorticoNodeError {
  if (error instanceof PorticoNodeError) return error;
  const code = typeof (error as { code?: unknown })?.code === "string" ? ` (${(error as { code: string }).code})` : "";
  return new PorticoNodeError(NodeErrorCode.WEBSOCKET_ERROR, `WebSocket: ${what}${code}`, { cause: error });
}

function call(hook: () => void): void {
  try {
    hook();
  } catch {
    // Hooks never break the socket.
  }
}
