import { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { loadTokenExchange } from "../tokens/load-token-exchange.js";
import { cachedTokenFrom, toEpochMs, type TokenFields } from "../tokens/cached-token.js";
import type { TokenClient, TokenEndpointResult, TokenLifetimes } from "../tokens/grants.js";
import { OAuthTokenError } from "../tokens/oauth-error.js";
import type { CachedToken } from "../tokens/token-cache.js";
import type { ClientAuthentication } from "../tokens/token-request.js";
import { tokenEndpointUrl } from "../tokens/token-url.js";
import type { Credential } from "./credential.js";
import { checkCredentialOptions, exchangeAuthorizationCodeSchema, refreshTokenCredentialSchema } from "./credential-options.js";
import { timingSafeEqual } from "./pkce.js";
import { seedCredential, tokenProfileOf, TokenCredential, type TokenCredentialGrant, type TokenCredentialOptions, type TokenProfile } from "./token-credential.js";

/** Fired once when a session without a usable refresh token has ended. */
export interface SessionExpiredEvent {
  readonly credential: string;
  /** When the session ended, epoch ms. */
  readonly expiredAt: number;
}

/** Options of `refreshTokenCredential` (a user session from the authorization code flow). */
export interface RefreshTokenCredentialOptions extends TokenCredentialOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Confidential clients only; public (browser) clients use PKCE without a secret. */
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  /** A current access token, if one is at hand. */
  readonly accessToken?: string;
  /** Expiry of `accessToken` (epoch seconds/ms, ISO 8601 or Date); else its JWT `exp`. */
  readonly expiresAt?: number | string | Date;
  /** @default "form" */
  readonly bodyEncoding?: "json" | "form";
  /**
   * How a confidential client (one with `clientSecret`) authenticates to the token endpoint
   * (RFC 6749 §2.3.1). @default "client_secret_post"
   */
  readonly clientAuthentication?: ClientAuthentication;
  /** @default 3600 */
  readonly defaultLifetimeSeconds?: number;
  readonly maxLifetimeSeconds?: number;
  /** Called once when the session ends (no refresh token, or the server refused it). */
  readonly onSessionExpired?: (event: SessionExpiredEvent) => void;
  /**
   * Names the user session in the token cache. Holders in other tabs or processes that share the
   * `cache` and use the same `sessionKey` (and token URL, client id, tenant) share one entry, so
   * each refresh uses the newest rotated refresh token any of them stored. Not a secret (e.g. a
   * user id); it is part of the cache key.
   * @default a random id: the entry is this credential's own
   */
  readonly sessionKey?: string;
}

/** A user's bearer credential that refreshes with its refresh token, rotating it when the server does. */
export interface AuthorizationCodeCredential extends Credential<"bearer"> {
  /** Whether a refresh token is held (without one the session ends with the access token). */
  readonly refreshable: boolean;
  /**
   * The OpenID Connect `id_token` of the authorization code exchange, when the token response had
   * one (e.g. to check its `nonce`). Never sent to an API; not enumerable, never serialized.
   */
  readonly idToken?: string;
}

/** Options of `exchangeAuthorizationCode`. */
export interface AuthorizationCodeExchangeOptions extends Omit<RefreshTokenCredentialOptions, "refreshToken" | "accessToken" | "expiresAt"> {
  /** The `code` query parameter of the redirect. */
  readonly code: string;
  /** The PKCE verifier created with `createPkcePair` before the redirect. */
  readonly codeVerifier?: string;
  readonly redirectUri: string;
  /** The `state` query parameter of the redirect. */
  readonly state: string;
  /** The `state` created with `createState` before the redirect. */
  readonly expectedState: string;
  readonly extraParams?: Readonly<Record<string, string>>;
}

const REFRESH_FACTORY = "refreshTokenCredential";
const EXCHANGE_FACTORY = "exchangeAuthorizationCode";
/** Spent refresh tokens remembered per credential. */
const MAX_SPENT = 16;

