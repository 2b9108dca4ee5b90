import type { SdkErrorCode } from "./codes.js";

/** Extra, already-redacted facts an error carries. */
export interface PorticoErrorDetails {
  /** HTTP status, where a response was received. */
  readonly status?: number;
  /** Request id header of the response, if any. */
  readonly requestId?: string;
  /** A bounded, redacted excerpt of an unexpected body. */
  readonly bodyExcerpt?: string;
  /** Fingerprint (never the secret) of the credential involved. */
  readonly credential?: string;
  readonly cause?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Base class of every error the SDK produces. `code` is stable; `message` says what went wrong
 * and how to fix it, and never contains a secret.
 */
/** Brand of portico errors: `"sdk"`, or `"api"` for an `ApiError`. */
export const ERROR_BRAND: symbol = Symbol.for("portico.error");

export class PorticoError<Code extends string = SdkErrorCode> extends Error {
  override readonly name: string = "PorticoError";
  readonly code: Code;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly details: Omit<PorticoErrorDetails, "cause">;

  constructor(code: Code, message: string, details: PorticoErrorDetails = {}) {
    const { cause, ...rest } = details;
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.details = rest;
    // A brand found across copies of core (and its CJS and ESM builds), where `instanceof` is not.
    Object.defineProperty(this, ERROR_BRAND, { value: "sdk", enumerable: false, configurable: true });
  }

  /** Serializes code, message and the redacted details only. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}
