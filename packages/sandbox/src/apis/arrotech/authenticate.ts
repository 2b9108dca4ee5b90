/**
 * API-side authentication: `Authorization: Bearer <credential>` where the credential is an API key
 * (`ak_live_…`/`ak_test_…`, looked up by SHA-256; a key of the other environment is
 * `401 UNAUTHORIZED` with `details.reason: "environment_mismatch"`) or an HS256 JWT issued by
 * `/auth/token` or `/auth/login` (`TOKEN_EXPIRED`, `INVALID_TOKEN`). Scopes are enforced per route.
 */
import { errors, jwtVerify } from "jose";
import type { MiddlewareHandler } from "hono";
import { AUDIENCE, type AuthState } from "./auth-state.js";
import type { ArrotechEnv, ArrotechPrincipal } from "./env.js";
import { rateLimitPerMinute } from "../../framework/rate-limit.js";
import { API_KEY_PATTERN, sha256 } from "./identities.js";
import { arrotechError, type ArrotechErrorCode } from "./problem.js";
import { isScope, type Scope } from "./scopes.js";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PRINCIPAL_TYPES = new Set<ArrotechPrincipal["type"]>(["oauth_client", "oauth_user", "user"]);

export function authenticate(state: AuthState): MiddlewareHandler<ArrotechEnv> {
  return async (c, next) => {
    const unauthorized = (code: Extract<ArrotechErrorCode, "UNAUTHORIZED" | "INVALID_TOKEN" | "TOKEN_EXPIRED">, message: string, details?: Record<string, unknown>) => {
      c.header("WWW-Authenticate", code === "UNAUTHORIZED" ? 'Bearer realm="arrotech"' : `Bearer realm="arrotech", error="invalid_token"`);
      return arrotechError(c, 401, code, message, details);
    };
    const credential = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!credential) return unauthorized("UNAUTHORIZED", "Missing credential: send Authorization: Bearer <api key or access token>");

    if (credential.startsWith("ak_")) {
      if (!API_KEY_PATTERN.test(credential)) return unauthorized("UNAUTHORIZED", "Malformed API key");
      const keyEnvironment = credential.startsWith("ak_live_") ? "production" : "sandbox";
      if (keyEnvironment !== state.config.environment) {
        const message = keyEnvironment === "sandbox" ? "Sandbox API keys cannot be used against production" : "Production API keys cannot be used against the sandbox";
        return unauthorized("UNAUTHORIZED", message, { reason: "environment_mismatch" });
      }
      const key = state.apiKeys.get(sha256(credential));
      if (!key || key.revoked) return unauthorized("UNAUTHORIZED", "Unknown or revoked API key");
      c.set("principal", { type: "api_key", id: key.id, workspaceId: key.workspaceId, scopes: key.scopes });
      return next();
    }

    if (!JWT_SHAPE.test(credential)) return unauthorized("UNAUTHORIZED", "Unrecognized credential");
    try {
      const { payload } = await jwtVerify(credential, state.secret, { algorithms: ["HS256"], issuer: state.config.issuer, audience: AUDIENCE, currentDate: new Date(state.now()), requiredClaims: ["exp", "sub"] });
      const type = payload["pt"] as ArrotechPrincipal["type"];
      const workspaceId = payload["ws"];
      if (!PRINCIPAL_TYPES.has(type) || typeof workspaceId !== "string") return unauthorized("INVALID_TOKEN", "The access token is missing required claims");
      const scopes: Scope[] = typeof payload["scope"] === "string" ? payload["scope"].split(" ").filter(isScope) : [];
      c.set("principal", { type, id: payload.sub ?? "", workspaceId, scopes });
    } catch (error) {
      if (error instanceof errors.JWTExpired) return unauthorized("TOKEN_EXPIRED", "The access token has expired");
      return unauthorized("INVALID_TOKEN", "The access token is invalid");
    }
    return next();
  };
}

/** `403 INSUFFICIENT_SCOPE` unless the credential carries `scope`. */
export function requireScope(scope: Scope): MiddlewareHandler<ArrotechEnv> {
  return async (c, next) => {
    if (!c.get("principal").scopes.includes(scope)) return arrotechError(c, 403, "INSUFFICIENT_SCOPE", `This endpoint requires the ${scope} scope`, { required: [scope] });
    return next();
  };
}

/** Fixed one-minute window per principal; `X-RateLimit-*` on every response, `429 RATE_LIMITED` past the limit. */
export function rateLimit(limit: number, now: () => number): MiddlewareHandler<ArrotechEnv> {
  return rateLimitPerMinute<ArrotechEnv>(limit, now, (c) => `${c.get("principal").type}:${c.get("principal").id}`);
}
