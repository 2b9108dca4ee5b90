#!/usr/bin/env node
/**
 * A credit-aware ERIP enrichment pipeline: for each company name, a search (1 credit) and the
 * detail of the best match (50 credits). It watches `X-Credits-Remaining` on every answer, lets the
 * client refuse a call the balance cannot cover (`creditGuard`), and stops cleanly at zero
 * instead of retrying a 402.
 *
 *   ERIP_BASE_URL=https://api.erip.io ERIP_API_KEY=erip_… ERIP_COMPANIES="Siemens,SAP,BASF" node main.mjs
 *
 * Without ERIP_BASE_URL it starts the local sandbox with a small credit pool, so the run ends
 * part-way through the list with the pool exhausted.
 */
import { createEripApiClient } from "@erip/api-client";
import { apiKey } from "@portico/core";

async function loadConfig() {
  const companies = (process.env.ERIP_COMPANIES ?? "Siemens,SAP,BASF,ASML,Nestlé,Unilever").split(",").map((s) => s.trim()).filter(Boolean);
  if (process.env.ERIP_BASE_URL) {
    return { baseUrl: process.env.ERIP_BASE_URL, key: process.env.ERIP_API_KEY, companies, stop: async () => {} };
  }
  const { startSandbox } = await import("@portico/sandbox");
  const sandbox = await startSandbox({ apis: ["erip"] });
  const control = sandbox.apis.erip.control;
  const tenant = control.seeded.tenants.acme;
  control.setCredits(tenant.id, 154);
  console.log(`sandbox: ERIP at ${control.baseUrl}, tenant ${tenant.displayName} with 154 credits`);
  return { baseUrl: control.baseUrl, key: control.seeded.keys.acmeService.key, companies, stop: () => sandbox.stop() };
}

const config = await loadConfig();
const erip = createEripApiClient({
  baseUrl: config.baseUrl,
  auth: apiKey(config.key), // X-Api-Key: erip_…
  creditGuard: true, // refuse locally a call whose declared cost exceeds the known balance
  hooks: { onCredits: ({ remaining, cost }) => console.log(`  credits: -${cost ?? "?"} → ${remaining} left`) },
});

const enriched = [];
let stoppedAt;
try {
  for (const name of config.companies) {
    const search = await erip.GET("/v1/companies/search", { params: { query: { name, limit: 1 } } });
    if (search.error) {
      stoppedAt = { name, error: search.error };
      break;
    }
    const hit = search.data.data[0];
    if (!hit) {
      console.log(`${name}: no match`);
      continue;
    }
    const detail = await erip.GET("/v1/companies/{companyId}/detail", { params: { path: { companyId: hit.id } } });
    if (detail.error) {
      stoppedAt = { name, error: detail.error };
      break;
    }
    enriched.push(detail.data);
    console.log(`${name}: ${detail.data.name} (${detail.data.country}) enriched`);
  }

  if (stoppedAt) {
    const { error, name } = stoppedAt;
    switch (error.code) {
      case "INSUFFICIENT_CREDITS": {
        const left = config.companies.slice(config.companies.indexOf(name));
        const where = error.status === 402 ? "the server answered 402" : "refused locally, no request sent";
        console.log(`stopped: out of credits at "${name}" (${where}; balance ${erip.credits ?? "unknown"}). Not processed: ${left.join(", ")}`);
        break;
      }
      default:
        console.log(`stopped: ${error.status ?? ""} ${error.code} at "${name}"`);
        process.exitCode = 1;
    }
  }
  console.log(`done: ${enriched.length} of ${config.companies.length} companies enriched, ${erip.credits ?? "?"} credits left`);
} finally {
  await config.stop();
}
