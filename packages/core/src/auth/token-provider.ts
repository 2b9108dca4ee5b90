import * as z from "zod/mini";
import { PorticoError } from "../errors/portico-error.js";
import { systemClock } from "../internal/clock.js";
import { redact, safeCause } from "../internal/redact.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { createTokenManager, type RefreshReason } from "../tokens/token-manager.js";
import { cachedTokenFrom } from "../tokens/token-response.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { checkCredentialOptions, tokenProviderSchema } from "./credential-options.js";
import { invalidOption } from "./options.js";
import { bearerBehaviour, managerOptions, tenantVerifier, type ClaimState, type TokenCredentialOptions } from "./token-credential.js";

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

/** Options of `tokenProvider`. */
export interface TokenProviderOptions extends Omit<TokenCredentialOptions, "fetcher" | "timeoutMs"> {
  /** Cache key, to share the provider's tokens through a shared cache. @default unique per credential */
  readonly cacheKey?: string;
  /** Lifetime assumed when the provider states none and the token has no `exp`. @default 300 */
  readonly defaultLifetimeSeconds?: number;
}

/** Built on first use, so bundles without a token provider keep no schema code. */
let providedTokenSchema: ReturnType<typeof buildProvidedTokenSchema> | undefined;
const buildProvidedTokenSchema = () =>
  z.object({
    accessToken: z.string().check(z.refine((v) => v.length > 0)),
    expiresAt: z.optional(z.union([z.number(), z.string(), z.date()])),
    expiresIn: z.optional(z.number().check(z.refine((v) => v > 0))),
    scopes: z.optional(z.array(z.string())),
  });

let providerCount = 0;

/**
 * Wraps any async token source in the token manager: cached, refreshed ahead of expiry, one call
 * at a time. A result that is not `{ accessToken, expiresAt? | expiresIn? }` is `TOKEN_RESPONSE_INVALID`.
 * @example tokenProvider(async () => ({ accessToken: await vault.read("ims"), expiresIn: 600 }))
 */
export function tokenProvider(provide: TokenProviderFunction, options: TokenProviderOptions = {}): Credential<"bearer"> {
  if (typeof provide !== "function") throw invalidOption("tokenProvider", "provide", "must be a function returning { accessToken, expiresIn? | expiresAt? }");
  checkCredentialOptions("tokenProvider", tokenProviderSchema(), options);
  const tenant = options.tenant;
  const defaultLifetimeSeconds = options.defaultLifetimeSeconds ?? 300;
  const clock = options.clock ?? systemClock;
  providerCount += 1;
  const id = providerCount;
  const label = (): string => `provider#${id}`;
  const claims: ClaimState = { names: options.claims };
  const manager = createTokenManager({
    ...managerOptions(options),
    key: options.cacheKey ?? tokenCacheKey({ grant: "provider", tokenUrl: `provider:${id}`, ...(tenant !== undefined ? { tenant } : {}) }),
    clock,
    label,
    ...(tenant !== undefined ? { verify: tenantVerifier(tenant, claims, label) } : {}),
    async fetchToken({ reason, signal }) {
      let result: unknown;
      try {
        result = await provide({ reason, ...(signal !== undefined ? { signal } : {}) });
      } catch (error) {
        // Its error may name the token it provided before: this credential's secret.
        const held = manager.current()?.accessToken;
        const cause = safeCause(error, (text) => redact(text, held === undefined ? [] : [held]));
        throw new PorticoError("TOKEN_REFRESH_FAILED", `The token provider of credential ${label()} failed.`, { credential: label(), cause });
      }
      const parsed = (providedTokenSchema ??= buildProvidedTokenSchema()).safeParse(result);
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path.map(String).join(".") || "(result)";
        throw new PorticoError("TOKEN_RESPONSE_INVALID", `The token provider of credential ${label()} returned an invalid "${field}".`, { field });
      }
      const { accessToken, expiresAt, expiresIn, scopes } = parsed.data;
      return cachedTokenFrom(
        { accessToken, ...(expiresIn !== undefined ? { expiresIn } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}), ...(scopes ? { scope: scopes } : {}) },
        { obtainedAt: clock.now(), defaultLifetimeSeconds },
        `the token provider of ${label()}`,
        claims.names,
      );
    },
  });
  return defineCredential("bearer", label, bearerBehaviour(manager, claims), () => {
    const token = manager.current()?.accessToken;
    return { all: token === undefined ? [] : [token], environment: [] };
  });
}
