// Per-call cost of tracing: the same IMS client (clientCredentials, retries armed, credits) with and
// without `telemetry: openTelemetry(...)` from `@portico/core/opentelemetry`.
//
//   node bench/telemetry-overhead.mjs [--quick]
//
// Contenders, each a client of its own on the same token endpoint:
//   - portico, no telemetry (the reference);
//   - + openTelemetry(), API only: `@opentelemetry/api` installed, no SDK registered (no-op tracer);
//   - + openTelemetry(), SDK recording: a real BasicTracerProvider, every span recorded and handed
//     to a BatchSpanProcessor whose exporter drops the batches (no I/O is timed), W3C propagator
//     (each attempt sends `traceparent`);
//   - + openTelemetry(), SDK sampling nothing: the same provider with AlwaysOffSampler.
// Scenarios: GET and POST on an in-process stub fetch (only the client's own work is timed), and
// GET on the loopback keep-alive server (a child process). Interleaved rounds as in overhead.mjs
// (lib/rounds.mjs); per contender: median µs per call, the median of per-round ratios to the
// reference (p25–p75), and the added µs per call (median of per-round differences).
//
// The OpenTelemetry SDK packages are core's dev dependencies: they are loaded from
// packages/core (createRequire), the copies core's tests use, and the same @opentelemetry/api
// instance `@portico/core/opentelemetry` imports.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startLoopback } from "./lib/loopback-server.mjs";
import { apiHeaders, createdItemJson, createItemBody, itemPageJson } from "./lib/payload.mjs";
import { fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { interleave, sequential } from "./lib/rounds.mjs";
import { round, summarize } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 15;
const WARMUP = quick ? 1 : 2;
const STUB_CALLS = quick ? 300 : 1000;
const SEQ_CALLS = quick ? 60 : 150;

const REFERENCE = "portico, no telemetry";
const API_ONLY = "+ openTelemetry(), API only (no SDK)";
const RECORDING = "+ openTelemetry(), SDK recording every span";
const SAMPLED_OUT = "+ openTelemetry(), SDK sampling nothing";

const corePackageJson = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "core", "package.json");
const requireFromCore = createRequire(corePackageJson);
/** The version in the package.json above `name`'s resolved entry file (@opentelemetry/api exports no ./package.json). */
const versionOf = (name) => {
  let dir;
  try {
    dir = dirname(requireFromCore.resolve(name));
  } catch {
    return "unknown";
  }
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
  }
  return "unknown";
};

const core = await tryImport("@portico/core");
const otel = await tryImport("@portico/core/opentelemetry");
const ims = await tryImport("@atrope-ai/api-client");
let sdk;
let w3c;
let sdkReason;
try {
  sdk = requireFromCore("@opentelemetry/sdk-trace-base");
  w3c = new (requireFromCore("@opentelemetry/core").W3CTraceContextPropagator)();
} catch (error) {
  sdkReason = `@opentelemetry/sdk-trace-base did not load from packages/core (${String(error?.message ?? error).split("\n")[0]})`;
}
const missing = core.reason ?? otel.reason ?? ims.reason ?? sdkReason;
if (missing) {
  console.log(`telemetry overhead: not available yet: ${missing}`);
  writeResults("telemetry-overhead", { unavailable: [{ name: "telemetry-overhead", why: missing }], settings: { quick } });
  process.exit(0);
}

const server = await startLoopback();
const base = server.url;
const tokenUrl = `${base}/oauth/token`;

/** An exporter that counts and drops: spans are built, ended and batched, nothing is written. */
function droppingExporter() {
  const exporter = {
    spans: 0,
    export(spans, done) {
      exporter.spans += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  return exporter;
}

function sdkProvider(sampler) {
  const exporter = droppingExporter();
  const processor = new sdk.BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 1000 });
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [processor], ...(sampler ? { sampler } : {}) });
  return { provider, exporter };
}

const recording = sdkProvider(undefined);
const sampledOut = sdkProvider(new sdk.AlwaysOffSampler());

/** What each contender adds to the same client options. */
const telemetryOf = {
  [REFERENCE]: undefined,
  [API_ONLY]: () => otel.module.openTelemetry(),
  [RECORDING]: () => otel.module.openTelemetry({ tracerProvider: recording.provider, propagator: w3c }),
  [SAMPLED_OUT]: () => otel.module.openTelemetry({ tracerProvider: sampledOut.provider, propagator: w3c }),
};

const stubFetch = async (input, init) => {
  const method = String(init?.method ?? (typeof input === "object" && input !== null ? input.method : undefined) ?? "GET").toUpperCase();
  return method === "POST" ? new Response(createdItemJson, { status: 201, headers: apiHeaders }) : new Response(itemPageJson, { status: 200, headers: apiHeaders });
};

function client(name, fetcher) {
  const telemetry = telemetryOf[name]?.();
  const auth = core.module.clientCredentials({ tokenUrl, clientId: "cid-bench", clientSecret: "bench-client-secret-0123456789", audience: "https://api.atrope.dev", bodyEncoding: "json", tenant: "bench" });
  return ims.module.createImsApiClient({ baseUrl: base, auth, retry: { maxRetries: 2 }, ...(fetcher ? { fetcher } : {}), ...(telemetry ? { telemetry } : {}) });
}

function contender(name, fetcher) {
  const c = client(name, fetcher);
  return {
    name,
    async get() {
      const { data, error } = await c.GET("/v1/items", { params: { query: { limit: 4 } } });
      if (error) throw error;
      if (!Array.isArray(data?.data) || data.data.length !== 4) throw new Error(`${name}: unexpected GET body`);
    },
    async post() {
      const { data, error, meta } = await c.POST("/v1/items", { body: createItemBody });
      if (error) throw error;
      if (typeof data?.id !== "string" || !meta.idempotencyKey) throw new Error(`${name}: unexpected POST result`);
    },
  };
}

