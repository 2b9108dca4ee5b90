/**
 * The grants of the token credentials, each a pair as oauth4webapi pairs them: one function
 * builds the token endpoint request, one reads what came back. For the OAuth grants, the token
 * endpoint client (`token-exchange.ts`, loaded with the first token request) sends the request
 * (`postTokenRequest`) between the two; the credential shell (`auth/token-credential.ts`) keeps
 * the token. Nothing here holds state.
 *
 * - client credentials (RFC 6749 §4.4): `clientCredentialsRequest` → `tokenEndpointResponse`
 * - refresh token (§6): `refreshTokenRequest` → `tokenEndpointResponse` (keeping the refresh token when not rotated)
 * - authorization code (§4.1.3): `authorizationCodeRequest` → `tokenEndpointResponse` (and the `id_token`)
 *
 * A provider function's "grant" (`tokenProvider`) is in `provider-grant.ts`.
 */
import type { ClaimNames } from "../auth/credential.js";
import type { Fetcher } from "../client/types.js";
import type { Clock } from "../internal/clock.js";
import type { CachedToken } from "./token-cache.js";
import { describeEndpoint, type ClientAuthentication, type TokenEndpointAnswer, type TokenEndpointRequest } from "./token-request.js";
import { cachedTokenFrom, type TokenFields } from "./cached-token.js";
import { parseTokenResponse } from "./token-response.js";

/** The client as the token endpoint knows it. */
export interface TokenClient {
  readonly clientId: string;
  /** Confidential clients only. */
  readonly clientSecret?: string | undefined;
  /** `client_secret_basic`: id and secret in `Authorization: Basic`; otherwise (`client_secret_post`) in the body. */
  readonly authentication?: ClientAuthentication | undefined;
}

/** How a token request travels. */
export interface TokenTransport {
  readonly encoding: "json" | "form";
  readonly clock: Clock;
  readonly fetcher?: Fetcher | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Lifetime rules of the tokens of an endpoint. */
export interface TokenLifetimes {
  /** Lifetime assumed when the response states none. @default 3600 */
  readonly defaultLifetimeSeconds?: number | undefined;
  /** Cap on any lifetime. */
  readonly maxLifetimeSeconds?: number | undefined;
}

type Params = Record<string, string | number>;

/** The client's identity in the body: id (and secret), unless it goes in `Authorization: Basic`. */
function clientParams(client: TokenClient): Params {
  if (client.clientSecret === undefined) return { client_id: client.clientId };
  return client.authentication === "client_secret_basic" ? {} : { client_id: client.clientId, client_secret: client.clientSecret };
}

/** A POST to `url` carrying `params`, authenticated as `client`; `secrets` are what `params` carry besides the client secret. */
function endpointRequest(url: string, client: TokenClient, params: Params, transport: TokenTransport, secrets: readonly string[]): TokenEndpointRequest {
  const secret = client.clientSecret;
  return {
    url,
    params,
    encoding: transport.encoding,
    clock: transport.clock,
    secrets: secret === undefined ? secrets : [secret, ...secrets],
    ...(secret !== undefined && client.authentication === "client_secret_basic" ? { basicAuth: { clientId: client.clientId, clientSecret: secret } } : {}),
    ...(transport.fetcher !== undefined ? { fetcher: transport.fetcher } : {}),
    ...(transport.timeoutMs !== undefined ? { timeoutMs: transport.timeoutMs } : {}),
    ...(transport.signal !== undefined ? { signal: transport.signal } : {}),
  };
}

/** What a client-credentials request asks for besides a token. */
export interface ClientCredentialsGrant {
  readonly audience?: string | undefined;
  /** Space-separated. */
  readonly scope?: string | undefined;
  /** Sent as `expires_in`. */
  readonly lifetimeSeconds?: number | undefined;
  readonly extraParams?: Readonly<Params> | undefined;
}

/** The client credentials grant's request (RFC 6749 §4.4.2). */
export function clientCredentialsRequest(url: string, client: TokenClient, grant: ClientCredentialsGrant, transport: TokenTransport): TokenEndpointRequest {
  const params: Params = {
    grant_type: "client_credentials",
    ...clientParams(client),
    ...(grant.audience !== undefined ? { audience: grant.audience } : {}),
    ...(grant.scope !== undefined ? { scope: grant.scope } : {}),
    ...(grant.lifetimeSeconds !== undefined ? { expires_in: grant.lifetimeSeconds } : {}),
    ...grant.extraParams,
  };
  return endpointRequest(url, client, params, transport, []);
}

/** The refresh token grant's request (RFC 6749 §6). */
export function refreshTokenRequest(url: string, client: TokenClient, refreshToken: string, transport: TokenTransport): TokenEndpointRequest {
  return endpointRequest(url, client, { grant_type: "refresh_token", refresh_token: refreshToken, ...clientParams(client) }, transport, [refreshToken]);
}

/** What the authorization code exchange sends besides the client. */
export interface AuthorizationCodeGrant {
  readonly code: string;
  readonly redirectUri: string;
  /** The PKCE verifier. */
  readonly codeVerifier?: string | undefined;
  readonly extraParams?: Readonly<Record<string, string>> | undefined;
}

/** The authorization code grant's request (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function authorizationCodeRequest(url: string, client: TokenClient, grant: AuthorizationCodeGrant, transport: TokenTransport): TokenEndpointRequest {
  const { code, codeVerifier } = grant;
  const params: Params = {
    grant_type: "authorization_code",
    code,
    redirect_uri: grant.redirectUri,
    ...clientParams(client),
    ...(codeVerifier !== undefined ? { code_verifier: codeVerifier } : {}),
    ...grant.extraParams,
  };
  return endpointRequest(url, client, params, transport, codeVerifier === undefined ? [code] : [code, codeVerifier]);
}

/** A token endpoint's answer, read. */
export interface TokenEndpointResult {
  readonly token: CachedToken;
  /** The response as validated (its `refreshToken` is absent when the server did not send one). */
  readonly fields: TokenFields;
  /** The OpenID Connect `id_token`, when the response has one. */
  readonly idToken: string | undefined;
}

/**
 * The response half of every OAuth grant: validates the body (`TOKEN_RESPONSE_INVALID` naming the
 * field) and turns it into the token to cache. `presentedRefreshToken`: the refresh token the
 * request presented, kept on the token when the server does not rotate it.
 */
export function tokenEndpointResponse(
  answer: TokenEndpointAnswer,
  url: string,
  lifetimes: TokenLifetimes,
  claims: ClaimNames | undefined,
  presentedRefreshToken?: string,
): TokenEndpointResult {
  const source = describeEndpoint(url);
  const fields = parseTokenResponse(answer.body, source);
  const kept = presentedRefreshToken !== undefined && fields.refreshToken === undefined ? { ...fields, refreshToken: presentedRefreshToken } : fields;
  const timing = {
    obtainedAt: answer.obtainedAt,
    ...(answer.serverDate !== undefined ? { serverDate: answer.serverDate } : {}),
    ...(lifetimes.defaultLifetimeSeconds !== undefined ? { defaultLifetimeSeconds: lifetimes.defaultLifetimeSeconds } : {}),
    ...(lifetimes.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: lifetimes.maxLifetimeSeconds } : {}),
  };
  const idToken = (answer.body as { id_token?: unknown }).id_token;
  return { token: cachedTokenFrom(kept, timing, source, claims), fields, idToken: typeof idToken === "string" && idToken.length > 0 ? idToken : undefined };
}
