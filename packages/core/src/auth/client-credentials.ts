import type { Fetcher } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { systemClock } from "../internal/clock.js";
import { checkTenantClaim } from "../tenants/tenant-claim.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { tokenSettings } from "../tokens/token-manager.js";
import { clientAuthenticationFor, tokenEndpointOf, type TokenEndpoint } from "../tokens/discovery.js";
import { postTokenRequest, describeEndpoint, type ClientAuthentication } from "../tokens/token-request.js";
import { cachedTokenFrom, parseTokenResponse } from "../tokens/token-response.js";
import { createTokenState, getToken, invalidateToken, type TokenGrant, type TokenSettings, type TokenState } from "../tokens/token-state.js";
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { Authorization, AuthorizeContext, ClaimNames, Credential } from "./credential.js";
import { checkCredentialOptions, clientCredentialsSchema } from "./credential-options.js";
import { invalidOption, requireString } from "./options.js";
import { registerCredentialSecrets } from "./secret-access.js";
import type { TokenCredentialOptions } from "./token-credential.js";
import { isSecureTransport } from "./transport.js";

/** Options of `clientCredentials`. */
export interface ClientCredentialsOptions extends TokenCredentialOptions {
  /**
   * Token endpoint, e.g. `https://YOUR_AUTH0_DOMAIN/oauth/token` (may be another origin than the API).
   * @default the spec's: the `clientCredentials` flow's `tokenUrl` of its `oauth2` scheme, or the
   * `token_endpoint` of its `openIdConnect` scheme's discovery document (fetched once)
   */
  readonly tokenUrl?: string;
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
  /**
   * How the client authenticates to the token endpoint (RFC 6749 §2.3.1): `client_secret_post`
   * (id and secret in the body) or `client_secret_basic` (`Authorization: Basic`).
   * @default what the discovered server metadata supports (post when listed), else `client_secret_post`
   */
  readonly clientAuthentication?: ClientAuthentication;
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
  /** The given token URL; `undefined`: taken from the spec's scheme on first use. */
  readonly tokenUrl: string | undefined;
  readonly clientAuthentication: ClientAuthentication | undefined;
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
  /** Token endpoints discovered from `openIdConnect` schemes, by discovery URL: fetched once for every credential of this profile. */
  readonly discovered: Map<string, Promise<TokenEndpoint>>;
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
    if (name !== "extraParams" && name !== "discovered" && a[name] !== b[name]) return false;
  }
  return sameParams(a.extraParams, b.extraParams);
}

