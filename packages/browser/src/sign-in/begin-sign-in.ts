import { buildAuthorizeUrl, createPkcePair, createState, PorticoError } from "@portico/core";
import { SignInError } from "../errors.js";
import { webStorage, type StorageLike } from "../internal/web-storage.js";
import { savePendingSignIn } from "./pending-sign-in.js";

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

const RESERVED = ["response_type", "client_id", "redirect_uri", "scope", "audience", "state", "code_challenge", "code_challenge_method", "nonce"];

/**
 * Starts an Authorization Code + PKCE sign-in: creates an S256 code verifier (Web Crypto) and a
 * random `state` (and `nonce` for OIDC), keeps them in sessionStorage for `completeSignIn`, and
 * returns the authorize URL (navigating to it with `navigate: true`).
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE), https://www.rfc-editor.org/rfc/rfc9700#section-2.1 (state, PKCE for browsers)
 * @example const { url } = await beginSignIn({ authorizeUrl, clientId, redirectUri: location.origin + "/callback", scope: "data:read" }); location.assign(url);
 */
export async function beginSignIn(options: BeginSignInOptions): Promise<SignInRedirect> {
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