function sessionId(): string {
  const crypto = globalThis.crypto;
  return typeof crypto?.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/** A user session's settings: its own (one session, one credential), validated once. */
interface Session extends TokenProfile {
  /** Checked: https, or http to loopback. */
  readonly tokenUrl: string;
  readonly client: TokenClient;
  readonly encoding: "json" | "form";
  readonly lifetimes: TokenLifetimes;
  readonly fetcher: RefreshTokenCredentialOptions["fetcher"];
  readonly timeoutMs: number | undefined;
  readonly onSessionExpired: RefreshTokenCredentialOptions["onSessionExpired"];
  /** Cache key of the session's tokens. */
  readonly key: string;
}

function sessionOf(options: RefreshTokenCredentialOptions, tokenUrl: string, clock: Clock): Session {
  const { clientId, clientSecret, tenant } = options;
  return {
    ...tokenProfileOf(REFRESH_FACTORY, options, grantOf(), clock),
    tokenUrl,
    client: { clientId, clientSecret, authentication: options.clientAuthentication },
    encoding: options.bodyEncoding ?? "form",
    lifetimes: { defaultLifetimeSeconds: options.defaultLifetimeSeconds, maxLifetimeSeconds: options.maxLifetimeSeconds },
    fetcher: options.fetcher,
    timeoutMs: options.timeoutMs,
    onSessionExpired: options.onSessionExpired,
    key: tokenCacheKey({
      grant: "authorization_code",
      tokenUrl,
      clientId,
      ...(tenant !== undefined ? { tenant } : {}),
      extra: { session: options.sessionKey ?? sessionId() },
    }),
  };
}

/** The grant of every user session (set when the class is defined). */
let grantOf: () => TokenCredentialGrant<UserSession>;

/**
 * A user session: the token credential shell plus its refresh token, the refresh tokens it saw
 * spent, and the `id_token` of its sign-in, in private fields. Refreshes with the refresh token
 * grant (`refreshTokenRequest` → `tokenEndpointResponse`, through the token endpoint client loaded
 * with the first token request), adopting a rotated refresh token.
 * Defined inside a call marked pure (`#__PURE__`), as its `static {}` block is a side effect.
 */
const UserSession = /*#__PURE__*/ (() =>
  class UserSession extends TokenCredential implements AuthorizationCodeCredential {
    readonly #session: Session;
    /** The refresh token this credential last received (or was given). */
    #refreshToken: string | undefined;
    /** Refresh tokens this credential presented and saw rotated or refused: never presented again. */
    #spent: Set<string> | undefined;
    #expiredNotified: boolean;
    #idToken: string | undefined;

    constructor(session: Session, tenant: string | undefined, refreshToken: string | undefined, idToken: string | undefined) {
      super(session, tenant);
      this.#session = session;
      this.#refreshToken = refreshToken;
      this.#spent = undefined;
      this.#expiredNotified = false;
      this.#idToken = idToken;
    }

    get refreshable(): boolean {
      return this.#refreshToken !== undefined;
    }

    /** The `id_token` of the authorization code exchange, if its response had one. Never serialized. */
    get idToken(): string | undefined {
      return this.#idToken;
    }

    #spend(token: string): void {
      const spent = (this.#spent ??= new Set());
      spent.add(token);
      if (spent.size > MAX_SPENT) spent.delete(spent.values().next().value as string);
    }

    #expired(cause?: unknown): PorticoError {
      const label = this.fingerprint;
      if (!this.#expiredNotified) {
        this.#expiredNotified = true;
        try {
          this.#session.onSessionExpired?.({ credential: label, expiredAt: this.#session.clock.now() });
        } catch {
          // Hooks never break the flow.
        }
      }
      return new PorticoError("SESSION_EXPIRED", `The session of credential ${label} has ended and cannot be refreshed; sign in again.`, {
        credential: label,
        ...(cause !== undefined ? { cause } : {}),
      });
    }

    static readonly #grant: TokenCredentialGrant<UserSession> = {
      key: (credential) => credential.#session.key,
      label: (credential) => `oauth2-user:${credential.#session.client.clientId}`,
      secrets(credential) {
        const { clientSecret } = credential.#session.client;
        return {
          all: [clientSecret, credential.#refreshToken, credential.#idToken, ...(credential.#spent ?? [])],
          environment: clientSecret === undefined ? [] : [clientSecret],
        };
      },
      async fetchToken(credential, { previous, stored, signal }, claims) {
        const session = credential.#session;
        const spent = credential.#spent;
        // Newest first: the shared cache entry (read under the refresh lock), the token served
        // until now (maybe adopted from the cache), then the one this credential last received.
        const candidates = [...new Set([stored?.refreshToken, previous?.refreshToken, credential.#refreshToken])].filter(
          (candidate): candidate is string => candidate !== undefined && spent?.has(candidate) !== true,
        );
        if (candidates.length === 0) throw credential.#expired();
        const transport = { encoding: session.encoding, clock: session.clock, fetcher: session.fetcher, timeoutMs: session.timeoutMs, signal };
        const { refreshedToken } = await loadTokenExchange();
        let refused: unknown;
        for (const presented of candidates) {
          let answer: TokenEndpointResult;
          try {
            answer = await refreshedToken(session.tokenUrl, session.client, presented, transport, session.lifetimes, claims);
          } catch (error) {
            // Refused: an older candidate may still be the live one (e.g. a cache entry from a previous sign-in).
            if (error instanceof OAuthTokenError && error.oauthError === "invalid_grant") {
              refused = error;
              credential.#spend(presented);
              continue;
            }
            throw error;
          }
          const { token, fields } = answer;
          if (fields.refreshToken !== undefined && fields.refreshToken !== presented) credential.#spend(presented);
          credential.#refreshToken = fields.refreshToken ?? presented;
          // Not rotated: the refresh token keeps the expiry it was stated with.
          const keptUntil = fields.refreshToken === undefined ? [stored, previous].find((held) => held?.refreshToken === presented)?.refreshExpiresAt : undefined;
          // The manager stores it, rotated refresh token included, for every holder.
          return keptUntil !== undefined ? { ...token, refreshExpiresAt: keptUntil } : token;
        }
        credential.#refreshToken = undefined;
        throw credential.#expired(refused);
      },
    };

    static {
      grantOf = () => UserSession.#grant;
    }
  }
)();
type UserSession = InstanceType<typeof UserSession>;

function timingOf(obtainedAt: number, options: RefreshTokenCredentialOptions) {
  return {
    obtainedAt,
    ...(options.defaultLifetimeSeconds !== undefined ? { defaultLifetimeSeconds: options.defaultLifetimeSeconds } : {}),
    ...(options.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: options.maxLifetimeSeconds } : {}),
  };
}

/**
 * A bearer credential for a user session held as a refresh token (and optionally a current
 * access token), e.g. restored from storage. Refreshes with `grant_type=refresh_token`, adopting a
 * rotated refresh token; `SESSION_EXPIRED` once the session cannot be refreshed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenCredential(options: RefreshTokenCredentialOptions): AuthorizationCodeCredential {
  checkCredentialOptions(REFRESH_FACTORY, refreshTokenCredentialSchema(), options);
  const clock = options.clock ?? systemClock;
  const session = sessionOf(options, tokenEndpointUrl(REFRESH_FACTORY, options.tokenUrl, '"tokenUrl"'), clock);
  let initial: CachedToken | undefined;
  if (options.accessToken !== undefined) {
    const fields: TokenFields = {
      accessToken: options.accessToken,
      ...(options.expiresAt !== undefined ? { expiresAt: toEpochMs(options.expiresAt) } : {}),
      ...(options.refreshToken !== undefined ? { refreshToken: options.refreshToken } : {}),
    };
    try {
      initial = cachedTokenFrom(fields, timingOf(clock.now(), options), "the given access token", session.claims);
    } catch {
      initial = undefined; // Already expired: the first call refreshes.
    }
  }
  const credential = new UserSession(session, options.tenant, initial?.refreshToken ?? options.refreshToken, undefined);
  if (initial !== undefined) {
    seedCredential(credential, initial, { ifAbsent: true }).catch(() => {
      // A seeded token that fails verification is dropped; the first call refreshes.
    });
  }
  return credential;
}

/**
 * Completes the authorization code flow: checks `state`, exchanges the code (with the PKCE
 * verifier) and returns a bearer credential that refreshes with the refresh token (and carries
 * the response's `id_token` as `idToken`, when there is one).
 * A `state` that differs is refused before any request (`STATE_MISMATCH`).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export async function exchangeAuthorizationCode(options: AuthorizationCodeExchangeOptions): Promise<AuthorizationCodeCredential> {
  checkCredentialOptions(EXCHANGE_FACTORY, exchangeAuthorizationCodeSchema(), options);
  const state = typeof options.state === "string" ? options.state : "";
  if (!timingSafeEqual(state, options.expectedState)) {
    throw new PorticoError(
      "STATE_MISMATCH",
      `${EXCHANGE_FACTORY}: the "state" of the redirect does not match the state this session created; the redirect may be forged, start the sign-in again.`,
      { option: "state" },
    );
  }
  const session = sessionOf(options, tokenEndpointUrl(EXCHANGE_FACTORY, options.tokenUrl, '"tokenUrl"'), options.clock ?? systemClock);
  const { authorizationCodeTokens } = await loadTokenExchange();
  const { token, idToken } = await authorizationCodeTokens(
    session.tokenUrl,
    session.client,
    { code: options.code, redirectUri: options.redirectUri, codeVerifier: options.codeVerifier, extraParams: options.extraParams },
    { encoding: session.encoding, clock: session.clock, fetcher: session.fetcher, timeoutMs: session.timeoutMs },
    session.lifetimes,
    session.claims,
  );
  const credential = new UserSession(session, options.tenant, token.refreshToken, idToken);
  await seedCredential(credential, token);
  return credential;
}
