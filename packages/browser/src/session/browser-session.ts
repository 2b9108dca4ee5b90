import { PorticoError, type AuthorizationCodeCredential, type AuthorizeContext, type Authorization, type Credential, type Fetcher, type RefreshTokenCredentialOptions } from "@portico/core";
import { inheritCredentialSecrets } from "@portico/core/internal";
import { createSharedTokenCache, type SharedTokenCache } from "../tokens/shared-token-cache.js";
import { createTokenSlot, resolveTokenStorage, type TokenStorageOptions } from "../tokens/token-slot.js";

/** Options shared by `completeSignIn` and `restoreSession`: the token endpoint, storage and tab sharing. */
export type BrowserSessionOptions = TokenStorageOptions &
  Omit<RefreshTokenCredentialOptions, "cache" | "clientSecret" | "refreshToken" | "accessToken" | "expiresAt" | "fetcher"> & {
    /** `fetch` for token requests (core's `Fetcher` contract). @default globalThis.fetch */
    readonly fetcher?: Fetcher;
    /**
     * Share the session with the other tabs of the origin: one refresh at a time (Web Locks,
     * BroadcastChannel fallback), new tokens broadcast, new tabs ask open ones. @default true
     */
    readonly crossTab?: boolean;
    /** Names the session among the origin's tabs. @default `${clientId} ${tokenUrl}` */
    readonly sessionName?: string;
  };

/** The bearer credential of a browser session; hand it to a generated client's `auth` option. */
export interface BrowserCredential extends Credential<"bearer"> {
  /** Whether the session can still refresh (holds a refresh token and was not signed out). */
  readonly refreshable: boolean;
}

/** A signed-in user in this tab. */
export interface BrowserSession {
  readonly credential: BrowserCredential;
  /** Where this tab keeps the token. */
  readonly storage: "memory" | "sessionStorage" | "localStorage";
  /** How tabs take turns refreshing. */
  readonly coordination: "web-locks" | "broadcast-channel" | "none";
  /** When the current access token expires (epoch ms), if one is held; it is refreshed before then. */
  expiresAt(): number | undefined;
  /** Forgets the tokens in this tab and every other tab of the session. */
  signOut(): void;
  /** Called when the session is signed out here or in another tab; returns the remover. */
  onSignOut(listener: () => void): () => void;
}

/** The store a session's core credential is built on. */
export interface SessionParts {
  readonly cache: SharedTokenCache;
  /**
   * Core options: the caller's, with the shared cache. Core refreshes with the newest refresh
   * token in the cache entry (read under the tabs' refresh lock), so a tab never presents one
   * another tab has rotated out.
   */
  readonly coreOptions: Omit<RefreshTokenCredentialOptions, "refreshToken" | "accessToken" | "expiresAt">;
}

/** Resolves storage and tab sharing once, for a session about to be created or restored. */
export function sessionParts(factory: string, options: BrowserSessionOptions): SessionParts {
  const choice = resolveTokenStorage(factory, options);
  const name = options.sessionName ?? `${options.clientId} ${options.tokenUrl}`;
  const cache = createSharedTokenCache({ name, slot: createTokenSlot(choice, name), ...(options.crossTab !== undefined ? { crossTab: options.crossTab } : {}) });
  const { tokenStorage: _s, persistentStorageAcknowledgingXssRisk: _a, crossTab: _c, sessionName: _n, ...core } = options as BrowserSessionOptions & {
    tokenStorage?: unknown;
    persistentStorageAcknowledgingXssRisk?: unknown;
  };
  return { cache, coreOptions: { ...core, cache } };
}

/**
 * Wraps core's credential so a sign-out (in any tab) takes effect at once: afterwards every call
 * fails with `SESSION_EXPIRED` instead of sending the token still held in memory.
 */
export function browserSession(inner: AuthorizationCodeCredential, cache: SharedTokenCache): BrowserSession {
  let signedOut = false;
  cache.onSignOut(() => {
    signedOut = true;
    cache.close();
  });
  const label = (): string => inner.fingerprint;
  const credential: BrowserCredential = {
    kind: "bearer",
    get fingerprint() {
      return label();
    },
    get refreshable() {
      return !signedOut && inner.refreshable;
    },
    async authorize(context: AuthorizeContext): Promise<Authorization> {
      if (signedOut) {
        throw new PorticoError("SESSION_EXPIRED", `The session of credential ${label()} was signed out; sign in again.`, { credential: label() });
      }
      return inner.authorize(context);
    },
    invalidate: async (handle: unknown) => !signedOut && inner.invalidate !== undefined && (await inner.invalidate(handle)),
    attemptAnswered: (handle: unknown, elapsedMs: number, status: number) => inner.attemptAnswered?.(handle, elapsedMs, status),
    grantedScopes: () => (signedOut ? undefined : inner.grantedScopes?.()),
    toJSON: () => inner.toJSON(),
  };
  Object.defineProperty(credential, "toString", { value: () => `Credential<bearer> ${label()}`, enumerable: false });
  // The inner credential's secrets are this one's: redacted from everything the client prints.
  inheritCredentialSecrets(credential, inner);
  return {
    credential,
    storage: cache.storage,
    coordination: cache.coordination,
    expiresAt: () => (signedOut ? undefined : cache.latest()?.expiresAt),
    signOut: () => cache.signOut(),
    onSignOut: (listener) => cache.onSignOut(listener),
  };
}
