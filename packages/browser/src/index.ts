// --- sign-in (Authorization Code + PKCE) ---
export { beginSignIn, type BeginSignInOptions, type SignInRedirect } from "./sign-in/begin-sign-in.js";
export { completeSignIn, type CompletedSignIn, type CompleteSignInOptions } from "./sign-in/complete-sign-in.js";
export type { PendingSignIn } from "./sign-in/pending-sign-in.js";

// --- sessions and token storage ---
export { restoreSession } from "./session/restore-session.js";
export type { BrowserCredential, BrowserSession, BrowserSessionOptions } from "./session/browser-session.js";
export type { TokenStorageOptions } from "./tokens/token-slot.js";
export { createSharedTokenCache, type SharedTokenCache, type SharedTokenCacheOptions } from "./tokens/shared-token-cache.js";
export { createTokenSlot, type TokenSlot } from "./tokens/token-slot.js";
export type { StorageLike } from "./internal/web-storage.js";

// --- WebSocket events ---
export { connectEvents, type ConnectEventsOptions, type EventsConnection, type EventsCredential } from "./events/connect-events.js";
export type { EventsChannel } from "@portico/core";

// --- errors ---
export { BrowserErrorCode, EventsConnectionError, SignInError, type SignInErrorDetails } from "./errors.js";
