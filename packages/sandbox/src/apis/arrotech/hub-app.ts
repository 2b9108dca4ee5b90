/**
 * The `hub` origin (hub.arrotechsolutions.com): `GET /auth/authorize` auto-approves for a seeded
 * user (chosen by `login_hint`, default the Acme developer) and redirects with `code` and the
 * untouched `state`; `POST /auth/login` as on the API origin.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { randomToken, type AuthState } from "./auth-state.js";
import { redirectUriAllowed, sha256 } from "./identities.js";
import { findSpecFile } from "../../framework/spec.js";
import { validateRequests } from "../../validate.js";
import { login } from "./login.js";
import { parseScopes } from "./scopes.js";

const CODE_TTL_MS = 10 * 60 * 1000;

function authorize(c: Context, state: AuthState): Response {
  const q = c.req.query();
  const app = q["client_id"] ? state.findApp(q["client_id"]) : undefined;
  if (!app) return c.json({ error: "invalid_request", error_description: "Unknown client_id" }, 400);
  const redirectUri = q["redirect_uri"];
  if (!redirectUri || !redirectUriAllowed(app.redirectUris, redirectUri)) {
    // RFC 6749 §4.1.2.1: never redirect to an unverified URI.
    return c.json({ error: "invalid_request", error_description: "redirect_uri is missing or not registered for this client" }, 400);
  }
  const reply = (params: Record<string, string>) => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    if (q["state"] !== undefined) url.searchParams.set("state", q["state"]);
    return c.redirect(url.toString(), 302);
  };
  const deny = (error: string, description: string) => reply({ error, error_description: description });
  if (q["response_type"] !== "code") return deny("unsupported_response_type", "response_type must be code");
  if (!app.grantTypes.includes("authorization_code")) return deny("unauthorized_client", "This client may not use the authorization code flow");
  const scopes = q["scope"] ? parseScopes(q["scope"]) : app.scopes;
  if (!scopes || scopes.some((s) => !app.scopes.includes(s))) return deny("invalid_scope", "Unknown or ungranted scope");
  const challenge = q["code_challenge"];
  if (challenge !== undefined && (q["code_challenge_method"] ?? "plain") !== "S256") return deny("invalid_request", "code_challenge_method must be S256");
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return deny("invalid_request", "code_challenge must be a base64url SHA-256 digest");
  if (challenge === undefined && app.clientSecret === undefined) return deny("invalid_request", "Public clients must use PKCE (code_challenge, S256)");
  if (state.denyNext > 0 || q["sandbox_decision"] === "deny") {
    if (state.denyNext > 0) state.denyNext -= 1;
    return deny("access_denied", "The user denied the request");
  }
  const users = [...state.users.values()].map((e) => e.user);
  const user = q["login_hint"] ? users.find((u) => u.email.toLowerCase() === q["login_hint"]?.toLowerCase()) : users[0];
  if (!user) return deny("access_denied", "Unknown user");
  const code = randomToken();
  state.codes.set(sha256(code), { clientId: app.clientId, redirectUri, user, scopes, ...(challenge !== undefined ? { codeChallenge: challenge } : {}), expiresAt: state.now() + CODE_TTL_MS });
  return reply({ code });
}

export function createHubApp(state: AuthState): Hono {
  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use("*", async (c, next) => {
    const id = `req_${randomBytes(8).toString("hex")}`;
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  });
  app.get("/auth/authorize", (c) => authorize(c, state));
  app.post("/auth/login", validateRequests(findSpecFile("arrotech")), (c) => login(c, state, c.get("requestId")));
  app.notFound((c) => c.json({ code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}` }, 404));
  return app as unknown as Hono;
}
