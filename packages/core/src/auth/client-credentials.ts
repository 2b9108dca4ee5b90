import { PorticoError } from "../errors/portico-error.js";
import { systemClock } from "../internal/clock.js";
import { registerSecret } from "../internal/redact.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { createTokenManager } from "../tokens/token-manager.js";
import { postTokenRequest, describeEndpoint } from "../tokens/token-request.js";
import { cachedTokenFrom, parseTokenResponse } from "../tokens/token-response.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { invalidOption, optionalPositive, optionalString, requireString, requireUrl } from "./options.js";
import { bearerBehaviour, managerOptions, tenantVerifier, type ClaimState, type TokenCredentialOptions } from "./token-credential.js";
import { isSecureTransport } from "./transport.js";

/** Options of `clientCredentials`. */
export interface ClientCredentialsOptions extends TokenCredentialOptions {
  /** Token endpoint, e.g. `https://YOUR_AUTH0_DOMAIN/oauth/token` (may be another origin than the API). */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Auth0/IMS API identifier. */
  readonly audience?: string;
  /** Requested scopes, space-separated or a list. */
  readonly scope?: string | readonly string[];
  /** More request parameters, e.g. Atlas's `{ terminal_id: "TID-00012345" }`. */
  readonly extraParams?: Readonly<Record<string, string | number>>;
  /** Body of the token request. @default "form" (RFC 6749); Auth0 and Atlas take "json". */
  readonly bodyEncoding?: "json" | "form";
  /** Lifetime to ask for, sent as `expires_in` (Atlas); must not exceed `maxLifetimeSeconds`. */
  readonly lifetimeSeconds?: number;
  /** Lifetime assumed when the response states none (Atlas: 3600). @default 3600 */
  readonly defaultLifetimeSeconds?: number;
  /** Cap on any lifetime (Atlas: 86400). */
  readonly maxLifetimeSeconds?: number;
}

/** A client-credentials credential; `rotateSecret` swaps the client secret on a live client. */
export interface ClientCredentialsCredential extends Credential<"bearer"> {
  /** Uses `clientSecret` for the next token requests (the cached token stays valid). */
  rotateSecret(clientSecret: string): void;
  /** Cache key of its tokens (no secret in it). */
  readonly cacheKey: string;
  readonly tenant: string | undefined;
}

const RESERVED = new Set(["grant_type", "client_id", "client_secret", "audience", "scope", "expires_in"]);
const FACTORY = "clientCredentials";

/**
 * OAuth 2.0 client credentials grant (2-legged): IMS/Auth0 (JSON, `audience`), Atlas (JSON,
 * `scope` + `terminal_id`), Arrotech (form). Tokens are cached per everything that shapes the
 * request, refreshed ahead of expiry, one request at a time.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @example clientCredentials({ tokenUrl, clientId, clientSecret, audience: "https://api.atrope.dev", bodyEncoding: "json" })
 */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentialsCredential {
  const tokenUrl = requireUrl(FACTORY, "tokenUrl", options.tokenUrl);
  const clientId = requireString(FACTORY, "clientId", options.clientId);
  let clientSecret = requireString(FACTORY, "clientSecret", options.clientSecret);
  const audience = optionalString(FACTORY, "audience", options.audience);
  const scope = Array.isArray(options.scope) ? options.scope.join(" ") : optionalString(FACTORY, "scope", options.scope);
  const tenant = optionalString(FACTORY, "tenant", options.tenant);
  const encoding = options.bodyEncoding ?? "form";
  if (encoding !== "json" && encoding !== "form") throw invalidOption(FACTORY, "bodyEncoding", 'must be "json" or "form"');
  const lifetimeSeconds = optionalPositive(FACTORY, "lifetimeSeconds", options.lifetimeSeconds);
  const defaultLifetimeSeconds = optionalPositive(FACTORY, "defaultLifetimeSeconds", options.defaultLifetimeSeconds);
  const maxLifetimeSeconds = optionalPositive(FACTORY, "maxLifetimeSeconds", options.maxLifetimeSeconds);
  if (lifetimeSeconds !== undefined && maxLifetimeSeconds !== undefined && lifetimeSeconds > maxLifetimeSeconds) {
    throw invalidOption(FACTORY, "lifetimeSeconds", `must not exceed maxLifetimeSeconds (${maxLifetimeSeconds})`);
  }
  const extraParams = options.extraParams ?? {};
  for (const [name, value] of Object.entries(extraParams)) {
    if (RESERVED.has(name)) throw invalidOption(FACTORY, `extraParams.${name}`, "is set by its own option");
    if (typeof value !== "string" && typeof value !== "number") throw invalidOption(FACTORY, `extraParams.${name}`, "must be a string or number");
  }
  if (!isSecureTransport(tokenUrl)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${FACTORY}: "tokenUrl" must be https (plain http is allowed only to loopback).`, {
      option: "tokenUrl",
    });
  }
  registerSecret(clientSecret);

  const clock = options.clock ?? systemClock;
  const label = (): string => `oauth2:${clientId}`;
  const claims: ClaimState = { names: options.claims };
  const source = describeEndpoint(tokenUrl.href);
  const cacheKey = tokenCacheKey({
    grant: "client_credentials",
    tokenUrl: tokenUrl.href,
    clientId,
    ...(audience !== undefined ? { audience } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(tenant !== undefined ? { tenant } : {}),
    extra: { ...extraParams, ...(lifetimeSeconds !== undefined ? { expires_in: lifetimeSeconds } : {}) },
  });

  const manager = createTokenManager({
    ...managerOptions(options),
    key: cacheKey,
    clock,
    label,
    ...(tenant !== undefined ? { verify: tenantVerifier(tenant, claims, label) } : {}),
    async fetchToken() {
      const params: Record<string, string | number> = {
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
        ...(audience !== undefined ? { audience } : {}),
        ...(scope !== undefined ? { scope } : {}),
        ...(lifetimeSeconds !== undefined ? { expires_in: lifetimeSeconds } : {}),
        ...extraParams,
      };
      const answer = await postTokenRequest({
        url: tokenUrl.href,
        params,
        encoding,
        clock,
        secrets: [clientSecret],
        ...(options.fetcher ? { fetcher: options.fetcher } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
      const fields = parseTokenResponse(answer.body, source);
      return cachedTokenFrom(
        fields,
        {
          obtainedAt: answer.obtainedAt,
          ...(answer.serverDate !== undefined ? { serverDate: answer.serverDate } : {}),
          ...(defaultLifetimeSeconds !== undefined ? { defaultLifetimeSeconds } : {}),
          ...(maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds } : {}),
        },
        source,
        claims.names,
      );
    },
  });

  return defineCredential("bearer", label, bearerBehaviour(manager, claims), { environmentSecrets: () => [clientSecret] }, {
    rotateSecret(next: string): void {
      clientSecret = requireString(FACTORY, "clientSecret", next);
      registerSecret(clientSecret);
    },
    cacheKey,
    tenant,
  });
}
