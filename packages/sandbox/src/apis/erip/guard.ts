/**
 * The scheme ↔ endpoint matrix: `any` (JWT or API key: companies, MCP, auth self-service),
 * `jwt` (JWT only) and `admin` (JWT with `tenantRole: Admin`, the TenantAdmin policy on
 * `/v1/tenant/**`). An API key on a JWT-only route is `401 JWT_REQUIRED`. After the credential,
 * the request is validated against the spec.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { ApiKeyStore } from "./api-keys.js";
import type { Directory } from "./directory.js";
import type { EripCaller, EripEnv } from "./env.js";
import { EripProblem } from "./http.js";
import type { Sessions } from "./sessions.js";

export type Surface = "public" | "any" | "jwt" | "admin";

export interface GuardDeps {
  readonly directory: Directory;
  readonly keys: ApiKeyStore;
  readonly sessions: Sessions;
  readonly specCheck: (c: Context<EripEnv>) => Promise<void>;
  readonly onRequest?: (tenantId: string | undefined) => void;
}

const MESSAGES = {
  AUTHENTICATION_REQUIRED: "Send Authorization: Bearer <jwt> or X-Api-Key",
  INVALID_TOKEN: "The session token is not valid",
  TOKEN_EXPIRED: "The session has expired; request a new sign-in link",
  USER_SUSPENDED: "This user is suspended",
  INVALID_API_KEY: "The API key is not valid",
  API_KEY_REVOKED: "This API key has been revoked",
  JWT_REQUIRED: "This endpoint requires a signed-in user (JWT); API keys are not accepted",
} as const;

const unauthorized = (code: keyof typeof MESSAGES): EripProblem => new EripProblem(401, code, MESSAGES[code]);

/** Builds `guard(surface)`, the middleware in front of every route. */
export function createGuard(deps: GuardDeps): (surface: Surface) => MiddlewareHandler<EripEnv> {
  const fromJwt = async (authorization: string): Promise<EripCaller> => {
    const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthorized("INVALID_TOKEN");
    const check = await deps.sessions.verify(match[1]);
    if (!check.ok) throw unauthorized(check.code);
    const user = deps.directory.user(check.claims.sub);
    const tenant = user ? deps.directory.tenant(user.tenantId) : undefined;
    if (!user || !tenant || tenant.id !== check.claims.tenantId || user.status === "Invited") throw unauthorized("INVALID_TOKEN");
    if (user.status === "Suspended") throw unauthorized("USER_SUSPENDED");
    return { kind: "jwt", user, tenant, tenantRole: check.claims.tenantRole };
  };

  const fromKey = (rawKey: string): EripCaller => {
    const check = deps.keys.authenticate(rawKey.trim());
    if (!check.ok) throw unauthorized(check.code);
    const tenant = deps.directory.tenant(check.key.tenantId);
    if (!tenant) throw unauthorized("INVALID_API_KEY");
    if (check.key.type === "service") return { kind: "serviceKey", user: null, tenant, key: check.key };
    const user = check.key.userId ? deps.directory.user(check.key.userId) : undefined;
    // User keys die with their user's suspension.
    if (!user || user.status !== "Active") throw unauthorized("API_KEY_REVOKED");
    return { kind: "userKey", user, tenant, key: check.key };
  };

  return (surface) => async (c, next) => {
    if (surface !== "public") {
      const authorization = c.req.header("authorization");
      const apiKey = c.req.header("x-api-key");
      let caller: EripCaller;
      if (authorization !== undefined && authorization.trim() !== "") caller = await fromJwt(authorization);
      else if (apiKey !== undefined && apiKey.trim() !== "") {
        if (surface !== "any") throw unauthorized("JWT_REQUIRED");
        caller = fromKey(apiKey);
      } else throw unauthorized("AUTHENTICATION_REQUIRED");
      if (surface === "admin" && !(caller.kind === "jwt" && caller.tenantRole === "Admin")) {
        throw new EripProblem(403, "TENANT_ADMIN_REQUIRED", "Only tenant admins may do this");
      }
      c.set("caller", caller);
      deps.onRequest?.(caller.tenant.id);
    } else deps.onRequest?.(undefined);
    await deps.specCheck(c);
    await next();
  };
}
