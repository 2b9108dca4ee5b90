/**
 * Issue 12, caller mistakes: what the caller gets wrong (an option, a header, an empty key, two
 * credentials) is told at once, typed as the caller's (`INVALID_OPTIONS` at construction,
 * `INVALID_REQUEST` or `CREDENTIAL_CONFLICT` per call), naming what to fix, never its secret value;
 * it is never sent, and never retried as if the network had failed.
 */
import { describe, expect, test } from "vitest";
import {
  apiKey,
  bearerToken,
  clientCredentials,
  createClient,
  exchangeAuthorizationCode,
  loginSession,
  PorticoError,
  refreshTokenCredential,
  tokenProvider,
  type ClientOptions,
} from "../../src/index.js";
import { clientFor, PRODUCTION, shop } from "../support/apis.js";
import { forwardTo, json, useLoopbacks, type Loopback } from "../support/loopback.js";

const loopbacks = useLoopbacks();

/** An API that answers 503 (retryable) to everything: a call that reached it would be retried. */
function unavailableApi(): Promise<Loopback> {
  return loopbacks.server((_req, res) => json(res, 503, { message: "try again" }));
}

const KEY = "sk_live_0123456789abcdefSECRET";
const CLIENT_SECRET = "cs_live_client_SECRET_value_0123";

function thrown(build: () => unknown): PorticoError {
  try {
    build();
  } catch (error) {
    if (error instanceof PorticoError) return error;
    throw error;
  }
  throw new Error("expected a PorticoError to be thrown");
}

describe("an empty idempotency key", () => {
  test.each([[""], ["   "]])("idempotencyKey %j on a POST is INVALID_REQUEST: never sent, never retried", async (idempotencyKey) => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(server), retry: { maxRetries: 3, baseDelayMs: 0 } });

    const { error, meta } = await client.POST("/v1/orders", { body: { sku: "A-1" }, idempotencyKey });

    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain("idempotencyKey");
    expect(meta.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe("an empty Idempotency-Key header", () => {
  test("a blank Idempotency-Key header on a POST is INVALID_REQUEST: never sent with a key that identifies nothing", async () => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(server), retry: { maxRetries: 3, baseDelayMs: 0 } });

    const { error, meta } = await client.POST("/v1/orders", { body: { sku: "A-1" }, headers: { "Idempotency-Key": " " } });

    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain("idempotency-key");
    expect(meta.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe("two credential schemes on one request", () => {
  test("an apiKey credential with an Authorization default header is CREDENTIAL_CONFLICT: the API says never both, nothing is sent", async () => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), headers: { Authorization: "Bearer tok_live_0123456789abcdefghijklmn" }, fetcher: forwardTo(server) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("CREDENTIAL_CONFLICT");
    expect(error?.message).toContain("authorization");
    expect(server.requests).toHaveLength(0);
  });

  test("an apiKey credential with a per-call Authorization header is CREDENTIAL_CONFLICT, nothing is sent", async () => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(server) });

    const { error } = await client.GET("/v1/items", { headers: { Authorization: "Bearer tok_live_0123456789abcdefghijklmn" } });

    expect(error?.code).toBe("CREDENTIAL_CONFLICT");
    expect(server.requests).toHaveLength(0);
  });

  test("a bearer credential with an X-Api-Key header added by an onRequest hook is CREDENTIAL_CONFLICT, nothing is sent", async () => {
    const server = await unavailableApi();
    const client = clientFor(shop, {
      baseUrl: PRODUCTION,
      auth: bearerToken("tok_live_0123456789abcdefghijklmn"),
      fetcher: forwardTo(server),
      hooks: { onRequest: (event) => void (event.headers["X-Api-Key"] = KEY) },
    });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("CREDENTIAL_CONFLICT");
    expect(server.requests).toHaveLength(0);
  });
});

describe("header values HTTP cannot carry", () => {
  test.each([
    ["a CRLF (header injection)", "a\r\nx-injected: 1"],
    ["a NUL", "a\0b"],
    ["a character outside Latin-1", "café ☕"],
  ])("a per-call header with %s is INVALID_REQUEST naming the header: never sent, not NETWORK_ERROR, not retried", async (_what, value) => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(server), retry: { maxRetries: 3, baseDelayMs: 0 } });

    const { error, meta } = await client.GET("/v1/items", { headers: { "x-note": value } });

    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain("x-note");
    expect(meta.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  test("a header with a line break set by an onRequest hook is INVALID_REQUEST: never sent, not retried", async () => {
    const server = await unavailableApi();
    const client = clientFor(shop, {
      baseUrl: PRODUCTION,
      auth: apiKey(KEY),
      fetcher: forwardTo(server),
      retry: { maxRetries: 3, baseDelayMs: 0 },
      hooks: { onRequest: (event) => void (event.headers["x-trace"] = "1\r\n2") },
    });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain("x-trace");
    expect(server.requests).toHaveLength(0);
  });
});

