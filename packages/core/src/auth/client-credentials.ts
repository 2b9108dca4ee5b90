import type { Fetcher } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { systemClock } from "../internal/clock.js";
import { registerSecret } from "../internal/redact.js";
import { checkTenantClaim } from "../tenants/tenant-claim.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { tokenSettings } from "../tokens/token-manager.js";
import { postTokenRequest, describeEndpoint } from "../tokens/token-request.js";
import { cachedTokenFrom, parseTokenResponse } from "../tokens/token-response.js";
import { createTokenState, getToken, invalidateToken, type TokenGrant, type TokenSettings, type TokenState } from "../tokens/token-state.js";
import type { Authorization, AuthorizeContext, ClaimNames, Credential } from "./credential.js";
import { invalidOption, optionalPositive, optionalString, requireString, requireUrl } from "./options.js";
import { attachSecretView } from "./secret-access.js";
import type { TokenCredentialOptions } from "./token-credential.js";
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
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Everything but the client's identity: validated once, and shared by every credential built
 * with equal settings (a tenant fleet built in a loop shares one), so a credential stays small.
 */
interface Profile extends TokenSettings {
  readonly tokenUrl: string;
  readonly audience: string | undefined;
  readonly scope: string | undefined;
  readonly encoding: "json" | "form";
  readonly lifetimeSeconds: number | undefined;
  readonly defaultLifetimeSeconds: number | undefined;
  readonly maxLifetimeSeconds: number | undefined;
  /** Validated copy of `extraParams`, or undefined when there are none. */
  readonly extraParams: Readonly<Record<string, string | number>> | undefined;
  readonly fetcher: Fetcher | undefined;
  readonly timeoutMs: number | undefined;
}

/** The last profile built: reused when the next credential's settings are equal. */
let lastProfile: WeakRef<Profile> | undefined;

function sameParams(a: Profile["extraParams"], b: Profile["extraParams"]): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => Object.hasOwn(b, name) && a[name] === b[name]);
}

function sameProfile(a: Profile, b: Profile): boolean {
  for (const name of Object.keys(b) as (keyof Profile)[]) {
    if (name !== "extraParams" && a[name] !== b[name]) return false;
  }
  return sameParams(a.extraParams, b.extraParams);
}

