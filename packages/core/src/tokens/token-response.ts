import * as z from "zod/mini";
import type { ClaimNames } from "../auth/credential.js";
import { PorticoError } from "../errors/portico-error.js";
import { readJwtClaims, type JwtClaims } from "../internal/jwt.js";
import { isHeaderValue } from "../internal/option-schema.js";
import type { CachedToken } from "./token-cache.js";
import { scopesFromClaims, splitScopes } from "./scopes.js";

const NOT_STRING = "is not a valid string";
const NOT_VALID = "is not a valid value";
const NUMERIC = /^\d+(?:\.\d+)?$/;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const string = (v: unknown): string | undefined => (typeof v === "string" ? undefined : NOT_STRING);

/**
 * The members of a successful OAuth 2.0 token response that portico reads, in the order they are
 * checked, each with its check: what is wrong with a value that is present, or undefined when it is
 * fine. Unknown members are kept. `access_token` must be present. @see RFC 6749 §5.1
 * (Plain checks, not zod schemas: the number and union schemas would cost every sign-in bundle bytes.)
 */
const TOKEN_RESPONSE_FIELDS: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  // Sent in a header: a token with a line break, NUL or a character outside Latin-1 is unusable.
  access_token: (v) =>
    typeof v !== "string"
      ? NOT_STRING
      : v.length > 0 && isHeaderValue(v)
        ? undefined
        : "is empty or holds what HTTP cannot carry (a line break, NUL or a character outside Latin-1)",
  token_type: string,
  /** Seconds, as a number or a numeric string. */
  expires_in: (v) => (isFiniteNumber(v) || (typeof v === "string" && NUMERIC.test(v)) ? undefined : NOT_VALID),
  /** Non-standard absolute expiry some servers send (epoch seconds/ms or ISO 8601). */
  expires_at: (v) => (isFiniteNumber(v) || typeof v === "string" ? undefined : NOT_VALID),
  refresh_token: (v) => (typeof v !== "string" ? NOT_STRING : v.length > 0 ? undefined : NOT_VALID),
  scope: string,
};

/** A token response as `parseTokenResponse` accepts it; unknown members are kept. */
export interface TokenResponseBody {
  readonly access_token: string;
  readonly token_type?: string;
  readonly expires_in?: number | string;
  readonly expires_at?: number | string;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly [member: string]: unknown;
}

/**
 * The token response checks as a zod/mini schema, for code that composes schemas: the same
 * checks `parseTokenResponse` makes (which does not use it, so bundles without it keep no zod
 * code for it). Built in a call marked pure (`#__PURE__`). @see RFC 6749 §5.1
 */
export const TokenResponseSchema: z.ZodMiniType<TokenResponseBody> = /*#__PURE__*/ (() =>
  z.looseObject(
    Object.fromEntries(
      Object.entries(TOKEN_RESPONSE_FIELDS).map(([name, problem]) => {
        const field = z.custom((v) => problem(v) === undefined, { error: (issue) => (issue.input === undefined ? "is missing" : problem(issue.input)) });
        return [name, name === "access_token" ? field : z.optional(field)];
      }),
    ),
  ) as unknown as z.ZodMiniType<TokenResponseBody>)();

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

function invalid(source: string, field: string, problem: string): PorticoError {
  return new PorticoError("TOKEN_RESPONSE_INVALID", `Token response from ${source} is invalid: field "${field}" ${problem}.`, {
    field,
  });
}

/**
 * Validates a token endpoint's JSON body. A malformed one is `TOKEN_RESPONSE_INVALID` naming the
 * field (never its value).
 */
export function parseTokenResponse(body: unknown, source: string): TokenFields {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new PorticoError("TOKEN_RESPONSE_INVALID", `Token response from ${source} is not a JSON object.`);
  }
  const members = body as Record<string, unknown>;
  for (const [field, problem] of Object.entries(TOKEN_RESPONSE_FIELDS)) {
    const value = members[field];
    if (value === undefined) {
      if (field === "access_token") throw invalid(source, field, "is missing");
      continue;
    }
    const wrong = problem(value);
    if (wrong !== undefined) throw invalid(source, field, wrong);
  }
  const data = body as TokenResponseBody;
  if (data.token_type !== undefined && data.token_type.toLowerCase() !== "bearer") {
    throw invalid(source, "token_type", "is not Bearer");
  }
  const expiresIn = data.expires_in === undefined ? undefined : Number(data.expires_in);
  if (expiresIn !== undefined && !(expiresIn > 0 && Number.isFinite(expiresIn))) throw invalid(source, "expires_in", "must be a positive, finite number of seconds");
  // The refresh token's lifetime, as Keycloak (`refresh_expires_in`; 0 there means none) or Azure AD
  // B2C and GitHub (`refresh_token_expires_in`) state it. Informative only: an unusable one is ignored.
  const refreshExpiresIn = Number(data.refresh_expires_in ?? data.refresh_token_expires_in);
  return {
    accessToken: data.access_token,
    ...(expiresIn !== undefined ? { expiresIn } : {}),
    ...(data.expires_at !== undefined ? { expiresAt: data.expires_at } : {}),
    ...(data.refresh_token !== undefined ? { refreshToken: data.refresh_token } : {}),
    ...(data.refresh_token !== undefined && refreshExpiresIn > 0 ? { refreshExpiresIn } : {}),
    ...(data.scope !== undefined ? { scope: data.scope } : {}),
  };
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
    if (!Number.isFinite(absolute)) throw invalid(source, field, "is not a date");
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
      if (timing.serverDate !== undefined && Number.isFinite(timing.serverDate)) throw invalid(source, "exp", "says the token has already expired (by the server's own clock)");
    } else if (jwtExpiry < expiresAt) {
      expiresAt = jwtExpiry;
    }
  }
  expiresAt ??= obtainedAt + (timing.defaultLifetimeSeconds ?? 3600) * 1000;
  expiresAt = Math.min(expiresAt, obtainedAt + (timing.maxLifetimeSeconds !== undefined ? timing.maxLifetimeSeconds * 1000 : MAX_TOKEN_LIFETIME_MS));
  if (!Number.isFinite(expiresAt) || expiresAt <= obtainedAt) throw invalid(source, field, "says the token has already expired");
  if (expiresAt - obtainedAt < MIN_TOKEN_LIFETIME_MS) throw invalid(source, field, `gives a lifetime under ${MIN_TOKEN_LIFETIME_MS} ms, too short to use`);
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
  const scopes =
    fields.scope !== undefined ? (typeof fields.scope === "string" ? splitScopes(fields.scope) : [...fields.scope]) : scopesFromClaims(claims, claimNames?.permissions);
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
