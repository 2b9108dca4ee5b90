// --- errors ---
export { SdkErrorCode, type CallErrorCode, type SignInErrorCode } from "./errors/codes.js";
export { PorticoError, type PorticoErrorDetails } from "./errors/portico-error.js";
export { ApiError } from "./errors/api-error.js";
export { isApiError, isPorticoError } from "./errors/guards.js";
export { StatusErrorCode, statusErrorCode } from "./errors/status-codes.js";

// --- spec ---
export type {
  ApiDescriptor,
  CredentialFormat,
  ErrorBodySchema,
  OAuthFlowDescriptor,
  OAuthFlowName,
  OperationDescriptor,
  PropertyEncoding,
  RequestBodyDescriptor,
  SecurityRequirement,
  SecuritySchemeDescriptor,
  ServerDescriptor,
  ServerEnvironment,
  ServerVariableDescriptor,
} from "./spec/descriptor.js";
export type { EventsChannel } from "./spec/events-channel.js";

// --- client ---
export { createClient } from "./client/create-client.js";
export type { CallProgress, CallScope, ClientMemory, Stage } from "./client/stage.js";
export type { BodyEncoder, EncodedBody, EncodeTarget } from "./client/encode-body.js";

// --- stages: the optional parts of the call path a generated client opts into ---
export { allStages } from "./stages/all-stages.js";
export { creditsStage } from "./stages/credits.js";
export { rateLimitStage } from "./stages/rate-limit.js";
export { ietfRateLimitStage } from "./stages/ietf-rate-limit.js";
export { scopesStage } from "./stages/scopes.js";
export { formBodyStage } from "./stages/form-body.js";
export { multipartBodyStage } from "./stages/multipart-body.js";
export { serverVariablesStage } from "./stages/server-variables.js";
export { parseCredits } from "./metering/credits.js";
export { parseRateLimit } from "./metering/ietf-rate-limit.js";
export { backoffDelay, isRetryableStatus, isSafeMethod, parseRetryAfter, type RetryPolicy } from "./resilience/retry-policy.js";
export { newIdempotencyKey } from "./resilience/idempotency.js";
export type {
  CallError,
  CallInfo,
  CallInit,
  CallInitParam,
  CallOptions,
  ClientClock,
  ClientHooks,
  CredentialsByScheme,
  SchemeKinds,
  ServerVariables,
  ClientOptions,
  ClientSnapshot,
  CreditsInfo,
  CallErrorEvent,
  Fetcher,
  FetcherInit,
  HttpMethod,
  MaybeOptionalCallInit,
  MediaType,
  Middleware,
  OperationData,
  OperationApiError,
  OperationErrorBody,
  PathsForKinds,
  PathsWithMethod,
  PorticoClient,
  PorticoMethod,
  PorticoResult,
  RateLimitInfo,
  RequestEvent,
  ResponseEvent,
  ResponseMeta,
  RetryEvent,
  RetryOptions,
  SdkCallError,
  SpecErrorCode,
} from "./client/types.js";

// --- auth ---
// (owned by the auth engineer: credentials, token manager, tenant pool, safety rails, selection)
export type { AuthorizeContext, Authorization, ClaimNames, Credential, CredentialKind } from "./auth/credential.js";
export { none } from "./auth/none.js";
export { bearerToken, type BearerTokenSource } from "./auth/bearer-token.js";
export { apiKey, type ApiKeyCredential, type ApiKeyOptions } from "./auth/api-key.js";
export { clientCredentials, type ClientCredentialsCredential, type ClientCredentialsOptions } from "./auth/client-credentials.js";
export {
  exchangeAuthorizationCode,
  refreshTokenCredential,
  type AuthorizationCodeCredential,
  type AuthorizationCodeExchangeOptions,
  type RefreshTokenCredentialOptions,
  type SessionExpiredEvent,
} from "./auth/authorization-code.js";
export { buildAuthorizeUrl, createPkcePair, createState, pkceChallenge, type AuthorizeUrlOptions, type PkcePair } from "./auth/pkce.js";
export { loginSession, type LoginSessionCredential, type LoginSessionInput, type LoginSessionOptions } from "./auth/login-session.js";
export { tokenProvider, type ProvidedToken, type TokenProviderFunction, type TokenProviderOptions } from "./auth/token-provider.js";
export type { TokenCredentialOptions } from "./auth/token-credential.js";
export { basicAuth } from "./auth/basic-auth.js";
export { inheritCredentialSecrets, registerCredentialSecrets, type HeldSecrets } from "./auth/secret-access.js";
export { kindForScheme } from "./auth/bind-credentials.js";
export { placeAuthorization, placementOf, type CredentialTarget } from "./auth/place-credential.js";
export { checkTransport, isLoopbackHost, isSecureTransport } from "./auth/transport.js";
export { checkEnvironment, environmentOf } from "./auth/environment.js";
export type { CachedToken, TokenCache } from "./tokens/token-cache.js";
export { createMemoryTokenCache } from "./tokens/memory-token-cache.js";
export { tokenCacheKey, type TokenCacheKeyParts } from "./tokens/cache-key.js";
export {
  createTokenManager,
  type IssuedToken,
  type RefreshReason,
  type RefreshWindowOptions,
  type TokenErrorEvent,
  type TokenHooks,
  type TokenManager,
  type TokenFetchContext,
  type TokenManagerOptions,
  type TokenRefreshEvent,
} from "./tokens/token-manager.js";
export {
  postTokenRequest,
  type ClientAuthentication,
  type TokenEndpointAnswer,
  type TokenEndpointRequest,
  type TokenFetcher,
} from "./tokens/token-request.js";
export { cachedTokenFrom, parseTokenResponse, TokenResponseSchema, type TokenFields, type TokenTiming } from "./tokens/token-response.js";
export { OAuthTokenError } from "./tokens/oauth-error.js";
export { checkScopes, scopesFromClaims, splitScopes } from "./tokens/scopes.js";
export { createTenantPool, type TenantPool, type TenantPoolOptions } from "./tenants/tenant-pool.js";
export { checkTenantClaim, resolveClaimNames } from "./tenants/tenant-claim.js";
export { fingerprint, redact } from "./internal/redact.js";
export { systemClock, type Clock } from "./internal/clock.js";
