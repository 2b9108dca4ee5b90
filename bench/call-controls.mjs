// Per-call cost of what watches and paces calls: the same IMS client (clientCredentials, retries,
// credits, rate-limit headers) with the origin's retry budget, circuit breaker and pacing on (the
// defaults) against the same client with all three off, the call path as it was before them; and
// with logging on at `info` and `debug`, into a logger that drops the lines.
//
//   node bench/call-controls.mjs [--quick]
//
// Target: the defaults (logging off, no OpenTelemetry) cost at most 1.05× the controls-off client
// in client CPU per call, on an in-process stub fetch (only the client's own work is timed).
// Interleaved rounds as in overhead.mjs (lib/rounds.mjs); ratio = median of per-round ratios.
import { performance } from "node:perf_hooks";
import { apiHeaders, createdItemJson, createItemBody, itemPageJson } from "./lib/payload.mjs";
import { startLoopback } from "./lib/loopback-server.mjs";
import { fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { interleave, sequential } from "./lib/rounds.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 15;
const WARMUP = quick ? 1 : 2;
const CALLS = quick ? 300 : 1000;
const MAX = 1.05;

const OFF = "controls off (budget, breaker, pacing)";
const DEFAULTS = "defaults: budget + breaker + pacing, logging off";
const INFO = "defaults + logLevel info (dropping logger)";
const DEBUG = "defaults + logLevel debug (dropping logger)";

const core = await tryImport("@portico/core");
const ims = await tryImport("@atrope-ai/api-client");
const missing = core.reason ?? ims.reason;
if (missing) {
  console.log(`call controls: not available: ${missing}`);
  process.exit(0);
}

const server = await startLoopback();
const tokenUrl = `${server.url}/oauth/token`;
const drop = () => {};
const dropping = { error: drop, warn: drop, info: drop, debug: drop };
const optionsOf = {
  [OFF]: { retryBudget: false, circuitBreaker: false, pacing: false },
  [DEFAULTS]: {},
  [INFO]: { logger: dropping, logLevel: "info" },
  [DEBUG]: { logger: dropping, logLevel: "debug" },
};

// The stub answers as the IMS API does, rate-limit headers included, so pacing has windows to keep.
const headers = { ...apiHeaders, "x-ratelimit-limit": "1000000", "x-ratelimit-remaining": "999999", "x-ratelimit-reset": "60" };
const stubFetch = async (_url, init) =>
  init?.method === "POST" ? new Response(createdItemJson, { status: 201, headers }) : new Response(itemPageJson, { status: 200, headers });

function contender(name) {
  const auth = core.module.clientCredentials({ tokenUrl, clientId: "cid-bench", clientSecret: "bench-client-secret-0123456789", audience: "https://api.atrope.dev", bodyEncoding: "json", tenant: "bench" });
  const client = ims.module.createImsApiClient({ baseUrl: server.url, auth, fetcher: stubFetch, ...optionsOf[name] });
  return {
    name,
    async get() {
      const { error } = await client.GET("/v1/items", { params: { query: { limit: 4 } } });
      if (error) throw error;
    },
    async post() {
      const { error, meta } = await client.POST("/v1/items", { body: createItemBody });
      if (error || !meta.idempotencyKey) throw error ?? new Error("no idempotency key");
    },
  };
}

const list = [OFF, DEFAULTS, INFO, DEBUG].map(contender);
// The token request goes to the loopback token endpoint once per contender; the stub serves the rest.
for (const c of list) {
  await c.get();
  await c.post();
}

console.log(`call controls: 2 scenarios × ${ROUNDS} rounds × ${CALLS} calls after ${WARMUP} warm-up round(s), stub fetch; no forced GC`);
const started = performance.now();
const scenarios = [];
let met = true;
for (const op of ["get", "post"]) {
  const result = await interleave({ contenders: list, baseline: OFF, rounds: ROUNDS, warmup: WARMUP, measure: (c) => sequential(c[op], CALLS) });
  const rows = list.map((c) => ({ name: c.name, cpuUs: result.contenders[c.name].cpu.median, cpuRatio: result.contenders[c.name].cpu.ratio.median, p25: result.contenders[c.name].cpu.ratio.p25, p75: result.contenders[c.name].cpu.ratio.p75 }));
  printTable(`${op.toUpperCase()} /v1/items, client CPU per call; ratio to "${OFF}"`, ["contender", "CPU µs/call", "ratio", "(p25–p75)"], rows.map((r) => [r.name, fixed(r.cpuUs, 1), ratio(r.cpuRatio), `${ratio(r.p25)}–${ratio(r.p75)}`]));
  const verdict = rows.find((r) => r.name === DEFAULTS).cpuRatio <= MAX;
  met &&= verdict;
  console.log(`target: ${DEFAULTS} ≤ ${MAX}× of ${OFF} (${op.toUpperCase()}): ${verdict ? "met" : "missed"}\n`);
  scenarios.push({ op: op.toUpperCase(), rows, target: MAX, met: verdict });
}
writeResults("call-controls", { reference: OFF, settings: { rounds: ROUNDS, warmupRounds: WARMUP, calls: CALLS, quick }, scenarios, met, seconds: Math.round((performance.now() - started) / 1000) });
await server.close();
process.exit(0);
