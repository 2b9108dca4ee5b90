import { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { tokenCacheKey } from "../tokens/cache-key.js";
import { OAuthTokenError } from "../tokens/oauth-error.js";
import type { CachedToken } from "../tokens/token-cache.js";
import { createTokenManager } from "../tokens/token-manager.js";
import { describeEndpoint, postTokenRequest, type ClientAuthentication } from "../tokens/token-request.js";
import { cachedTokenFrom, parseTokenResponse, toEpochMs, type TokenFields } from "../tokens/token-response.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { checkCredentialOptions, exchangeAuthorizationCodeSchema, refreshTokenCredentialSchema } from "./credential-options.js";
import { timingSafeEqual } from "./pkce.js";
import { bearerBehaviour, managerOptions, tenantVerifier, type ClaimState, type TokenCredentialOptions } from "./token-credential.js";
import { isSecureTransport } from "./transport.js";

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

const REFRESH_FACTORY = "refreshTokenCredential";
/** Spent refresh tokens remembered per credential. */
const MAX_SPENT = 16;

function sessionId(): string {
  const crypto = globalThis.crypto;
  return typeof crypto?.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

function timingOf(obtainedAt: number, serverDate: number | undefined, options: RefreshTokenCredentialOptions) {
  return {
    obtainedAt,
    ...(serverDate !== undefined ? { serverDate } : {}),
    ...(options.defaultLifetimeSeconds !== undefined ? { defaultLifetimeSeconds: options.defaultLifetimeSeconds } : {}),
    ...(options.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: options.maxLifetimeSeconds } : {}),
  };
}

function buildSession(options: RefreshTokenCredentialOptions, initial: CachedToken | undefined, restored: boolean): {
  credential: AuthorizationCodeCredential;
  seed: Promise<void>;
} {
  // Options were checked by the public factory (refreshTokenCredential, exchangeAuthorizationCode).
  const tokenUrl = new URL(options.tokenUrl);
  const { clientId, clientSecret, tenant } = options;
  const encoding = options.bodyEncoding ?? "form";
  if (!isSecureTransport(tokenUrl)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${REFRESH_FACTORY}: "tokenUrl" must be https (plain http is allowed only to loopback).`, {
      option: "tokenUrl",
    });
  }
  const sessionKey = options.sessionKey;
  let refreshToken = initial?.refreshToken ?? (options as RefreshTokenCredentialOptions).refreshToken;
  /** Refresh tokens this credential presented and saw rotated or refused: never presented again. */
  const spent = new Set<string>();
  const spend = (token: string): void => {
    spent.add(token);
    if (spent.size > MAX_SPENT) spent.delete(spent.values().next().value as string);
  };

  const clock: Clock = options.clock ?? systemClock;
  const label = (): string => `oauth2-user:${clientId}`;
  const claims: ClaimState = { names: options.claims };
  const source = describeEndpoint(tokenUrl.href);
  let expiredNotified = false;

  const sessionExpired = (cause?: unknown): PorticoError => {
    if (!expiredNotified) {
      expiredNotified = true;
      try {
        options.onSessionExpired?.({ credential: label(), expiredAt: clock.now() });
      } catch {
        // Hooks never break the flow.
      }
    }
    return new PorticoError(
      "SESSION_EXPIRED",
      `The session of credential ${label()} has ended and cannot be refreshed; sign in again.`,
      { credential: label(), ...(cause !== undefined ? { cause } : {}) },
    );
  };

  const manager = createTokenManager({
    ...managerOptions(options),
    key: tokenCacheKey({
      grant: "authorization_code",
      tokenUrl: tokenUrl.href,
      clientId,
      ...(tenant !== undefined ? { tenant } : {}),
      extra: { session: sessionKey ?? sessionId() },
    }),
    clock,
    label,
    ...(tenant !== undefined ? { verify: tenantVerifier(tenant, claims, label) } : {}),
    async fetchToken({ previous, stored, signal }) {
      // Newest first: the shared cache entry (read under the refresh lock), the token served
      // until now (maybe adopted from the cache), then the one this credential last received.
      const candidates = [...new Set([stored?.refreshToken, previous?.refreshToken, refreshToken])].filter(
        (candidate): candidate is string => candidate !== undefined && !spent.has(candidate),
      );
      if (candidates.length === 0) throw sessionExpired();
      let refused: unknown;
      for (const presented of candidates) {
        let answer;
        try {
          answer = await postTokenRequest({
            url: tokenUrl.href,
            params: {
              grant_type: "refresh_token",
              refresh_token: presented,
              ...clientParams(clientId, clientSecret, options.clientAuthentication),
            },
            ...basicAuthOf(clientId, clientSecret, options.clientAuthentication),
            encoding,
            clock,
            secrets: [presented, ...(clientSecret !== undefined ? [clientSecret] : [])],
            ...(options.fetcher ? { fetcher: options.fetcher } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
            ...(signal !== undefined ? { signal } : {}),
          });
        } catch (error) {
          // Refused: an older candidate may still be the live one (e.g. a cache entry from a previous sign-in).
          if (error instanceof OAuthTokenError && error.oauthError === "invalid_grant") {
            refused = error;
            spend(presented);
            continue;
          }
          throw error;
        }
        const fields = parseTokenResponse(answer.body, source);
        const token = cachedTokenFrom(
          { ...fields, ...(fields.refreshToken === undefined ? { refreshToken: presented } : {}) },
          timingOf(answer.obtainedAt, answer.serverDate, options),
          source,
          claims.names,
        );
        if (fields.refreshToken !== undefined && fields.refreshToken !== presented) spend(presented);
        refreshToken = fields.refreshToken ?? presented;
        // Not rotated: the refresh token keeps the expiry it was stated with.
        const keptUntil = fields.refreshToken === undefined ? [stored, previous].find((held) => held?.refreshToken === presented)?.refreshExpiresAt : undefined;
        // The manager stores it, rotated refresh token included, for every holder.
        return keptUntil !== undefined ? { ...token, refreshExpiresAt: keptUntil } : token;
      }
      refreshToken = undefined;
      throw sessionExpired(refused);
    },
  });

  const held = (): { all: string[]; environment: string[] } => {
    const current = manager.current();
    const idToken = (credential as { idToken?: string }).idToken;
    const all = [clientSecret, refreshToken, current?.accessToken, current?.refreshToken, idToken, ...spent];
    return { all: all.filter((s): s is string => s !== undefined), environment: clientSecret === undefined ? [] : [clientSecret] };
  };
  const credential = defineCredential("bearer", label, bearerBehaviour(manager, claims), held, {
    get refreshable(): boolean {
      return refreshToken !== undefined;
    },
  });
  const seed = initial !== undefined ? manager.seed(initial, { ifAbsent: restored }) : Promise.resolve();
  return { credential, seed };
}

/**
 * A bearer credential for a user session held as a refresh token (and optionally a current
 * access token), e.g. restored from storage. Refreshes with `grant_type=refresh_token`, adopting a
 * rotated refresh token; `SESSION_EXPIRED` once the session cannot be refreshed.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenCredential(options: RefreshTokenCredentialOptions): AuthorizationCodeCredential {
  checkCredentialOptions(REFRESH_FACTORY, refreshTokenCredentialSchema(), options);
  let initial: CachedToken | undefined;
  if (options.accessToken !== undefined) {
    const clock = options.clock ?? systemClock;
    const accessToken = options.accessToken;
    const fields: TokenFields = {
      accessToken,
      ...(options.expiresAt !== undefined ? { expiresAt: toEpochMs(options.expiresAt) } : {}),
      ...(options.refreshToken !== undefined ? { refreshToken: options.refreshToken } : {}),
    };
    try {
      initial = cachedTokenFrom(fields, timingOf(clock.now(), undefined, options), "the given access token", options.claims);
    } catch {
      initial = undefined; // Already expired: the first call refreshes.
    }
  }
  const { credential, seed } = buildSession(options, initial, true);
  seed.catch(() => {
    // A seeded token that fails verification is dropped; the first call refreshes.
  });
  return credential;
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

const EXCHANGE_FACTORY = "exchangeAuthorizationCode";

/**
 * Completes the authorization code flow: checks `state`, exchanges the code (with the PKCE
 * verifier) and returns a bearer credential that refreshes with the refresh token (and carries
 * the response's `id_token` as `idToken`, when there is one).
 * A `state` that differs is refused before any request (`STATE_MISMATCH`).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export async function exchangeAuthorizationCode(options: AuthorizationCodeExchangeOptions): Promise<AuthorizationCodeCredential> {
  checkCredentialOptions(EXCHANGE_FACTORY, exchangeAuthorizationCodeSchema(), options);
  const { code, redirectUri, expectedState } = options;
  const state = typeof options.state === "string" ? options.state : "";
  if (!timingSafeEqual(state, expectedState)) {
    throw new PorticoError(
      "STATE_MISMATCH",
      `${EXCHANGE_FACTORY}: the "state" of the redirect does not match the state this session created; the redirect may be forged, start the sign-in again.`,
      { option: "state" },
    );
  }
  const tokenUrl = new URL(options.tokenUrl);
  if (!isSecureTransport(tokenUrl)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${EXCHANGE_FACTORY}: "tokenUrl" must be https (plain http is allowed only to loopback).`, {
      option: "tokenUrl",
    });
  }
  const { clientId, clientSecret, codeVerifier } = options;
  const clock = options.clock ?? systemClock;
  const answer = await postTokenRequest({
    url: tokenUrl.href,
    params: {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      ...clientParams(clientId, clientSecret, options.clientAuthentication),
      ...(codeVerifier !== undefined ? { code_verifier: codeVerifier } : {}),
      ...options.extraParams,
    },
    encoding: options.bodyEncoding ?? "form",
    ...basicAuthOf(clientId, clientSecret, options.clientAuthentication),
    clock,
    secrets: [code, ...(clientSecret !== undefined ? [clientSecret] : []), ...(codeVerifier !== undefined ? [codeVerifier] : [])],
    ...(options.fetcher ? { fetcher: options.fetcher } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const source = describeEndpoint(tokenUrl.href);
  const token = cachedTokenFrom(parseTokenResponse(answer.body, source), timingOf(answer.obtainedAt, answer.serverDate, options), source, options.claims);
  const idToken = (answer.body as { id_token?: unknown }).id_token;
  const { credential, seed } = buildSession(options, token, false);
  await seed;
  if (typeof idToken === "string" && idToken.length > 0) {
    Object.defineProperty(credential, "idToken", { value: idToken, enumerable: false });
  }
  return credential;
}

/** The client's identity in the token request body: id (and secret, with `client_secret_post`). */
function clientParams(clientId: string, clientSecret: string | undefined, method: ClientAuthentication | undefined): Record<string, string> {
  if (clientSecret !== undefined && method === "client_secret_basic") return {};
  return clientSecret === undefined ? { client_id: clientId } : { client_id: clientId, client_secret: clientSecret };
}

/** `client_secret_basic`: the id and secret go in the `Authorization` header instead. */
function basicAuthOf(clientId: string, clientSecret: string | undefined, method: ClientAuthentication | undefined): { basicAuth?: { clientId: string; clientSecret: string } } {
  return clientSecret !== undefined && method === "client_secret_basic" ? { basicAuth: { clientId, clientSecret } } : {};
}
