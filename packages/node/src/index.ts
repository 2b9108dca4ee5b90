// --- errors ---
export { NodeErrorCode, PorticoNodeError } from "./errors.js";

// --- shared token cache (Redis) ---
export {
  createRedisTokenCache,
  type RedisErrorEvent,
  type RedisFallbackEvent,
  type RedisTokenCache,
  type RedisTokenCacheHooks,
  type RedisTokenCacheOptions,
} from "./redis/redis-token-cache.js";
export {
  SAFE_CLUSTER_OPTIONS,
  SAFE_REDIS_OPTIONS,
  type RedisClient,
  type RedisClusterTarget,
  type RedisTarget,
} from "./redis/redis-connection.js";
export type { RedisStoreHooks } from "./redis/redis-guard.js";

// --- shared pacing (Redis) ---
export { createRedisPaceStore, type RedisPaceStore, type RedisPaceStoreOptions } from "./redis/redis-pace-store.js";

// --- fetcher ---
export { createNodeFetcher, nodeFetcher, type NodeFetcher, type NodeFetcherInit, type NodeFetcherOptions } from "./fetcher/node-fetcher.js";

// --- mutual TLS ---
export {
  clientCertificate,
  type ClientCertificateCredential,
  type ClientCertificateOptions,
  type PemInput,
} from "./auth/client-certificate.js";

// --- WebSocket ---
export {
  connectAuthenticatedSocket,
  type AuthenticatedSocket,
  type AuthenticatedSocketOptions,
  type SocketOptions,
} from "./websocket/authenticated-socket.js";
export { connectEvents, type ConnectEventsOptions } from "./websocket/connect-events.js";
export type { EventsChannel } from "@portico/core";
export type { SocketCredentialOptions, TokenRequestContext } from "./websocket/upgrade-credential.js";
export type { MessageValidator, SyncStandardSchema } from "./websocket/parse-message.js";
export type { ReconnectOptions } from "./websocket/backoff.js";
export type {
  UpgradeResponse,
  WebSocketClientOptions,
  WebSocketConnection,
  WebSocketConstructor,
  WebSocketConstructorOptions,
  WebSocketData,
} from "./websocket/socket-types.js";

// --- secrets ---
export { loadSecret, type LoadSecretOptions } from "./secrets/load-secret.js";
export { sha256Fingerprint } from "./secrets/fingerprint.js";

// --- secret-bearing flows (from @portico/core, re-exported so server code imports one package) ---
export {
  clientCredentials,
  exchangeAuthorizationCode,
  refreshTokenCredential,
  type AuthorizationCodeCredential,
  type AuthorizationCodeExchangeOptions,
  type ClientCredentialsCredential,
  type ClientCredentialsOptions,
  type RefreshTokenCredentialOptions,
} from "@portico/core";
