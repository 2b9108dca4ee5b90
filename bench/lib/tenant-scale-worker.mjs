// One heap measurement in a fresh process (run with --expose-gc): builds `n` tenant clients of one
// variant and prints { bytesPerClient, usPerClient, ... } as JSON on stdout.
//
//   node --expose-gc lib/tenant-scale-worker.mjs <variant> <n> [apiBaseUrl]
//
// Variants (one credential kind each, every tenant with its own credential, through createTenantPool):
//   clientCredentials   IMS client (createImsApiClient) + clientCredentials (token fetched on first call)
//   bearerToken         IMS client (createImsApiClient) + bearerToken("<static string>")
//   apiKey              Atlas client (createAtlasApiClient: its spec has an apiKey scheme; IMS has none) + apiKey("sk_live_…")
//   bearerToken-atlas   Atlas client + bearerToken: a control, the same client as `apiKey` with another kind
//   credential-<kind>   the credential alone, one per tenant, in an array
//   openapi-fetch       bare createClient per tenant with a static Authorization header (baseline)
//   portico-warm        clientCredentials, then one call per tenant (needs apiBaseUrl)
//   churn               pool eviction under churn
//
// Inputs (tenant ids, client ids, secrets, tokens, keys, per-tenant header values) are allocated before
// the baseline heap reading: they are the caller's data, not the client's cost.
const [variant, nArg, apiBase] = process.argv.slice(2);
const n = Number(nArg);
const gcHard = () => {
  for (let i = 0; i < 4; i++) globalThis.gc();
};
/**
 * Heap after full GCs, repeated until it stops shrinking. One round is not enough: temporaries
 * still held in the caller's interpreter registers (e.g. the pairs behind `new Map(pairs)`) are
 * only freed once those registers are reused, which made the baseline ~72 B per tenant too high.
 */
const settledHeap = () => {
  gcHard();
  let last = process.memoryUsage().heapUsed;
  for (let i = 0; i < 8; i++) {
    gcHard();
    const now = process.memoryUsage().heapUsed;
    if (Math.abs(last - now) < 4096) return now;
    last = now;
  }
  return last;
};

