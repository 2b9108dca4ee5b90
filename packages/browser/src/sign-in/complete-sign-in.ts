import { loadChunk } from "../internal/load-chunk.js";
import type { StorageLike } from "../internal/web-storage.js";
import type { BrowserSession, BrowserSessionOptions } from "../session/browser-session.js";
import { cleanAddressBar } from "./address-bar.js";

/** Options of `completeSignIn`: the token endpoint and session options, plus where `beginSignIn` kept its state. */
export type CompleteSignInOptions = BrowserSessionOptions & {
  /** Where `beginSignIn` kept the verifier and state. @default sessionStorage */
  readonly storage?: StorageLike;
  /** Remove `code`, `state` (and `error`) from the address bar with `history.replaceState`. @default true */
  readonly cleanUrl?: boolean;
  /** Further token request parameters (e.g. `audience` for some Auth0 setups). */
  readonly extraParams?: Readonly<Record<string, string>>;
};

/** A completed sign-in: the session, and where the app wanted to go. */
export interface CompletedSignIn extends BrowserSession {
  /** The `returnTo` given to `beginSignIn`. */
  readonly returnTo: string | undefined;
}

/**
 * Completes the sign-in on the redirect URI: checks `state` against the one this tab created
 * (`STATE_MISMATCH`, before any request), turns `error=access_denied` and other redirect errors
 * into `SignInError`s, exchanges the code with the PKCE verifier (core's `exchangeAuthorizationCode`),
 * checks the OIDC `nonce`, cleans the address bar, and returns a session whose credential
 * refreshes with the (rotating) refresh token, one tab at a time.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @example const { credential } = await completeSignIn(location.href, { tokenUrl, clientId }); createImsApiClient({ auth: credential });
 */
export async function completeSignIn(url: string | URL, options: CompleteSignInOptions): Promise<CompletedSignIn> {
  const parsed = new URL(String(url));
  if (options.cleanUrl !== false) cleanAddressBar(parsed);
  const { finishSignIn } = await loadChunk("completeSignIn", "The sign-in was not completed", () => import("./finish-sign-in.js"));
  return finishSignIn(parsed, options);
}
