// Token-endpoint load: how many token requests the toolkit makes (1) on a cold token under 1,000
// concurrent calls, (2) per token lifetime under sustained load, (3) per lifetime per tenant
// across N processes sharing @portico/node's Redis store. Counted at a loopback token endpoint.
//
//   node bench/token-load.mjs [--quick]
//
// Contender for (1) and (2): what people write by hand, openapi-fetch + a middleware that fetches
// a token when it has none or it is about to expire. Baseline for (3): the same portico clients
// with the default in-process cache (each process fetches its own tokens).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startLoopback } from "./lib/loopback-server.mjs";
import { redisServerAvailable, startRedis } from "./lib/redis-server.mjs";
import { fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";
import { callOnce, naiveTenantClient, porticoTenantClient, sustain } from "./lib/token-load.mjs";

const quick = process.argv.includes("--quick");
const STAMPEDE_CALLS = 1000;
const STAMPEDE_ROUNDS = quick ? 2 : 3;
const TOKEN_DELAY_MS = 50; // a token endpoint is a network hop away; Auth0 answers in 50-300 ms
const LIFETIME_S = 3;
const RUN_S = quick ? 7 : 12;
const INFLIGHT = 32;
const FLEET_PROCESSES = quick ? 2 : 4;
const FLEET_TENANTS = 3;
const FLEET_INFLIGHT = 16; // per tenant per process
/** Refresh windows in the proportions of a 1-hour token (5 min soft, 30 s hard). */
const PROPORTIONAL = { softWindowMs: Math.round((LIFETIME_S * 1000 * 300) / 3600), hardWindowMs: Math.round((LIFETIME_S * 1000 * 30) / 3600) };

const core = await tryImport("@portico/core");
const ims = await tryImport("@atrope-ai/api-client");
const node = await tryImport("@portico/node");
const porticoReady = core.module && ims.module;
// Millisecond JWT iat/exp: the 3 s token stands in for a 1 h one, so the whole-second rounding of `exp`
// is scaled down with it (one row below shows whole seconds, which portico trusts over expires_in).
const server = await startLoopback({ tokenLifetimeSec: LIFETIME_S, tokenDelayMs: TOKEN_DELAY_MS, jwtTimesInMs: true });
const base = server.url;
const results = { settings: { jwtTimesInMs: true, stampedeCalls: STAMPEDE_CALLS, tokenDelayMs: TOKEN_DELAY_MS, lifetimeSeconds: LIFETIME_S, runSeconds: RUN_S, inflight: INFLIGHT, fleetProcesses: FLEET_PROCESSES, fleetTenants: FLEET_TENANTS, fleetInflightPerTenant: FLEET_INFLIGHT, proportionalWindows: PROPORTIONAL, quick } };
const unavailable = [];

/**
 * Token requests per lifetime of each of `clientIds`: (requests - 1) × lifetime / (last - first),
 * i.e. the lifetime over the mean interval between consecutive requests, so a run's length does
 * not quantize it. A clean refresh-ahead cycle gives lifetime / (lifetime - soft window).
 */
function perLifetime(stats, clientIds) {
  const per = clientIds.map((id) => {
    const times = stats.byClient[id] ?? [];
    if (times.length < 2) return Number.NaN;
    return ((times.length - 1) * LIFETIME_S * 1000) / (times[times.length - 1] - times[0]);
  });
  const finite = per.filter(Number.isFinite);
  return { mean: finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length), max: Math.max(...finite) };
}

/** Requests per lifetime a clean refresh-ahead cycle makes with `softWindowMs` (the soft window is at most 1/12 of the lifetime). */
const designPerLifetime = (softWindowMs) => (LIFETIME_S * 1000) / (LIFETIME_S * 1000 - Math.min(softWindowMs, (LIFETIME_S * 1000) / 12));
/** Met when within 5% of the refresh-ahead design (the overlap window is allowed). */
const meets = (measured, design) => measured <= design * 1.05;

