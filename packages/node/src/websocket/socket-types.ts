/**
 * The part of a WebSocket client the authenticated socket uses, declared here so the package's
 * public types need no `@types/ws`: the `ws` package's `WebSocket` class fits it, and so does any
 * implementation with the same event-emitter shape.
 */
import type { Agent } from "node:http";
import type { SecureContextOptions } from "node:tls";

/** A message frame as `ws` delivers it: one buffer, an `ArrayBuffer`, or the fragments of one message. */
export type WebSocketData = Buffer | ArrayBuffer | Buffer[];

/** The response to an upgrade request the server refused (`ws`'s `unexpected-response` event). */
export interface UpgradeResponse {
  readonly statusCode?: number | undefined;
  /** Discards the response body. */
  resume(): unknown;
}

/** One connection, as `ws`'s `WebSocket` instance exposes it. */
export interface WebSocketConnection {
  /** `0` connecting, `1` open, `2` closing, `3` closed. */
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: "open" | "pong", listener: () => void): this;
  on(event: "message", listener: (data: WebSocketData) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "close", listener: (code: number, reason: Buffer) => void): this;
  on(event: "unexpected-response", listener: (request: unknown, response: UpgradeResponse) => void): this;
}

/**
 * Client options of the `ws` package the socket passes through (handshake timeout, TLS, agent,
 * compression...). `headers` and `followRedirects` are the socket's own.
 */
export interface WebSocketClientOptions extends SecureContextOptions {
  /** Milliseconds the opening handshake may take. */
  handshakeTimeout?: number | undefined;
  /** Largest message accepted, bytes. */
  maxPayload?: number | undefined;
  /** permessage-deflate compression: `false` turns it off, an object tunes it. */
  perMessageDeflate?: boolean | Readonly<Record<string, unknown>> | undefined;
  /** `Origin` header of the upgrade request. */
  origin?: string | undefined;
  /** Subprotocol, for implementations that take it in the options. */
  protocol?: string | undefined;
  protocolVersion?: number | undefined;
  /** HTTP(S) agent of the upgrade request (a proxy agent, for example). */
  agent?: Agent | undefined;
  /** Verify the server certificate against the CAs. @default true */
  rejectUnauthorized?: boolean | undefined;
  /** TLS SNI server name. */
  servername?: string | undefined;
  localAddress?: string | undefined;
  family?: number | undefined;
  skipUTF8Validation?: boolean | undefined;
  autoPong?: boolean | undefined;
  allowSynchronousEvents?: boolean | undefined;
}

/** What the socket passes to the constructor: the client options plus its credential headers. */
export interface WebSocketConstructorOptions extends WebSocketClientOptions {
  headers: Record<string, string>;
  followRedirects: false;
}

/** A WebSocket implementation: `ws`'s `WebSocket` class, or one with the same shape. */
export type WebSocketConstructor = new (url: URL, options: WebSocketConstructorOptions) => WebSocketConnection;
