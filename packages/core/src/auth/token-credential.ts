/**
 * The shell every token credential is built on (`clientCredentials`, `refreshTokenCredential`,
 * `exchangeAuthorizationCode`, `tokenProvider`): the token manager's engine (cached, refreshed
 * ahead of expiry, one refresh at a time), bearer behaviour (`authorize`, `invalidate`,
 * `grantedScopes`), the tenant check, and secret registration, in one class. A grant subclass
 * adds its identity in private fields and a shared `TokenCredentialGrant` that builds its token
 * request and reads the answer (the request/response pairs of `tokens/grants.ts`).
 */
import type { Fetcher } from "../client/types.js";
import type { Clock } from "../internal/clock.js";
import { readJwtClaims } from "../internal/jwt.js";
import { claimNamesUnder, tokenClaim, verifyTenant } from "../tenants/tenant-claim.js";
import { scopesFromClaims } from "../tokens/scopes.js";
import type { CachedToken, TokenCache } from "../tokens/token-cache.js";
import { tokenSettings, type RefreshWindowOptions, type TokenFetchContext, type TokenHooks } from "../tokens/token-manager.js";
import { createTokenState, getToken, invalidateToken, noteTrip, seedToken, tripOutlasted, type TokenGrant, type TokenSettings, type TokenState } from "../tokens/token-state.js";
import type { Authorization, AuthorizeContext, ClaimNames, Credential } from "./credential.js";
import { CredentialBase } from "./define-credential.js";
import { invalidOption } from "./options.js";
import { registerCredentialSecrets, type HeldSecrets } from "./secret-access.js";

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
  /**
   * Full names of the claims this credential's tokens carry their tenant and permissions in,
   * e.g. `{ tenant: "https://atrope.dev/claims/tenant_id" }`: the same for every client the
   * credential serves. A token whose tenant claim is not `tenant` is refused before it is
   * cached or used, and granted scopes are read from the permissions claim.
   *
   * The claim rule: with `claims`, these names; with `claimsNamespace`, the claims each calling
   * client's spec declares (`x-portico-claims`) under that namespace; with neither, the names the
   * calling client passes (`AuthorizeContext.claims`: its spec's claims under its own
   * `claimsNamespace`), for that call only. They are never remembered as the credential's: two
   * clients that declare different claims and share one credential each get their own tenant
   * check, on every call, of the token about to be sent.
   */
  readonly claims?: ClaimNames;
  /**
   * Namespace of the tenant and permission claims in this credential's tokens (the deployment its
   * token endpoint belongs to), e.g. `"https://claims.acme.example/"`: applied to the claims the
   * calling client's spec declares, whatever namespace that client was built with. Not with `claims`.
   */
  readonly claimsNamespace?: string;
  /** Timeout of one token request. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * What a kind of token credential does, shared by all its credentials (one object per kind):
 * everything that needs the subclass's private fields.
 */
export interface TokenCredentialGrant<C> {
  /** Cache key of the credential's tokens: everything that shapes the token request, no secret. */
  key(credential: C): string;
  /** Fingerprint, for events, errors and printing. */
  label(credential: C): string;
  /**
   * Obtains a token: builds the grant's request, sends it, reads the answer. `claims`: the
   * credential's claim names when fixed at construction (they shape the cached token's tenant
   * and scopes), else undefined.
   */
  fetchToken(credential: C, context: TokenFetchContext, claims: ClaimNames | undefined): Promise<CachedToken>;
  /** The secrets it holds besides its tokens (client secret, refresh tokens), and those marking an environment. */
  secrets(credential: C): { readonly all: readonly (string | undefined)[]; readonly environment: readonly string[] };
  /**
   * Runs before every token is asked for (e.g. finding the token endpoint from the spec's
   * scheme); returns a promise only when there is something to wait for.
   */
  prepare?(credential: C, context: AuthorizeContext): undefined | Promise<void>;
}

/**
 * The settings of token credentials, shareable by many (a tenant fleet built in a loop shares
 * one): where tokens live and the refresh windows, the claim rule, and the grant.
 */
export interface TokenProfile extends TokenSettings {
  /** The kind's grant (typed by the kind: its functions take that kind's credentials only). */
  readonly grant: TokenCredentialGrant<never>;
  /** Claim names given at construction. */
  readonly claims: ClaimNames | undefined;
  /** Claim namespace given at construction. */
  readonly claimsNamespace: string | undefined;
}

