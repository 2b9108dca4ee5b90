/** IMS sandbox options, resolved once from `ctx.options`. */
import type { SandboxContext } from "../../types.js";

export interface ImsConfig {
  /** `iss` of issued tokens; Auth0 style, with a trailing slash. */
  readonly issuer: string;
  /** API identifier tokens must name in `aud`. */
  readonly audience: string;
  /** Prefix of the tenant and permissions claims (configurable per deployment, like the seed says). */
  readonly claimNamespace: string;
  /** Access-token lifetime, seconds (Auth0's default is 86400). */
  readonly tokenLifetimeSeconds: number;
  readonly devMode: boolean;
  readonly devTenantId: string;
  readonly devUserId: string;
  /** Requests per tenant per window before `429 RATE_LIMITED`. */
  readonly rateLimitPerMinute: number;
  /** Length of the rate-limit window, seconds (a minute unless tests say otherwise). */
  readonly rateLimitWindowSeconds: number;
}

export const DEFAULT_AUDIENCE = "https://api.atrope.dev";
export const DEFAULT_CLAIM_NAMESPACE = "https://atrope.dev/claims/";

function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new TypeError(`IMS sandbox option "${name}" must be a non-empty string`);
  return value;
}

function positiveIntOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`IMS sandbox option "${name}" must be a positive integer`);
  }
  return value;
}

/**
 * Resolves the IMS options. `devMode` (the seed's `AUTH_MODE=dev`) is refused when `auth0IssuerUrl`
 * or `auth0Audience` (the seed's `AUTH0_ISSUER_URL` / `AUTH0_AUDIENCE`) are also set.
 */
export function resolveImsConfig(ctx: SandboxContext, defaultDevTenantId: string): ImsConfig {
  const o = ctx.options;
  const issuerOption = stringOption(o["auth0IssuerUrl"], "auth0IssuerUrl");
  const audienceOption = stringOption(o["auth0Audience"], "auth0Audience");
  const devMode = o.devMode === true;
  if (devMode && (issuerOption !== undefined || audienceOption !== undefined)) {
    throw new Error(
      "IMS sandbox: AUTH_MODE=dev (devMode) is only available when AUTH0_ISSUER_URL (auth0IssuerUrl) and AUTH0_AUDIENCE (auth0Audience) are not set",
    );
  }
  const authOrigin = ctx.origins["auth"];
  if (authOrigin === undefined) throw new Error('IMS sandbox needs an "auth" origin for its Auth0-style issuer');
  return {
    issuer: issuerOption ?? `${authOrigin.replace(/\/$/, "")}/`,
    audience: audienceOption ?? DEFAULT_AUDIENCE,
    claimNamespace: stringOption(o["claimNamespace"], "claimNamespace") ?? DEFAULT_CLAIM_NAMESPACE,
    tokenLifetimeSeconds: positiveIntOption(o.tokenLifetimeSeconds, "tokenLifetimeSeconds", 86_400),
    devMode,
    devTenantId: stringOption(o["devTenantId"], "devTenantId") ?? defaultDevTenantId,
    devUserId: stringOption(o["devUserId"], "devUserId") ?? "dev|local-developer",
    rateLimitPerMinute: positiveIntOption(o["rateLimitPerMinute"], "rateLimitPerMinute", 6_000),
    rateLimitWindowSeconds: positiveIntOption(o["rateLimitWindowSeconds"], "rateLimitWindowSeconds", 60),
  };
}
