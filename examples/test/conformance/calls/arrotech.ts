/** A spec-valid call of every Arrotech operation, through `createArrotechApiClient`. */
import type { ArrotechApiClient } from "@arrotech/api-client";
import type { CallTable } from "./types.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

export function arrotechCalls(hub: ArrotechApiClient): CallTable {
  return {
    "POST /auth/token": () =>
      hub.POST("/auth/token", {
        body: { grant_type: "client_credentials", client_id: "app_IdPVL19MEgQYKEKA", client_secret: "not-a-real-secret", scope: "data:read workflow:execute" },
        headers: FORM,
      }),
    "POST /auth/login": () => hub.POST("/auth/login", { body: { email: "dev@acme.example", password: "correct horse battery staple" } }),
    "GET /auth/me": () => hub.GET("/auth/me"),
    "GET /chat/providers": () => hub.GET("/chat/providers"),
    "POST /chat/completions": () =>
      hub.POST("/chat/completions", {
        body: { provider: "openai", model: "gpt-4o-mini", messages: [{ role: "user", content: "Summarise yesterday's sales" }], temperature: 0.2, maxTokens: 256 },
      }),
    "GET /chat/sessions": () => hub.GET("/chat/sessions", { params: { query: { limit: 10 } } }),
    "POST /chat/sessions": () => hub.POST("/chat/sessions", { body: { title: "Sales review", provider: "anthropic", model: "claude-3-5-sonnet" } }),
    "GET /chat/sessions/{sessionId}": () => hub.GET("/chat/sessions/{sessionId}", { params: { path: { sessionId: "ses_8f2a" } } }),
    "GET /workflows": () => hub.GET("/workflows", { params: { query: { limit: 20 } } }),
    "GET /workflows/{workflowId}": () => hub.GET("/workflows/{workflowId}", { params: { path: { workflowId: "wf_sync_crm" } } }),
    "POST /workflows/{workflowId}/execute": () =>
      hub.POST("/workflows/{workflowId}/execute", { params: { path: { workflowId: "wf_sync_crm" } }, body: { input: { since: "2024-01-01" } } }),
    "GET /workflows/{workflowId}/runs": () => hub.GET("/workflows/{workflowId}/runs", { params: { path: { workflowId: "wf_sync_crm" } } }),
    "GET /workflows/{workflowId}/runs/{runId}": () =>
      hub.GET("/workflows/{workflowId}/runs/{runId}", { params: { path: { workflowId: "wf_sync_crm", runId: "run_47b65c941842" } } }),
    "GET /data/sources": () => hub.GET("/data/sources"),
    "POST /data/sources": () => hub.POST("/data/sources", { body: { name: "Warehouse exports", type: "csv", config: { delimiter: ";" } } }),
    "GET /data/sources/{sourceId}/records": () =>
      hub.GET("/data/sources/{sourceId}/records", { params: { path: { sourceId: "src_crm_contacts" }, query: { externalId: "ext-1" } } }),
    "POST /data/sources/{sourceId}/records": () =>
      hub.POST("/data/sources/{sourceId}/records", {
        params: { path: { sourceId: "src_crm_contacts" } },
        body: { records: [{ externalId: "ext-9", fields: { name: "Ada Lovelace", email: "ada@example.com" } }] },
      }),
  };
}
