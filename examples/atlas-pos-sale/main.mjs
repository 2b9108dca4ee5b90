#!/usr/bin/env node
/**
 * A POS sale on Atlas SoftPOS with safe retries. The Idempotency-Key is created once per
 * purchase and written to a journal BEFORE the first attempt, so every retry (and even a restart
 * of this program) presents the same key and the card is charged once.
 *
 *   LAN mode:   ATLAS_BASE_URL=https://… ATLAS_API_KEY=sk_live_… node main.mjs
 *   Cloud mode: ATLAS_BASE_URL=https://… ATLAS_TOKEN_URL=https://auth.atlas-softpos.com/v1/token \
 *               ATLAS_CLIENT_ID=cli_… ATLAS_CLIENT_SECRET=cs_live_… ATLAS_TERMINAL_ID=TID-00012345 node main.mjs
 *
 * Without ATLAS_BASE_URL it starts the local sandbox and injects faults (two 503s with
 * Retry-After, then a connection reset after the sale was committed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAtlasApiClient } from "@atlas-softpos/api-client";
import { apiKey, clientCredentials } from "@portico/core";

async function loadConfig() {
  if (process.env.ATLAS_BASE_URL) {
    const cloud = process.env.ATLAS_TOKEN_URL !== undefined;
    return {
      baseUrl: process.env.ATLAS_BASE_URL,
      auth: cloud
        ? clientCredentials({
            tokenUrl: process.env.ATLAS_TOKEN_URL,
            clientId: process.env.ATLAS_CLIENT_ID,
            clientSecret: process.env.ATLAS_CLIENT_SECRET,
            scope: "terminal:read transactions:read transactions:write",
            extraParams: { terminal_id: process.env.ATLAS_TERMINAL_ID },
            bodyEncoding: "json",
            defaultLifetimeSeconds: 3600,
            maxLifetimeSeconds: 86_400,
          })
        : apiKey(process.env.ATLAS_API_KEY),
      journal: process.env.ATLAS_JOURNAL ?? "sale-journal.json",
      stop: async () => {},
    };
  }
  const { startSandbox } = await import("@portico/sandbox");
  const sandbox = await startSandbox({ apis: ["atlas"] });
  const control = sandbox.apis.atlas.control;
  const cloud = process.env.ATLAS_MODE === "cloud";
  console.log(`sandbox: Atlas at ${sandbox.urls.atlas.api} (${cloud ? `cloud mode, terminal ${control.terminalId}` : "LAN mode, X-Api-Key"})`);
  sandbox.faults("atlas").inject({ route: "POST /v1/transaction/sale", statuses: [503, 503], retryAfter: "1" });
  sandbox.faults("atlas").inject({ route: "POST /v1/transaction/sale", reset: "after" });
  const { client } = control.credentials;
  return {
    baseUrl: sandbox.urls.atlas.api,
    auth: cloud
      ? clientCredentials({
          tokenUrl: `${sandbox.urls.atlas.auth}/v1/token`,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          scope: "terminal:read transactions:read transactions:write",
          extraParams: { terminal_id: control.terminalId },
          bodyEncoding: "json",
        })
      : apiKey(control.credentials.apiKeys.full.secret),
    journal: join(mkdtempSync(join(tmpdir(), "atlas-pos-")), "sale-journal.json"),
    stop: () => sandbox.stop(),
    ledger: () => control.sales().length,
  };
}

const config = await loadConfig();
const atlas = createAtlasApiClient({
  baseUrl: config.baseUrl,
  auth: config.auth,
  retry: { maxRetries: 4, baseDelayMs: 200 },
  timeout: 15_000,
  hooks: {
    onRetry: (e) => console.log(`  attempt ${e.attempt} ${e.status ?? e.error?.code}; retrying in ${Math.round(e.delayMs)} ms with the same key`),
  },
});

/** The journal: one pending purchase and its key, kept until the terminal has an answer. */
function pendingPurchase(order) {
  try {
    const saved = JSON.parse(readFileSync(config.journal, "utf8"));
    if (saved.orderId === order.orderId) return saved;
  } catch {
    // No journal yet.
  }
  const entry = { ...order, idempotencyKey: crypto.randomUUID() };
  writeFileSync(config.journal, JSON.stringify(entry));
  return entry;
}

let exitCode = 0;
try {
  const health = await atlas.GET("/v1/device/health");
  if (health.error) throw health.error;
  console.log(`terminal ${health.data.terminalId ?? ""} ${health.data.status}`.replace(/\s+/g, " "));

  const purchase = pendingPurchase({ orderId: "order-1042", amount: 2500, currency: "NZD" });
  console.log(`sale ${purchase.currency} ${(purchase.amount / 100).toFixed(2)} for ${purchase.orderId}, Idempotency-Key ${purchase.idempotencyKey}`);
  const sale = await atlas.POST("/v1/transaction/sale", {
    body: { type: "SALE", amount: purchase.amount, currency: purchase.currency, reference: purchase.orderId },
    idempotencyKey: purchase.idempotencyKey,
  });
  if (sale.error) {
    switch (sale.error.code) {
      case "IDEMPOTENCY_KEY_REUSED":
        console.log("this key was used for a different sale: investigate before charging again");
        break;
      case "NETWORK_ERROR":
      case "TIMEOUT":
        console.log("no answer after retries: run again, the journal keeps the same key so the card is not charged twice");
        break;
      default:
        console.log(`sale refused: ${sale.error.status ?? ""} ${sale.error.code}`);
    }
    exitCode = 1;
  } else {
    writeFileSync(config.journal, JSON.stringify({ done: sale.data.id }));
    console.log(`sale ${sale.data.status} ${sale.data.id} (approval ${sale.data.approvalCode ?? "-"}) after ${sale.meta.attempts} attempts, key ${sale.meta.idempotencyKey}`);
    const check = await atlas.GET("/v1/transactions/{transactionId}", { params: { path: { transactionId: sale.data.id } } });
    if (check.error) throw check.error;
    console.log(`confirmed: ${check.data.id} ${check.data.status}, settlement ${check.data.settlementStatus}`);
    if (config.ledger) console.log(`sandbox ledger: ${config.ledger()} sale(s) charged`);
  }
} finally {
  await config.stop();
}
process.exitCode = exitCode;
