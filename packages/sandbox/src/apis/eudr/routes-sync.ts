/** Integration-wide sync status and sync logs (`integration:sync:read`). */
import type { Hono, MiddlewareHandler } from "hono";
import type { EntitySyncStatus, EntityType, IntegrationData } from "./data-store.js";
import type { EudrEnv } from "./env.js";
import { input, paginate } from "./http.js";
import type { EudrScope } from "./scopes.js";

function counts(data: IntegrationData, type: EntityType, ids: Iterable<string>) {
  const result = { total: 0, pending: 0, synced: 0, failed: 0 };
  for (const id of ids) {
    result.total += 1;
    const status: EntitySyncStatus["status"] = data.sync.get(`${type}:${id}`)?.status ?? "pending";
    if (status === "synced") result.synced += 1;
    else if (status === "failed") result.failed += 1;
    else result.pending += 1;
  }
  return result;
}

/** Mounts `/sync/status` and `/sync/logs`. */
export function registerSyncRoutes(app: Hono<EudrEnv>, deps: { readonly guard: (scope: EudrScope) => MiddlewareHandler<EudrEnv> }): void {
  const read = deps.guard("integration:sync:read");

  app.get("/sync/status", read, (c) => {
    const { data, integration } = c.get("auth");
    const suppliers = counts(data, "supplier", data.suppliers.keys());
    const products = counts(data, "product", data.products.keys());
    const batches = counts(data, "batch", data.batches.keys());
    const failed = suppliers.failed + products.failed + batches.failed;
    const pending = suppliers.pending + products.pending + batches.pending;
    return c.json(
      {
        integrationId: integration.id,
        status: failed > 0 ? "degraded" : pending > 0 ? "syncing" : "idle",
        lastSyncAt: data.lastSyncAt,
        suppliers,
        products,
        batches,
      },
      200,
    );
  });

  app.get("/sync/logs", read, (c) => {
    const query = input(c, "listSyncLogs").query;
    const entries = [...c.get("auth").data.logs]
      .reverse()
      .filter((e) => (query.level === undefined || e.level === query.level) && (query.entityType === undefined || e.entityType === query.entityType));
    return c.json(paginate(entries, query), 200);
  });
}
