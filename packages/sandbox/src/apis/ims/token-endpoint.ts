/**
 * `POST /oauth/token` of the Auth0-style issuer: JSON or form bodies; `client_credentials` with
 * `audience`, `authorization_code` with PKCE S256, and `refresh_token` with rotation (reuse of a
 * rotated refresh token revokes its whole family). Errors are Auth0's `{ error, error_description }`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { readTokenBody } from "../../framework/token-request.js";
import { randomToken, tokenKey, type AuthState, type RefreshGrant } from "./auth-state.js";
import { sha256, type GrantType, type ImsClient } from "./identities.js";
import { isPermission, type Permission } from "./permissions.js";

/**
 * The errors this issuer answers, as Auth0 does (RFC 6749 §5.2, `access_denied` for audience and
 * scope refusals). `specs/ims.yaml` documents the Auth0 token endpoint in prose only: it declares
 * no token request or error schema, so these checks stay written out here.
 */
type OAuthError = "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "access_denied";

class OAuthProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly error: OAuthError,
    description: string,
  ) {
    super(description);
  }
}

const fail = (status: ContentfulStatusCode, error: OAuthError, description: string): never => {
  throw new OAuthProblem(status, error, description);
};

/** The body's string parameters, from JSON or a form. */
async function readParams(c: Context): Promise<Record<string, string>> {
  const read = await readTokenBody(c.req.raw, ["json", "form"]);
  if (!read.ok) return fail(400, "invalid_request", read.message);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(read.body)) if (typeof v === "string") params[k] = v;
  return params;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Authenticates the client from the body or HTTP Basic; public clients need no secret. */
function authenticateClient(c: Context, state: AuthState, params: Record<string, string>): ImsClient {
  let clientId = params["client_id"];
  let clientSecret = params["client_secret"];
  const basic = /^Basic\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (basic) {
    if (clientSecret !== undefined) fail(400, "invalid_request", "Use one client authentication method, not two");
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    clientId = decodeURIComponent(decoded.slice(0, colon));
    clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!clientId) return fail(400, "invalid_request", "Missing required parameter: client_id");
  const client = state.findClient(clientId);
  if (!client) return fail(401, "invalid_client", "Unknown client");
  if (client.clientSecret !== undefined) {
    if (clientSecret === undefined || !safeEqual(sha256(clientSecret), sha256(client.clientSecret))) {
      fail(401, "invalid_client", "Unauthorized");
    }
  } else if (clientSecret !== undefined) {
    fail(401, "invalid_client", "Public clients must not send a client_secret");
  }
  return client;
}

function requireGrant(client: ImsClient, grant: GrantType): void {
  if (!client.grantTypes.includes(grant)) fail(403, "unauthorized_client", `Grant type '${grant}' not allowed for the client.`);
}

function count(state: AuthState, grant: GrantType, clientId: string, tenantId: string): void {
  const c = state.counters;
  c.byGrant[grant] += 1;
  c.byClient[clientId] = (c.byClient[clientId] ?? 0) + 1;
  c.byTenant[tenantId] = (c.byTenant[tenantId] ?? 0) + 1;
}

async function clientCredentials(state: AuthState, client: ImsClient, params: Record<string, string>) {
  requireGrant(client, "client_credentials");
  const audience = params["audience"];
  if (!audience) fail(403, "access_denied", "No audience parameter was provided, and no default audience has been configured");
  if (audience !== state.config.audience) fail(403, "access_denied", `Service not found: ${audience}`);
  let permissions: readonly Permission[] = client.permissions;
  if (params["scope"]) {
    const requested = params["scope"].split(" ").filter(Boolean);
    const missing = requested.filter((s) => !(client.permissions as readonly string[]).includes(s));
    if (missing.length > 0) fail(403, "access_denied", `Client has not been granted scopes: ${missing.join(", ")}`);
    permissions = requested.filter(isPermission);
  }
  const tenantId = client.tokenTenantId ?? client.tenantId;
  if (!tenantId) return fail(403, "unauthorized_client", "Client is not bound to a tenant");
  const { token, expiresIn } = await state.accessToken({ sub: `${client.clientId}@clients`, tenantId, permissions, clientId: client.clientId, clientCredentials: true });
  count(state, "client_credentials", client.clientId, tenantId);
  return { access_token: token, scope: permissions.join(" "), expires_in: expiresIn, token_type: "Bearer" };
}

