/**
 * `POST /auth/token` (RFC 6749), form-encoded only: `client_credentials`, `authorization_code`
 * (redirect_uri must match, code single-use, PKCE S256 verified) and `refresh_token` (rotating;
 * replaying a rotated token revokes its family). Errors carry RFC 6749's `error` and the API's `code`.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { randomToken, type AuthState } from "./auth-state.js";
import { safeEqual, sha256, type GrantType, type HubUser, type OAuthApp } from "./identities.js";
import { parseScopes, type Scope } from "./scopes.js";

class OAuthProblem extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly error: string, description: string) {
    super(description);
  }
}

const fail = (status: ContentfulStatusCode, error: string, description: string): never => {
  throw new OAuthProblem(status, error, description);
};

function authenticateClient(c: Context, state: AuthState, params: URLSearchParams): OAuthApp {
  let clientId = params.get("client_id") ?? undefined;
  let clientSecret = params.get("client_secret") ?? undefined;
  const basic = /^Basic\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (basic) {
    if (clientSecret !== undefined) fail(400, "invalid_request", "Use one client authentication method, not two");
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) fail(401, "invalid_client", "Client authentication failed");
    const basicId = decodeURIComponent(decoded.slice(0, colon));
    if (clientId !== undefined && clientId !== basicId) fail(400, "invalid_request", "client_id differs from the Basic credentials");
    clientId = basicId;
    clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!clientId) return fail(400, "invalid_request", "client_id is required");
  const app = state.findApp(clientId);
  if (!app) return fail(401, "invalid_client", "Client authentication failed");
  if (app.clientSecret !== undefined) {
    if (clientSecret === undefined || !safeEqual(sha256(clientSecret), sha256(app.clientSecret))) fail(401, "invalid_client", "Client authentication failed");
  } else if (clientSecret !== undefined) {
    fail(401, "invalid_client", "Public clients have no client_secret");
  }
  return app;
}

function requireGrant(app: OAuthApp, grant: GrantType): void {
  if (!app.grantTypes.includes(grant)) fail(400, "unauthorized_client", `This client may not use the ${grant} grant`);
}

function requestedScopes(param: string | null, allowed: readonly Scope[]): readonly Scope[] {
  if (param === null || param.trim() === "") return allowed;
  const scopes = parseScopes(param);
  if (!scopes) return fail(400, "invalid_scope", "Unknown scope requested");
  const extra = scopes.filter((s) => !allowed.includes(s));
  if (extra.length > 0) fail(400, "invalid_scope", `Scope not granted to this client: ${extra.join(" ")}`);
  return scopes;
}

function count(state: AuthState, grant: GrantType, clientId: string): void {
  state.counters.byGrant[grant] += 1;
  state.counters.byClient[clientId] = (state.counters.byClient[clientId] ?? 0) + 1;
}

async function userTokens(state: AuthState, app: OAuthApp, user: HubUser, scopes: readonly Scope[], family?: string) {
  const { token, expiresIn } = await state.accessToken({ type: "oauth_user", id: user.id, workspaceId: user.workspaceId, scopes });
  const refresh = randomToken();
  state.refreshTokens.set(sha256(refresh), { family: family ?? randomToken(12), clientId: app.clientId, user, scopes, used: false });
  return { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: scopes.join(" "), refresh_token: refresh };
}

async function grant(c: Context, state: AuthState, params: URLSearchParams) {
  const grantType = params.get("grant_type");
  if (!grantType) return fail(400, "invalid_request", "grant_type is required");
  if (!["client_credentials", "authorization_code", "refresh_token"].includes(grantType)) return fail(400, "unsupported_grant_type", `Unsupported grant_type: ${grantType}`);
  const app = authenticateClient(c, state, params);
  if (grantType === "client_credentials") {
    requireGrant(app, "client_credentials");
    const scopes = requestedScopes(params.get("scope"), app.scopes);
    const { token, expiresIn } = await state.accessToken({ type: "oauth_client", id: app.clientId, workspaceId: app.workspaceId, scopes });
    count(state, "client_credentials", app.clientId);
    return { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: scopes.join(" ") };
  }
  if (grantType === "authorization_code") {
    requireGrant(app, "authorization_code");
    const code = params.get("code");
    const redirectUri = params.get("redirect_uri");
    if (!code || !redirectUri) return fail(400, "invalid_request", "code and redirect_uri are required");
    const key = sha256(code);
    const stored = state.codes.get(key);
    state.codes.delete(key); // single use, whatever the outcome
    if (!stored || stored.clientId !== app.clientId || stored.expiresAt <= state.now()) return fail(400, "invalid_grant", "The authorization code is invalid, expired or already used");
    if (stored.redirectUri !== redirectUri) fail(400, "invalid_grant", "redirect_uri does not match the authorization request");
    const verifier = params.get("code_verifier");
    if (stored.codeChallenge !== undefined) {
      if (!verifier) fail(400, "invalid_grant", "code_verifier is required");
      if (!safeEqual(createHash("sha256").update(verifier ?? "").digest("base64url"), stored.codeChallenge)) fail(400, "invalid_grant", "code_verifier does not match the code_challenge");
    } else if (verifier) {
      fail(400, "invalid_grant", "code_verifier sent but the authorization request had no code_challenge");
    }
    const body = await userTokens(state, app, stored.user, stored.scopes);
    count(state, "authorization_code", app.clientId);
    return body;
  }
  requireGrant(app, "refresh_token");
  const presented = params.get("refresh_token");
  if (!presented) return fail(400, "invalid_request", "refresh_token is required");
  const stored = state.refreshTokens.get(sha256(presented));
  if (!stored || stored.clientId !== app.clientId || state.revokedFamilies.has(stored.family)) return fail(400, "invalid_grant", "The refresh token is invalid or revoked");
  if (stored.used) {
    state.revokedFamilies.add(stored.family);
    return fail(400, "invalid_grant", "The refresh token was already used; its family is revoked");
  }
  const scopes = requestedScopes(params.get("scope"), stored.scopes);
  stored.used = true;
  const body = await userTokens(state, app, stored.user, scopes, stored.family);
  count(state, "refresh_token", app.clientId);
  return body;
}

/** Handles one token request. */
export async function tokenEndpoint(c: Context, state: AuthState, requestId: string): Promise<Response> {
  state.counters.total += 1;
  c.header("Cache-Control", "no-store");
  try {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") fail(400, "invalid_request", "The token endpoint accepts application/x-www-form-urlencoded bodies only");
    return c.json(await grant(c, state, new URLSearchParams(await c.req.text())));
  } catch (error) {
    if (!(error instanceof OAuthProblem)) throw error;
    if (error.status === 401) c.header("WWW-Authenticate", 'Basic realm="arrotech"');
    return c.json({ error: error.error, error_description: error.message, code: error.error.toUpperCase(), message: error.message, requestId }, error.status);
  }
}
