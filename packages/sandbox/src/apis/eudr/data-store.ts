/**
 * In-memory data of each integration: suppliers, products, batches, webhooks, DDS status, sync
 * state and logs. Integrations never see each other's data.
 */
import { randomUUID } from "node:crypto";
import type { components } from "@nentropy/api-client";

/** `supplier`, `product` or `batch`. */
export type EntityType = components["schemas"]["EntityType"];

type Nullable<T> = T | null;

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode?: string;
  country: string;
}

export interface Supplier {
  id: string;
  externalId: Nullable<string>;
  name: string;
  country: string;
  taxId: Nullable<string>;
  email: Nullable<string>;
  address: Nullable<Address>;
  status: "active" | "inactive";
  createdAt: string;
  updatedAt: string;
}

export interface Product {
  id: string;
  externalId: Nullable<string>;
  name: string;
  description: Nullable<string>;
  commodity: string;
  hsCode: string;
  supplierIds: string[];
  status: "active" | "inactive";
  createdAt: string;
  updatedAt: string;
}

export interface Plot {
  plotId?: string;
  latitude: number;
  longitude: number;
  areaHectares?: number;
}

export interface Batch {
  id: string;
  externalId: Nullable<string>;
  productId: string;
  supplierId: string;
  quantity: { amount: number; unit: string };
  countryOfProduction: string;
  harvestStartDate: Nullable<string>;
  harvestEndDate: Nullable<string>;
  plots: Plot[];
  status: "draft" | "ready" | "shipped";
  createdAt: string;
  updatedAt: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: Nullable<string>;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** DDS states, as the spec's `DdsStatus.status` enum. */
export type DdsState = "not_started" | "draft" | "submitted" | "available" | "rejected" | "withdrawn";

export interface DdsStatus {
  batchId: string;
  status: DdsState;
  referenceNumber: Nullable<string>;
  verificationNumber: Nullable<string>;
  submittedAt: Nullable<string>;
  updatedAt: string;
  rejectionReason: Nullable<string>;
}

export interface EntitySyncStatus {
  entityType: EntityType;
  entityId: string;
  status: "pending" | "syncing" | "synced" | "failed";
  lastSyncedAt: Nullable<string>;
  lastError: Nullable<string>;
  attempts: number;
}

export type SyncLogAction = "created" | "updated" | "synced" | "sync_failed" | "webhook_delivered" | "webhook_failed";

export interface SyncLogEntry {
  id: string;
  timestamp: string;
  level: "info" | "warning" | "error";
  entityType: EntityType | null;
  entityId: string | null;
  action: SyncLogAction;
  message: string;
}

/** Everything one integration owns. */
export interface IntegrationData {
  readonly integrationId: string;
  readonly suppliers: Map<string, Supplier>;
  readonly products: Map<string, Product>;
  readonly batches: Map<string, Batch>;
  /** Webhooks with their signing secret (needed to sign deliveries; never returned after creation). */
  readonly webhooks: Map<string, { webhook: Webhook; signingSecret: string }>;
  readonly dds: Map<string, DdsStatus>;
  readonly sync: Map<string, EntitySyncStatus>;
  /** Oldest first. */
  readonly logs: SyncLogEntry[];
  lastSyncAt: string | null;
}

/** Per-integration data, created on first use. */
export interface DataRegistry {
  forIntegration(integrationId: string): IntegrationData;
}

export function createDataRegistry(): DataRegistry {
  const all = new Map<string, IntegrationData>();
  return {
    forIntegration(integrationId) {
      let data = all.get(integrationId);
      if (!data) {
        data = {
          integrationId,
          suppliers: new Map(),
          products: new Map(),
          batches: new Map(),
          webhooks: new Map(),
          dds: new Map(),
          sync: new Map(),
          logs: [],
          lastSyncAt: null,
        };
        all.set(integrationId, data);
      }
      return data;
    },
  };
}

/** Appends a sync log entry. */
export function appendLog(data: IntegrationData, entry: Omit<SyncLogEntry, "id">): void {
  data.logs.push({ id: randomUUID(), ...entry });
}

/**
 * Records a write and its (immediate, successful) sync to the platform: the sandbox syncs every
 * write at once; `markSyncFailed` simulates a failure.
 */
export function recordWriteAndSync(data: IntegrationData, entityType: EntityType, entityId: string, action: "created" | "updated", at: string): void {
  const key = `${entityType}:${entityId}`;
  const previous = data.sync.get(key);
  data.sync.set(key, { entityType, entityId, status: "synced", lastSyncedAt: at, lastError: null, attempts: (previous?.attempts ?? 0) + 1 });
  data.lastSyncAt = at;
  appendLog(data, { timestamp: at, level: "info", entityType, entityId, action, message: `${capitalize(entityType)} ${action}` });
  appendLog(data, { timestamp: at, level: "info", entityType, entityId, action: "synced", message: `${capitalize(entityType)} synced to the EUDR platform` });
}

/** Marks an entity's last sync as failed (sandbox control). */
export function markSyncFailed(data: IntegrationData, entityType: EntityType, entityId: string, error: string, at: string): void {
  const key = `${entityType}:${entityId}`;
  const previous = data.sync.get(key);
  if (!previous) throw new RangeError(`no ${entityType} ${JSON.stringify(entityId)} in integration ${data.integrationId}`);
  data.sync.set(key, { ...previous, status: "failed", lastError: error, attempts: previous.attempts + 1 });
  appendLog(data, { timestamp: at, level: "error", entityType, entityId, action: "sync_failed", message: error });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
