import { PorticoError, type PorticoErrorDetails } from "@portico/core";

/** Error codes raised by `@portico/node` itself, stable across releases. */
export const NodeErrorCode = {
  /** A secret was not found in the environment variable or file it was expected in. */
  SECRET_NOT_FOUND: "SECRET_NOT_FOUND",
  /** A secret was found but does not match its expected format. */
  SECRET_INVALID_FORMAT: "SECRET_INVALID_FORMAT",
  /** A secret file exists but could not be read. */
  SECRET_UNREADABLE: "SECRET_UNREADABLE",
  /** Options given to a factory were invalid (thrown at construction). */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** The WebSocket credential would carry two schemes, or none (Atlas allows exactly one). */
  CREDENTIAL_CONFLICT: "CREDENTIAL_CONFLICT",
  /** A WebSocket message was not valid JSON or did not match the event schema. */
  INVALID_MESSAGE: "INVALID_MESSAGE",
  /** The WebSocket could not be (re)connected, or reconnect attempts ran out. */
  WEBSOCKET_ERROR: "WEBSOCKET_ERROR",
} as const;

/** Union of `@portico/node`'s own error codes. */
export type NodeErrorCode = (typeof NodeErrorCode)[keyof typeof NodeErrorCode];

/** Error raised by `@portico/node`; never carries a secret, only names and fingerprints. */
export class PorticoNodeError extends PorticoError<NodeErrorCode> {
  override readonly name: string = "PorticoNodeError";

  constructor(code: NodeErrorCode, message: string, details?: PorticoErrorDetails) {
    super(code, message, details);
  }
}
