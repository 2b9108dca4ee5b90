import { ERROR_BRAND, PorticoError, type PorticoErrorDetails } from "./portico-error.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * An error response the API declared in its spec: the status (or its range, or `default`) is
 * declared for the operation and the body matches the declared schema, so `body` is typed per
 * status. `code` is the body's code-like enum value where the spec declares one, else the
 * status-derived code (`404` → `NOT_FOUND`, see `StatusErrorCode`).
 *
 * @example
 * if (error instanceof ApiError) console.log(error.status, error.code, error.body);
 * @example
 * switch (error.status) { case 404: error.body; } // the 404 body type, or undefined for SDK errors
 */
export class ApiError<Body = unknown, Code extends string = string, Status extends number = number> extends PorticoError<Code> {
  override readonly name: string = "ApiError";
  override readonly status: Status;
  readonly #body: Body;

  constructor(code: Code, message: string, status: Status, body: Body, details: PorticoErrorDetails = {}) {
    super(code, message, { ...details, status });
    this.status = status;
    this.#body = body;
    Object.defineProperty(this, ERROR_BRAND, { value: "api", enumerable: false });
  }

  /**
   * The error body as the server sent it (validated where the spec declares a JSON body;
   * `undefined` when it declares none). Held privately: printing, inspecting (even with
   * `showHidden`), serializing or cloning the error leaves it out, since servers echo secrets in
   * bodies; read it explicitly.
   */
  get body(): Body {
    return this.#body;
  }

  /**
   * What `console.log` and `util.inspect` show (Node, Bun): the error without its body, also with
   * `showHidden` and `getters`, which would otherwise evaluate the `body` getter.
   */
  [INSPECT](): Error {
    const view = new Error(this.message, this.cause === undefined ? undefined : { cause: this.cause });
    view.name = this.name;
    if (this.stack !== undefined) view.stack = this.stack;
    return Object.assign(view, { code: this.code, status: this.status, requestId: this.requestId, details: this.details });
  }

  /** Serializes code, message, status and the redacted details; never the body. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}