// --- 1. cold token, 1,000 concurrent calls ---------------------------------------------------
const stampede = { portico: [], naive: [] };
for (let round = 0; round < STAMPEDE_ROUNDS; round++) {
  const order = round % 2 === 0 ? ["portico", "naive"] : ["naive", "portico"];
  for (const who of order) {
    if (who === "portico" && !porticoReady) continue;
    const tenant = `stampede-${who}-${round}`;
    const client =
      who === "portico" ? porticoTenantClient({ core: core.module, ims: ims.module, base, tenant }) : naiveTenantClient({ base, tenant });
    await server.reset();
    const t0 = performance.now();
    const outcomes = await Promise.all(Array.from({ length: STAMPEDE_CALLS }, () => callOnce(client).catch(() => false)));
    const ms = performance.now() - t0;
    const stats = await server.stats();
    stampede[who].push({ tokenRequests: stats.tokenRequests, ok: outcomes.filter(Boolean).length, ms });
  }
}
if (!porticoReady) unavailable.push(["portico, cold token", core.reason ?? ims.reason]);
const stampedeRows = Object.entries(stampede)
  .filter(([, runs]) => runs.length > 0)
  .map(([who, runs]) => ({
    contender: who === "portico" ? "portico clientCredentials (single-flight)" : "openapi-fetch + hand-written token middleware",
    tokenRequests: median(runs.map((r) => r.tokenRequests)),
    tokenRequestsMax: Math.max(...runs.map((r) => r.tokenRequests)),
    okCalls: Math.min(...runs.map((r) => r.ok)),
    ms: median(runs.map((r) => r.ms)),
    target: who === "portico" ? 1 : undefined,
    runs,
  }));
printTable(
  `1. cold token: ${STAMPEDE_CALLS} concurrent calls on a fresh client, token endpoint answers in ${TOKEN_DELAY_MS} ms (${STAMPEDE_ROUNDS} rounds)`,
  ["contender", "token requests (median)", "max", "calls ok (min)", "wall ms", "target"],
  stampedeRows.map((r) => [r.contender, r.tokenRequests, r.tokenRequestsMax, `${r.okCalls}/${STAMPEDE_CALLS}`, fixed(r.ms, 0), r.target === undefined ? "" : r.tokenRequestsMax <= r.target ? "1: met" : `1: MISSED (${r.tokenRequestsMax})`]),
);
results.coldStampede = stampedeRows;

// --- 2. sustained load, short lifetime, one process -------------------------------------------
const sustained = [];
const sustainedPlan = [
  ...(porticoReady
    ? [
        { label: "portico, default refresh windows (soft = min(5 min, lifetime/12))", make: (t) => porticoTenantClient({ core: core.module, ims: ims.module, base, tenant: t }), design: designPerLifetime(300_000), targeted: true },
        { label: `portico, windows of a 1 h token scaled down (soft ${PROPORTIONAL.softWindowMs} ms, hard ${PROPORTIONAL.hardWindowMs} ms)`, make: (t) => porticoTenantClient({ core: core.module, ims: ims.module, base, tenant: t, windows: PROPORTIONAL }), design: designPerLifetime(PROPORTIONAL.softWindowMs), targeted: true },
        {
          label: "the same, JWT exp in whole seconds (rounding not scaled: up to 1 s of a 3 s token)",
          make: (t) => porticoTenantClient({ core: core.module, ims: ims.module, base, tenant: t, windows: PROPORTIONAL }),
          design: designPerLifetime(PROPORTIONAL.softWindowMs),
          targeted: false,
          wholeSecondExp: true,
        },
      ]
    : []),
  { label: "openapi-fetch + hand-written token middleware (refresh at 90%)", make: (t) => naiveTenantClient({ base, tenant: t }), design: undefined },
];
for (const [i, plan] of sustainedPlan.entries()) {
  const tenant = `sustained-${i}`;
  await server.reset();
  if (plan.wholeSecondExp) await server.config({ jwtTimesInMs: false });
  const client = plan.make(tenant);
  const outcome = await sustain([client], INFLIGHT, RUN_S * 1000);
  if (plan.wholeSecondExp) await server.config({ jwtTimesInMs: true });
  const stats = await server.stats();
  const measured = perLifetime(stats, [`cid-${tenant}`]);
  sustained.push({ contender: plan.label, targeted: plan.targeted === true, wholeSecondExp: plan.wholeSecondExp === true, portico: plan.design !== undefined, tokenRequests: stats.tokenRequests, perLifetime: measured.mean, designPerLifetime: plan.design, ...outcome });
}
printTable(
  `2. sustained: ${INFLIGHT} in flight for ${RUN_S} s, ${LIFETIME_S} s token lifetime; per lifetime = lifetime / mean interval between token requests`,
  ["contender", "token requests", "per lifetime", "refresh-ahead design", "calls ok", "failed", "target 1 (+ overlap)"],
  sustained.map((r) => [
    r.contender,
    r.tokenRequests,
    fixed(r.perLifetime, 2),
    r.designPerLifetime === undefined ? "" : fixed(r.designPerLifetime, 2),
    r.ok,
    r.failed,
    r.targeted
      ? meets(r.perLifetime, r.designPerLifetime)
        ? "met"
        : `MISSED (${fixed(r.perLifetime, 2)})`
      : r.wholeSecondExp
        ? "info: exp earlier than expires_in"
        : "",
  ]),
);
results.sustained = sustained;