function profileOf(options: ClientCredentialsOptions, url: URL): Profile {
  const audience = optionalString(FACTORY, "audience", options.audience);
  const scope = Array.isArray(options.scope) ? options.scope.join(" ") : optionalString(FACTORY, "scope", options.scope);
  const encoding = options.bodyEncoding ?? "form";
  if (encoding !== "json" && encoding !== "form") throw invalidOption(FACTORY, "bodyEncoding", 'must be "json" or "form"');
  const lifetimeSeconds = optionalPositive(FACTORY, "lifetimeSeconds", options.lifetimeSeconds);
  const defaultLifetimeSeconds = optionalPositive(FACTORY, "defaultLifetimeSeconds", options.defaultLifetimeSeconds);
  const maxLifetimeSeconds = optionalPositive(FACTORY, "maxLifetimeSeconds", options.maxLifetimeSeconds);
  if (lifetimeSeconds !== undefined && maxLifetimeSeconds !== undefined && lifetimeSeconds > maxLifetimeSeconds) {
    throw invalidOption(FACTORY, "lifetimeSeconds", `must not exceed maxLifetimeSeconds (${maxLifetimeSeconds})`);
  }
  let extraParams: Record<string, string | number> | undefined;
  for (const [name, value] of Object.entries(options.extraParams ?? {})) {
    if (RESERVED.has(name)) throw invalidOption(FACTORY, `extraParams.${name}`, "is set by its own option");
    if (typeof value !== "string" && typeof value !== "number") throw invalidOption(FACTORY, `extraParams.${name}`, "must be a string or number");
    (extraParams ??= {})[name] = value;
  }
  if (!isSecureTransport(url)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${FACTORY}: "tokenUrl" must be https (plain http is allowed only to loopback).`, {
      option: "tokenUrl",
    });
  }
  const clock = options.clock ?? systemClock;
  const profile: Profile = {
    // Without a cache the credential's tokens are its own: it holds them in its token state.
    ...tokenSettings(options, options.cache, clock),
    // The caller's string when it is already normalized, so equal profiles share it.
    tokenUrl: url.href === options.tokenUrl ? options.tokenUrl : url.href,
    audience,
    scope,
    encoding,
    lifetimeSeconds,
    defaultLifetimeSeconds,
    maxLifetimeSeconds,
    extraParams: extraParams === undefined ? undefined : Object.freeze(extraParams),
    fetcher: options.fetcher,
    timeoutMs: options.timeoutMs,
  };
  const last = lastProfile?.deref();
  if (last !== undefined && sameProfile(last, profile)) return last;
  lastProfile = new WeakRef(profile);
  return profile;
}

/**
 * The credential: its identity in private fields (never readable, never serialized), its
 * settings in a shared profile, its token state allocated on the first token. Methods live on
 * the prototype, so a credential costs a handful of fields.
 *
 * Defined inside a call marked pure (`#__PURE__`): its computed `[INSPECT]` key and `static {}`
 * block would otherwise count as side effects, and bundlers would keep it (and the token manager)
 * in every app bundled from core's flat `dist`, even one that only calls `createClient`.
 */
const ClientCredentials = /*#__PURE__*/ (() =>
  class ClientCredentials implements ClientCredentialsCredential {
    readonly #profile: Profile;
    readonly #clientId: string;
    #secret: string;
    readonly #tenant: string | undefined;
    /** Claim names: the option, else the first the pipeline passes. */
    #claims: ClaimNames | undefined;
    #tokens: TokenState<ClientCredentials> | undefined;

    constructor(profile: Profile, clientId: string, secret: string, tenant: string | undefined, claims: ClaimNames | undefined) {
      this.#profile = profile;
      this.#clientId = clientId;
      this.#secret = secret;
      this.#tenant = tenant;
      this.#claims = claims;
      this.#tokens = undefined;
    }

    get kind(): "bearer" {
      return "bearer";
    }

    get fingerprint(): string {
      return `oauth2:${this.#clientId}`;
    }

    get tenant(): string | undefined {
      return this.#tenant;
    }

    get cacheKey(): string {
      const p = this.#profile;
      const tenant = this.#tenant;
      return tokenCacheKey({
        grant: "client_credentials",
        tokenUrl: p.tokenUrl,
        clientId: this.#clientId,
        ...(p.audience !== undefined ? { audience: p.audience } : {}),
        ...(p.scope !== undefined ? { scope: p.scope } : {}),
        ...(tenant !== undefined ? { tenant } : {}),
        extra: { ...p.extraParams, ...(p.lifetimeSeconds !== undefined ? { expires_in: p.lifetimeSeconds } : {}) },
      });
    }

    async authorize(context: AuthorizeContext): Promise<Authorization> {
      if (this.#claims === undefined && context.claims !== undefined) this.#claims = context.claims;
      const { token, handle } = await getToken((this.#tokens ??= createTokenState(this, ClientCredentials.#grant, this.#profile)), context.signal);
      return { headers: { Authorization: `Bearer ${token.accessToken}` }, handle };
    }

    invalidate(handle: unknown): Promise<boolean> {
      return this.#tokens === undefined ? Promise.resolve(false) : invalidateToken(this.#tokens, handle);
    }

    grantedScopes(): readonly string[] | undefined {
      return this.#tokens?.current?.scopes;
    }

    rotateSecret(clientSecret: string): void {
      this.#secret = requireString(FACTORY, "clientSecret", clientSecret);
      registerSecret(this.#secret);
    }

    toJSON(): { kind: string; fingerprint: string } {
      return { kind: "bearer", fingerprint: this.fingerprint };
    }

    toString(): string {
      return `Credential<bearer> ${this.fingerprint}`;
    }

    [INSPECT](): string {
      return this.toString();
    }

    static {
      attachSecretView(ClientCredentials.prototype, {
        environmentSecrets: (credential) => (#secret in credential ? [(credential as ClientCredentials).#secret] : []),
      });
    }

    /** The grant the token state drives: requests a token with this credential's secret. */
    static readonly #grant: TokenGrant<ClientCredentials> = {
      key: (credential) => credential.cacheKey,
      label: (credential) => credential.fingerprint,
      verify(credential, token) {
        const tenant = credential.#tenant;
        const claim = credential.#claims?.tenant;
        if (tenant === undefined || claim === undefined) return;
        const mismatch = checkTenantClaim(token.accessToken, tenant, claim, credential.fingerprint);
        if (mismatch !== undefined) throw mismatch;
      },
      async fetchToken(credential) {
        const p = credential.#profile;
        const secret = credential.#secret;
        const params: Record<string, string | number> = {
          grant_type: "client_credentials",
          client_id: credential.#clientId,
          client_secret: secret,
          ...(p.audience !== undefined ? { audience: p.audience } : {}),
          ...(p.scope !== undefined ? { scope: p.scope } : {}),
          ...(p.lifetimeSeconds !== undefined ? { expires_in: p.lifetimeSeconds } : {}),
          ...p.extraParams,
        };
        const answer = await postTokenRequest({
          url: p.tokenUrl,
          params,
          encoding: p.encoding,
          clock: p.clock,
          secrets: [secret],
          ...(p.fetcher ? { fetcher: p.fetcher } : {}),
          ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
        });
        const source = describeEndpoint(p.tokenUrl);
        const fields = parseTokenResponse(answer.body, source);
        return cachedTokenFrom(
          fields,
          {
            obtainedAt: answer.obtainedAt,
            ...(answer.serverDate !== undefined ? { serverDate: answer.serverDate } : {}),
            ...(p.defaultLifetimeSeconds !== undefined ? { defaultLifetimeSeconds: p.defaultLifetimeSeconds } : {}),
            ...(p.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: p.maxLifetimeSeconds } : {}),
          },
          source,
          credential.#claims,
        );
      },
    };
  }
)();

/**
 * OAuth 2.0 client credentials grant (2-legged): IMS/Auth0 (JSON, `audience`), Atlas (JSON,
 * `scope` + `terminal_id`), Arrotech (form). Tokens are cached per everything that shapes the
 * request, refreshed ahead of expiry, one request at a time. Without a `cache` its tokens are
 * its own; credentials given one cache share tokens by key (token URL, client id, audience,
 * scope, extra parameters, tenant: not the secret, so share a cache only among trusted holders).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @example clientCredentials({ tokenUrl, clientId, clientSecret, audience: "https://api.atrope.dev", bodyEncoding: "json" })
 */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentialsCredential {
  const url = requireUrl(FACTORY, "tokenUrl", options.tokenUrl);
  const clientId = requireString(FACTORY, "clientId", options.clientId);
  const clientSecret = requireString(FACTORY, "clientSecret", options.clientSecret);
  const tenant = optionalString(FACTORY, "tenant", options.tenant);
  const profile = profileOf(options, url);
  registerSecret(clientSecret);
  return new ClientCredentials(profile, clientId, clientSecret, tenant, options.claims);
}
