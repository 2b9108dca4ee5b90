/**
 * The grants of the token credentials, each a pair as oauth4webapi pairs them: one function
 * builds the token endpoint request, one reads what came back. The credential shell
 * (`auth/token-credential.ts`) sends the request (`postTokenRequest`) between the two and keeps
 * the token; nothing here holds state.
 *
 * - client credentials (RFC 6749 §4.4): `clientCredentialsRequest` → `tokenEndpointResponse`
 * - refresh token (§6): `refreshTokenRequest` → `tokenEndpointResponse` (keeping the refresh token when not rotated)
 * - authorization code (§4.1.3): `authorizationCodeRequest` → `tokenEndpointResponse` (and the `id_token`)
 * - a provider function: `providerRequest` (calls it) → `providerResponse`
 */
import type { ClaimNames } from "../auth/credential.js";
import type { Fetcher } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import type { Clock } from "../internal/clock.js";
import { redact, safeCause } from "../internal/redact.js";
import type { CachedToken } from "./token-cache.js";
import type { RefreshReason } from "./token-manager.js";
import { describeEndpoint, type ClientAuthentication, type TokenEndpointAnswer, type TokenEndpointRequest } from "./token-request.js";
import { cachedTokenFrom, parseTokenResponse, type TokenFields } from "./token-response.js";

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

/** What a token provider returns. Without `expiresAt`/`expiresIn`, the JWT `exp` or the default lifetime applies. */
export interface ProvidedToken {
  readonly accessToken: string;
  /** Absolute expiry: epoch seconds/ms, ISO 8601 or Date. */
  readonly expiresAt?: number | string | Date;
  /** Lifetime in seconds from now. */
  readonly expiresIn?: number;
  /** Granted scopes, if known. */
  readonly scopes?: readonly string[];
}

/** A user-supplied async source of access tokens (a vault, a sidecar, another SDK). */
export type TokenProviderFunction = (context: {
  readonly reason: RefreshReason;
  /** Aborted when every call waiting for this token has been aborted (never for a background refresh). */
  readonly signal?: AbortSignal;
}) => Promise<ProvidedToken> | ProvidedToken;

/**
 * The request half of a provider "grant": calls the provider. Its failure is
 * `TOKEN_REFRESH_FAILED` whose cause has `held` (the token it provided before) redacted.
 */
export async function providerRequest(
  provide: TokenProviderFunction,
  context: { readonly reason: RefreshReason; readonly signal?: AbortSignal | undefined },
  label: string,
  held: string | undefined,
): Promise<unknown> {
  try {
    return await provide({ reason: context.reason, ...(context.signal !== undefined ? { signal: context.signal } : {}) });
  } catch (error) {
    // Its error may name the token it provided before: this credential's secret.
    const cause = safeCause(error, (text) => redact(text, held === undefined ? [] : [held]));
    throw new PorticoError("TOKEN_REFRESH_FAILED", `The token provider of credential ${label} failed.`, { credential: label, cause });
  }
}

/**
 * The first member of a provider's result that is not what `ProvidedToken` says, as its path
 * (`"(result)"` when the result is not an object), or undefined when it is a token.
 */
function providedTokenProblem(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null || Array.isArray(result)) return "(result)";
  const { accessToken, expiresAt, expiresIn, scopes } = result as Record<string, unknown>;
  if (typeof accessToken !== "string" || accessToken.length === 0) return "accessToken";
  const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (expiresAt !== undefined && !finite(expiresAt) && typeof expiresAt !== "string" && !(expiresAt instanceof Date && !Number.isNaN(expiresAt.getTime()))) return "expiresAt";
  if (expiresIn !== undefined && !(finite(expiresIn) && expiresIn > 0)) return "expiresIn";
  if (scopes === undefined) return undefined;
  if (!Array.isArray(scopes)) return "scopes";
  const bad = scopes.findIndex((scope) => typeof scope !== "string");
  return bad === -1 ? undefined : `scopes.${bad}`;
}

/**
 * The response half of a provider "grant": a result that is not `{ accessToken, expiresAt? |
 * expiresIn?, scopes? }` is `TOKEN_RESPONSE_INVALID` naming the field.
 */
export function providerResponse(result: unknown, label: string, obtainedAt: number, defaultLifetimeSeconds: number, claims: ClaimNames | undefined): CachedToken {
  const field = providedTokenProblem(result);
  if (field !== undefined) {
    throw new PorticoError("TOKEN_RESPONSE_INVALID", `The token provider of credential ${label} returned an invalid "${field}".`, { field });
  }
  const { accessToken, expiresAt, expiresIn, scopes } = result as ProvidedToken;
  return cachedTokenFrom(
    { accessToken, ...(expiresIn !== undefined ? { expiresIn } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}), ...(scopes ? { scope: scopes } : {}) },
    { obtainedAt, defaultLifetimeSeconds },
    `the token provider of ${label}`,
    claims,
  );
}
