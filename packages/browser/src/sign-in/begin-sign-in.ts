import { loadChunk } from "../internal/load-chunk.js";
import type { StorageLike } from "../internal/web-storage.js";

/** Options of `beginSignIn`. */
export interface BeginSignInOptions {
  /** The authorization endpoint, e.g. `https://hub.arrotechsolutions.com/auth/authorize` or Auth0's `/authorize`. */
  readonly authorizeUrl: string;
  readonly clientId: string;
  /** Where the authorization server sends the user back; registered with the client. */
  readonly redirectUri: string;
  /** Requested scopes, space-separated or a list, e.g. `"data:read"`. */
  readonly scope?: string | readonly string[];
  /** Auth0/IMS API identifier (`https://api.atrope.dev`). */
  readonly audience?: string;
  /**
   * OIDC: `true` sends a random `nonce` (or this string) and `completeSignIn` checks the ID
   * token carries it. @default false
   */
  readonly nonce?: boolean | string;
  /** Any further authorize parameters (`prompt`, `login_hint`, ...). */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Where the app wants to go after signing in; handed back by `completeSignIn`. */
  readonly returnTo?: string;
  /** Where the verifier and state wait for the redirect. @default sessionStorage */
  readonly storage?: StorageLike;
  /** Navigate there at once (`location.assign`). @default false */
  readonly navigate?: boolean;
}

/** The authorize URL to send the user to. */
export interface SignInRedirect {
  readonly url: string;
}

/**
 * Starts an Authorization Code + PKCE sign-in: creates an S256 code verifier (Web Crypto) and a
 * random `state` (and `nonce` for OIDC), keeps them in sessionStorage for `completeSignIn`, and
 * returns the authorize URL (navigating to it with `navigate: true`).
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE), https://www.rfc-editor.org/rfc/rfc9700#section-2.1 (state, PKCE for browsers)
 * @example const { url } = await beginSignIn({ authorizeUrl, clientId, redirectUri: location.origin + "/callback", scope: "data:read" }); location.assign(url);
 */
export async function beginSignIn(options: BeginSignInOptions): Promise<SignInRedirect> {
  const { startSignIn } = await loadChunk("beginSignIn", "The sign-in did not start", () => import("./start-sign-in.js"));
  return startSignIn(options);
}