const baseUrl = apiBase ?? "https://api.atrope.dev";
const tokenUrl = apiBase ? `${apiBase}/oauth/token` : "https://atrope.us.auth0.com/oauth/token";
// Built by concatenation these would be V8 cons strings, flattened (a new copy) the first time a
// client hashes, slices or matches them, a copy that would be charged to the client. A caller's
// strings (from env, JSON, a database) arrive flat, so the inputs go through JSON.parse first.
const flat = (strings) => JSON.parse(JSON.stringify(strings));
const tenants = flat(Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(6, "0")}`));
const clientIds = flat(tenants.map((t) => `cid-${t}`));
const secrets = flat(tenants.map((t) => `secret-${t}-0123456789abcdef`));
const headerValues = flat(tenants.map((t) => `Bearer opaque-${t}`));
const bearerTokens = flat(tenants.map((t) => `opaque-${t}-0123456789abcdef`));
const apiKeys = flat(tenants.map((_, i) => `sk_live_tenant${String(i).padStart(6, "0")}0123456789`));
const atlasBaseUrl = "https://api.atlas-softpos.com"; // production server: sk_live_ keys belong to it

const core = await import("@portico/core");
const { createImsApiClient } = await import("@atrope-ai/api-client");
const { createAtlasApiClient } = await import("@atlas-softpos/api-client");
const { default: createOpenApiClient } = await import("openapi-fetch");

const credentialFor = (i) =>
  core.clientCredentials({ tokenUrl, clientId: clientIds[i], clientSecret: secrets[i], audience: "https://api.atrope.dev", bodyEncoding: "json", tenant: tenants[i] });

/** Per credential kind: the credential of tenant `i`, and the client built with it. */
const KINDS = {
  clientCredentials: { credential: credentialFor, client: (auth) => createImsApiClient({ baseUrl, auth }) },
  bearerToken: { credential: (i) => core.bearerToken(bearerTokens[i]), client: (auth) => createImsApiClient({ baseUrl, auth }) },
  apiKey: { credential: (i) => core.apiKey(apiKeys[i]), client: (auth) => createAtlasApiClient({ baseUrl: atlasBaseUrl, auth }) },
  "bearerToken-atlas": { credential: (i) => core.bearerToken(bearerTokens[i]), client: (auth) => createAtlasApiClient({ baseUrl: atlasBaseUrl, auth }) },
};

// Warm the code paths (and the per-descriptor prototype) on throwaway instances, then drop them.
{
  const warm = [];
  for (let i = 0; i < Math.min(50, n); i++) {
    for (const kind of Object.values(KINDS)) warm.push(kind.client(kind.credential(i)));
    warm.push(createOpenApiClient({ baseUrl, headers: { Authorization: headerValues[i] } }));
  }
}
const index = tenantIndex();
let keep;
const h0 = settledHeap();
const t0 = performance.now();
if (KINDS[variant]) {
  // The documented shape: a tenant pool whose factory builds the client with the tenant's own credential.
  const kind = KINDS[variant];
  const pool = core.createTenantPool({ max: n, create: (tenant) => kind.client(kind.credential(index.get(tenant))) });
  for (const t of tenants) pool.get(t);
  keep = pool;
} else if (variant.startsWith("credential-") && KINDS[variant.slice("credential-".length)]) {
  const kind = KINDS[variant.slice("credential-".length)];
  keep = tenants.map((_, i) => kind.credential(i));
} else if (variant === "openapi-fetch") {
  keep = tenants.map((_, i) => createOpenApiClient({ baseUrl, headers: { Authorization: headerValues[i] } }));
} else if (variant === "portico-warm") {
  // Same as "clientCredentials", then one call per tenant, so each client holds a token (needs apiBase).
  const pool = core.createTenantPool({ max: n, create: (tenant) => createImsApiClient({ baseUrl, auth: credentialFor(index.get(tenant)) }) });
  for (const t of tenants) pool.get(t);
  for (let i = 0; i < n; i += 50) {
    await Promise.all(tenants.slice(i, i + 50).map((t) => pool.get(t).GET("/v1/items", { params: { query: { limit: 4 } } })));
  }
  keep = pool;
} else if (variant === "churn") {
  await churn();
  process.exit(0);
} else throw new Error(`unknown variant ${variant}`);
const t1 = performance.now();
const h1 = settledHeap();
process.stdout.write(
  JSON.stringify({ variant, n, bytesPerClient: (h1 - h0) / n, usPerClient: ((t1 - t0) * 1000) / n, heapDeltaMB: (h1 - h0) / 2 ** 20, kept: keep.size ?? keep.length }),
);

/** Tenant id → index, built in its own frame so the temporary pairs die with it. */
function tenantIndex() {
  return new Map(tenants.map((t, i) => [t, i]));
}

/**
 * Pool eviction under churn: a pool of at most 1,000 clients serves `n` gets, 90% from 500 hot
 * tenants and 10% from all `n` tenants; then the clock jumps past `idleMs` and a sweep runs.
 */
async function churn() {
  const max = 1000;
  let now = 0;
  let created = 0;
  let disposed = 0;
  const pool = core.createTenantPool({
    max,
    idleMs: 600_000,
    clock: { now: () => now },
    create: (tenant) => {
      created++;
      return createImsApiClient({ baseUrl, auth: credentialFor(index.get(tenant)) });
    },
    dispose: () => void disposed++,
  });
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const picks = Array.from({ length: n }, () => (random() < 0.9 ? Math.floor(random() * 500) : Math.floor(random() * n)));
  const hb = settledHeap();
  for (let i = 0; i < max; i++) pool.get(tenants[i]);
  const filled = settledHeap();
  const c0 = created;
  const t0 = performance.now();
  for (const i of picks) {
    now += 1;
    pool.get(tenants[i]);
  }
  const ms = performance.now() - t0;
  const after = settledHeap();
  const sizeAfterChurn = pool.size;
  now += 600_001;
  pool.sweep();
  process.stdout.write(
    JSON.stringify({
      variant: "churn",
      gets: n,
      max,
      createdDuringChurn: created - c0,
      disposed,
      sizeAfterChurn,
      sizeAfterIdleSweep: pool.size,
      heapFilledMB: (filled - hb) / 2 ** 20,
      heapAfterChurnMB: (after - hb) / 2 ** 20,
      usPerGet: (ms * 1000) / n,
      hitRate: 1 - (created - c0) / n,
      // Read here so `picks` stays alive until after the last heap reading (it is in the baseline).
      picks: picks.length,
    }),
  );
}
