/**
 * The "grant" of a token provider (`tokenProvider`), a pair like the OAuth grants of
 * `grants.ts`: `providerRequest` calls the user's function, `providerResponse` checks what it
 * returned and turns it into the token to cache. No token endpoint is involved.
 */
import type { ClaimNames } from "../auth/credential.js";
import { PorticoError } from "../errors/portico-error.js";
import { redact, safeCause } from "../internal/redact.js";
import { cachedTokenFrom } from "./cached-token.js";
import type { CachedToken } from "./token-cache.js";
import type { RefreshReason } from "./token-manager.js";

/** What a token provider returns. Without `expiresAt`/`expiresIn`, the JWT `exp` or the default lifetime applies. */
export interface ProvidedToken {
  readonly accessToken: string;
  /** Absolute expiry: epoch seconds/ms, ISO 8601 or Date. */
  readonly expiresAt?: number | string | Date;
  /** Lifetime in seconds from now. */
  readonly expiresIn?: number;
  /** Granted scopes, if known. */
  readonly scopes?: readonly string[];
}

/** A user-supplied async source of access tokens (a vault, a sidecar, another SDK). */
export type TokenProviderFunction = (context: {
  readonly reason: RefreshReason;
  /** Aborted when every call waiting for this token has been aborted (never for a background refresh). */
  readonly signal?: AbortSignal;
}) => Promise<ProvidedToken> | ProvidedToken;

/**
 * The request half of a provider "grant": calls the provider. Its failure is
 * `TOKEN_REFRESH_FAILED` whose cause has `held` (the token it provided before) redacted.
 */
export async function providerRequest(
  provide: TokenProviderFunction,
  context: { readonly reason: RefreshReason; readonly signal?: AbortSignal | undefined },
  label: string,
  held: string | undefined,
): Promise<unknown> {
  try {
    return await provide({ reason: context.reason, ...(context.signal !== undefined ? { signal: context.signal } : {}) });
  } catch (error) {
    // Its error may name the token it provided before: this credential's secret.
    const cause = safeCause(error, (text) => redact(text, held === undefined ? [] : [held]));
    throw new PorticoError("TOKEN_REFRESH_FAILED", `The token provider of credential ${label} failed.`, { credential: label, cause });
  }
}

/**
 * The first member of a provider's result that is not what `ProvidedToken` says, as its path
 * (`"(result)"` when the result is not an object), or undefined when it is a token.
 */
function providedTokenProblem(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null || Array.isArray(result)) return "(result)";
  const { accessToken, expiresAt, expiresIn, scopes } = result as Record<string, unknown>;
  if (typeof accessToken !== "string" || accessToken.length === 0) return "accessToken";
  const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (expiresAt !== undefined && !finite(expiresAt) && typeof expiresAt !== "string" && !(expiresAt instanceof Date && !Number.isNaN(expiresAt.getTime()))) return "expiresAt";
  if (expiresIn !== undefined && !(finite(expiresIn) && expiresIn > 0)) return "expiresIn";
  if (scopes === undefined) return undefined;
  if (!Array.isArray(scopes)) return "scopes";
  const bad = scopes.findIndex((scope) => typeof scope !== "string");
  return bad === -1 ? undefined : `scopes.${bad}`;
}

/**
 * The response half of a provider "grant": a result that is not `{ accessToken, expiresAt? |
 * expiresIn?, scopes? }` is `TOKEN_RESPONSE_INVALID` naming the field.
 */
export function providerResponse(result: unknown, label: string, obtainedAt: number, defaultLifetimeSeconds: number, claims: ClaimNames | undefined): CachedToken {
  const field = providedTokenProblem(result);
  if (field !== undefined) {
    throw new PorticoError("TOKEN_RESPONSE_INVALID", `The token provider of credential ${label} returned an invalid "${field}".`, { field });
  }
  const { accessToken, expiresAt, expiresIn, scopes } = result as ProvidedToken;
  return cachedTokenFrom(
    { accessToken, ...(expiresIn !== undefined ? { expiresIn } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}), ...(scopes ? { scope: scopes } : {}) },
    { obtainedAt, defaultLifetimeSeconds },
    `the token provider of ${label}`,
    claims,
  );
}
