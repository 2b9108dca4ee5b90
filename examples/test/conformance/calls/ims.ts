/** A spec-valid call of every IMS operation, through `createImsApiClient`. */
import type { ImsApiClient } from "@atrope-ai/api-client";
import type { CallTable } from "./types.js";

const ITEM = "4d935864-df27-4ef2-81c8-a02889ea776c";
const FACILITY = "f325d59b-1c4e-4a0e-9d7b-2b0c5e6f7a81";
const OTHER_FACILITY = "795e974b-2d3f-4b1a-8c9e-0f1a2b3c4d5e";
const PURCHASE_ORDER = "0b7c2e1d-9a8f-4e6d-b5c4-3a2b1c0d9e8f";
const PO_LINE = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
const SALES_ORDER = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

export function imsCalls(ims: ImsApiClient): CallTable {
  return {
    "GET /v1/me": () => ims.GET("/v1/me"),
    "GET /v1/items": () => ims.GET("/v1/items", { params: { query: { limit: 10, status: "active", search: "widget" } } }),
    "POST /v1/items": () =>
      ims.POST("/v1/items", { body: { sku: "ACME-WIDGET-RED", name: "Red widget", baseUomCode: "EA", trackingMode: "none", category: "widgets" } }),
    "GET /v1/items/{itemId}": () => ims.GET("/v1/items/{itemId}", { params: { path: { itemId: ITEM } } }),
    "PATCH /v1/items/{itemId}": () => ims.PATCH("/v1/items/{itemId}", { params: { path: { itemId: ITEM } }, body: { name: "Blue widget (large)", description: null } }),
    "GET /v1/uoms": () => ims.GET("/v1/uoms", { params: { query: { limit: 50 } } }),
    "GET /v1/facilities": () => ims.GET("/v1/facilities"),
    "GET /v1/inventory/balances": () => ims.GET("/v1/inventory/balances", { params: { query: { itemId: ITEM, facilityId: FACILITY } } }),
    "GET /v1/inventory/ledger": () => ims.GET("/v1/inventory/ledger", { params: { query: { itemId: ITEM, since: "2025-01-01T00:00:00Z" } } }),
    "GET /v1/inventory/lots": () => ims.GET("/v1/inventory/lots", { params: { query: { itemId: ITEM } } }),
    "GET /v1/inventory/serials": () => ims.GET("/v1/inventory/serials", { params: { query: { facilityId: FACILITY } } }),
    "POST /v1/inventory/adjustments": () =>
      ims.POST("/v1/inventory/adjustments", {
        body: { facilityId: FACILITY, reasonCode: "cycle_count", note: "Quarterly count", lines: [{ itemId: ITEM, quantityDelta: -2, uomCode: "EA" }] },
      }),
    "GET /v1/inventory/transfers": () => ims.GET("/v1/inventory/transfers", { params: { query: { facilityId: FACILITY } } }),
    "POST /v1/inventory/transfers": () =>
      ims.POST("/v1/inventory/transfers", { body: { fromFacilityId: FACILITY, toFacilityId: OTHER_FACILITY, lines: [{ itemId: ITEM, quantity: 5 }] } }),
    "GET /v1/purchase-orders": () => ims.GET("/v1/purchase-orders", { params: { query: { facilityId: FACILITY } } }),
    "POST /v1/purchase-orders": () =>
      ims.POST("/v1/purchase-orders", {
        body: { supplier: { name: "Widget Works Ltd", code: "WW-01" }, facilityId: FACILITY, currency: "USD", expectedAt: "2026-12-01", lines: [{ itemId: ITEM, quantity: 100, unitCost: "2.35" }] },
      }),
    "GET /v1/purchase-orders/{purchaseOrderId}": () => ims.GET("/v1/purchase-orders/{purchaseOrderId}", { params: { path: { purchaseOrderId: PURCHASE_ORDER } } }),
    "GET /v1/receipts": () => ims.GET("/v1/receipts", { params: { query: { purchaseOrderId: PURCHASE_ORDER } } }),
    "POST /v1/receipts": () =>
      ims.POST("/v1/receipts", { body: { purchaseOrderId: PURCHASE_ORDER, receivedAt: "2026-11-20T09:30:00Z", lines: [{ purchaseOrderLineId: PO_LINE, quantity: 100 }] } }),
    "GET /v1/sales-orders": () => ims.GET("/v1/sales-orders"),
    "POST /v1/sales-orders": () =>
      ims.POST("/v1/sales-orders", {
        body: {
          customer: { name: "Jane Buyer", email: "jane@example.com" },
          facilityId: FACILITY,
          currency: "USD",
          shippingAddress: { line1: "1 Main St", city: "Springfield", country: "US" },
          lines: [{ itemId: ITEM, quantity: 2, unitPrice: "9.99" }],
        },
      }),
    "GET /v1/sales-orders/{salesOrderId}": () => ims.GET("/v1/sales-orders/{salesOrderId}", { params: { path: { salesOrderId: SALES_ORDER } } }),
    "PATCH /v1/sales-orders/{salesOrderId}": () =>
      ims.PATCH("/v1/sales-orders/{salesOrderId}", { params: { path: { salesOrderId: SALES_ORDER } }, body: { requestedShipDate: "2026-12-05" } }),
    "POST /v1/sales-orders/{salesOrderId}/cancel": () =>
      ims.POST("/v1/sales-orders/{salesOrderId}/cancel", { params: { path: { salesOrderId: SALES_ORDER } }, body: { reason: "Customer changed their mind" } }),
  };
}
