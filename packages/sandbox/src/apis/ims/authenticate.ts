/**
 * API-side authentication: verifies the bearer JWT against the issuer's JWKS (jose
 * `createLocalJWKSet` + `jwtVerify`: RS256, issuer, audience, expiry at the sandbox clock), reads
 * the namespaced tenant and permission claims, and enforces permissions per endpoint. In dev mode
 * (`AUTH_MODE=dev`) nothing is validated and every request is attributed to the dev tenant and user.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose";
import type { MiddlewareHandler } from "hono";
import type { ImsConfig } from "./config.js";
import type { ImsEnv, ImsPrincipal } from "./env.js";
import { imsError } from "./problem.js";
import { rateLimitPerMinute, type WindowTally } from "../../framework/rate-limit.js";
import { isPermission, PERMISSIONS, type Permission } from "./permissions.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function challenge(error?: string, description?: string): string {
  return error ? `Bearer realm="atrope", error="${error}", error_description="${description ?? ""}"` : 'Bearer realm="atrope"';
}

/** Authenticates every request; sets `principal`. `jwks` is read per request so key rotation shows at once. */
export function authenticate(config: ImsConfig, jwks: () => JSONWebKeySet, now: () => number): MiddlewareHandler<ImsEnv> {
  return async (c, next) => {
    if (config.devMode) {
      c.set("principal", { tenantId: config.devTenantId, subject: config.devUserId, permissions: PERMISSIONS, authMode: "dev" });
      return next();
    }
    const header = c.req.header("authorization");
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) {
      c.header("WWW-Authenticate", challenge());
      return imsError(c, 401, "UNAUTHORIZED", "Missing bearer token: send Authorization: Bearer <access_token>");
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, createLocalJWKSet(jwks()), {
        algorithms: ["RS256"],
        issuer: config.issuer,
        audience: config.audience,
        currentDate: new Date(now()),
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        c.header("WWW-Authenticate", challenge("invalid_token", "The access token expired"));
        return imsError(c, 401, "TOKEN_EXPIRED", "The access token has expired");
      }
      c.header("WWW-Authenticate", challenge("invalid_token", "The access token is invalid"));
      const reason = error instanceof errors.JOSEError ? error.code : "ERR_JWT_INVALID";
      return imsError(c, 401, "INVALID_TOKEN", "The access token is invalid", { reason });
    }
    const tenantId = payload[`${config.claimNamespace}tenant_id`];
    if (typeof tenantId !== "string" || !UUID.test(tenantId)) {
      c.header("WWW-Authenticate", challenge("invalid_token", "Missing tenant claim"));
      return imsError(c, 401, "INVALID_TOKEN", `The access token has no ${config.claimNamespace}tenant_id claim (UUID)`);
    }
    const claimed = payload[`${config.claimNamespace}permissions`];
    const permissions = Array.isArray(claimed) ? claimed.filter(isPermission) : [];
    const principal: ImsPrincipal = { tenantId: tenantId.toLowerCase(), subject: payload.sub ?? "", permissions, authMode: "jwt" };
    c.set("principal", principal);
    return next();
  };
}

/** Refuses the request with `403 INSUFFICIENT_PERMISSIONS` unless the token grants `permission`. */
export function requirePermission(permission: Permission): MiddlewareHandler<ImsEnv> {
  return async (c, next) => {
    if (!c.get("principal").permissions.includes(permission)) {
      return imsError(c, 403, "INSUFFICIENT_PERMISSIONS", `This endpoint requires the ${permission} permission`, { required: [permission] });
    }
    return next();
  };
}

/** Fixed window per tenant (a minute by default); sets `X-RateLimit-*`, answers `429 RATE_LIMITED` with `Retry-After`. */
export function rateLimit(limit: number, now: () => number, options: { readonly windowMs?: number; readonly history?: Map<string, WindowTally[]> } = {}): MiddlewareHandler<ImsEnv> {
  return rateLimitPerMinute<ImsEnv>(limit, now, (c) => c.get("principal").tenantId, options);
}
