/**
 * The Nentropy EUDR Integration API sandbox: an integration token store (SHA-256 hashes only,
 * scopes, revocation, expiry, active/inactive integrations) in front of per-integration data.
 * @see seeds/nentropy-eudr-auth.txt, specs/eudr.yaml
 */
import type { Hono } from "hono";
import { fingerprint } from "../../framework/fingerprint.js";
import type { SandboxSummary } from "../../framework/summary.js";
import type { ApiSandbox, SandboxContext } from "../../types.js";
import { createEudrApp, EUDR_BASE_PATH } from "./app.js";
import { createDataRegistry, markSyncFailed, type DdsState } from "./data-store.js";
import { EUDR_SCOPES, type EudrScope } from "./scopes.js";
import { createTokenStore, type Integration, type MintedToken, type MintTokenOptions, type TokenRecord } from "./token-store.js";

export { EUDR_SCOPES, type EudrScope } from "./scopes.js";
export { EUDR_TOKEN_PATTERN, type Integration, type MintedToken, type MintTokenOptions, type TokenRecord } from "./token-store.js";
export { EUDR_BASE_PATH } from "./app.js";

const READ_ONLY: readonly EudrScope[] = [
  "integration:suppliers:read",
  "integration:products:read",
  "integration:batches:read",
  "integration:dds:read",
  "integration:sync:read",
];

/** Seeded integrations and tokens (raw tokens here only; the store keeps hashes). */
export interface EudrSeed {
  readonly integrations: { readonly acme: Integration; readonly globex: Integration; readonly dormant: Integration };
  readonly tokens: {
    /** Acme, all nine scopes. */
    readonly acme: MintedToken;
    /** Acme, the five read scopes (no write, no webhooks). */
    readonly acmeReadOnly: MintedToken;
    /** Acme, revoked. */
    readonly acmeRevoked: MintedToken;
    /** Acme, expired. */
    readonly acmeExpired: MintedToken;
    /** Globex (another organisation), all scopes. */
    readonly globex: MintedToken;
    /** Dormant integration (inactive), all scopes. */
    readonly dormant: MintedToken;
  };
  /** Ids of the records seeded in Acme's integration. */
  readonly records: { readonly supplierId: string; readonly productId: string; readonly batchId: string };
}

/** `control` of the EUDR sandbox. */
export type EudrControl = {
  /** Base URL of the API as the spec's server has it: `<api origin>/api/v1/integration`. */
  readonly baseUrl: string;
  readonly scopes: readonly EudrScope[];
  readonly seeded: EudrSeed;
  /** Authenticated requests per integration id. */
  readonly counters: { readonly requests: Readonly<Record<string, number>> };
  createIntegration(input: { readonly name: string; readonly orgId?: string; readonly active?: boolean }): Integration;
  setIntegrationActive(integrationId: string, active: boolean): void;
  /** Mints a token as the platform UI would: the raw token is in the result, once. */
  mintToken(options: MintTokenOptions): MintedToken;
  revokeToken(tokenId: string): void;
  /** Makes a token expire now (or at `at`, epoch ms). */
  expireToken(tokenId: string, at?: number): void;
  /** What the token store holds (hashes and metadata only). */
  tokenRecords(): readonly TokenRecord[];
  /** Moves a batch's DDS through TRACES: `available` issues reference and verification numbers. */
  setDdsStatus(integrationId: string, batchId: string, status: DdsState, options?: { readonly rejectionReason?: string }): void;
  /** Marks an entity's sync as failed (the integration's sync status turns `degraded`). */
  failSync(integrationId: string, entityType: "supplier" | "product" | "batch", entityId: string, error?: string): void;
  /** Makes the next `GET /sync/logs/stream` connection break off in the middle of the event after `events` whole ones. */
  cutSyncLogStream(events: number): void;
  /** What the CLI prints at start-up. */
  summary(): SandboxSummary;
};

/** What `createEudrSandbox` returns. */
export interface EudrSandbox extends ApiSandbox {
  readonly control: EudrControl;
}

const randomCode = (length: number): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
};

/**
 * Creates the EUDR sandbox. Options: `rateLimitPerMinute` (per token, default 1000),
 * `seedData` (default true: one supplier, product and batch in Acme's integration).
 */
