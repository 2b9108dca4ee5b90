/** A spec-valid call of every EUDR operation, through `createEudrApiClient`. */
import type { EudrApiClient } from "@nentropy/api-client";
import type { CallTable } from "./types.js";

const SUPPLIER = "3f6c1b9e-7a44-4c1b-9d3e-2b8f0a6d5c11";
const PRODUCT = "8a0d4e2c-1f3b-4d5a-8c6e-9b7a1d2c3e44";
const BATCH = "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716";
const WEBHOOK = "7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7";

export function eudrCalls(eudr: EudrApiClient): CallTable {
  return {
    "GET /suppliers": () => eudr.GET("/suppliers", { params: { query: { limit: 25, updatedSince: "2025-01-01T00:00:00Z" } } }),
    "POST /suppliers": () => eudr.POST("/suppliers", { body: { externalId: "SUP-0042", name: "Coopérative Agricole de Soubré", country: "CI" } }),
    "GET /suppliers/{supplierId}": () => eudr.GET("/suppliers/{supplierId}", { params: { path: { supplierId: SUPPLIER } } }),
    "PATCH /suppliers/{supplierId}": () => eudr.PATCH("/suppliers/{supplierId}", { params: { path: { supplierId: SUPPLIER } }, body: { status: "inactive" } }),
    "GET /suppliers/{supplierId}/sync-status": () => eudr.GET("/suppliers/{supplierId}/sync-status", { params: { path: { supplierId: SUPPLIER } } }),
    "GET /products": () => eudr.GET("/products"),
    "POST /products": () =>
      eudr.POST("/products", { body: { externalId: "PRD-COCOA-BEANS", name: "Cocoa beans, raw", commodity: "cocoa", hsCode: "180100", supplierIds: [SUPPLIER] } }),
    "GET /products/{productId}": () => eudr.GET("/products/{productId}", { params: { path: { productId: PRODUCT } } }),
    "PATCH /products/{productId}": () => eudr.PATCH("/products/{productId}", { params: { path: { productId: PRODUCT } }, body: { name: "Cocoa beans, raw, fermented" } }),
    "GET /products/{productId}/sync-status": () => eudr.GET("/products/{productId}/sync-status", { params: { path: { productId: PRODUCT } } }),
    "GET /batches": () => eudr.GET("/batches", { params: { query: { productId: PRODUCT, supplierId: SUPPLIER } } }),
    "POST /batches": () =>
      eudr.POST("/batches", {
        body: {
          externalId: "LOT-2025-0117",
          productId: PRODUCT,
          supplierId: SUPPLIER,
          quantity: { amount: 12500, unit: "kg" },
          countryOfProduction: "CI",
          harvestStartDate: "2025-01-10",
          plots: [{ plotId: "CI-SOU-0091", latitude: 5.7853, longitude: -6.6083, areaHectares: 2.4 }],
        },
      }),
    "GET /batches/{batchId}": () => eudr.GET("/batches/{batchId}", { params: { path: { batchId: BATCH } } }),
    "PATCH /batches/{batchId}": () => eudr.PATCH("/batches/{batchId}", { params: { path: { batchId: BATCH } }, body: { status: "shipped" } }),
    "GET /batches/{batchId}/sync-status": () => eudr.GET("/batches/{batchId}/sync-status", { params: { path: { batchId: BATCH } } }),
    "GET /batches/{batchId}/dds-status": () => eudr.GET("/batches/{batchId}/dds-status", { params: { path: { batchId: BATCH } } }),
    "GET /webhooks": () => eudr.GET("/webhooks"),
    "POST /webhooks": () => eudr.POST("/webhooks", { body: { url: "https://erp.example.com/hooks/eudr", events: ["dds.status_changed"] } }),
    "PATCH /webhooks/{webhookId}": () => eudr.PATCH("/webhooks/{webhookId}", { params: { path: { webhookId: WEBHOOK } }, body: { active: false } }),
    "DELETE /webhooks/{webhookId}": () => eudr.DELETE("/webhooks/{webhookId}", { params: { path: { webhookId: WEBHOOK } } }),
    "GET /sync/status": () => eudr.GET("/sync/status"),
    "GET /sync/logs": () => eudr.GET("/sync/logs", { params: { query: { limit: 50 } } }),
    // The stream as a plain call: what a `client.stream(...)` connection sends, its body left unread.
    "GET /sync/logs/stream": async () => {
      const result = await eudr.GET("/sync/logs/stream", { parseAs: "stream", headers: { accept: "text/event-stream" } });
      await result.data?.cancel();
      return result;
    },
  };
}