async function issueUserTokens(state: AuthState, client: ImsClient, grant: Pick<RefreshGrant, "user" | "permissions" | "scope">, family?: string, nonce?: string) {
  const { token, expiresIn } = await state.accessToken({ sub: grant.user.sub, tenantId: grant.user.tenantId, permissions: grant.permissions, clientId: client.clientId });
  const body: Record<string, string | number> = { access_token: token, scope: grant.scope, expires_in: expiresIn, token_type: "Bearer" };
  const scopes = grant.scope.split(" ");
  if (scopes.includes("offline_access")) {
    const refresh = randomToken();
    state.refreshTokens.set(tokenKey(refresh), { family: family ?? randomToken(12), clientId: client.clientId, user: grant.user, permissions: grant.permissions, scope: grant.scope, used: false });
    body["refresh_token"] = refresh;
  }
  if (scopes.includes("openid")) {
    const iat = Math.floor(state.now() / 1000);
    body["id_token"] = await state.signer.sign({
      iss: state.config.issuer, sub: grant.user.sub, aud: client.clientId, iat, exp: iat + 36_000,
      email: grant.user.email, name: grant.user.name, ...(nonce ? { nonce } : {}),
    });
  }
  return body;
}

async function authorizationCode(state: AuthState, client: ImsClient, params: Record<string, string>) {
  requireGrant(client, "authorization_code");
  const code = params["code"];
  if (!code) return fail(400, "invalid_request", "Missing required parameter: code");
  const key = tokenKey(code);
  const stored = state.codes.get(key);
  state.codes.delete(key); // single use, whatever the outcome
  if (!stored || stored.clientId !== client.clientId || stored.expiresAt <= state.now()) return fail(403, "invalid_grant", "Invalid authorization code");
  if (params["redirect_uri"] !== stored.redirectUri) fail(403, "invalid_grant", "Redirect URI is wrong or missing");
  if (stored.codeChallenge !== undefined) {
    const verifier = params["code_verifier"];
    if (!verifier) fail(403, "invalid_grant", "Parameter 'code_verifier' is required");
    const computed = createHash("sha256").update(verifier ?? "").digest("base64url");
    if (!safeEqual(computed, stored.codeChallenge)) fail(403, "invalid_grant", "Failed to verify code verifier");
  } else if (client.clientSecret === undefined) {
    fail(403, "invalid_grant", "Public clients must use PKCE");
  }
  const body = await issueUserTokens(state, client, stored, undefined, stored.nonce);
  count(state, "authorization_code", client.clientId, stored.user.tenantId);
  return body;
}

async function refreshToken(state: AuthState, client: ImsClient, params: Record<string, string>) {
  requireGrant(client, "refresh_token");
  const presented = params["refresh_token"];
  if (!presented) return fail(400, "invalid_request", "Missing required parameter: refresh_token");
  const grant = state.refreshTokens.get(tokenKey(presented));
  if (!grant || grant.clientId !== client.clientId || state.revokedFamilies.has(grant.family)) return fail(403, "invalid_grant", "Unknown or invalid refresh token.");
  if (grant.used) {
    state.revokedFamilies.add(grant.family); // reuse detection: the whole family dies
    return fail(403, "invalid_grant", "Unknown or invalid refresh token.");
  }
  grant.used = true;
  const body = await issueUserTokens(state, client, grant, grant.family);
  count(state, "refresh_token", client.clientId, grant.user.tenantId);
  return body;
}

/** Handles one token request. */
export async function tokenEndpoint(c: Context, state: AuthState): Promise<Response> {
  state.counters.total += 1;
  c.header("Cache-Control", "no-store");
  try {
    const params = await readParams(c);
    const grantType = params["grant_type"];
    if (!grantType) return fail(400, "invalid_request", "Missing required parameter: grant_type");
    const client = authenticateClient(c, state, params);
    switch (grantType) {
      case "client_credentials":
        return c.json(await clientCredentials(state, client, params));
      case "authorization_code":
        return c.json(await authorizationCode(state, client, params));
      case "refresh_token":
        return c.json(await refreshToken(state, client, params));
      default:
        return fail(400, "unsupported_grant_type", `Unsupported grant type: ${grantType}`);
    }
  } catch (error) {
    if (!(error instanceof OAuthProblem)) throw error;
    if (error.error === "invalid_client") c.header("WWW-Authenticate", 'Basic realm="atrope"');
    return c.json({ error: error.error, error_description: error.message }, error.status);
  }
}