export async function createEudrSandbox(ctx: SandboxContext): Promise<EudrSandbox> {
  const now = () => ctx.now();
  const tokens = createTokenStore(now);
  const data = createDataRegistry();
  const requests: Record<string, number> = {};
  const perMinute = typeof ctx.options["rateLimitPerMinute"] === "number" ? ctx.options["rateLimitPerMinute"] : 1000;
  const streamCuts = { pending: [] as number[] };
  const app = createEudrApp({
    tokens,
    data,
    now,
    rateLimit: { limit: perMinute, windowMs: 60_000 },
    streamCuts,
    onAuthenticated: (id) => {
      requests[id] = (requests[id] ?? 0) + 1;
    },
  });

  const acme = tokens.createIntegration({ name: "Acme Cocoa ERP" });
  const globex = tokens.createIntegration({ name: "Globex Coffee Traders" });
  const dormant = tokens.createIntegration({ name: "Dormant Rubber Co", active: false });
  const acmeRevoked = tokens.mint({ integrationId: acme.id, name: "Old token" });
  tokens.revoke(acmeRevoked.id);
  const seededTokens = {
    acme: tokens.mint({ integrationId: acme.id, name: "ERP sync" }),
    acmeReadOnly: tokens.mint({ integrationId: acme.id, name: "BI dashboard", scopes: READ_ONLY }),
    acmeRevoked,
    acmeExpired: tokens.mint({ integrationId: acme.id, name: "Expired token", expiresAt: now() - 60_000 }),
    globex: tokens.mint({ integrationId: globex.id, name: "Globex sync" }),
    dormant: tokens.mint({ integrationId: dormant.id, name: "Dormant sync" }),
  };

  const records = { supplierId: "", productId: "", batchId: "" };
  if (ctx.options["seedData"] !== false) {
    const call = async (path: string, body: unknown): Promise<string> => {
      const response = await app.request(`${EUDR_BASE_PATH}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${seededTokens.acme.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const created = (await response.json()) as { id?: string };
      if (response.status !== 201 || !created.id) throw new Error(`EUDR sandbox seeding failed on POST ${path}: ${response.status}`);
      return created.id;
    };
    records.supplierId = await call("/suppliers", { externalId: "SUP-0042", name: "Coopérative Agricole de Soubré", country: "CI" });
    records.productId = await call("/products", { externalId: "PRD-COCOA-BEANS", name: "Cocoa beans, raw", commodity: "cocoa", hsCode: "180100", supplierIds: [records.supplierId] });
    records.batchId = await call("/batches", {
      externalId: "LOT-2025-0117",
      productId: records.productId,
      supplierId: records.supplierId,
      quantity: { amount: 12500, unit: "kg" },
      countryOfProduction: "CI",
      plots: [{ plotId: "CI-SOU-0091", latitude: 5.7853, longitude: -6.6083, areaHectares: 2.4 }],
    });
    delete requests[acme.id];
  }

  const control: EudrControl = {
    baseUrl: `${ctx.origins["api"] ?? ""}${EUDR_BASE_PATH}`,
    scopes: EUDR_SCOPES,
    seeded: { integrations: { acme, globex, dormant }, tokens: seededTokens, records },
    counters: { requests },
    createIntegration: (input) => tokens.createIntegration(input),
    setIntegrationActive: (id, active) => tokens.setIntegrationActive(id, active),
    mintToken: (options) => tokens.mint(options),
    revokeToken: (id) => tokens.revoke(id),
    expireToken: (id, at) => tokens.expire(id, at),
    tokenRecords: () => tokens.records(),
    setDdsStatus(integrationId, batchId, status, options = {}) {
      const dds = data.forIntegration(integrationId).dds.get(batchId);
      if (!dds) throw new RangeError(`no batch ${JSON.stringify(batchId)} in integration ${integrationId}`);
      const at = new Date(now()).toISOString();
      dds.status = status;
      dds.updatedAt = at;
      if (status === "submitted" || status === "available") dds.submittedAt ??= at;
      if (status === "available") {
        dds.referenceNumber ??= `25${randomCode(12)}`;
        dds.verificationNumber ??= randomCode(8);
      }
      dds.rejectionReason = status === "rejected" ? (options.rejectionReason ?? "Geolocation of plot does not match the declared country") : null;
    },
    failSync(integrationId, entityType, entityId, error = "Upstream platform rejected the record") {
      markSyncFailed(data.forIntegration(integrationId), entityType, entityId, error, new Date(now()).toISOString());
    },
    cutSyncLogStream(events) {
      streamCuts.pending.push(events);
    },
    summary() {
      const credential = (label: string, env: string, secret: string) => ({ label, env, secret, fingerprint: fingerprint(secret) });
      const base = control.baseUrl;
      return {
        title: "Nentropy EUDR Integration API",
        baseUrl: base,
        values: [],
        credentials: [
          credential("EUDR token (Acme integration, all nine scopes)", "EUDR_TOKEN", seededTokens.acme.token),
          credential("EUDR token (Acme, read scopes only)", "EUDR_READONLY_TOKEN", seededTokens.acmeReadOnly.token),
          credential("EUDR token (Acme, revoked: 401 TOKEN_REVOKED)", "EUDR_REVOKED_TOKEN", seededTokens.acmeRevoked.token),
          credential("EUDR token (inactive integration: 403 INTEGRATION_INACTIVE)", "EUDR_INACTIVE_TOKEN", seededTokens.dormant.token),
        ],
        commands: [
          `curl -s ${base}/suppliers -H "Authorization: Bearer $EUDR_TOKEN" -H "Content-Type: application/json"`,
          `curl -s ${base}/batches/${records.batchId || "<batchId>"}/dds-status -H "Authorization: Bearer $EUDR_READONLY_TOKEN"`,
          `curl -s -X POST ${base}/suppliers -H "Authorization: Bearer $EUDR_READONLY_TOKEN" -H "Content-Type: application/json" -d '{"name":"X","country":"GH"}'`,
        ],
      };
    },
  };

  // The framework mounts apps by their `fetch`; the env type is this app's own business.
  return { apps: { api: app as unknown as Hono }, control };
}
