/**
 * `@portico/core/internal`: the parts of core that portico's own packages (`@portico/node`,
 * `@portico/browser`) and authors of custom credentials build on. Not covered by semver the way
 * the main entry is: a minor release may change them, and the changelog says so.
 *
 * - Secrets: `registerCredentialSecrets` makes a custom credential's secrets redacted from every
 *   error of a client that holds it; `inheritCredentialSecrets` passes them to a wrapper.
 * - Placement and rails: where a scheme puts a secret, and the transport and environment checks.
 * - Tokens: the token endpoint request, response parsing, cache keys, scopes and tenant claims.
 * - Headers and retries: the parsers and policies the call path uses.
 */
export { inheritCredentialSecrets, registerCredentialSecrets, type HeldSecrets } from "./auth/secret-access.js";
export { kindForScheme } from "./auth/bind-credentials.js";
export { placeAuthorization, placementOf, type CredentialTarget } from "./auth/place-credential.js";
export { checkTransport, isLoopbackHost, isSecureTransport } from "./auth/transport.js";
export { checkEnvironment, environmentOf } from "./auth/environment.js";
export { tokenCacheKey, type TokenCacheKeyParts } from "./tokens/cache-key.js";
export { postTokenRequest } from "./tokens/token-request.js";
export { cachedTokenFrom, type TokenFields, type TokenTiming } from "./tokens/cached-token.js";
export { parseTokenResponse, TokenResponseSchema } from "./tokens/token-response.js";
export { checkScopes, scopesFromClaims, splitScopes } from "./tokens/scopes.js";
export { checkTenantClaim, resolveClaimNames } from "./tenants/tenant-claim.js";
export { excerpt, fingerprint, redact } from "./internal/redact.js";
export { MISSING_CHUNK_FIX, missingChunkError, type MissingChunk } from "./internal/missing-chunk.js";
export { systemClock } from "./internal/clock.js";
export { HEADER_VIEW, viewHeaders, viewResponseHeaders } from "./internal/header-view.js";
export { parseCredits } from "./metering/credits.js";
export { parseRateLimitHeaders } from "./metering/rate-limit.js";
export { parseRateLimit } from "./metering/ietf-rate-limit.js";
export { backoffDelay, isRetryableStatus, isSafeMethod, parseRetryAfter } from "./resilience/retry-policy.js";
export { newIdempotencyKey } from "./resilience/idempotency.js";
export { CALL, composeStages, SCOPE, type StageClient, type StageClientScope, type StageResult, type Stages } from "./client/stage.js";
export { ABORT_SOURCE } from "./resilience/attempt-signal.js";
export { FRAMED_BODY, READ_UP_TO, type BoundedRead } from "./internal/read-limited.js";
export { CREDIT_WINDOW_MS, UNKNOWN_RESET_WAIT_MS } from "./pacing/pace-store.js";
