import { systemClock } from "../internal/clock.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { providerRequest, providerResponse, type TokenProviderFunction } from "../tokens/provider-grant.js";
import type { Credential } from "./credential.js";
import { checkCredentialOptions, tokenProviderSchema } from "./credential-options.js";
import { invalidOption } from "./options.js";
import { currentTokenOf, tokenProfileOf, TokenCredential, type TokenCredentialGrant, type TokenCredentialOptions, type TokenProfile } from "./token-credential.js";

export type { ProvidedToken, TokenProviderFunction } from "../tokens/provider-grant.js";

/** Options of `tokenProvider`. */
export interface TokenProviderOptions extends Omit<TokenCredentialOptions, "fetcher" | "timeoutMs"> {
  /** Cache key, to share the provider's tokens through a shared cache. @default unique per credential */
  readonly cacheKey?: string;
  /** Lifetime assumed when the provider states none and the token has no `exp`. @default 300 */
  readonly defaultLifetimeSeconds?: number;
}

interface ProviderProfile extends TokenProfile {
  readonly defaultLifetimeSeconds: number;
}

let providerCount = 0;
/** The grant of every token provider credential (set when the class is defined). */
let grantOf: () => TokenCredentialGrant<ProvidedTokens>;

/**
 * A token provider's credential: the token credential shell plus the provider, its number and
 * its cache key, in private fields. Its "grant" calls the provider (`providerRequest`) and checks
 * what it returned (`providerResponse`).
 * Defined inside a call marked pure (`#__PURE__`), as its `static {}` block is a side effect.
 */
const ProvidedTokens = /*#__PURE__*/ (() =>
  class ProvidedTokens extends TokenCredential {
    readonly #profile: ProviderProfile;
    readonly #provide: TokenProviderFunction;
    readonly #id: number;
    readonly #key: string;

    constructor(profile: ProviderProfile, provide: TokenProviderFunction, id: number, key: string, tenant: string | undefined) {
      super(profile, tenant);
      this.#profile = profile;
      this.#provide = provide;
      this.#id = id;
      this.#key = key;
    }

    static readonly #grant: TokenCredentialGrant<ProvidedTokens> = {
      key: (credential) => credential.#key,
      label: (credential) => `provider#${credential.#id}`,
      secrets: () => ({ all: [], environment: [] }),
      async fetchToken(credential, context, claims) {
        const label = credential.fingerprint;
        const result = await providerRequest(credential.#provide, context, label, currentTokenOf(credential)?.accessToken);
        const profile = credential.#profile;
        return providerResponse(result, label, profile.clock.now(), profile.defaultLifetimeSeconds, claims);
      },
    };

    static {
      grantOf = () => ProvidedTokens.#grant;
    }
  }
)();
type ProvidedTokens = InstanceType<typeof ProvidedTokens>;

/**
 * Wraps any async token source in the token manager: cached, refreshed ahead of expiry, one call
 * at a time. A result that is not `{ accessToken, expiresAt? | expiresIn? }` is `TOKEN_RESPONSE_INVALID`.
 * @example tokenProvider(async () => ({ accessToken: await vault.read("ims"), expiresIn: 600 }))
 */
export function tokenProvider(provide: TokenProviderFunction, options: TokenProviderOptions = {}): Credential<"bearer"> {
  if (typeof provide !== "function") throw invalidOption("tokenProvider", "provide", "must be a function returning { accessToken, expiresIn? | expiresAt? }");
  checkCredentialOptions("tokenProvider", tokenProviderSchema(), options);
  const tenant = options.tenant;
  providerCount += 1;
  const id = providerCount;
  const profile: ProviderProfile = {
    ...tokenProfileOf("tokenProvider", options, grantOf(), options.clock ?? systemClock),
    defaultLifetimeSeconds: options.defaultLifetimeSeconds ?? 300,
  };
  const key = options.cacheKey ?? tokenCacheKey({ grant: "provider", tokenUrl: `provider:${id}`, ...(tenant !== undefined ? { tenant } : {}) });
  return new ProvidedTokens(profile, provide, id, key, tenant);
}
