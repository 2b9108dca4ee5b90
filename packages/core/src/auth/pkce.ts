import { PorticoError } from "../errors/portico-error.js";

/** A PKCE code verifier and its S256 challenge. @see https://www.rfc-editor.org/rfc/rfc7636 */
export interface PkcePair {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: "S256";
}

function webCrypto(): Crypto {
  const crypto = globalThis.crypto;
  if (crypto?.subtle === undefined || typeof crypto.getRandomValues !== "function") {
    throw new PorticoError("INVALID_OPTIONS", "PKCE needs Web Crypto (globalThis.crypto.subtle), which this runtime does not provide.");
  }
  return crypto;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(byteLength: number): string {
  return base64url(webCrypto().getRandomValues(new Uint8Array(byteLength)));
}

/** The S256 challenge of a code verifier: BASE64URL(SHA-256(verifier)). */
export async function pkceChallenge(codeVerifier: string): Promise<string> {
  const digest = await webCrypto().subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}

/**
 * Creates a PKCE pair (43-character verifier from 32 random bytes, S256 challenge) with Web Crypto.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = randomString(32);
  return { codeVerifier, codeChallenge: await pkceChallenge(codeVerifier), codeChallengeMethod: "S256" };
}

/** An unguessable `state` value (32 random bytes, base64url) to bind the redirect to this session. */
export function createState(): string {
  return randomString(32);
}

/** Options of `buildAuthorizeUrl`. */
export interface AuthorizeUrlOptions {
  /** e.g. `https://hub.arrotechsolutions.com/auth/authorize` */
  readonly authorizationUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  readonly scope?: string | readonly string[];
  /** Auth0/IMS API identifier. */
  readonly audience?: string;
  readonly extraParams?: Readonly<Record<string, string>>;
}

/**
 * The URL to send the user to: `response_type=code`, client, redirect, scope, `state` and the
 * S256 code challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const url = new URL(options.authorizationUrl);
  const params = url.searchParams;
  params.set("response_type", "code");
  params.set("client_id", options.clientId);
  params.set("redirect_uri", options.redirectUri);
  if (options.scope !== undefined) params.set("scope", typeof options.scope === "string" ? options.scope : options.scope.join(" "));
  if (options.audience !== undefined) params.set("audience", options.audience);
  params.set("state", options.state);
  params.set("code_challenge", options.codeChallenge);
  params.set("code_challenge_method", "S256");
  for (const [name, value] of Object.entries(options.extraParams ?? {})) params.set(name, value);
  return url.href;
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
