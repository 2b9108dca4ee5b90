import type { Fetcher } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { systemClock } from "../internal/clock.js";
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { loadTokenExchange } from "../tokens/load-token-exchange.js";
import { clientAuthenticationFor, tokenEndpointOf, type TokenEndpoint } from "../tokens/discovery.js";
import type { ClientAuthentication } from "../tokens/token-request.js";
import { tokenEndpointUrl } from "../tokens/token-url.js";
import type { AuthorizeContext } from "./credential.js";
import type { Credential } from "./credential.js";
import { checkCredentialOptions, clientCredentialsSchema } from "./credential-options.js";
import { invalidOption, requireString } from "./options.js";
import { profileOfCredential, sameTokenProfile, tokenProfileOf, TokenCredential, type TokenCredentialGrant, type TokenCredentialOptions, type TokenProfile } from "./token-credential.js";

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

/**
 * Everything but the client's identity: validated once, and shared by every credential built
 * with equal settings (a tenant fleet built in a loop shares one), so a credential stays small.
 */
interface Profile extends TokenProfile {
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

/** The grant of every client-credentials credential (set when the class is defined). */
let grantOf: () => TokenCredentialGrant<ClientCredentials>;
const grant = (): TokenCredentialGrant<ClientCredentials> => grantOf();

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
  return (
    sameTokenProfile(a, b) &&
    a.tokenUrl === b.tokenUrl &&
    a.clientAuthentication === b.clientAuthentication &&
    a.audience === b.audience &&
    a.scope === b.scope &&
    a.encoding === b.encoding &&
    a.lifetimeSeconds === b.lifetimeSeconds &&
    a.defaultLifetimeSeconds === b.defaultLifetimeSeconds &&
    a.maxLifetimeSeconds === b.maxLifetimeSeconds &&
    a.fetcher === b.fetcher &&
    a.timeoutMs === b.timeoutMs &&
    sameParams(a.extraParams, b.extraParams)
  );
}

function profileOf(options: ClientCredentialsOptions): Profile {
  const scope = Array.isArray(options.scope) ? options.scope.join(" ") : (options.scope as string | undefined);
  const { lifetimeSeconds, defaultLifetimeSeconds, maxLifetimeSeconds } = options;
  if (lifetimeSeconds !== undefined && maxLifetimeSeconds !== undefined && lifetimeSeconds > maxLifetimeSeconds) {
    throw invalidOption(FACTORY, "lifetimeSeconds", `must not exceed maxLifetimeSeconds (${maxLifetimeSeconds})`);
  }
  let extraParams: Record<string, string | number> | undefined;
  for (const [name, value] of Object.entries(options.extraParams ?? {})) {
    if (RESERVED.has(name)) throw invalidOption(FACTORY, `extraParams.${name}`, "is set by its own option; remove it from extraParams");
    (extraParams ??= {})[name] = value;
  }
  const given = options.tokenUrl;
  const tokenUrl = given === undefined ? undefined : tokenEndpointUrl(FACTORY, given, '"tokenUrl"');
  const profile: Profile = {
    // Without a cache the credential's tokens are its own: it holds them in its token state.
    ...tokenProfileOf(FACTORY, options, grant(), options.clock ?? systemClock),
    // The caller's string when it is already normalized, so equal profiles share it.
    tokenUrl: tokenUrl === given ? given : tokenUrl,
    clientAuthentication: options.clientAuthentication,
    audience: options.audience,
    scope,
    encoding: options.bodyEncoding ?? "form",
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
 * A client-credentials credential: the token credential shell plus its identity (client id,
 * secret) and the token endpoint once known, in private fields; its settings in a shared profile.
 *
 * Defined inside a call marked pure (`#__PURE__`): its `static {}` block would otherwise count as
 * a side effect, kept by bundlers in apps that never build one.
 */
const ClientCredentials = /*#__PURE__*/ (() =>
  class ClientCredentials extends TokenCredential implements ClientCredentialsCredential {
    readonly #clientId: string;
    #secret: string;
    /** The token endpoint taken from the spec (no `tokenUrl` option), once known. */
    #endpoint: TokenEndpoint | Promise<TokenEndpoint> | undefined;

    constructor(profile: Profile, clientId: string, secret: string, tenant: string | undefined) {
      super(profile, tenant);
      this.#clientId = clientId;
      this.#secret = secret;
      this.#endpoint = undefined;
    }

    get cacheKey(): string {
      const p = profileOfCredential(this) as Profile;
      const tenant = this.tenant;
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

    rotateSecret(clientSecret: string): void {
      this.#secret = requireString(FACTORY, "clientSecret", clientSecret);
    }

    /** What every client-credentials credential does with its own fields (private: it reads the secret). */
    static readonly #grant: TokenCredentialGrant<ClientCredentials> = {
      key: (credential) => credential.cacheKey,
      label: (credential) => `oauth2:${credential.#clientId}`,
      secrets: (credential) => ({ all: [credential.#secret], environment: [credential.#secret] }),
      prepare(credential, context: AuthorizeContext) {
        // Known (the common case): nothing to wait for.
        if (credential.#endpoint !== undefined && !(credential.#endpoint instanceof Promise)) return undefined;
        const pending = (credential.#endpoint ??= endpointFor(profileOfCredential(credential) as Profile, context.schemeDescriptor, context.url));
        // The discovery is shared and keeps its own timeout; this caller may still leave early.
        return untilAborted(pending, context.signal).then(
          (endpoint) => {
            credential.#endpoint = endpoint;
          },
          (error: unknown) => {
            if (credential.#endpoint === pending) credential.#endpoint = undefined;
            throw error;
          },
        );
      },
      async fetchToken(credential, context, claims) {
        const p = profileOfCredential(credential) as Profile;
        const endpoint = credential.#endpoint as TokenEndpoint;
        const client = { clientId: credential.#clientId, clientSecret: credential.#secret, authentication: clientAuthenticationFor(p.clientAuthentication, endpoint) };
        const transport = { encoding: p.encoding, clock: p.clock, fetcher: p.fetcher, timeoutMs: p.timeoutMs, signal: context.signal };
        const lifetimes = { defaultLifetimeSeconds: p.defaultLifetimeSeconds ?? endpoint.defaultLifetimeSeconds, maxLifetimeSeconds: p.maxLifetimeSeconds };
        const { clientCredentialsToken } = await loadTokenExchange();
        return clientCredentialsToken(endpoint.url, client, p, transport, lifetimes, claims);
      },
    };

    static {
      grantOf = () => ClientCredentials.#grant;
    }
  }
)();
type ClientCredentials = InstanceType<typeof ClientCredentials>;

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
  return new ClientCredentials(profileOf(options), options.clientId, options.clientSecret, options.tenant);
}
