/**
 * The work of `beginSignIn`: the PKCE pair, `state` and `nonce`, the pending sign-in and the
 * authorize URL. Loaded with `import()` when a sign-in starts, so pages of a signed-in user
 * (most page loads) leave it out of what they load up front.
 */
import { buildAuthorizeUrl, createPkcePair, createState, PorticoError } from "@portico/core";
import { SignInError } from "../errors.js";
import { webStorage } from "../internal/web-storage.js";
import type { BeginSignInOptions, SignInRedirect } from "./begin-sign-in.js";
import { savePendingSignIn } from "./pending-sign-in.js";

const RESERVED = ["response_type", "client_id", "redirect_uri", "scope", "audience", "state", "code_challenge", "code_challenge_method", "nonce"];

/** Starts the sign-in `beginSignIn` describes. */
export async function startSignIn(options: BeginSignInOptions): Promise<SignInRedirect> {
  for (const name of RESERVED) {
    if (options.extraParams !== undefined && Object.hasOwn(options.extraParams, name)) {
      throw new PorticoError("INVALID_OPTIONS", `beginSignIn: "extraParams.${name}" is set by its own option.`, { option: `extraParams.${name}` });
    }
  }
  const storage = options.storage ?? webStorage("sessionStorage");
  if (storage === undefined) {
    throw new SignInError("STORAGE_UNAVAILABLE", "beginSignIn: sessionStorage is not available in this page, so the sign-in cannot survive the redirect; pass a `storage`.");
  }
  const pkce = await createPkcePair();
  const state = createState();
  const nonce = options.nonce === true ? createState() : typeof options.nonce === "string" && options.nonce !== "" ? options.nonce : undefined;
  const url = buildAuthorizeUrl({
    authorizationUrl: options.authorizeUrl,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    state,
    codeChallenge: pkce.codeChallenge,
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    extraParams: { ...options.extraParams, ...(nonce !== undefined ? { nonce } : {}) },
  });
  const saved = savePendingSignIn(storage, {
    state,
    codeVerifier: pkce.codeVerifier,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    createdAt: Date.now(),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(options.returnTo !== undefined ? { returnTo: options.returnTo } : {}),
  });
  if (!saved) throw new SignInError("STORAGE_UNAVAILABLE", "beginSignIn: the sign-in could not be stored (storage full or blocked).");
  if (options.navigate === true) globalThis.location.assign(url);
  return { url };
}
