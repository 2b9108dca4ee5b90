/**
 * A spec-valid call of every ERIP operation, through `createEripApiClient`: `/tenant/**` with a
 * JWT (the only credential it takes), data and MCP with an API key, self-service with either.
 */
import type { EripApiClient } from "@erip/api-client";
import type { CallTable } from "./types.js";

const KEY_ID = "2b1a0f9e-8d7c-4b6a-9e5d-4c3b2a1f0e9d";
const USER_ID = "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f6e";
const COMPANY = "0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e01";

export function eripCalls(jwt: EripApiClient<"bearer">, key: EripApiClient<"apiKey">): CallTable {
  return {
    "GET /v1/auth/accept-invite": () => jwt.GET("/v1/auth/accept-invite", { params: { query: { token: "inv_9c1f0e7d2b" } } }),
    "GET /v1/auth/login-link": () => jwt.GET("/v1/auth/login-link", { params: { query: { token: "ml_4a7e2c9b1d" } } }),
    "POST /v1/auth/request-login-link": () => key.POST("/v1/auth/request-login-link", { body: { email: "jane@acme.test" } }),
    "GET /v1/auth/me": () => jwt.GET("/v1/auth/me"),
    "GET /v1/auth/credits": () => key.GET("/v1/auth/credits"),
    "GET /v1/auth/api-keys": () => key.GET("/v1/auth/api-keys"),
    "POST /v1/auth/api-keys": () => jwt.POST("/v1/auth/api-keys", { body: { name: "Jane's laptop" } }),
    "DELETE /v1/auth/api-keys/{keyId}": () => jwt.DELETE("/v1/auth/api-keys/{keyId}", { params: { path: { keyId: KEY_ID } } }),
    "GET /v1/tenant/invites": () => jwt.GET("/v1/tenant/invites"),
    "POST /v1/tenant/invites": () => jwt.POST("/v1/tenant/invites", { body: { email: "sam@acme.test", name: "Sam Lee", tenantRole: "Member" } }),
    "DELETE /v1/tenant/invites/{inviteId}": () => jwt.DELETE("/v1/tenant/invites/{inviteId}", { params: { path: { inviteId: USER_ID } } }),
    "GET /v1/tenant/members": () => jwt.GET("/v1/tenant/members"),
    "PATCH /v1/tenant/members/{userId}": () => jwt.PATCH("/v1/tenant/members/{userId}", { params: { path: { userId: USER_ID } }, body: { status: "Suspended" } }),
    "GET /v1/tenant/api-keys/service": () => jwt.GET("/v1/tenant/api-keys/service"),
    "POST /v1/tenant/api-keys/service": () => jwt.POST("/v1/tenant/api-keys/service", { body: { name: "Daily ingest" } }),
    "DELETE /v1/tenant/api-keys/service/{keyId}": () => jwt.DELETE("/v1/tenant/api-keys/service/{keyId}", { params: { path: { keyId: KEY_ID } } }),
    "GET /v1/tenant/contact": () => jwt.GET("/v1/tenant/contact"),
    "PUT /v1/tenant/contact": () =>
      jwt.PUT("/v1/tenant/contact", {
        body: { contactName: "Jane Doe", billingEmail: "billing@acme.test", phone: null, addressLine1: "1 Finance Way", addressLine2: null, city: "London", postalCode: "EC1A 1AA", country: "GB" },
      }),
    "GET /v1/tenant/credits": () => jwt.GET("/v1/tenant/credits"),
    "GET /v1/tenant/credits/history": () => jwt.GET("/v1/tenant/credits/history", { params: { query: { limit: 50 } } }),
    "GET /v1/companies/search": () => key.GET("/v1/companies/search", { params: { query: { name: "Siemens", country: "DE", limit: 5 } } }),
    "GET /v1/companies/{companyId}/detail": () => key.GET("/v1/companies/{companyId}/detail", { params: { path: { companyId: COMPANY } } }),
    "POST /v1/mcp": () => key.POST("/v1/mcp", { body: { jsonrpc: "2.0", id: 1, method: "tools/list" } }),
  };
}
