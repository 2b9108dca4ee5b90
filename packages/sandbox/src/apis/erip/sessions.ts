/**
 * JWT sessions: HS256, 60 minutes by default (`options.tokenLifetimeSeconds`), claims `sub`,
 * `tenantId`, `tenantRole`, `email`, `name`. Verified against the sandbox clock.
 * @see seeds/erip-auth.txt ("JWT sessions expire after 60 minutes by default")
 */
import { randomBytes, randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import type { Tenant, TenantRole, User } from "./directory.js";

export const ERIP_ISSUER = "https://api.erip.io";
export const ERIP_AUDIENCE = "erip-api";
export const DEFAULT_SESSION_SECONDS = 60 * 60;

/** Claims the sandbox reads back from a session token. */
export interface SessionClaims {
  readonly sub: string;
  readonly tenantId: string;
  readonly tenantRole: TenantRole;
}

export type SessionCheck = { readonly ok: true; readonly claims: SessionClaims } | { readonly ok: false; readonly code: "INVALID_TOKEN" | "TOKEN_EXPIRED" };

export interface Sessions {
  readonly lifetimeSeconds: number;
  issue(user: User, tenant: Tenant): Promise<{ readonly token: string; readonly expiresAt: number }>;
  verify(token: string): Promise<SessionCheck>;
}

export function createSessions(now: () => number, lifetimeSeconds = DEFAULT_SESSION_SECONDS): Sessions {
  if (!(Number.isFinite(lifetimeSeconds) && lifetimeSeconds > 0)) throw new RangeError(`"tokenLifetimeSeconds" must be a positive number of seconds`);
  const secret = new Uint8Array(randomBytes(32));
  return {
    lifetimeSeconds,
    async issue(user, tenant) {
      const iat = Math.floor(now() / 1000);
      const exp = iat + Math.round(lifetimeSeconds);
      const token = await new SignJWT({ tenantId: tenant.id, tenantRole: user.tenantRole, email: user.email, name: user.name })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(ERIP_ISSUER)
        .setAudience(ERIP_AUDIENCE)
        .setSubject(user.id)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(secret);
      return { token, expiresAt: exp * 1000 };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ["HS256"],
          issuer: ERIP_ISSUER,
          audience: ERIP_AUDIENCE,
          currentDate: new Date(now()),
          requiredClaims: ["sub", "exp"],
        });
        const { sub, tenantId, tenantRole } = payload as { sub?: unknown; tenantId?: unknown; tenantRole?: unknown };
        if (typeof sub !== "string" || typeof tenantId !== "string" || (tenantRole !== "Admin" && tenantRole !== "Member")) {
          return { ok: false, code: "INVALID_TOKEN" };
        }
        return { ok: true, claims: { sub, tenantId, tenantRole } };
      } catch (error) {
        return { ok: false, code: error instanceof errors.JWTExpired ? "TOKEN_EXPIRED" : "INVALID_TOKEN" };
      }
    },
  };
}
