import type { Clock } from "../internal/clock.js";
import type { RefreshWindowOptions, TokenHooks, TokenManager } from "../tokens/token-manager.js";
import type { TokenCache, CachedToken } from "../tokens/token-cache.js";
import type { Fetcher } from "../client/types.js";
import { checkTenantClaim } from "../tenants/tenant-claim.js";
import type { ClaimNames } from "./credential.js";
import type { CredentialBehaviour } from "./define-credential.js";

/** Options shared by every credential that obtains tokens. */
export interface TokenCredentialOptions extends RefreshWindowOptions {
  /**
   * Sends token requests; the same `Fetcher` contract as a client's `fetcher` (plain-object
   * headers, string body), so one fetcher serves both. @default globalThis.fetch
   */
  readonly fetcher?: Fetcher;
  /**
   * Where tokens are kept, shared by every credential given the same cache (keyed by what shapes
   * the token request, tenant included; not the secret). @default the credential's own, in memory
   */
  readonly cache?: TokenCache;
  readonly hooks?: TokenHooks;
  readonly clock?: Clock;
  /** Tenant this credential is for: part of the cache key, and checked against the token's tenant claim. */
  readonly tenant?: string;
  /** Full claim names; default: those the pipeline passes from the descriptor (`AuthorizeContext.claims`). */
  readonly claims?: ClaimNames;
  /** Timeout of one token request. @default 30000 */
  readonly timeoutMs?: number;
}

/** Claim names known to a token credential: its own option, else the first the pipeline passed. */
export interface ClaimState {
  names: ClaimNames | undefined;
}

/** `verify` for the token manager: the tenant claim check, when a tenant and a tenant claim are known. */
export function tenantVerifier(tenant: string | undefined, claims: ClaimState, label: () => string): ((token: CachedToken) => void) | undefined {
  if (tenant === undefined) return undefined;
  return (token) => {
    const claim = claims.names?.tenant;
    if (claim === undefined) return;
    const mismatch = checkTenantClaim(token.accessToken, tenant, claim, label());
    if (mismatch !== undefined) throw mismatch;
  };
}

/** authorize/invalidate/grantedScopes of a bearer credential backed by a token manager. */
export function bearerBehaviour(manager: TokenManager, claims: ClaimState, before?: () => void): CredentialBehaviour {
  return {
    async authorize(context) {
      if (claims.names === undefined && context.claims !== undefined) claims.names = context.claims;
      before?.();
      const { token, handle } = await manager.getToken(context.signal);
      return { secret: token.accessToken, handle };
    },
    invalidate: (handle) => manager.invalidate(handle),
    grantedScopes: () => manager.current()?.scopes,
  };
}

/** The token-manager options of a credential's options (so the manager keeps no secret-bearing object). */
export function managerOptions(options: TokenCredentialOptions): RefreshWindowOptions & {
  cache?: TokenCache;
  hooks?: TokenHooks;
} {
  const picked: RefreshWindowOptions & { cache?: TokenCache; hooks?: TokenHooks } = {};
  if (options.cache !== undefined) picked.cache = options.cache;
  if (options.hooks !== undefined) picked.hooks = options.hooks;
  for (const name of ["refreshAhead", "softWindowMs", "hardWindowMs", "retryInitialMs", "retryMaxMs"] as const) {
    if (options[name] !== undefined) Object.assign(picked, { [name]: options[name] });
  }
  return picked;
}
