/**
 * A spec-valid call of every Atlas operation, through `createAtlasApiClient`: terminal operations
 * with a bearer token (cloud mode), money and back-office operations with `X-Api-Key` (LAN mode),
 * so both security alternatives are exercised.
 */
import type { AtlasApiClient } from "@atlas-softpos/api-client";
import type { CallTable } from "./types.js";

const TXN = "txn_01JQ7Z8K4M2N";
const WEBHOOK = "wh_01JQ7Z9A0B1C";

export function atlasCalls(cloud: AtlasApiClient<"bearer">, lan: AtlasApiClient<"apiKey">): CallTable {
  return {
    "GET /v1/device/health": () => cloud.GET("/v1/device/health"),
    "GET /v1/device/status": () => cloud.GET("/v1/device/status"),
    "GET /v1/device/config": () => cloud.GET("/v1/device/config"),
    "POST /v1/device/display": () => cloud.POST("/v1/device/display", { body: { lines: ["Total NZD 25.00", "Tap card"], timeoutSeconds: 30 } }),
    "POST /v1/device/input": () => cloud.POST("/v1/device/input", { body: { prompt: "Enter tip", inputType: "NUMERIC", timeoutSeconds: 20 } }),
    "POST /v1/device/print": () => cloud.POST("/v1/device/print", { body: { lines: ["Kai Cafe", "Sale NZD 25.00"], copies: 1, transactionId: TXN } }),
    "POST /v1/transaction/sale": () => lan.POST("/v1/transaction/sale", { body: { type: "SALE", amount: 2500, currency: "NZD", tipAmount: 0, reference: "order-1042" } }),
    "POST /v1/transaction/refund": () =>
      lan.POST("/v1/transaction/refund", { body: { type: "REFUND", amount: 500, currency: "NZD", originalTransactionId: TXN, reference: "order-1042-r1" } }),
    "POST /v1/transaction/void": () => lan.POST("/v1/transaction/void", { body: { type: "VOID", transactionId: TXN, reason: "Wrong amount" } }),
    "POST /v1/transaction/preauth": () => lan.POST("/v1/transaction/preauth", { body: { type: "PREAUTH", amount: 10000, currency: "NZD", reference: "room-12" } }),
    "POST /v1/transaction/preauth/completion": () =>
      lan.POST("/v1/transaction/preauth/completion", { body: { type: "COMPLETION", preAuthId: TXN, amount: 8450 } }),
    "POST /v1/transaction/card-read": () => lan.POST("/v1/transaction/card-read", { body: { type: "CARD_READ", purpose: "TOKENIZE" } }),
    "GET /v1/transactions/{transactionId}": () => lan.GET("/v1/transactions/{transactionId}", { params: { path: { transactionId: TXN } } }),
    "GET /v1/settlements": () => lan.GET("/v1/settlements", { params: { query: { limit: 20 } } }),
    "GET /v1/reconciliation/totals": () => lan.GET("/v1/reconciliation/totals"),
    "GET /v1/reconciliation/history": () => lan.GET("/v1/reconciliation/history", { params: { query: { limit: 10 } } }),
    "POST /v1/reconciliation/close": () => lan.POST("/v1/reconciliation/close", { body: { note: "End of day" } }),
    "GET /v1/webhooks": () => cloud.GET("/v1/webhooks"),
    "POST /v1/webhooks": () =>
      cloud.POST("/v1/webhooks", { body: { url: "https://pos.example.com/hooks/atlas", events: ["transaction.completed", "device.status"], description: "Back office" } }),
    "GET /v1/webhooks/{webhookId}": () => cloud.GET("/v1/webhooks/{webhookId}", { params: { path: { webhookId: WEBHOOK } } }),
    "PATCH /v1/webhooks/{webhookId}": () => cloud.PATCH("/v1/webhooks/{webhookId}", { params: { path: { webhookId: WEBHOOK } }, body: { enabled: false } }),
    "DELETE /v1/webhooks/{webhookId}": () => cloud.DELETE("/v1/webhooks/{webhookId}", { params: { path: { webhookId: WEBHOOK } } }),
  };
}
