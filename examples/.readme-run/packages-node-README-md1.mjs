import { clientCredentials, createRedisTokenCache, loadSecret, nodeFetcher } from "@portico/node";
import { createImsApiClient } from "@atrope-ai/api-client";
const cache = createRedisTokenCache({
    redis: process.env.REDIS_URL, // or an ioredis client, or its options
    encryptionKey: loadSecret({ name: "token cache key", env: "TOKEN_CACHE_KEY", pattern: /^[0-9a-f]{64}$/ }),
    hooks: {
        onFallback: ({ reason, operation }) => log.warn({ reason, operation }, "token cache: Redis unavailable, using the in-process cache"),
        onRecover: () => log.info("token cache: Redis is back"),
    },
});
const auth = clientCredentials({
    tokenUrl: "https://YOUR_AUTH0_DOMAIN/oauth/token",
    clientId: process.env.IMS_CLIENT_ID,
    clientSecret: loadSecret({ name: "IMS client secret", env: "IMS_CLIENT_SECRET" }),
    audience: "https://api.atrope.dev",
    bodyEncoding: "json",
    tenant: tenantId,
    cache, // shared by every process pointing at the same Redis
    fetcher: nodeFetcher, // token requests ride the same keep-alive pool
});
const ims = createImsApiClient({ auth, fetcher: nodeFetcher });
