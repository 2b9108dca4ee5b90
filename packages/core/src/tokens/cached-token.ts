/**
 * The token a credential keeps, from the fields of a token response (or a provider's result, or
 * a token given at construction): its expiry, scopes and tenant. Used synchronously where a
 * credential is built with a token; reading a token endpoint's answer (`token-response.ts`) is
 * loaded with the first token request.
 */
import type { ClaimNames } from "../auth/credential.js";
import { PorticoError } from "../errors/portico-error.js";
import { readJwtClaims, type JwtClaims } from "../internal/jwt.js";
import type { CachedToken } from "./token-cache.js";
import { scopesFromClaims, sharedScopes, splitScopes } from "./scopes.js";

/** The fields of a token response that shape the cached token. */
export interface TokenFields {
  readonly accessToken: string;
  readonly expiresIn?: number;
  /** Absolute expiry as the server states it: epoch seconds or ms, ISO string or Date. */
  readonly expiresAt?: number | string | Date;
  readonly refreshToken?: string;
  /** Lifetime of the refresh token in seconds, when stated. */
  readonly refreshExpiresIn?: number;
  readonly scope?: string | readonly string[];
}

/** When and how a token was received, and the lifetime rules of its API. */
export interface TokenTiming {
  /** Local time the response arrived, epoch ms. */
  readonly obtainedAt: number;
  /** The response's `Date` header, epoch ms, used to correct absolute expiries for clock skew. */
  readonly serverDate?: number;
  /** Lifetime to assume when nothing in the response states one. @default 3600 */
  readonly defaultLifetimeSeconds?: number;
  /** Upper bound on the lifetime, whatever the response says. */
  readonly maxLifetimeSeconds?: number;
}


/** `TOKEN_RESPONSE_INVALID` for a member of a token response (or of a token) named `field`, saying what is wrong with it (never its value). */
export function invalidTokenField(source: string, field: string, problem: string): PorticoError {
  return new PorticoError("TOKEN_RESPONSE_INVALID", `Token response from ${source} is invalid: field "${field}" ${problem}.`, {
    field,
  });
}

/** Epoch ms of an absolute time given as epoch seconds/ms, ISO 8601 or Date; NaN when unreadable. */
export function toEpochMs(value: number | string | Date): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value < 1e11 ? value * 1000 : value;
  if (/^\d+(?:\.\d+)?$/.test(value)) return toEpochMs(Number(value));
  return Date.parse(value);
}

/** The `Date` header has whole-second resolution: a smaller difference is not clock skew. */
const DATE_PRECISION_MS = 2000;
/** A token that expires sooner than this after it arrived cannot be used safely: it is refused. */
export const MIN_TOKEN_LIFETIME_MS = 1000;
/** No lifetime is trusted beyond this, whatever a response says (about a year). */
const MAX_TOKEN_LIFETIME_MS = 366 * 24 * 3600 * 1000;

function expiryOf(fields: TokenFields, claims: JwtClaims | undefined, timing: TokenTiming, source: string): number {
  const { obtainedAt } = timing;
  const skew = timing.serverDate !== undefined && Number.isFinite(timing.serverDate) ? obtainedAt - timing.serverDate : 0;
  let expiresAt: number | undefined;
  let field = "expires_in";
  if (fields.expiresIn !== undefined) {
    expiresAt = obtainedAt + fields.expiresIn * 1000;
  } else if (fields.expiresAt !== undefined) {
    field = "expires_at";
    const absolute = toEpochMs(fields.expiresAt);
    if (!Number.isFinite(absolute)) throw invalidTokenField(source, field, "is not a date");
    expiresAt = absolute + skew;
  } else if (typeof claims?.exp === "number") {
    field = "exp";
    const iat = claims.iat;
    // Lifetime from the token's own iat/exp is immune to clock skew; else correct exp by the Date header.
    expiresAt =
      typeof iat === "number" && iat <= claims.exp ? obtainedAt + (claims.exp - iat) * 1000 : claims.exp * 1000 + skew;
  }
  // A response-stated expiry is tightened by the JWT's own `exp`: whole-second `expires_in` can
  // overshoot it by up to a second, which matters for seconds-long tokens.
  if (expiresAt !== undefined && typeof claims?.exp === "number" && Number.isFinite(claims.exp)) {
    const jwtExpiry = claims.exp * 1000 + (Math.abs(skew) > DATE_PRECISION_MS ? skew : 0);
    if (jwtExpiry <= obtainedAt) {
      // With the server's `Date` to go by, an `exp` already past is an expired token; without it,
      // it may be the local clock that is wrong, and the stated expiry is kept.
      if (timing.serverDate !== undefined && Number.isFinite(timing.serverDate)) throw invalidTokenField(source, "exp", "says the token has already expired (by the server's own clock)");
    } else if (jwtExpiry < expiresAt) {
      expiresAt = jwtExpiry;
    }
  }
  expiresAt ??= obtainedAt + (timing.defaultLifetimeSeconds ?? 3600) * 1000;
  expiresAt = Math.min(expiresAt, obtainedAt + (timing.maxLifetimeSeconds !== undefined ? timing.maxLifetimeSeconds * 1000 : MAX_TOKEN_LIFETIME_MS));
  if (!Number.isFinite(expiresAt) || expiresAt <= obtainedAt) throw invalidTokenField(source, field, "says the token has already expired");
  if (expiresAt - obtainedAt < MIN_TOKEN_LIFETIME_MS) throw invalidTokenField(source, field, `gives a lifetime under ${MIN_TOKEN_LIFETIME_MS} ms, too short to use`);
  return expiresAt;
}

/**
 * Turns a validated token response into the cached token: expiry from `expires_in` measured at
 * receipt, else `expires_at`, else the JWT `exp`, else the default lifetime; capped by the maximum.
 * When the response states an expiry and the JWT has an `exp`, the earlier of the two is used
 * (an `exp` corrected by the `Date` header when the clocks differ by more than 2 s; ignored when
 * it is already past on receipt, which means the clocks disagree).
 * Scopes from `scope`, else the JWT permissions claim; tenant from the JWT tenant claim.
 */
export function cachedTokenFrom(fields: TokenFields, timing: TokenTiming, source: string, claimNames?: ClaimNames): CachedToken {
  const claims = readJwtClaims(fields.accessToken);
  const granted =
    fields.scope !== undefined ? (typeof fields.scope === "string" ? splitScopes(fields.scope) : fields.scope) : scopesFromClaims(claims, claimNames?.permissions);
  const scopes = granted === undefined ? undefined : sharedScopes(granted);
  const tenantClaim = claimNames?.tenant !== undefined ? claims?.[claimNames.tenant] : undefined;
  return {
    accessToken: fields.accessToken,
    expiresAt: expiryOf(fields, claims, timing, source),
    obtainedAt: timing.obtainedAt,
    ...(fields.refreshToken !== undefined ? { refreshToken: fields.refreshToken } : {}),
    ...(fields.refreshToken !== undefined && fields.refreshExpiresIn !== undefined
      ? { refreshExpiresAt: timing.obtainedAt + fields.refreshExpiresIn * 1000 }
      : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(typeof tenantClaim === "string" ? { tenant: tenantClaim } : {}),
  };
}