function profileOf(options: ClientCredentialsOptions, url: URL | undefined): Profile {
  const audience = options.audience;
  const scope = Array.isArray(options.scope) ? options.scope.join(" ") : (options.scope as string | undefined);
  const encoding = options.bodyEncoding ?? "form";
  const { lifetimeSeconds, defaultLifetimeSeconds, maxLifetimeSeconds } = options;
  if (lifetimeSeconds !== undefined && maxLifetimeSeconds !== undefined && lifetimeSeconds > maxLifetimeSeconds) {
    throw invalidOption(FACTORY, "lifetimeSeconds", `must not exceed maxLifetimeSeconds (${maxLifetimeSeconds})`);
  }
  let extraParams: Record<string, string | number> | undefined;
  for (const [name, value] of Object.entries(options.extraParams ?? {})) {
    if (RESERVED.has(name)) throw invalidOption(FACTORY, `extraParams.${name}`, "is set by its own option; remove it from extraParams");
    (extraParams ??= {})[name] = value;
  }
  const clientAuthentication = options.clientAuthentication;
  if (url !== undefined && !isSecureTransport(url)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${FACTORY}: "tokenUrl" must be https (plain http is allowed only to loopback).`, {
      option: "tokenUrl",
    });
  }
  const clock = options.clock ?? systemClock;
  const profile: Profile = {
    // Without a cache the credential's tokens are its own: it holds them in its token state.
    ...tokenSettings(options, options.cache, clock),
    // The caller's string when it is already normalized, so equal profiles share it.
    tokenUrl: url === undefined ? undefined : url.href === options.tokenUrl ? options.tokenUrl : url.href,
    clientAuthentication,
    audience,
    scope,
    encoding,
    lifetimeSeconds,
    defaultLifetimeSeconds,
    maxLifetimeSeconds,
    extraParams: extraParams === undefined ? undefined : Object.freeze(extraParams),
    fetcher: options.fetcher,
    timeoutMs: options.timeoutMs,
    discovered: new Map(),
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
    /** The token endpoint taken from the spec (no `tokenUrl` option), once known. */
    #endpoint: TokenEndpoint | Promise<TokenEndpoint> | undefined;

    constructor(profile: Profile, clientId: string, secret: string, tenant: string | undefined, claims: ClaimNames | undefined) {
      this.#profile = profile;
      this.#clientId = clientId;
      this.#secret = secret;
      this.#tenant = tenant;
      this.#claims = claims;
      this.#tokens = undefined;
      this.#endpoint = undefined;
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
      const endpoint = this.#endpoint;
      return tokenCacheKey({
        grant: "client_credentials",
        tokenUrl: endpoint === undefined || endpoint instanceof Promise ? (p.tokenUrl ?? "(from the spec)") : endpoint.url,
        clientId: this.#clientId,
        ...(p.audience !== undefined ? { audience: p.audience } : {}),
        ...(p.scope !== undefined ? { scope: p.scope } : {}),
        ...(tenant !== undefined ? { tenant } : {}),
        extra: { ...p.extraParams, ...(p.lifetimeSeconds !== undefined ? { expires_in: p.lifetimeSeconds } : {}) },
      });
    }

    async authorize(context: AuthorizeContext): Promise<Authorization> {
      if (this.#claims === undefined && context.claims !== undefined) this.#claims = context.claims;
      if (this.#endpoint === undefined || this.#endpoint instanceof Promise) {
        const pending = (this.#endpoint ??= endpointFor(this.#profile, context.schemeDescriptor, context.url));
        try {
          // The discovery is shared and keeps its own timeout; this caller may still leave early.
          this.#endpoint = await untilAborted(pending, context.signal);
        } catch (error) {
          if (this.#endpoint === pending) this.#endpoint = undefined;
          throw error;
        }
      }
      const { token, handle } = await getToken((this.#tokens ??= createTokenState(this, ClientCredentials.#grant, this.#profile)), context.signal);
      return { secret: token.accessToken, handle };
    }

    invalidate(handle: unknown): Promise<boolean> {
      return this.#tokens === undefined ? Promise.resolve(false) : invalidateToken(this.#tokens, handle);
    }

    grantedScopes(): readonly string[] | undefined {
      return this.#tokens?.current?.scopes;
    }

    rotateSecret(clientSecret: string): void {
      this.#secret = requireString(FACTORY, "clientSecret", clientSecret);
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
      registerCredentialSecrets(ClientCredentials.prototype, (credential) => {
        if (!(#secret in credential)) return { all: [] };
        const own = credential as ClientCredentials;
        const token = own.#tokens?.current;
        const all = [own.#secret, token?.accessToken, token?.refreshToken].filter((s): s is string => s !== undefined);
        return { all, environment: [own.#secret] };
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
      async fetchToken(credential, context) {
        const p = credential.#profile;
        const secret = credential.#secret;
        const endpoint = credential.#endpoint as TokenEndpoint;
        const basic = clientAuthenticationFor(p.clientAuthentication, endpoint) === "client_secret_basic";
        const params: Record<string, string | number> = {
          grant_type: "client_credentials",
          ...(basic ? {} : { client_id: credential.#clientId, client_secret: secret }),
          ...(p.audience !== undefined ? { audience: p.audience } : {}),
          ...(p.scope !== undefined ? { scope: p.scope } : {}),
          ...(p.lifetimeSeconds !== undefined ? { expires_in: p.lifetimeSeconds } : {}),
          ...p.extraParams,
        };
        const answer = await postTokenRequest({
          url: endpoint.url,
          params,
          ...(basic ? { basicAuth: { clientId: credential.#clientId, clientSecret: secret } } : {}),
          encoding: p.encoding,
          clock: p.clock,
          secrets: [secret],
          ...(p.fetcher ? { fetcher: p.fetcher } : {}),
          ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
          ...(context.signal !== undefined ? { signal: context.signal } : {}),
        });
        const source = describeEndpoint(endpoint.url);
        const fields = parseTokenResponse(answer.body, source);
        return cachedTokenFrom(
          fields,
          {
            obtainedAt: answer.obtainedAt,
            ...(answer.serverDate !== undefined ? { serverDate: answer.serverDate } : {}),
            ...((p.defaultLifetimeSeconds ?? endpoint.defaultLifetimeSeconds) !== undefined
              ? { defaultLifetimeSeconds: p.defaultLifetimeSeconds ?? endpoint.defaultLifetimeSeconds }
              : {}),
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
 * Where a credential of `profile` gets its tokens when it serves `scheme`: the given `tokenUrl`,
 * the spec's flow, or the discovery document (one fetch per profile, not tied to one caller's signal).
 */
function endpointFor(profile: Profile, scheme: SecuritySchemeDescriptor | undefined, apiUrl: string): TokenEndpoint | Promise<TokenEndpoint> {
  const lifetime = scheme !== undefined && "defaultLifetimeSeconds" in scheme ? scheme.defaultLifetimeSeconds : undefined;
  const withLifetime = (endpoint: TokenEndpoint): TokenEndpoint => (lifetime === undefined ? endpoint : { ...endpoint, defaultLifetimeSeconds: lifetime });
  if (profile.tokenUrl !== undefined) return withLifetime({ url: profile.tokenUrl });
  if (scheme?.type !== "openIdConnect") return tokenEndpointOf(FACTORY, "clientCredentials", scheme, profile.fetcher, undefined, apiUrl).then(withLifetime);
  // Keyed by the resolved URL: a relative discovery URL names another document on every deployment.
  const where = resolvedUrl(scheme.url, apiUrl);
  let discovery = profile.discovered.get(where);
  if (discovery === undefined) {
    discovery = tokenEndpointOf(FACTORY, "clientCredentials", scheme, profile.fetcher, timeoutSignal(profile.timeoutMs ?? 30_000), apiUrl);
    profile.discovered.set(where, discovery);
    // A failed discovery is not kept: the next call tries again.
    discovery.catch(() => profile.discovered.delete(where));
  }
  return discovery.then(withLifetime);
}

function resolvedUrl(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;
}

/** `value`, or `ABORTED` as soon as `signal` aborts (what `value` waits on goes on). */
function untilAborted<T>(value: T | Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined || !(value instanceof Promise)) return Promise.resolve(value);
  const aborted = (): PorticoError => new PorticoError("ABORTED", "The call was aborted while the token endpoint was being discovered.");
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    value.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

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
  checkCredentialOptions(FACTORY, clientCredentialsSchema(), options);
  const url = options.tokenUrl === undefined ? undefined : new URL(options.tokenUrl);
  const profile = profileOf(options, url);
  return new ClientCredentials(profile, options.clientId, options.clientSecret, options.tenant, options.claims);
}