const names = [REFERENCE, API_ONLY, RECORDING, SAMPLED_OUT];
const stubList = names.map((name) => contender(name, stubFetch));
const loopList = names.map((name) => contender(name, undefined));
for (const c of [...stubList, ...loopList]) {
  await c.get(); // token fetched, answer checked
  await c.post();
}

const plan = [
  { id: "stub-get-sequential", op: "get", label: "in-process stub fetch, GET /v1/items, sequential (client work only)", list: stubList, calls: STUB_CALLS },
  { id: "stub-post-sequential", op: "post", label: "in-process stub fetch, POST /v1/items (Idempotency-Key), sequential (client work only)", list: stubList, calls: STUB_CALLS },
  { id: "loopback-get-sequential", op: "get", label: "loopback GET /v1/items, sequential", list: loopList, calls: SEQ_CALLS },
];

console.log(
  `telemetry overhead: ${plan.length} scenarios × ${ROUNDS} rounds after ${WARMUP} warm-up round(s); @opentelemetry/api ${versionOf("@opentelemetry/api")}, ` +
    `sdk-trace-base ${versionOf("@opentelemetry/sdk-trace-base")} (BatchSpanProcessor, exporter drops batches); no forced GC`,
);

const started = performance.now();
await recording.provider.forceFlush(); // the checks' spans are not the timed calls'
const spansBefore = recording.exporter.spans;
let recordedCalls = 0;
const scenarios = [];
for (const s of plan) {
  const result = await interleave({ contenders: s.list, baseline: REFERENCE, rounds: ROUNDS, warmup: WARMUP, measure: (c) => sequential(c[s.op], s.calls) });
  if (result.rounds !== ROUNDS) throw new Error(`${s.id}: ran ${result.rounds} of ${ROUNDS} rounds`);
  recordedCalls += (ROUNDS + WARMUP) * s.calls;
  const rows = s.list.map((c) => {
    const { wall, cpu } = result.contenders[c.name];
    const added = (metric) => summarize(result.perRound.map((r) => r[c.name][metric] - r[REFERENCE][metric]));
    const addedWall = added("wall");
    const addedCpu = added("cpu");
    return {
      name: c.name,
      wallUs: wall.median,
      wallRatio: wall.ratio.median,
      wallRatioP25: wall.ratio.p25,
      wallRatioP75: wall.ratio.p75,
      addedWallUs: addedWall.median,
      cpuUs: cpu.median,
      cpuRatio: cpu.ratio.median,
      cpuRatioP25: cpu.ratio.p25,
      cpuRatioP75: cpu.ratio.p75,
      addedCpuUs: addedCpu.median,
      addedCpuUsP25: addedCpu.p25,
      addedCpuUsP75: addedCpu.p75,
      samples: { wallUs: result.perRound.map((r) => round(r[c.name].wall, 2)), cpuUs: result.perRound.map((r) => round(r[c.name].cpu, 2)) },
    };
  });
  printTable(
    `${s.label}: ${result.rounds} interleaved rounds × ${s.calls} calls; ratio = median of per-round ratios to "${REFERENCE}"; added = median of per-round differences`,
    ["contender", "wall µs/call", "wall ratio", "(p25–p75)", "client CPU µs/call", "CPU ratio", "(p25–p75)", "added CPU µs/call", "added wall µs/call"],
    rows.map((r) => [
      r.name,
      fixed(r.wallUs, 1),
      ratio(r.wallRatio),
      `${ratio(r.wallRatioP25)}–${ratio(r.wallRatioP75)}`,
      fixed(r.cpuUs, 1),
      ratio(r.cpuRatio),
      `${ratio(r.cpuRatioP25)}–${ratio(r.cpuRatioP75)}`,
      r.name === REFERENCE ? "" : `${fixed(r.addedCpuUs, 1)} (${fixed(r.addedCpuUsP25, 1)}–${fixed(r.addedCpuUsP75, 1)})`,
      r.name === REFERENCE ? "" : fixed(r.addedWallUs, 1),
    ]),
  );
  scenarios.push({ id: s.id, op: s.op.toUpperCase(), label: s.label, rounds: result.rounds, warmupRounds: WARMUP, callsPerRound: s.calls, rows });
}

await recording.provider.forceFlush();
const exported = recording.exporter.spans - spansBefore;
const spansPerCall = exported / recordedCalls;
console.log(
  `\nThe recording contender exported ${exported} spans for ${recordedCalls} timed calls (${spansPerCall.toFixed(2)} per call: the call and its attempt);` +
    ` the sampled-out one ${sampledOut.exporter.spans}.`,
);
if (Math.abs(spansPerCall - 2) > 0.01) throw new Error(`expected 2 spans per call (call + attempt), got ${spansPerCall.toFixed(3)}`);
if (sampledOut.exporter.spans !== 0) throw new Error("the sampled-out provider exported spans");

writeResults("telemetry-overhead", {
  reference: REFERENCE,
  versions: { api: versionOf("@opentelemetry/api"), sdkTraceBase: versionOf("@opentelemetry/sdk-trace-base") },
  settings: { rounds: ROUNDS, warmupRounds: WARMUP, stubCalls: STUB_CALLS, sequentialCalls: SEQ_CALLS, processor: "BatchSpanProcessor, dropping exporter", forcedGc: false, quick },
  spansPerRecordedCall: round(spansPerCall, 3),
  scenarios,
  seconds: Math.round((performance.now() - started) / 1000),
});
await Promise.all([recording.provider.shutdown(), sampledOut.provider.shutdown()]);
await server.close();
process.exit(0);
