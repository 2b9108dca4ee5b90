import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { JSONWebKeySet } from "jose";
import { HttpProblem, problemResponse } from "../../framework/http.js";
import { fingerprint } from "../../framework/fingerprint.js";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import type { SandboxSummary } from "../../framework/summary.js";
import type { ApiSandbox, SandboxContext } from "../../types.js";
import { validateRequests } from "../../validate.js";
import { DRAFT_IDEMPOTENCY_ANSWERS, idempotency } from "../../framework/idempotency.js";
import { authenticate, authMiddleware, principalOf } from "./authenticate.js";
import { createCredentialStore, randomToken } from "./credential-store.js";
import { deviceStatus, mountDeviceRoutes } from "./device-routes.js";
import { createEventHub, type EventHub } from "./events.js";
import { atlasError } from "./problem.js";
import { mountReconciliationRoutes } from "./reconciliation-routes.js";
import { API_KEYS, CLIENTS, DEFAULT_TERMINAL_ID, LIVE_API_KEY, MERCHANTS, type AtlasMerchantSeed, type AtlasScope } from "./seed.js";
import { createAtlasState, type AtlasTransaction, type AuditEntry } from "./state.js";
import { createTokenApp } from "./token-app.js";
import { createTokenSigner } from "./token-signer.js";
import { mountTransactionRoutes } from "./transaction-routes.js";
import { mountWebhookRoutes } from "./webhook-routes.js";

export type { AuditEntry, AtlasTransaction } from "./state.js";
export type { AtlasEvent } from "./events.js";
export { ATLAS_SCOPES, DECLINE_CENTS } from "./seed.js";

/** A seeded credential handed to tests: the sandbox-only secret and its safe fingerprint. */
export interface AtlasSeededKey {
  readonly secret: string;
  readonly fingerprint: string;
  readonly merchantId: string;
  readonly terminalId?: string;
  readonly scopes: readonly AtlasScope[];
}

export interface AtlasSeededClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly merchantId: string;
  readonly scopes: readonly AtlasScope[];
}

/** `control` of the Atlas sandbox (see the package README). */
export type AtlasControl = {
  readonly merchants: readonly AtlasMerchantSeed[];
  /** The seed's terminal, `TID-00012345` (first terminal of the first merchant). */
  readonly terminalId: string;
  readonly credentials: {
    readonly apiKeys: {
      readonly full: AtlasSeededKey;
      readonly terminalReadOnly: AtlasSeededKey;
      readonly otherMerchant: AtlasSeededKey;
      /** Not stored: every `sk_live_` key gets `401 ENVIRONMENT_MISMATCH`. */
      readonly live: string;
    };
    readonly client: AtlasSeededClient;
    readonly limitedClient: AtlasSeededClient;
    readonly liveClient: AtlasSeededClient;
  };
  /** Every transaction, in order (all merchants). */
  readonly ledger: readonly AtlasTransaction[];
  /** Approved sales, optionally of one merchant: count them to prove there was no double charge. */
  sales(merchantId?: string): readonly AtlasTransaction[];
  readonly auditLog: readonly AuditEntry[];
  readonly counters: { readonly tokenRequests: number; readonly tokensIssued: number; readonly requests: number; readonly webSocketConnections: number };
  readonly jwks: JSONWebKeySet;
  /** Delay of money-moving handlers, ms (to hold an Idempotency-Key in flight). @default 0 */
  saleDelayMs: number;
  /** Rotates an API key: the new secret; the old one works 24 h more (of `ctx.now()`). */
  rotateApiKey(secret: string): string;
  /** Rotates a client secret: the new secret; the old one works 24 h more. */
  rotateClientSecret(clientId: string): string;
  /** Open `/v1/events` connections. */
  eventConnections(): number;
  /** Cuts every open `/v1/events` connection from the server side (no close frame); returns how many were open. */
  dropEventConnections(): number;
  summary(): SandboxSummary;
};

/** What `createAtlasSandbox` returns. */
export interface AtlasSandbox extends ApiSandbox {
  readonly control: AtlasControl;
}

/**
 * The Atlas SoftPOS sandbox: the Commerce API (`api` origin, with `/v1/events` over WebSocket)
 * and the auth server (`auth` origin, `POST /v1/token`).
 * @see /work/shared/seeds/atlas-softpos-auth.txt
 */
