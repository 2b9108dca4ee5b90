import { exchangeAuthorizationCode } from "@portico/core";
import { redact } from "@portico/core/internal";
import { SignInError } from "../errors.js";
import { webStorage, type StorageLike } from "../internal/web-storage.js";
import { idTokenNonce } from "../session/id-token.js";
import { browserSession, sessionParts, type BrowserSession, type BrowserSessionOptions } from "../session/browser-session.js";
import { takePendingSignIn } from "./pending-sign-in.js";
import { cleanAddressBar, readRedirect } from "./redirect-params.js";

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
  const redirect = readRedirect(parsed);
  if (options.cleanUrl !== false) cleanAddressBar(parsed);
  const storage = options.storage ?? webStorage("sessionStorage");
  if (storage === undefined) {
    throw new SignInError("STORAGE_UNAVAILABLE", "completeSignIn: sessionStorage is not available in this page, so the pending sign-in cannot be read; pass the `storage` given to beginSignIn.");
  }
  const { pending, othersPending } = takePendingSignIn(storage, options.clientId, redirect.state, Date.now());
  if (pending === undefined) {
    if (othersPending) {
      throw new SignInError(
        "STATE_MISMATCH",
        "completeSignIn: the redirect's state does not match the sign-in this tab started; the redirect may be forged or stale. Start the sign-in again.",
      );
    }
    throw new SignInError("SIGN_IN_NOT_STARTED", "completeSignIn: this tab has no pending sign-in (it was started in another tab, already completed, or expired). Start the sign-in again.");
  }
  if (redirect.kind === "error") {
    const description = redirect.description === undefined ? undefined : redact(redirect.description);
    const details = { oauthError: redact(redirect.error), ...(description !== undefined ? { oauthErrorDescription: description } : {}) };
    if (redirect.error === "access_denied") {
      throw new SignInError("AUTHORIZATION_DENIED", "Sign-in was refused (access_denied): the user declined or may not use this application.", details);
    }
    throw new SignInError("AUTHORIZATION_FAILED", `Sign-in failed at the authorization server (${details.oauthError}).`, details);
  }
  if (redirect.kind === "none") {
    throw new SignInError("AUTHORIZATION_CODE_MISSING", "completeSignIn: the redirect carries neither `code` nor `error`.");
  }

  const parts = sessionParts("completeSignIn", options);
  const { storage: _storage, cleanUrl: _clean, ...exchangeExtra } = parts.coreOptions as typeof parts.coreOptions & { storage?: unknown; cleanUrl?: unknown };
  let inner;
  try {
    inner = await exchangeAuthorizationCode({
      ...exchangeExtra,
      code: redirect.code,
      state: redirect.state ?? "",
      expectedState: pending.state,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
    });
  } catch (error) {
    parts.cache.close();
    throw error;
  }
  const idToken = inner.idToken;
  if (pending.nonce !== undefined && idToken !== undefined && idTokenNonce(idToken) !== pending.nonce) {
    parts.cache.signOut();
    throw new SignInError("NONCE_MISMATCH", "completeSignIn: the ID token's nonce is not the one this sign-in sent; the response may be replayed. Start the sign-in again.");
  }
  return { ...browserSession(inner, parts.cache), returnTo: pending.returnTo };
}