/**
 * The shareable settings of a token credential's options: windows, hooks, cache (none: each
 * credential's tokens are its own, held in its state), clock, and the claim rule.
 */
export function tokenProfileOf(factory: string, options: TokenCredentialOptions, grant: TokenCredentialGrant<never>, clock: Clock): TokenProfile {
  if (options.claims !== undefined && options.claimsNamespace !== undefined) {
    throw invalidOption(factory, "claimsNamespace", 'cannot be given with "claims" (full claim names); give one of them');
  }
  return {
    ...tokenSettings(options, options.cache, clock),
    grant,
    claims: options.claims,
    claimsNamespace: options.claimsNamespace,
  };
}

/** Whether two profiles' own settings are equal (their grants' settings are compared by the caller). */
export function sameTokenProfile(a: TokenProfile, b: TokenProfile): boolean {
  return (
    a.grant === b.grant &&
    a.cache === b.cache &&
    a.clock === b.clock &&
    a.hooks === b.hooks &&
    a.refreshAhead === b.refreshAhead &&
    a.softWindowMs === b.softWindowMs &&
    a.hardWindowMs === b.hardWindowMs &&
    a.retryInitialMs === b.retryInitialMs &&
    a.retryMaxMs === b.retryMaxMs &&
    a.claims === b.claims &&
    a.claimsNamespace === b.claimsNamespace
  );
}

/** The profile of a token credential, for its grant's public getters (e.g. `cacheKey`): shared settings, no secret. */
export let profileOfCredential: (credential: object) => TokenProfile = () => {
  throw new TypeError("not a token credential");
};
/** The token a credential serves now, for its grant (e.g. to redact it from a provider's error). */
export let currentTokenOf: (credential: object) => CachedToken | undefined = () => undefined;
/**
 * Adopts a token obtained outside the grant (an authorization code exchange, a restored session)
 * as the credential's, checked like a fetched one; `ifAbsent`: stored only into an empty cache entry.
 */
export let seedCredential: (credential: object, token: CachedToken, options?: { readonly ifAbsent?: boolean }) => Promise<void> = () => Promise.resolve();

/** What a caller that passed no claim names counts as, among a credential's callers. */
const NO_CLAIMS: ClaimNames = Object.freeze({});

/**
 * The token credential shell: settings in a (shared) profile, the tenant and the claim names of
 * its callers in private fields, its token state allocated on the first token. Subclasses keep
 * their identity in private fields too, so a credential holds no readable secret and costs a
 * handful of fields. Methods live on the prototype.
 *
 * The claim rule (see `TokenCredentialOptions.claims`): names given at construction are the
 * credential's; otherwise each call's check uses the names its client passes, for that call only.
 *
 * Defined inside a call marked pure (`#__PURE__`): its `static {}` block would otherwise count as
 * a side effect, and bundlers would keep it (and the token manager) in every app bundled from
 * core's flat `dist`, even one that only calls `createClient`.
 */