export async function createAtlasSandbox(ctx: SandboxContext): Promise<AtlasSandbox> {
  const apiOrigin = ctx.origins["api"];
  const authOrigin = ctx.origins["auth"];
  if (!apiOrigin || !authOrigin) throw new TypeError("the Atlas sandbox needs the api and auth origins");
  const { doc } = loadSpec(findSpecFile("atlas"));
  const index = operationIndex(doc);
  const now = () => ctx.now();
  const startedAt = now();

  const store = createCredentialStore(now);
  for (const seed of Object.values(API_KEYS)) store.addKey(seed);
  for (const seed of Object.values(CLIENTS)) store.addClient(seed);
  const signer = await createTokenSigner({ issuer: authOrigin, audience: apiOrigin, now });
  const state = createAtlasState(now, MERCHANTS.map((m) => m.id));
  const authDeps = { store, signer, merchants: MERCHANTS };
  let saleDelayMs = 0;

  const hub: EventHub = createEventHub({
    state,
    authenticate: (presented) => authenticate(presented, authDeps),
    deviceStatus: (principal) => deviceStatus(principal, state),
  });
  const events = () => hub;

  const api = new Hono();
  api.use("*", requestId({ generator: () => `req_${randomToken(16)}` }));
  api.use("*", authMiddleware({ ...authDeps, state, index }));
  api.use("*", validateRequests(doc));
  api.use("*", idempotency({ doc, index, now, ownerOf: (c) => principalOf(c).merchantId, answers: DRAFT_IDEMPOTENCY_ANSWERS }));
  mountDeviceRoutes(api, { state, merchants: MERCHANTS, events, startedAt, now });
  mountTransactionRoutes(api, { state, events, delayMs: () => saleDelayMs });
  mountReconciliationRoutes(api, { state, events, now });
  mountWebhookRoutes(api, { state });
  api.notFound((c) => c.json(atlasError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`), 404));
  // A handler bug must not surface as an undeclared 500: answer the spec's 503 (retryable).
  api.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c as never, error);
    c.header("retry-after", "1");
    return c.json(atlasError("SERVICE_UNAVAILABLE", "The sandbox failed to handle the request.", { requestId: c.get("requestId" as never) as string | undefined }), 503);
  });

  const defaultLifetime = ctx.options.tokenLifetimeSeconds ?? 3600;
  const auth = createTokenApp({ doc, store, signer, merchants: MERCHANTS, state, defaultLifetimeSeconds: defaultLifetime });

  const key = (seed: (typeof API_KEYS)[keyof typeof API_KEYS]): AtlasSeededKey => ({
    secret: seed.secret,
    fingerprint: fingerprint(seed.secret),
    merchantId: seed.merchantId,
    ...("terminalId" in seed ? { terminalId: seed.terminalId } : {}),
    scopes: seed.scopes,
  });
  const client = (seed: (typeof CLIENTS)[keyof typeof CLIENTS]): AtlasSeededClient => ({
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    merchantId: seed.merchantId,
    scopes: seed.scopes,
  });

  const control: AtlasControl = {
    merchants: MERCHANTS,
    terminalId: DEFAULT_TERMINAL_ID,
    credentials: {
      apiKeys: { full: key(API_KEYS.full), terminalReadOnly: key(API_KEYS.terminalReadOnly), otherMerchant: key(API_KEYS.otherMerchant), live: LIVE_API_KEY },
      client: client(CLIENTS.client),
      limitedClient: client(CLIENTS.limitedClient),
      liveClient: client(CLIENTS.liveClient),
    },
    get ledger() {
      return state.transactions;
    },
    sales(merchantId) {
      return state.transactions.filter((t) => t.type === "SALE" && t.status !== "DECLINED" && (!merchantId || t.merchantId === merchantId));
    },
    auditLog: state.auditLog,
    counters: state.counters,
    jwks: signer.jwks,
    get saleDelayMs() {
      return saleDelayMs;
    },
    set saleDelayMs(ms: number) {
      saleDelayMs = ms;
    },
    rotateApiKey: (secret) => store.rotateKey(secret),
    rotateClientSecret: (clientId) => store.rotateClientSecret(clientId),
    eventConnections: () => hub.connections(),
    dropEventConnections: () => hub.drop(),
    summary: () => ({
      title: "Atlas SoftPOS Commerce API",
      baseUrl: apiOrigin,
      tokenUrl: `${authOrigin}/v1/token`,
      values: [
        { label: "cloud client id (client credentials, JSON body; LAN mode takes the API key instead)", env: "ATLAS_CLIENT_ID", value: CLIENTS.client.clientId },
        { label: "terminal of the token (terminal_id)", env: "ATLAS_TERMINAL_ID", value: DEFAULT_TERMINAL_ID },
      ],
      credentials: [
        { label: `API key (${API_KEYS.full.label})`, env: "ATLAS_API_KEY", secret: API_KEYS.full.secret, fingerprint: fingerprint(API_KEYS.full.secret) },
        { label: `client secret (${CLIENTS.client.label})`, env: "ATLAS_CLIENT_SECRET", secret: CLIENTS.client.clientSecret, fingerprint: fingerprint(CLIENTS.client.clientSecret) },
      ],
      commands: [
        `curl -s ${apiOrigin}/v1/device/health -H "X-Api-Key: $ATLAS_API_KEY"`,
        `curl -s ${apiOrigin}/v1/transaction/sale -H "X-Api-Key: $ATLAS_API_KEY" -H "Idempotency-Key: $(node -p "crypto.randomUUID()")" -H "Content-Type: application/json" -d '{ "type": "SALE", "amount": 2500, "currency": "NZD" }'`,
        `curl -s ${authOrigin}/v1/token -H "Content-Type: application/json" -d "{\\"grant_type\\":\\"client_credentials\\",\\"client_id\\":\\"$ATLAS_CLIENT_ID\\",\\"client_secret\\":\\"$ATLAS_CLIENT_SECRET\\",\\"scope\\":\\"terminal:read terminal:write transactions:write\\",\\"terminal_id\\":\\"$ATLAS_TERMINAL_ID\\"}"`,
      ],
    }),
  };

  return {
    apps: { api, auth },
    upgrade: (request, socket, head) => hub.upgrade(request, socket, head),
    control,
    close: () => hub.close(),
  };
}