// --- 3. fleet: N processes × tenants, Redis-shared vs per-process ------------------------------
const fleet = [];
async function runFleet(redisUrl) {
  const tenants = Array.from({ length: FLEET_TENANTS }, (_, i) => `fleet-${redisUrl ? "redis" : "memory"}-${i}`);
  const workers = Array.from({ length: FLEET_PROCESSES }, () =>
    fork(fileURLToPath(new URL("./lib/token-load-worker.mjs", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  const next = (w) => new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("exit", (code) => reject(new Error(`fleet worker exited (${code})`)));
  });
  const ready = workers.map(next);
  for (const w of workers) w.send({ base, redisUrl, tenants, inflight: FLEET_INFLIGHT, durationMs: RUN_S * 1000, windows: PROPORTIONAL });
  await Promise.all(ready);
  await server.reset();
  const done = workers.map(next);
  for (const w of workers) w.send({ type: "go" });
  const outcomes = await Promise.all(done);
  const stats = await server.stats();
  const steady = perLifetime(stats, tenants.map((t) => `cid-${t}`));
  return {
    contender: redisUrl ? "portico + @portico/node Redis store (shared)" : "portico, in-process cache per process (baseline)",
    tokenRequests: stats.tokenRequests,
    perLifetimePerTenant: steady.mean,
    maxTenantPerLifetime: steady.max,
    ok: outcomes.reduce((a, o) => a + o.ok, 0),
    failed: outcomes.reduce((a, o) => a + o.failed, 0),
    fallbacks: outcomes.reduce((a, o) => a + o.fallbacks, 0),
  };
}
if (!porticoReady) unavailable.push(["fleet", core.reason ?? ims.reason]);
else {
  fleet.push(await runFleet(undefined));
  if (!node.module?.createRedisTokenCache) unavailable.push(["fleet with Redis store", node.reason ?? "@portico/node exports no createRedisTokenCache"]);
  else if (!redisServerAvailable()) unavailable.push(["fleet with Redis store", "redis-server is not installed (apt-get install -y redis-server)"]);
  else {
    const redis = await startRedis();
    try {
      fleet.push(await runFleet(redis.url));
    } finally {
      await redis.stop();
    }
  }
  const baseRow = fleet[0];
  for (const row of fleet) row.ratio = row.perLifetimePerTenant / baseRow.perLifetimePerTenant;
  printTable(
    `3. fleet: ${FLEET_PROCESSES} processes × ${FLEET_TENANTS} tenants × ${FLEET_INFLIGHT} in flight for ${RUN_S} s, ${LIFETIME_S} s lifetime, scaled 1 h windows`,
    ["contender", "token requests", "per lifetime per tenant", "worst tenant", "ratio", "calls ok", "failed", "fallbacks", `target 1 (+ overlap: ${fixed(designPerLifetime(PROPORTIONAL.softWindowMs), 2)})`],
    fleet.map((r) => [
      r.contender,
      r.tokenRequests,
      fixed(r.perLifetimePerTenant, 2),
      fixed(r.maxTenantPerLifetime, 2),
      ratio(r.ratio),
      r.ok,
      r.failed,
      r.fallbacks,
      r.contender.includes("Redis")
        ? meets(r.maxTenantPerLifetime, designPerLifetime(PROPORTIONAL.softWindowMs))
          ? "met"
          : `MISSED (${fixed(r.maxTenantPerLifetime, 2)})`
        : `≈ ${FLEET_PROCESSES}× expected`,
    ]),
  );
}
results.fleet = fleet;

if (unavailable.length > 0) printTable("not measured", ["part", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
writeResults("token-load", { ...results, unavailable: unavailable.map(([name, why]) => ({ name, why })) });
await server.close();
process.exit(0);
