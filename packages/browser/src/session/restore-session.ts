import { refreshTokenCredential } from "@portico/core";
import { browserSession, sessionParts, type BrowserSession, type BrowserSessionOptions } from "./browser-session.js";

/**
 * Picks up the session in a tab that did not sign in itself: from this tab's storage (after a
 * reload with `sessionStorage`), else from another open tab of the origin (memory storage, the
 * default). `undefined` when no tab holds a session; then call `beginSignIn`.
 * @example const session = await restoreSession({ tokenUrl, clientId }); if (!session) await beginSignIn({ ..., navigate: true });
 */
export async function restoreSession(options: BrowserSessionOptions): Promise<BrowserSession | undefined> {
  const parts = sessionParts("restoreSession", options);
  const token = await parts.cache.fromOtherTabs();
  if (token === undefined) {
    parts.cache.close();
    return undefined;
  }
  const inner = refreshTokenCredential({
    ...parts.coreOptions,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    ...(token.refreshToken !== undefined ? { refreshToken: token.refreshToken } : {}),
  });
  return browserSession(inner, parts.cache);
}
