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
//   active              clientCredentials, then one successful call per tenant (needs apiBaseUrl): heap per
//                       active tenant, beside the bytes of the token string each one holds
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
/** Calls in flight at once while the active tenants make their first call. */
const ACTIVE_BATCH = 50;
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
// The token each active tenant will hold, measured on samples (first and last tenant: tenant ids,
// `iat` and `exp` have fixed widths, so every tenant's token has the same length).
const tokenSample = variant === "active" ? await sampleTokens([0, n - 1]) : undefined;
const index = tenantIndex();
let keep;
// Active tenants' calls leave objects that only finalizers release (undici registers every
// request's AbortController): the loop turns between GCs so they run, as on a server.
const h0 = variant === "active" ? await settledHeapAfterFinalizers() : settledHeap();
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
} else if (variant === "active") {
  // Same as "clientCredentials", then one successful call per tenant (in batches), so each client
  // holds a token, its state, and what the call taught it (credits, pace key).
  if (!apiBase) throw new Error("active: needs the loopback API's base URL");
  const pool = core.createTenantPool({ max: n, create: (tenant) => createImsApiClient({ baseUrl, auth: credentialFor(index.get(tenant)) }) });
  for (const t of tenants) pool.get(t);
  for (let i = 0; i < n; i += ACTIVE_BATCH) {
    const results = await Promise.all(tenants.slice(i, i + ACTIVE_BATCH).map((t) => pool.get(t).GET("/v1/items", { params: { query: { limit: 4 } } })));
    const failed = results.find((r) => r.error !== undefined);
    if (failed) throw failed.error;
  }
  keep = pool;
} else if (variant === "churn") {
  await churn();
  process.exit(0);
} else throw new Error(`unknown variant ${variant}`);
const t1 = performance.now();
const h1 = variant === "active" ? await settledHeapAfterFinalizers() : settledHeap();
process.stdout.write(
  JSON.stringify({
    variant,
    n,
    bytesPerClient: (h1 - h0) / n,
    usPerClient: ((t1 - t0) * 1000) / n,
    heapDeltaMB: (h1 - h0) / 2 ** 20,
    kept: keep.size ?? keep.length,
    ...(tokenSample ? { tokenChars: tokenSample.chars, tokenBytes: tokenSample.bytes } : {}),
  }),
);

/** Heap as `settledHeap` reads it, with the event loop turning between rounds so finalizers run. */
async function settledHeapAfterFinalizers() {
  let last = settledHeap();
  for (let i = 0; i < 8; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = settledHeap();
    if (Math.abs(last - now) < 4096) return now;
    last = now;
  }
  return last;
}

/**
 * Length of the access tokens the loopback token endpoint signs for the given tenants, and the
 * heap a string of that length takes: a V8 one-byte string is a 16-byte header (map, hash,
 * length, on 64-bit without pointer compression, as Node ships) and its characters, rounded up
 * to 8 bytes. Throws when the samples differ in length.
 */
async function sampleTokens(indexes) {
  const lengths = [];
  for (const i of indexes) {
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: clientIds[i], client_secret: secrets[i], audience: "https://api.atrope.dev" }),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    lengths.push((await response.json()).access_token.length);
  }
  if (new Set(lengths).size !== 1) throw new Error(`sample tokens differ in length: ${lengths.join(", ")}`);
  const chars = lengths[0];
  return { chars, bytes: Math.ceil((16 + chars) / 8) * 8 };
}

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
