/**
 * The work of `completeSignIn` once the address bar is clean: the pending sign-in, the redirect's
 * errors, the code exchange and the `nonce` check. Loaded with `import()` on the redirect URI only,
 * so other pages leave it out of what they load up front.
 */
import { exchangeAuthorizationCode } from "@portico/core";
import { redact } from "@portico/core/internal";
import { SignInError } from "../errors.js";
import { webStorage } from "../internal/web-storage.js";
import { idTokenNonce } from "../session/id-token.js";
import { browserSession, sessionParts } from "../session/browser-session.js";
import type { CompletedSignIn, CompleteSignInOptions } from "./complete-sign-in.js";
import { takePendingSignIn } from "./pending-sign-in.js";
import { readRedirect } from "./redirect-params.js";

/** Completes the sign-in whose redirect is `url` (see `completeSignIn`). */
export async function finishSignIn(url: URL, options: CompleteSignInOptions): Promise<CompletedSignIn> {
  const redirect = readRedirect(url);
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
