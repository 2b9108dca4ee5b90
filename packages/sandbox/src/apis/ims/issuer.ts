/**
 * The Auth0-style issuer on the `auth` origin: `GET /authorize` (auto-approves for a seeded user),
 * `POST /oauth/token`, `GET /.well-known/jwks.json` and `GET /.well-known/openid-configuration`.
 */
import { Hono, type Context } from "hono";
import { randomToken, tokenKey, type AuthState } from "./auth-state.js";
import { redirectUriAllowed, type ImsUser } from "./identities.js";
import { isPermission, PERMISSIONS, type Permission } from "./permissions.js";
import { tokenEndpoint } from "./token-endpoint.js";

/** Authorization codes live ten minutes. */
const CODE_TTL_MS = 10 * 60 * 1000;

function redirectWith(c: Context, redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return c.redirect(url.toString(), 302);
}

function authorize(c: Context, state: AuthState): Response {
  const q = c.req.query();
  const client = q["client_id"] ? state.findClient(q["client_id"]) : undefined;
  if (!client) return c.json({ error: "invalid_request", error_description: "Unknown client_id" }, 400);
  const redirectUri = q["redirect_uri"];
  if (!redirectUri || !redirectUriAllowed(client.redirectUris, redirectUri)) {
    // Never redirect to an unregistered URI (RFC 6749 §4.1.2.1).
    return c.json({ error: "invalid_request", error_description: "redirect_uri is not registered for this client" }, 400);
  }
  const reply = (params: Record<string, string | undefined>) => redirectWith(c, redirectUri, { ...params, state: q["state"] });
  const deny = (error: string, description: string) => reply({ error, error_description: description });
  if (q["response_type"] !== "code") return deny("unsupported_response_type", "Only response_type=code is supported");
  if (!client.grantTypes.includes("authorization_code")) return deny("unauthorized_client", "Client may not use the authorization code flow");
  if (q["audience"] !== undefined && q["audience"] !== state.config.audience) return deny("access_denied", `Service not found: ${q["audience"]}`);
  const challenge = q["code_challenge"];
  if (challenge !== undefined && q["code_challenge_method"] !== "S256") return deny("invalid_request", "code_challenge_method must be S256");
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return deny("invalid_request", "code_challenge must be a base64url SHA-256 digest");
  if (challenge === undefined && client.clientSecret === undefined) return deny("invalid_request", "Public clients must send a PKCE code_challenge");

  if (state.denyNext > 0 || q["sandbox_decision"] === "deny") {
    if (state.denyNext > 0) state.denyNext -= 1;
    return deny("access_denied", "User did not authorize the request");
  }
  const users: ImsUser[] = Object.values(state.users);
  const hint = q["login_hint"];
  const user = hint ? users.find((u) => u.email === hint) : users[0];
  if (!user) return deny("access_denied", "Unknown user");

  const scope = (q["scope"] ?? "").split(" ").filter(Boolean);
  const requested = scope.filter(isPermission);
  const allowed = (p: Permission) => user.permissions.includes(p) && client.permissions.includes(p);
  const permissions = (requested.length > 0 ? requested : PERMISSIONS).filter(allowed);
  const code = randomToken();
  state.codes.set(tokenKey(code), {
    clientId: client.clientId,
    redirectUri,
    user,
    permissions,
    scope: [...scope.filter((s) => !isPermission(s)), ...permissions].join(" "),
    ...(challenge !== undefined ? { codeChallenge: challenge } : {}),
    ...(q["nonce"] !== undefined ? { nonce: q["nonce"] } : {}),
    expiresAt: state.now() + CODE_TTL_MS,
  });
  return reply({ code });
}

/** Builds the `auth` origin's app. */
export function createIssuerApp(state: AuthState): Hono {
  const app = new Hono();
  app.get("/authorize", (c) => authorize(c, state));
  app.post("/oauth/token", (c) => tokenEndpoint(c, state));
  app.get("/.well-known/jwks.json", (c) => c.json(state.signer.jwks()));
  app.get("/.well-known/openid-configuration", (c) => {
    const base = state.config.issuer;
    return c.json({
      issuer: base,
      authorization_endpoint: `${base}authorize`,
      token_endpoint: `${base}oauth/token`,
      jwks_uri: `${base}.well-known/jwks.json`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "client_credentials", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic", "none"],
      id_token_signing_alg_values_supported: ["RS256"],
      subject_types_supported: ["public"],
      scopes_supported: ["openid", "profile", "email", "offline_access", ...PERMISSIONS],
    });
  });
  app.notFound((c) => c.json({ error: "not_found", error_description: "Not found" }, 404));
  return app;
}
