/**
 * Step: ERIP credits counting down to a clean 402. Every credited answer carries
 * `X-Credits-Remaining`/`X-Credits-Cost`; the client tracks the balance, the call that finds the
 * pool empty returns `INSUFFICIENT_CREDITS` without a retry, and the credit guard refuses a call
 * the balance cannot cover before it leaves the process.
 */
import { createEripApiClient } from "@erip/api-client";
import { apiKey } from "@portico/core";
import { check } from "../narrator.mjs";

export const title = "ERIP — credits count down to a clean 402 INSUFFICIENT_CREDITS, no retry";

export async function eripStep({ sandbox, say, startingCredits = 104 }) {
  const control = sandbox.apis.erip.control;
  const tenant = control.seeded.tenants.acme;
  const key = control.seeded.keys.acmeService;
  control.setCredits(tenant.id, startingCredits);
  const historyBefore = control.creditHistory(tenant.id).length;
  let retries = 0;
  const hooks = {
    onRetry() {
      retries += 1;
    },
  };
  const erip = createEripApiClient({ baseUrl: control.baseUrl, auth: apiKey(key.key), hooks });
  say(`tenant ${tenant.displayName}, service key ${key.prefix}…, pool set to ${startingCredits} credits`);

  const search = await erip.GET("/v1/companies/search", { params: { query: { name: "Siemens" } } });
  check(!search.error, `search failed: ${search.error?.code}`);
  const company = search.data.data[0];
  check(company, "the search found no company");
  say(`search "Siemens"          cost ${search.meta.credits?.cost}  → ${String(search.meta.credits?.remaining).padStart(3)} left   (${company.name})`);
  const lines = [search.meta.credits];
  for (let i = 0; i < 2; i += 1) {
    const detail = await erip.GET("/v1/companies/{companyId}/detail", { params: { path: { companyId: company.id } } });
    check(!detail.error, `detail failed: ${detail.error?.code}`);
    lines.push(detail.meta.credits);
    say(`detail ${company.name.padEnd(16)}  cost ${detail.meta.credits?.cost} → ${String(detail.meta.credits?.remaining).padStart(3)} left`);
  }
  check(erip.credits === startingCredits - 101, `client.credits is ${erip.credits}, expected ${startingCredits - 101}`);

  // The guard: a 50-credit call the known balance cannot cover never leaves the process.
  const guarded = createEripApiClient({ baseUrl: control.baseUrl, auth: apiKey(key.key), creditGuard: true, hooks });
  const learn = await guarded.GET("/v1/companies/search", { params: { query: { name: "Siemens" } } });
  say(`a second client with creditGuard learns the balance from one search: cost 1 → ${String(learn.meta.credits?.remaining).padStart(3)} left`);
  const refused = await guarded.GET("/v1/companies/{companyId}/detail", { params: { path: { companyId: company.id } } });
  check(refused.error?.code === "INSUFFICIENT_CREDITS" && refused.meta.attempts === 0, `the credit guard let a 50-credit call through (${refused.error?.code}, ${refused.meta.attempts} attempts)`);
  say(`with creditGuard: detail (50) at balance ${guarded.credits} → ${refused.error.code} locally, 0 requests`);

  let last;
  let searches = 0;
  for (;;) {
    last = await erip.GET("/v1/companies/search", { params: { query: { name: "Siemens" } } });
    if (last.error) break;
    searches += 1;
    say(`search "Siemens"          cost ${last.meta.credits?.cost}  → ${String(last.meta.credits?.remaining).padStart(3)} left`);
    check(searches < 10, "the balance never ran out");
  }
  const error = last.error;
  switch (error.code) {
    case "INSUFFICIENT_CREDITS":
      say(`next search → ${error.status} ${error.code} after ${last.meta.attempts} attempt (balance ${erip.credits}); top up, then retry`);
      break;
    default:
      check(false, `the empty pool answered ${error.code}, expected INSUFFICIENT_CREDITS`);
  }
  check(error.status === 402 && last.meta.attempts === 1 && retries === 0, `402 was retried (${last.meta.attempts} attempts, ${retries} retries)`);
  check(erip.credits === 0 && control.getCredits(tenant.id) === 0, `balance client ${erip.credits}, server ${control.getCredits(tenant.id)}`);
  const charged = control.creditHistory(tenant.id).slice(historyBefore);
  const spent = charged.reduce((sum, t) => sum + Math.abs(t.amount), 0);
  check(spent === startingCredits, `the history records ${spent} credits spent, expected ${startingCredits}`);
  say(`credit history: ${charged.length} debits, ${spent} credits, each attributed to ${charged[0]?.credential} ${key.prefix}… (user: ${charged[0]?.userId ?? "null"})`);

  return { ok: true, summary: `${startingCredits} → 0 credits, 402 after 1 attempt`, facts: { debits: charged.length } };
}
