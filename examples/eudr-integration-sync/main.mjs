#!/usr/bin/env node
/**
 * An ERP → Nentropy EUDR integration sync: upserts suppliers, products and batches by their ERP
 * `externalId` (list, then PATCH what changed or POST what is new), then reports each batch's DDS
 * status and the integration's sync status. Errors are handled by code, the way the seed's table
 * names them.
 *
 *   EUDR_BASE_URL=https://backend.joinnentropy.com/api/v1/integration EUDR_TOKEN=eudr_live_… node main.mjs
 *
 * Without EUDR_BASE_URL it starts the local sandbox and uses its seeded Acme integration token.
 */
import { createEudrApiClient } from "@nentropy/api-client";
import { bearerToken } from "@portico/core";

/** What the ERP holds today (in real life: a database query). */
const ERP = {
  suppliers: [
    { externalId: "SUP-0042", name: "Coopérative Agricole de Soubré", country: "CI", email: "contact@soubre-coop.example" },
    { externalId: "SUP-0077", name: "Kumasi Cocoa Farmers Union", country: "GH" },
  ],
  products: [{ externalId: "PRD-COCOA-BEANS", name: "Cocoa beans, raw", commodity: "cocoa", hsCode: "180100", suppliers: ["SUP-0042", "SUP-0077"] }],
  batches: [
    { externalId: "LOT-2025-0117", product: "PRD-COCOA-BEANS", supplier: "SUP-0042", quantity: { amount: 12500, unit: "kg" }, countryOfProduction: "CI", plots: [{ plotId: "CI-SOU-0091", latitude: 5.7853, longitude: -6.6083 }] },
    { externalId: "LOT-2025-0203", product: "PRD-COCOA-BEANS", supplier: "SUP-0077", quantity: { amount: 8000, unit: "kg" }, countryOfProduction: "GH", plots: [{ plotId: "GH-KUM-0012", latitude: 6.6885, longitude: -1.6244 }] },
  ],
};

async function loadConfig() {
  if (process.env.EUDR_BASE_URL) return { baseUrl: process.env.EUDR_BASE_URL, token: process.env.EUDR_TOKEN, stop: async () => {} };
  const { startSandbox } = await import("@portico/sandbox");
  const sandbox = await startSandbox({ apis: ["eudr"] });
  const control = sandbox.apis.eudr.control;
  console.log(`sandbox: EUDR at ${control.baseUrl}, Acme integration token`);
  return { baseUrl: control.baseUrl, token: control.seeded.tokens.acme.token, stop: () => sandbox.stop() };
}

/** Stops the sync with advice a person can act on. */
function fail(what, error) {
  switch (error.code) {
    case "AUTHENTICATION_REQUIRED":
    case "INVALID_TOKEN_FORMAT":
    case "INVALID_TOKEN":
      throw new Error(`${what}: ${error.code}: check EUDR_TOKEN (generate a token in the platform's integration settings)`);
    case "TOKEN_REVOKED":
    case "TOKEN_EXPIRED":
      throw new Error(`${what}: ${error.code}: the token is no longer valid; create a new one and update EUDR_TOKEN`);
    case "INTEGRATION_INACTIVE":
      throw new Error(`${what}: ${error.code}: the integration is switched off in the platform`);
    case "INSUFFICIENT_SCOPES":
      throw new Error(`${what}: ${error.code}: the token needs ${error.body?.details?.requiredScopes?.join(", ") ?? "more scopes"}`);
    default:
      throw new Error(`${what}: ${error.status ?? ""} ${error.code}: ${error.message}`);
  }
}

/** All records of a list endpoint: `paginate` follows `pagination.nextCursor` page by page. */
async function listAll(eudr, path) {
  const all = [];
  try {
    for await (const record of eudr.paginate(`GET ${path}`, { params: { query: { limit: 100 } } })) all.push(record);
  } catch (error) {
    fail(`GET ${path}`, error);
  }
  return all;
}

/** Creates or updates each record by externalId; returns externalId → platform id. */
async function upsert(eudr, { path, itemPath, idParam }, records, toBody) {
  const existing = new Map((await listAll(eudr, path)).filter((r) => r.externalId).map((r) => [r.externalId, r]));
  const ids = new Map();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const record of records) {
    const body = toBody(record);
    const current = existing.get(record.externalId);
    if (!current) {
      const { data, error } = await eudr.POST(path, { body });
      if (error) fail(`POST ${path} ${record.externalId}`, error);
      ids.set(record.externalId, data.id);
      counts.created += 1;
      continue;
    }
    ids.set(record.externalId, current.id);
    const changed = Object.fromEntries(Object.entries(body).filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v)));
    if (Object.keys(changed).length === 0) {
      counts.unchanged += 1;
      continue;
    }
    const { error } = await eudr.PATCH(itemPath, { params: { path: { [idParam]: current.id } }, body: changed });
    if (error) fail(`PATCH ${path} ${record.externalId}`, error);
    counts.updated += 1;
  }
  console.log(`${path.slice(1).padEnd(9)} ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`);
  return ids;
}

const config = await loadConfig();
const eudr = createEudrApiClient({ baseUrl: config.baseUrl, auth: bearerToken(config.token) });
try {
  const suppliers = await upsert(eudr, { path: "/suppliers", itemPath: "/suppliers/{supplierId}", idParam: "supplierId" }, ERP.suppliers, ({ externalId, name, country, email }) => ({ externalId, name, country, ...(email ? { email } : {}) }));
  const products = await upsert(eudr, { path: "/products", itemPath: "/products/{productId}", idParam: "productId" }, ERP.products, ({ externalId, name, commodity, hsCode, suppliers: s }) => ({
    externalId,
    name,
    commodity,
    hsCode,
    supplierIds: s.map((id) => suppliers.get(id)),
  }));
  const batches = await upsert(eudr, { path: "/batches", itemPath: "/batches/{batchId}", idParam: "batchId" }, ERP.batches, ({ externalId, product, supplier, quantity, countryOfProduction, plots }) => ({
    externalId,
    productId: products.get(product),
    supplierId: suppliers.get(supplier),
    quantity,
    countryOfProduction,
    plots,
  }));

  for (const [externalId, batchId] of batches) {
    const { data, error } = await eudr.GET("/batches/{batchId}/dds-status", { params: { path: { batchId } } });
    if (error) fail(`DDS status of ${externalId}`, error);
    console.log(`DDS ${externalId}: ${data.status}${data.referenceNumber ? ` (reference ${data.referenceNumber})` : ""}`);
  }
  const { data: sync, error } = await eudr.GET("/sync/status");
  if (error) fail("GET /sync/status", error);
  console.log(`sync status: ${sync.status}; batches ${sync.batches.synced}/${sync.batches.total} synced, ${sync.batches.failed} failed`);
  console.log("done: ERP and EUDR are in step");
} catch (error) {
  console.error(`sync stopped: ${error.message}`);
  process.exitCode = 1;
} finally {
  await config.stop();
}
