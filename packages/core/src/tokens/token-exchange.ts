/**
 * portico's token endpoint client: one token request of an OAuth grant, from the request the
 * grant builds (`grants.ts`), through the POST (`postTokenRequest`), to the token read from the
 * answer (`tokenEndpointResponse`). A credential runs it only when it needs a token, so
 * `loadTokenExchange` (`auth/token-credential.ts`) loads it with the first token request: a chunk
 * of its own in an app's bundle, which a page that holds a valid token never fetches.
 */
import type { ClaimNames } from "../auth/credential.js";
import {
  authorizationCodeRequest,
  clientCredentialsRequest,
  refreshTokenRequest,
  tokenEndpointResponse,
  type AuthorizationCodeGrant,
  type ClientCredentialsGrant,
  type TokenClient,
  type TokenEndpointResult,
  type TokenLifetimes,
  type TokenTransport,
} from "./grants.js";
import type { CachedToken } from "./token-cache.js";
import { postTokenRequest } from "./token-request.js";

/**
 * A token by the client credentials grant (RFC 6749 §4.4) from the endpoint at `url`. Fails as
 * `postTokenRequest` and `tokenEndpointResponse` do.
 */
export async function clientCredentialsToken(
  url: string,
  client: TokenClient,
  grant: ClientCredentialsGrant,
  transport: TokenTransport,
  lifetimes: TokenLifetimes,
  claims: ClaimNames | undefined,
): Promise<CachedToken> {
  return tokenEndpointResponse(await postTokenRequest(clientCredentialsRequest(url, client, grant, transport)), url, lifetimes, claims).token;
}

/**
 * A token by the refresh token grant (RFC 6749 §6), presenting `refreshToken`, which the token
 * keeps when the server does not rotate it. A refused refresh token is an `OAuthTokenError`
 * (`invalid_grant`).
 */
export async function refreshedToken(
  url: string,
  client: TokenClient,
  refreshToken: string,
  transport: TokenTransport,
  lifetimes: TokenLifetimes,
  claims: ClaimNames | undefined,
): Promise<TokenEndpointResult> {
  return tokenEndpointResponse(await postTokenRequest(refreshTokenRequest(url, client, refreshToken, transport)), url, lifetimes, claims, refreshToken);
}

/** The tokens of an authorization code exchange (RFC 6749 §4.1.3), with the `id_token` when the answer has one. */
export async function authorizationCodeTokens(
  url: string,
  client: TokenClient,
  grant: AuthorizationCodeGrant,
  transport: TokenTransport,
  lifetimes: TokenLifetimes,
  claims: ClaimNames | undefined,
): Promise<TokenEndpointResult> {
  return tokenEndpointResponse(await postTokenRequest(authorizationCodeRequest(url, client, grant, transport)), url, lifetimes, claims);
}
