/**
 * `/v1/auth/**`: the public sign-in endpoints (accept-invite, login-link, request-login-link)
 * and the self-service ones any credential may call (me, credits, own user keys).
 */
import type { Context, Hono } from "hono";
import { apiKeyJson, type EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { EripProblem, input, iso } from "./http.js";

/** The signed-in user behind the caller; service keys have none (`403 USER_CREDENTIAL_REQUIRED`). */
function requireUser(c: Context<EripEnv>) {
  const caller = c.get("caller");
  if (caller.kind === "serviceKey") throw new EripProblem(403, "USER_CREDENTIAL_REQUIRED", "Service keys cannot manage user keys");
  return caller.user;
}

export function registerAuthRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  const { directory, guard } = deps;

  app.get("/v1/auth/accept-invite", guard("public"), (c) => {
    const result = directory.acceptInvite(input(c, "acceptInvite").query.token);
    if (!result.ok) {
      throw new EripProblem(400, result.code, result.code === "INVITE_EXPIRED" ? "This invite has expired; ask your admin for a new one" : "This invite link is not valid");
    }
    return c.json({ status: "Active", email: result.user.email, message: "Your account is active. We emailed you a sign-in link." }, 200);
  });

  app.get("/v1/auth/login-link", guard("public"), async (c) => {
    const result = directory.useMagicLink(input(c, "loginWithLink").query.token);
    if (!result.ok) {
      throw new EripProblem(
        401,
        result.code,
        result.code === "LOGIN_LINK_EXPIRED" ? "This sign-in link has expired; request a new one" : "This sign-in link is not valid or was already used",
      );
    }
    const { user } = result;
    const tenant = directory.tenant(user.tenantId);
    if (!tenant) throw new EripProblem(401, "LOGIN_LINK_INVALID", "This sign-in link is not valid or was already used");
    const session = await deps.sessions.issue(user, tenant);
    return c.json(
      {
        token: session.token,
        expiresAt: iso(session.expiresAt),
        user: { id: user.id, name: user.name, email: user.email, tenantRole: user.tenantRole, tenantId: tenant.id },
        tenant: { id: tenant.id, displayName: tenant.displayName, tier: tenant.tier },
      },
      200,
    );
  });

  app.post("/v1/auth/request-login-link", guard("public"), (c) => {
    const { email } = input(c, "requestLoginLink").body;
    const user = directory.userByEmail(email);
    if (user?.status === "Active") directory.sendMagicLink(user);
    return c.json({ message: "If this address belongs to an active account, a sign-in link is on its way." }, 200);
  });

  app.get("/v1/auth/me", guard("any"), (c) => {
    const caller = c.get("caller");
    const { user, tenant } = caller;
    return c.json(
      {
        user: user && { id: user.id, name: user.name, email: user.email, tenantRole: user.tenantRole, tenantId: tenant.id },
        tenant: { id: tenant.id, displayName: tenant.displayName, tier: tenant.tier },
        credential: { type: caller.kind, apiKeyId: caller.kind === "jwt" ? null : caller.key.id, prefix: caller.kind === "jwt" ? null : caller.key.prefix },
      },
      200,
    );
  });

  app.get("/v1/auth/credits", guard("any"), (c) => {
    const { tenant } = c.get("caller");
    const { balance, updatedAt } = deps.ledger.balance(tenant.id);
    return c.json({ tenantId: tenant.id, balance, updatedAt: iso(updatedAt) }, 200);
  });

  app.get("/v1/auth/api-keys", guard("any"), (c) => {
    const user = requireUser(c);
    return c.json({ data: deps.keys.list(user.tenantId, { type: "user", userId: user.id }).map(apiKeyJson) }, 200);
  });

  app.post("/v1/auth/api-keys", guard("any"), (c) => {
    const user = requireUser(c);
    const { name } = input(c, "createMyApiKey").body;
    const { record, key } = deps.keys.create({ tenantId: user.tenantId, type: "user", userId: user.id, name });
    return c.json({ ...apiKeyJson(record), key }, 201);
  });

  app.delete("/v1/auth/api-keys/:keyId", guard("any"), (c) => {
    const user = requireUser(c);
    const id = input(c, "revokeMyApiKey").path.keyId;
    const key = deps.keys.get(id);
    if (!key || key.type !== "user" || key.userId !== user.id || key.revokedAt !== null) throw new EripProblem(404, "NOT_FOUND", "API key not found");
    deps.keys.revoke(id);
    return c.body(null, 204);
  });
}
