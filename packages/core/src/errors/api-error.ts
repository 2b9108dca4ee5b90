import { PorticoError, type PorticoErrorDetails } from "./portico-error.js";

/**
 * An error response the API declared in its spec: the body validated against the operation's
 * generated error schema, so `code` is one of the spec's codes and `body` is typed.
 *
 * @example
 * if (error instanceof ApiError) console.log(error.status, error.code, error.body);
 */
export class ApiError<Body = unknown, Code extends string = string> extends PorticoError<Code> {
  override readonly name: string = "ApiError";
  override readonly status: number;
  /** The validated error body, as the server sent it. */
  readonly body: Body;

  constructor(code: Code, message: string, status: number, body: Body, details: PorticoErrorDetails = {}) {
    super(code, message, { ...details, status });
    this.status = status;
    this.body = body;
  }

  /** Serializes code, message, status and the redacted details; the body only by its code. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}