export const TokenCredential = /*#__PURE__*/ (() => {
  abstract class TokenCredential extends CredentialBase<"bearer"> implements Credential<"bearer"> {
    readonly #profile: TokenProfile;
    readonly #tenant: string | undefined;
    #tokens: TokenState<TokenCredential> | undefined;
    /**
     * The claim names callers passed (`NO_CLAIMS`: none), while they all passed the same; `null`
     * once two differed. Only what `grantedScopes()` reads when asked without names; never used
     * for the tenant check.
     */
    #callerClaims: ClaimNames | null | undefined;

    protected constructor(profile: TokenProfile, tenant: string | undefined) {
      super();
      this.#profile = profile;
      this.#tenant = tenant;
      this.#tokens = undefined;
      this.#callerClaims = undefined;
    }

    get kind(): "bearer" {
      return "bearer";
    }

    get fingerprint(): string {
      return TokenCredential.#grantOf(this).label(this);
    }

    /** The tenant it was built for. */
    get tenant(): string | undefined {
      return this.#tenant;
    }

    async authorize(context: AuthorizeContext): Promise<Authorization> {
      const profile = this.#profile;
      const grant = TokenCredential.#grantOf(this);
      const prepared = grant.prepare?.(this, context);
      if (prepared !== undefined) await prepared;
      const { token, handle } = await getToken((this.#tokens ??= createTokenState<TokenCredential>(this, TokenCredential.#engine, profile)), context);
      if (profile.claims === undefined) {
        const given = context.claims;
        const seen = this.#callerClaims;
        const caller = given ?? NO_CLAIMS;
        if (seen !== null && seen !== caller) this.#callerClaims = seen === undefined ? caller : null;
        // This call's names: its client's. Fixed names were checked before the token was adopted.
        verifyTenant(token, this.#tenant, TokenCredential.#namesFor(profile, given), () => this.fingerprint);
      }
      return { secret: token.accessToken, handle };
    }

    invalidate(handle: unknown): Promise<boolean> {
      return this.#tokens === undefined ? Promise.resolve(false) : invalidateToken(this.#tokens, handle);
    }

    /** Learns how long its tokens take to reach the API (see `Credential.attemptAnswered`). */
    attemptAnswered(handle: unknown, elapsedMs: number, status: number): string | undefined {
      const tokens = this.#tokens;
      if (tokens === undefined || typeof handle !== "number") return undefined;
      noteTrip(tokens, elapsedMs);
      return status === 401 ? tripOutlasted(tokens, elapsedMs) : undefined;
    }

    /**
     * Scopes granted to the current token, when known: those the token response states, or its
     * permissions claim. Which claim: the credential's claim names when given at construction;
     * else those of `claims` (the calling client's, as in `AuthorizeContext.claims`); asked
     * without, those every caller so far has passed, if they all passed the same; else the
     * standard `permissions`, `scope` or `scp` claims.
     */
    grantedScopes(claims?: ClaimNames): readonly string[] | undefined {
      const token = this.#tokens?.current;
      if (token === undefined) return undefined;
      if (this.#profile.claims !== undefined) return token.scopes;
      const seen = this.#callerClaims;
      const names = TokenCredential.#namesFor(this.#profile, claims ?? (seen === null || seen === NO_CLAIMS ? undefined : seen));
      const claim = names?.permissions;
      const granted = claim === undefined ? undefined : tokenClaim(token, claim);
      if (claim === undefined || granted === undefined) return token.scopes;
      // The claim when it is a scope list; else (rarely) the standard claims of the whole payload.
      return scopesFromClaims({ [claim]: granted }, claim) ?? scopesFromClaims(readJwtClaims(token.accessToken), claim);
    }

    // Static, not instance, private methods: an instance method would add a brand field to every credential.

    /** The grant of a credential's kind: its functions take credentials of that kind, as `credential` is. */
    static #grantOf(credential: TokenCredential): TokenCredentialGrant<TokenCredential> {
      return credential.#profile.grant as TokenCredentialGrant<TokenCredential>;
    }

    /** The claim names a call uses: fixed ones, else the client's (under the credential's namespace, if given). */
    static #namesFor(profile: TokenProfile, given: ClaimNames | undefined): ClaimNames | undefined {
      const { claims, claimsNamespace } = profile;
      if (claims !== undefined) return claims;
      if (given === undefined || claimsNamespace === undefined) return given;
      return claimNamesUnder(given, claimsNamespace);
    }

    /** The token manager's grant for every token credential: the kind's grant, and the tenant check with fixed claim names. */
    static readonly #engine: TokenGrant<TokenCredential> = {
      key: (credential) => TokenCredential.#grantOf(credential).key(credential),
      label: (credential) => credential.fingerprint,
      fetchToken: (credential, context) => TokenCredential.#grantOf(credential).fetchToken(credential, context, credential.#profile.claims),
      verify(credential, token) {
        verifyTenant(token, credential.#tenant, credential.#profile.claims, () => credential.fingerprint);
      },
    };

    static {
      profileOfCredential = (credential) => {
        if (!(#profile in credential)) throw new TypeError("not a token credential");
        return credential.#profile;
      };
      currentTokenOf = (credential) => (#tokens in credential ? credential.#tokens?.current : undefined);
      seedCredential = (credential, token, options) => {
        if (!(#tokens in credential)) return Promise.resolve();
        const own = credential as TokenCredential;
        return seedToken((own.#tokens ??= createTokenState<TokenCredential>(own, TokenCredential.#engine, own.#profile)), token, options);
      };
      registerCredentialSecrets(TokenCredential.prototype, (credential): HeldSecrets => {
        if (!(#profile in credential)) return { all: [] };
        const own = credential as TokenCredential;
        const held = TokenCredential.#grantOf(own).secrets(own);
        const token = own.#tokens?.current;
        const all = [...held.all, token?.accessToken, token?.refreshToken].filter((s): s is string => s !== undefined);
        return { all, environment: held.environment };
      });
    }
  }
  return TokenCredential;
})();