describe("options are validated once, by schema, naming the option and the fix", () => {
  const tokenBase = { tokenUrl: "https://auth.shop.example/oauth/token", clientId: "shop-client", clientSecret: CLIENT_SECRET };

  test.each<[string, () => unknown, string]>([
    ["clientCredentials softWindowMs: NaN (one token request per call)", () => clientCredentials({ ...tokenBase, softWindowMs: Number.NaN }), "softWindowMs"],
    ["clientCredentials hardWindowMs: -1", () => clientCredentials({ ...tokenBase, hardWindowMs: -1 }), "hardWindowMs"],
    ["clientCredentials retryInitialMs: Infinity", () => clientCredentials({ ...tokenBase, retryInitialMs: Number.POSITIVE_INFINITY }), "retryInitialMs"],
    ["clientCredentials retryMaxMs over 2^31−1 (timer overflow)", () => clientCredentials({ ...tokenBase, retryMaxMs: 2 ** 31 }), "retryMaxMs"],
    ["clientCredentials timeoutMs: 0", () => clientCredentials({ ...tokenBase, timeoutMs: 0 }), "timeoutMs"],
    ["clientCredentials defaultLifetimeSeconds: NaN", () => clientCredentials({ ...tokenBase, defaultLifetimeSeconds: Number.NaN }), "defaultLifetimeSeconds"],
    ["clientCredentials bodyEncoding: xml", () => clientCredentials({ ...tokenBase, bodyEncoding: "xml" as never }), "bodyEncoding"],
    ["clientCredentials clientAuthentication: private_key_jwt", () => clientCredentials({ ...tokenBase, clientAuthentication: "private_key_jwt" as never }), "clientAuthentication"],
    ["clientCredentials extraParams value an object", () => clientCredentials({ ...tokenBase, extraParams: { terminal_id: {} as never } }), "extraParams.terminal_id"],
    ["clientCredentials tenant: empty", () => clientCredentials({ ...tokenBase, tenant: "" }), "tenant"],
    ["clientCredentials cache without get/set", () => clientCredentials({ ...tokenBase, cache: {} as never }), "cache"],
    ["clientCredentials hooks.onTokenRefresh not a function", () => clientCredentials({ ...tokenBase, hooks: { onTokenRefresh: "log" as never } }), "hooks.onTokenRefresh"],
    ["refreshTokenCredential softWindowMs: NaN", () => refreshTokenCredential({ tokenUrl: tokenBase.tokenUrl, clientId: "c", refreshToken: "rt_0123456789", softWindowMs: Number.NaN }), "softWindowMs"],
    ["tokenProvider hardWindowMs: NaN", () => tokenProvider(() => ({ accessToken: "t" }), { hardWindowMs: Number.NaN }), "hardWindowMs"],
    ["loginSession expiryMarginMs: -5", () => loginSession({ token: "session-token", expiresAt: "2030-01-01T00:00:00Z", expiryMarginMs: -5 }), "expiryMarginMs"],
  ])("%s → INVALID_OPTIONS naming it", (_name, build, option) => {
    const error = thrown(build);
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toMatch(/must be/);
    expect(error.details["option"]).toBe(option);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  test("exchangeAuthorizationCode with timeoutMs: -1 rejects with INVALID_OPTIONS before any request", async () => {
    const auth = await loopbacks.server((_req, res) => json(res, 200, { access_token: "t", expires_in: 3600 }));
    const error = await exchangeAuthorizationCode({ ...tokenBase, tokenUrl: `${auth.url}/token`, code: "c0de", redirectUri: "https://app/cb", state: "s", expectedState: "s", timeoutMs: -1 }).then(
      () => undefined,
      (e: unknown) => e as PorticoError,
    );
    expect(error?.code).toBe("INVALID_OPTIONS");
    expect(error?.message).toContain('"timeoutMs"');
    expect(auth.requests).toHaveLength(0);
  });

  test.each<[string, unknown, string]>([
    ["retry.maxDelayMs over 2^31−1 (timer overflow: retries in a burst)", { retry: { maxDelayMs: 2 ** 40 } }, "retry.maxDelayMs"],
    ["retry.baseDelayMs over 2^31−1", { retry: { baseDelayMs: 2 ** 31 } }, "retry.baseDelayMs"],
    ["retry.maxRetryAfterMs over 2^31−1", { retry: { maxRetryAfterMs: 2 ** 35 } }, "retry.maxRetryAfterMs"],
    ["retry.maxRetries over 100", { retry: { maxRetries: 1000 } }, "retry.maxRetries"],
    ["a header name with a space", { headers: { "X Trace": "1" } }, "headers.X Trace"],
    ["a header value with CRLF", { headers: { "x-trace": "1\r\nx-injected: 1" } }, "headers.x-trace"],
    ["a header value outside Latin-1", { headers: { "x-trace": "☕" } }, "headers.x-trace"],
  ])("client %s → INVALID_OPTIONS naming it", (_name, options, option) => {
    const error = thrown(() => clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), ...(options as ClientOptions) }));
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toContain(`Invalid client option "${option}"`);
    expect(error.message).not.toContain(KEY);
  });

  test("createClient(descriptor, null) → INVALID_OPTIONS, not a raw TypeError", () => {
    const error = thrown(() => createClient(shop, null as never));
    expect(error.code).toBe("INVALID_OPTIONS");
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["timeout: -5 (silently no timeout)", { timeout: -5 }, "timeout"],
    ["maxRetries: 'lots' (silently zero retries)", { maxRetries: "lots" }, "maxRetries"],
    ["maxRetries: 1000", { maxRetries: 1000 }, "maxRetries"],
    ["timeout over 2^31−1", { timeout: 2 ** 31 }, "timeout"],
  ])("per call %s → INVALID_REQUEST naming it, nothing sent", async (_name, options, option) => {
    const server = await unavailableApi();
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(server) });

    const { error } = await client.GET("/v1/items", options as never);

    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain(`"${option}"`);
    expect(server.requests).toHaveLength(0);
  });
});
