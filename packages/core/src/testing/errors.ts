import { PorticoError, type PorticoErrorDetails } from "../errors/portico-error.js";

/** Codes of the errors `@portico/core/testing` produces, stable across releases. */
export const TestingErrorCode = {
  /**
   * A request matched no route of a fake fetcher. The fetcher rejects with it (no retry: it is
   * not a network error), so a client call ends with it in `{ error }`, or throws it under
   * `throwOnError`; the message names the request and the known routes.
   */
  UNHANDLED_REQUEST: "UNHANDLED_REQUEST",
  /** A route answered something that is not a reply: no valid `status`, both `body` and `text`, a body on a 204, ... */
  INVALID_REPLY: "INVALID_REPLY",
  /** `fakeFetcher` or `recordingFetcher` was given routes or options it cannot use (thrown at construction). */
  INVALID_OPTIONS: "INVALID_OPTIONS",
} as const;

/** Union of the testing entry's error codes. */
export type TestingErrorCode = (typeof TestingErrorCode)[keyof typeof TestingErrorCode];

/** An error of the testing entry: a `PorticoError` whose `code` is a {@link TestingErrorCode}. */
export class TestingError<Code extends TestingErrorCode = TestingErrorCode> extends PorticoError<Code> {
  override readonly name: string = "TestingError";

  constructor(code: Code, message: string, details: PorticoErrorDetails = {}) {
    super(code, message, details);
  }
}
