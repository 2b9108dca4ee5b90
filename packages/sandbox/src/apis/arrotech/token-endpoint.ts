/**
 * `POST /auth/token` (RFC 6749), form-encoded only, the body checked against the spec's
 * `TokenRequest` (one schema per grant): `client_credentials`, `authorization_code` (redirect_uri
 * must match, code single-use, PKCE S256 verified) and `refresh_token` (rotating; replaying a
 * rotated token revokes its family). Errors carry RFC 6749's `error` and the API's `code`.
 */
import { createHash } from "node:crypto";
import type { components } from "@arrotech/api-client";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { OpenApiDocument } from "../../framework/spec.js";
import { createTokenRequestReader } from "../../framework/token-request.js";
import { randomToken, type AuthState } from "./auth-state.js";
import { safeEqual, sha256, type GrantType, type HubUser, type OAuthApp } from "./identities.js";
import { parseScopes, type Scope } from "./scopes.js";

/** RFC 6749 §5.2 errors the spec declares: `TokenRequestError` (400) and `TokenClientError` (401). */
type OAuthError = components["schemas"]["TokenRequestError"]["error"] | components["schemas"]["TokenClientError"]["error"];
type TokenRequest = components["schemas"]["TokenRequest"];

class OAuthProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly error: OAuthError,
    description: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const fail = (status: ContentfulStatusCode, error: OAuthError, description: string, details?: Record<string, unknown>): never => {
  throw new OAuthProblem(status, error, description, details);
};

function authenticateClient(c: Context, state: AuthState, params: TokenRequest): OAuthApp {
  let clientId = params.client_id;
  let clientSecret = params.client_secret;
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

function requestedScopes(param: string | undefined, allowed: readonly Scope[]): readonly Scope[] {
  if (param === undefined || param.trim() === "") return allowed;
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

async function grant(c: Context, state: AuthState, params: TokenRequest) {
  const app = authenticateClient(c, state, params);
  if (params.grant_type === "client_credentials") {
    requireGrant(app, "client_credentials");
    const scopes = requestedScopes(params.scope, app.scopes);
    const { token, expiresIn } = await state.accessToken({ type: "oauth_client", id: app.clientId, workspaceId: app.workspaceId, scopes });
    count(state, "client_credentials", app.clientId);
    return { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: scopes.join(" ") };
  }
  if (params.grant_type === "authorization_code") {
    requireGrant(app, "authorization_code");
    const key = sha256(params.code);
    const stored = state.codes.get(key);
    state.codes.delete(key); // single use, whatever the outcome
    if (!stored || stored.clientId !== app.clientId || stored.expiresAt <= state.now()) return fail(400, "invalid_grant", "The authorization code is invalid, expired or already used");
    if (stored.redirectUri !== params.redirect_uri) fail(400, "invalid_grant", "redirect_uri does not match the authorization request");
    const verifier = params.code_verifier;
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
  const stored = state.refreshTokens.get(sha256(params.refresh_token));
  if (!stored || stored.clientId !== app.clientId || state.revokedFamilies.has(stored.family)) return fail(400, "invalid_grant", "The refresh token is invalid or revoked");
  if (stored.used) {
    state.revokedFamilies.add(stored.family);
    return fail(400, "invalid_grant", "The refresh token was already used; its family is revoked");
  }
  const scopes = requestedScopes(params.scope, stored.scopes);
  stored.used = true;
  const body = await userTokens(state, app, stored.user, scopes, stored.family);
  count(state, "refresh_token", app.clientId);
  return body;
}

/**
 * The token endpoint: checks the body against the spec's `TokenRequest` (`invalid_request`,
 * `unsupported_grant_type`), then authenticates the client (`invalid_client`) and grants.
 */
export function createTokenEndpoint(state: AuthState, doc: OpenApiDocument): (c: Context, requestId: string) => Promise<Response> {
  const readTokenRequest = createTokenRequestReader<TokenRequest>(doc, "#/components/schemas/TokenRequest", ["form"]);
  return async (c, requestId) => {
    state.counters.total += 1;
    c.header("Cache-Control", "no-store");
    try {
      const request = await readTokenRequest(c.req.raw);
      if (!request.ok) {
        const { failure } = request;
        return failure.kind === "unsupported_grant_type"
          ? fail(400, "unsupported_grant_type", failure.message)
          : fail(400, "invalid_request", failure.message, failure.kind === "invalid" ? { errors: failure.problems.map(({ keyword: _, ...p }) => p) } : undefined);
      }
      return c.json(await grant(c, state, request.params));
    } catch (error) {
      if (!(error instanceof OAuthProblem)) throw error;
      if (error.status === 401) c.header("WWW-Authenticate", 'Basic realm="arrotech"');
      const { error: oauthError, message, details } = error;
      return c.json({ error: oauthError, error_description: message, code: oauthError.toUpperCase() as Uppercase<OAuthError>, message, requestId, ...(details ? { details } : {}) }, error.status);
    }
  };
}
