// --- errors ---
export { SdkErrorCode, type CallErrorCode, type SignInErrorCode, type StreamErrorCode } from "./errors/codes.js";
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
export type { StreamDescriptor } from "./spec/streams.js";
export type { BodyPath, CursorPagination, LinkPagination, OffsetPagination, PagePagination, PaginationDescriptor } from "./spec/pagination.js";

// --- client ---
export { createClient } from "./client/create-client.js";
export type { CallProgress, CallScope, ClientMemory, Pacer, Stage } from "./client/stage.js";
export type { BodyEncoder, EncodedBody, EncodeTarget } from "./client/encode-body.js";

// --- observing and pacing calls ---
export type { Logger, LogLevel } from "./observe/log-level.js";
export type {
  AttemptEnd,
  AttemptWatch,
  CallEnd,
  CallObserver,
  CallStart,
  CallWatch,
  PaceReason,
  TokenRequestStart,
  TokenRequestWatch,
} from "./observe/observer.js";
export { createMemoryPaceStore, type PaceStore, type WindowReport } from "./pacing/pace-store.js";
export type { PacingOptions } from "./pacing/pacing.js";
export type { CircuitBreakerOptions, RetryBudgetOptions } from "./resilience/origin-health.js";
export { createConcurrencyGate, type ConcurrencyGate } from "./resilience/concurrency-gate.js";

// --- stages: the optional parts of the call path a generated client opts into ---
export { allStages } from "./stages/all-stages.js";
export { creditsStage } from "./stages/credits.js";
export { rateLimitStage } from "./stages/rate-limit.js";
export { ietfRateLimitStage } from "./stages/ietf-rate-limit.js";
export { scopesStage } from "./stages/scopes.js";
export { formBodyStage } from "./stages/form-body.js";
export { multipartBodyStage } from "./stages/multipart-body.js";
export { serverVariablesStage } from "./stages/server-variables.js";
export { paginationStage } from "./stages/pagination.js";
export type {
  OperationOfKey,
  Page,
  Paginated,
  PaginatedData,
  PaginatedItem,
  PaginatedOperations,
  PaginateInit,
  PaginateOptions,
  PaginatingClient,
  PaginationProgress,
} from "./stages/pagination-types.js";
export { streamStage } from "./stages/stream.js";
export type { EventStream, ServerSentEvent, StreamInit, StreamItem, StreamKey, StreamMethod, StreamOptions, StreamShape } from "./stages/stream-types.js";
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
export type { CachedToken, TokenCache } from "./tokens/token-cache.js";
export { createMemoryTokenCache } from "./tokens/memory-token-cache.js";
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
export type { ClientAuthentication, TokenEndpointAnswer, TokenEndpointRequest, TokenFetcher } from "./tokens/token-request.js";
export { OAuthTokenError } from "./tokens/oauth-error.js";
export { createTenantPool, type TenantPool, type TenantPoolOptions } from "./tenants/tenant-pool.js";
export type { Clock } from "./internal/clock.js";
export type { HeaderView } from "./internal/header-view.js";
export type { RetryPolicy } from "./resilience/retry-policy.js";
