#!/usr/bin/env node
/**
 * A nightly IMS job across many tenants: one client per tenant (createTenantPool), each with its own
 * machine-to-machine token (Auth0 client credentials, JSON body, `audience`), refreshed ahead of
 * expiry. Reports low stock per tenant.
 *
 *   IMS_BASE_URL=https://api.atrope.dev IMS_TOKEN_URL=https://YOUR_AUTH0_DOMAIN/oauth/token \
 *   IMS_AUDIENCE=https://api.atrope.dev \
 *   IMS_TENANTS='[{"tenantId":"…","clientId":"…","clientSecret":"…"}]' node main.mjs
 *
 * Without IMS_BASE_URL it starts the local sandbox and uses its two seeded tenants.
 */
import { createImsApiClient } from "@atrope-ai/api-client";
import { clientCredentials, createTenantPool } from "@portico/core";
import { createNodeFetcher } from "@portico/node";

const LOW_STOCK = Number(process.env.IMS_LOW_STOCK ?? 100);
const CONCURRENCY = 4;

/** Where to run: env vars, or a sandbox started here. */
async function loadConfig() {
  if (process.env.IMS_BASE_URL) {
    const tenants = JSON.parse(process.env.IMS_TENANTS ?? "[]");
    if (!process.env.IMS_TOKEN_URL || tenants.length === 0) throw new Error("Set IMS_TOKEN_URL and IMS_TENANTS (a JSON list of { tenantId, clientId, clientSecret }).");
    return {
      baseUrl: process.env.IMS_BASE_URL,
      tokenUrl: process.env.IMS_TOKEN_URL,
      audience: process.env.IMS_AUDIENCE ?? "https://api.atrope.dev",
      tenants,
      stop: async () => {},
    };
  }
  const { startSandbox } = await import("@portico/sandbox");
  const sandbox = await startSandbox({ apis: ["ims"], options: { ims: { tokenLifetimeSeconds: 3 } } });
  const control = sandbox.apis.ims.control;
  console.log(`sandbox: IMS at ${sandbox.urls.ims.api}, issuer at ${sandbox.urls.ims.auth} (3 s tokens)`);
  return {
    baseUrl: sandbox.urls.ims.api,
    tokenUrl: control.tokenUrl,
    audience: control.audience,
    tenants: [control.clients.acmeM2m, control.clients.globexM2m].map((c) => ({ tenantId: c.tenantId, clientId: c.clientId, clientSecret: c.clientSecret })),
    stop: () => sandbox.stop(),
  };
}

const config = await loadConfig();
const fetcher = createNodeFetcher(); // keep-alive connections shared by every tenant's client
const secrets = new Map(config.tenants.map((t) => [t.tenantId, t]));
const tokens = new Map();

const pool = createTenantPool({
  max: 50,
  create(tenantId) {
    const { clientId, clientSecret } = secrets.get(tenantId);
    return createImsApiClient({
      baseUrl: config.baseUrl,
      fetcher,
      auth: clientCredentials({
        tokenUrl: config.tokenUrl,
        clientId,
        clientSecret,
        audience: config.audience,
        bodyEncoding: "json",
        tenant: tenantId, // the token's tenant claim must match, or the call fails with TENANT_MISMATCH
        hooks: { onTokenRefresh: () => tokens.set(tenantId, (tokens.get(tenantId) ?? 0) + 1) },
      }),
    });
  },
});

/** Every page of a cursor-paginated list. */
async function* pages(ims, path, query = {}) {
  let cursor;
  do {
    const { data, error } = await ims.GET(path, { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } });
    if (error) throw error;
    yield* data.data;
    cursor = data.hasMore ? data.nextCursor : undefined;
  } while (cursor);
}

async function reportTenant(tenantId) {
  const ims = pool.get(tenantId);
  const me = await ims.GET("/v1/me");
  if (me.error) return { tenantId, error: me.error };
  const low = [];
  let balances = 0;
  // Three passes, 1.5 s apart: a long job outlives several short-lived tokens (the sandbox's last 3 s).
  for (let pass = 0; pass < 3; pass += 1) {
    low.length = 0;
    balances = 0;
    for await (const balance of pages(ims, "/v1/inventory/balances")) {
      balances += 1;
      if (balance.available < LOW_STOCK) low.push(balance);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
  return { tenantId, balances, low };
}

let failed = 0;
try {
  const queue = [...secrets.keys()];
  const results = [];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let tenantId = queue.shift(); tenantId; tenantId = queue.shift()) results.push(await reportTenant(tenantId).catch((error) => ({ tenantId, error })));
    }),
  );
  for (const r of results) {
    if (r.error) {
      failed += 1;
      console.log(`tenant ${r.tenantId}: FAILED ${r.error.code ?? r.error.message}`);
      continue;
    }
    console.log(`tenant ${r.tenantId}: ${r.balances} balances, ${r.low.length} below ${LOW_STOCK} (tokens fetched: ${tokens.get(r.tenantId) ?? 0})`);
    for (const b of r.low) console.log(`  low: ${b.sku.padEnd(18)} at ${b.facilityId.slice(0, 8)}…  ${b.available} ${b.uomCode} available`);
  }
  console.log(`done: ${results.length - failed} of ${results.length} tenants reported`);
} finally {
  pool.clear();
  await fetcher.close?.();
  await config.stop();
}
process.exitCode = failed === 0 ? 0 : 1;
