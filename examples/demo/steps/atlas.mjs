/**
 * Step: an Atlas SoftPOS sale that survives a connection cut AFTER the server committed it. The
 * client retries with the same Idempotency-Key; the server replays the stored answer; the ledger
 * holds exactly one charge.
 */
import { createAtlasApiClient } from "@atlas-softpos/api-client";
import { apiKey } from "@portico/core";
import { check } from "../narrator.mjs";

export const title = "Atlas — a sale survives a connection reset after commit, charged once";

export async function atlasStep({ sandbox, say }) {
  const control = sandbox.apis.atlas.control;
  const key = control.credentials.apiKeys.full;
  const attempts = [];
  const atlas = createAtlasApiClient({
    baseUrl: sandbox.urls.atlas.api,
    auth: apiKey(key.secret),
    retry: { maxRetries: 3, baseDelayMs: 100 },
    hooks: {
      onRequest(event) {
        attempts.push({ attempt: event.attempt, key: event.idempotencyKey });
        say(`attempt ${event.attempt}: POST /v1/transaction/sale  Idempotency-Key ${event.idempotencyKey}`);
      },
      onRetry(event) {
        say(`          ${event.error?.code ?? event.status} → retrying in ${Math.round(event.delayMs)} ms with the same key`);
      },
    },
  });

  say(`terminal ${control.terminalId}, local LAN mode with X-Api-Key ${key.fingerprint}`);
  say(`fault armed: the server commits the sale, then the socket is destroyed before the answer`);
  const before = control.sales().length;
  sandbox.faults("atlas").inject({ route: "POST /v1/transaction/sale", reset: "after" });

  const sale = await atlas.POST("/v1/transaction/sale", { body: { type: "SALE", amount: 2500, currency: "NZD" } });
  check(!sale.error, `the sale failed: ${sale.error?.code}`);
  check(sale.meta.attempts === 2, `expected 2 attempts (cut, then replay), saw ${sale.meta.attempts}`);
  const keys = new Set(attempts.map((a) => a.key));
  check(keys.size === 1 && sale.meta.idempotencyKey === attempts[0].key, "the retry did not reuse the Idempotency-Key");
  const charged = control.sales().length - before;
  check(charged === 1, `the ledger holds ${charged} new sales for one purchase`);
  const committed = control.sales().at(-1);
  check(committed.id === sale.data.id, "the answer is not the sale the server committed");
  say(`result ${sale.data.status} ${sale.data.id}, NZD ${(sale.data.amount / 100).toFixed(2)}, ${sale.meta.attempts} attempts, 1 key`);
  say(`ledger: ${charged} new sale (no double charge); the replay got the stored answer`);

  return { ok: true, summary: `${sale.meta.attempts} attempts, 1 key, ledger +${charged}`, facts: { attempts: sale.meta.attempts, charged } };
}
