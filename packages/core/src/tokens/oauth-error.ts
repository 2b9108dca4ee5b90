import { PorticoError, type PorticoErrorDetails } from "../errors/portico-error.js";

/**
 * A token endpoint answered with an OAuth 2.0 error response (`{ error, error_description }`).
 * `code` is `TOKEN_REFRESH_FAILED`; `oauthError` is the server's `error` (`invalid_client`, ...).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthTokenError extends PorticoError<"TOKEN_REFRESH_FAILED"> {
  override readonly name: string = "OAuthTokenError";
  /** The `error` field of the response, e.g. `invalid_grant`. */
  readonly oauthError: string;
  /** The `error_description`, redacted. */
  readonly oauthErrorDescription: string | undefined;

  constructor(message: string, oauthError: string, oauthErrorDescription: string | undefined, details: PorticoErrorDetails = {}) {
    super("TOKEN_REFRESH_FAILED", message, { ...details, oauthError, oauthErrorDescription });
    this.oauthError = oauthError;
    this.oauthErrorDescription = oauthErrorDescription;
  }
}
