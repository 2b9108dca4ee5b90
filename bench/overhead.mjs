// Per-call overhead: portico's full pipeline against the clients users would pick instead, on a
// loopback keep-alive server (1 KB JSON) and on an in-process stub fetch (no network at all).
//
//   node bench/overhead.mjs [--quick]
//
// Baseline: bare openapi-fetch (createClient over the IMS `paths`; types do not exist at runtime).
// Every scenario runs exactly ROUNDS recorded rounds (after WARMUP unrecorded ones), each round every
// contender once in a rotated order; a ratio is the median of per-round ratios (contender ÷ reference
// of the same round) with its p25–p75. GET and POST are separate scenarios with separate verdicts.
// No forced GC (see lib/rounds.mjs).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startLoopback } from "./lib/loopback-server.mjs";
import { apiHeaders, createdItemJson, createItemBody, itemPageJson } from "./lib/payload.mjs";
import { fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { concurrent, interleave, roundRatios, sequential } from "./lib/rounds.mjs";
import { round, summarize } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 15;
const WARMUP = quick ? 1 : 2;
const SEQ_CALLS = quick ? 60 : 150;
const CONC_CALLS = quick ? 192 : 384;
const STUB_CALLS = quick ? 300 : 1000;
const INFLIGHT = 32;
const BASELINE = "openapi-fetch";

// undici exactly as @portico/node resolves it (its own dependency), so the floor and portico's node
// fetcher run on the same undici code.
const nodePackageJson = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "node", "package.json");
const requireFromNode = createRequire(nodePackageJson);
const undici = requireFromNode("undici");
const undiciVersion = undiciVersionOf(requireFromNode.resolve("undici"));
const UNDICI = "undici.request";

const PORTICO = "portico (global fetch)";
const PORTICO_NODE = "portico + @portico/node fetcher";
const PORTICO_STUB = "portico (stub fetcher)";

/**
 * The targets, one verdict each (GET and POST apart): `contender ÷ reference` of `metric` in
 * `scenario`, the median of per-round ratios, must be ≤ `max`. For the 32-in-flight scenarios the
 * metric is wall time per call, i.e. the inverse of throughput (reference calls/s ÷ contender calls/s).
 */
const TARGETS = [
  ...["get", "post"].flatMap((op) => {
    const OP = op.toUpperCase();
    return [
      { contender: PORTICO, reference: BASELINE, scenario: `loopback-${op}-sequential`, metric: "wall", max: 1.05, what: `${OP} sequential latency (wall per call)` },
      { contender: PORTICO, reference: BASELINE, scenario: `loopback-${op}-32-inflight`, metric: "wall", max: 1.05, what: `${OP} throughput at ${INFLIGHT} in flight (wall per call = 1/throughput)` },
      { contender: PORTICO_STUB, reference: BASELINE, scenario: `stub-${op}-sequential`, metric: "cpu", max: 1.05, what: `${OP} client CPU per call on the stub fetch` },
      { contender: PORTICO_NODE, reference: UNDICI, scenario: `loopback-${op}-sequential`, metric: "wall", max: 1.5, what: `${OP} sequential latency (wall per call)` },
    ];
  }),
];

const [{ default: createOpenApiClient }, { default: ky }, { default: axios }] = await Promise.all([import("openapi-fetch"), import("ky"), import("axios")]);
const core = await tryImport("@portico/core");
const ims = await tryImport("@atrope-ai/api-client");
const node = await tryImport("@portico/node");

const server = await startLoopback();
const base = server.url;
const tokenUrl = `${base}/oauth/token`;
const secret = "bench-client-secret-0123456789";
const staticToken = await fetch(tokenUrl, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ grant_type: "client_credentials", client_id: "cid-bench", client_secret: secret, audience: "https://api.atrope.dev" }),
})
  .then((r) => r.json())
  .then((b) => b.access_token);
const authorization = `Bearer ${staticToken}`;

/** The version in the package.json above undici's resolved entry file. */
function undiciVersionOf(entry) {
  let dir = dirname(entry);
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = createRequire(join(dir, "noop.js"))(join(dir, "package.json"));
      if (pkg.name === "undici") return pkg.version;
    } catch {
      // not here; look one folder up
    }
  }
  return "unknown";
}

/** What every contender must hand back: the typed body, the credit balance. */
function check(name, op, data, credits) {
  const ok = op === "GET" ? Array.isArray(data?.data) && data.data.length === 4 : typeof data?.id === "string";
  if (!ok) throw new Error(`${name} ${op}: unexpected body ${JSON.stringify(data)?.slice(0, 80)}`);
  if (credits !== undefined && credits !== 9500) throw new Error(`${name} ${op}: credits not parsed (${credits})`);
}

// ---------------------------------------------------------------------------------------------
// Contenders. Each has get() and post() doing the same job: bearer token, Idempotency-Key on the
// POST, JSON parsed, credits read where the client has a place for it.
// ---------------------------------------------------------------------------------------------

function porticoClient(fetcher) {
  const auth = core.module.clientCredentials({
    tokenUrl,
    clientId: "cid-bench",
    clientSecret: secret,
    audience: "https://api.atrope.dev",
    bodyEncoding: "json",
    tenant: "bench",
    ...(fetcher ? { fetcher } : {}),
  });
  return ims.module.createImsApiClient({ baseUrl: base, auth, retry: { maxRetries: 2 }, ...(fetcher ? { fetcher } : {}) });
}

function porticoContender(name, client, note) {
  return {
    name,
    note,
    async get() {
      const { data, error } = await client.GET("/v1/items", { params: { query: { limit: 4 } } });
      if (error) throw error;
      return [data, client.credits];
    },
    async post() {
      const { data, error, meta } = await client.POST("/v1/items", { body: createItemBody });
      if (error) throw error;
      if (!meta.idempotencyKey) throw new Error("portico sent no Idempotency-Key");
      return [data, client.credits];
    },
  };
}

function loopbackContenders(unavailable) {
  const list = [];
  list.push({
    name: "fetch (raw)",
    note: "global fetch, static token, headers by hand",
    async get() {
      const r = await fetch(`${base}/v1/items?limit=4`, { headers: { authorization } });
      return [await r.json(), Number(r.headers.get("x-credits-remaining"))];
    },
    async post() {
      const r = await fetch(`${base}/v1/items`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify(createItemBody),
      });
      return [await r.json(), Number(r.headers.get("x-credits-remaining"))];
    },
  });
  const of = createOpenApiClient({ baseUrl: base, headers: { Authorization: authorization } });
  list.push({
    name: BASELINE,
    note: "bare createClient, static Authorization header, key by hand",
    async get() {
      const { data } = await of.GET("/v1/items", { params: { query: { limit: 4 } } });
      return [data, undefined];
    },
    async post() {
      const { data } = await of.POST("/v1/items", { body: createItemBody, headers: { "Idempotency-Key": randomUUID() } });
      return [data, undefined];
    },
  });
  if (core.module && ims.module) {
    list.push(porticoContender(PORTICO, porticoClient(undefined), "clientCredentials token manager, idempotency, retry armed, credits, typed result"));
  } else unavailable.push([PORTICO, core.reason ?? ims.reason]);
  let nodeFetcher;
  if (core.module && ims.module && node.module?.createNodeFetcher) {
    nodeFetcher = node.module.createNodeFetcher();
    list.push(porticoContender(PORTICO_NODE, porticoClient(nodeFetcher), "same pipeline on createNodeFetcher() (undici keep-alive pool)"));
  } else unavailable.push([PORTICO_NODE, node.reason ?? core.reason ?? ims.reason ?? "createNodeFetcher not exported"]);
  // The same Agent settings createNodeFetcher() uses by default (10 s keep-alive, 10 s connect timeout).
  const agent = new undici.Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });
  list.push({
    name: UNDICI,
    note: `undici ${undiciVersion} (the copy @portico/node depends on), dispatcher API, no fetch/Request/Response objects`,
    async get() {
      const r = await undici.request(`${base}/v1/items?limit=4`, { headers: { authorization }, dispatcher: agent });
      return [await r.body.json(), Number(r.headers["x-credits-remaining"])];
    },
    async post() {
      const r = await undici.request(`${base}/v1/items`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify(createItemBody),
        dispatcher: agent,
      });
      return [await r.body.json(), Number(r.headers["x-credits-remaining"])];
    },
  });
  let kyCredits;
  const kc = ky.create({
    prefixUrl: base,
    retry: { limit: 2, methods: ["get", "post"] },
    hooks: {
      beforeRequest: [
        (request) => {
          request.headers.set("authorization", authorization);
          if (request.method === "POST") request.headers.set("idempotency-key", randomUUID());
        },
      ],
      afterResponse: [
        (_request, _options, response) => {
          kyCredits = Number(response.headers.get("x-credits-remaining"));
        },
      ],
    },
  });
  list.push({
    name: "ky",
    note: "hooks: token + Idempotency-Key + credits; retry limit 2",
    async get() {
      const data = await kc.get("v1/items", { searchParams: { limit: 4 } }).json();
      return [data, kyCredits];
    },
    async post() {
      const data = await kc.post("v1/items", { json: createItemBody }).json();
      return [data, kyCredits];
    },
  });
  const ax = axios.create({ baseURL: base, httpAgent: new http.Agent({ keepAlive: true }) });
  ax.interceptors.request.use((config) => {
    config.headers.set("Authorization", authorization);
    if (config.method === "post") config.headers.set("Idempotency-Key", randomUUID());
    return config;
  });
  list.push({
    name: "axios",
    note: "http adapter, keep-alive agent, interceptors: token + key; no retry (not built in)",
    async get() {
      const r = await ax.get("/v1/items", { params: { limit: 4 } });
      return [r.data, Number(r.headers["x-credits-remaining"])];
    },
    async post() {
      const r = await ax.post("/v1/items", createItemBody);
      return [r.data, Number(r.headers["x-credits-remaining"])];
    },
  });
  return { list, close: async () => Promise.all([agent.close(), nodeFetcher?.close()]) };
}

// In-process stub: answers without a socket, so only the client's own work is timed. GET gets the
// item page (200), POST the created item (201); the request body is not read.
const stubFetch = async (input, init) => {
  const method = String(init?.method ?? (typeof input === "object" && input !== null ? input.method : undefined) ?? "GET").toUpperCase();
  return method === "POST" ? new Response(createdItemJson, { status: 201, headers: apiHeaders }) : new Response(itemPageJson, { status: 200, headers: apiHeaders });
};

function stubContenders(unavailable) {
  const list = [];
  list.push({
    name: "stub called directly (floor)",
    note: "the stub alone: new Response + res.json()",
    async get() {
      const r = await stubFetch(`${base}/v1/items?limit=4`);
      return [await r.json(), Number(r.headers.get("x-credits-remaining"))];
    },
    async post() {
      const r = await stubFetch(`${base}/v1/items`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify(createItemBody),
      });
      return [await r.json(), Number(r.headers.get("x-credits-remaining"))];
    },
  });
  const of = createOpenApiClient({ baseUrl: base, headers: { Authorization: authorization }, fetch: stubFetch });
  list.push({
    name: BASELINE,
    note: "createClient({ fetch: stub }), key by hand",
    async get() {
      const { data } = await of.GET("/v1/items", { params: { query: { limit: 4 } } });
      return [data, undefined];
    },
    async post() {
      const { data } = await of.POST("/v1/items", { body: createItemBody, headers: { "Idempotency-Key": randomUUID() } });
      return [data, undefined];
    },
  });
  if (core.module && ims.module) {
    // Same client options, stub as the API fetcher (the token still comes from the loopback endpoint).
    const client = ims.module.createImsApiClient({
      baseUrl: base,
      fetcher: stubFetch,
      retry: { maxRetries: 2 },
      auth: core.module.clientCredentials({
        tokenUrl,
        clientId: "cid-bench",
        clientSecret: secret,
        audience: "https://api.atrope.dev",
        bodyEncoding: "json",
        tenant: "bench",
      }),
    });
    list.push(porticoContender(PORTICO_STUB, client, "full pipeline, fetcher: stub"));
  } else unavailable.push([PORTICO_STUB, core.reason ?? ims.reason]);
  let kyCredits;
  const kc = ky.create({
    prefixUrl: base,
    fetch: stubFetch,
    retry: { limit: 2, methods: ["get", "post"] },
    hooks: {
      beforeRequest: [
        (request) => {
          request.headers.set("authorization", authorization);
          if (request.method === "POST") request.headers.set("idempotency-key", randomUUID());
        },
      ],
      afterResponse: [(_q, _o, response) => void (kyCredits = Number(response.headers.get("x-credits-remaining")))],
    },
  });
  list.push({
    name: "ky",
    note: "ky.create({ fetch: stub }) + hooks",
    async get() {
      return [await kc.get("v1/items", { searchParams: { limit: 4 } }).json(), kyCredits];
    },
    async post() {
      return [await kc.post("v1/items", { json: createItemBody }).json(), kyCredits];
    },
  });
  const ax = axios.create({ baseURL: base, adapter: "fetch", env: { fetch: stubFetch } });
  ax.interceptors.request.use((config) => {
    config.headers.set("Authorization", authorization);
    if (config.method === "post") config.headers.set("Idempotency-Key", randomUUID());
    return config;
  });
  list.push({
    name: "axios",
    note: "adapter: fetch, env.fetch: stub",
    async get() {
      const r = await ax.get("/v1/items", { params: { limit: 4 } });
      return [r.data, Number(r.headers["x-credits-remaining"])];
    },
    async post() {
      const r = await ax.post("/v1/items", createItemBody);
      return [r.data, Number(r.headers["x-credits-remaining"])];
    },
  });
  return list;
}

/** Calls each op once and checks the answer; drops (and reports) contenders that fail. */
async function verified(list, ops, unavailable) {
  const ok = [];
  for (const c of list) {
    try {
      for (const op of ops) {
        const [data, credits] = await c[op.toLowerCase()]();
        check(c.name, op, data, credits);
      }
      ok.push(c);
    } catch (error) {
      unavailable.push([c.name, `failed its check: ${String(error?.message ?? error).split("\n")[0]}`]);
    }
  }
  return ok;
}

const scenarios = [];
const unavailable = [];
const started = performance.now();
const loop = loopbackContenders(unavailable);
const loopList = await verified(loop.list, ["GET", "POST"], unavailable);
const stubList = await verified(stubContenders(unavailable), ["GET", "POST"], unavailable);

const plan = [
  { id: "loopback-get-sequential", op: "GET", label: "loopback GET /v1/items, sequential", list: loopList, run: (fn) => sequential(fn, SEQ_CALLS), calls: SEQ_CALLS },
  { id: "loopback-post-sequential", op: "POST", label: "loopback POST /v1/items (Idempotency-Key), sequential", list: loopList, run: (fn) => sequential(fn, SEQ_CALLS), calls: SEQ_CALLS },
  { id: "loopback-get-32-inflight", op: "GET", label: `loopback GET /v1/items, ${INFLIGHT} in flight`, list: loopList, run: (fn) => concurrent(fn, CONC_CALLS, INFLIGHT), calls: CONC_CALLS, throughput: true },
  { id: "loopback-post-32-inflight", op: "POST", label: `loopback POST /v1/items, ${INFLIGHT} in flight`, list: loopList, run: (fn) => concurrent(fn, CONC_CALLS, INFLIGHT), calls: CONC_CALLS, throughput: true },
  { id: "stub-get-sequential", op: "GET", label: "in-process stub fetch, GET, sequential (client work only)", list: stubList, run: (fn) => sequential(fn, STUB_CALLS), calls: STUB_CALLS },
  { id: "stub-post-sequential", op: "POST", label: "in-process stub fetch, POST, sequential (client work only)", list: stubList, run: (fn) => sequential(fn, STUB_CALLS), calls: STUB_CALLS },
];

console.log(
  `per-call overhead: ${plan.length} scenarios × ${ROUNDS} rounds (every round runs) after ${WARMUP} warm-up round(s); ` +
    `${UNDICI} is undici ${undiciVersion}, the copy @portico/node depends on (${requireFromNode.resolve("undici")}); no forced GC`,
);

const results = {};
for (const s of plan) {
  const result = await interleave({ contenders: s.list, baseline: BASELINE, rounds: ROUNDS, warmup: WARMUP, measure: (c) => s.run(c[s.op.toLowerCase()]) });
  if (result.rounds !== ROUNDS) throw new Error(`${s.id}: ran ${result.rounds} of ${ROUNDS} rounds`);
  results[s.id] = result;
  const rows = s.list.map((c) => {
    const { wall, cpu } = result.contenders[c.name];
    const rate = (us) => 1e6 / us;
    return {
      name: c.name,
      note: c.note,
      ...(s.throughput
        ? { callsPerSecond: rate(wall.median), callsPerSecondP25: rate(wall.p75), callsPerSecondP75: rate(wall.p25) }
        : { wallUs: wall.median, wallUsP25: wall.p25, wallUsP75: wall.p75, wallUsMad: wall.mad }),
      wallRatio: wall.ratio.median,
      wallRatioP25: wall.ratio.p25,
      wallRatioP75: wall.ratio.p75,
      cpuUs: cpu.median,
      cpuUsP25: cpu.p25,
      cpuUsP75: cpu.p75,
      cpuRatio: cpu.ratio.median,
      cpuRatioP25: cpu.ratio.p25,
      cpuRatioP75: cpu.ratio.p75,
      samples: { wallUs: result.perRound.map((r) => round(r[c.name].wall, 2)), cpuUs: result.perRound.map((r) => round(r[c.name].cpu, 2)) },
    };
  });
  const first = s.throughput ? ["calls/s", "p25–p75"] : ["wall µs/call", "p25–p75"];
  printTable(
    `${s.label}: ${result.rounds} interleaved rounds × ${s.calls} calls; ratio = median of per-round ratios to ${BASELINE} (lower is better)`,
    ["contender", ...first, "wall ratio", "(p25–p75)", "client CPU µs/call", "CPU ratio", "(p25–p75)"],
    rows.map((r) => [
      r.name,
      ...(s.throughput
        ? [fixed(r.callsPerSecond, 0), `${fixed(r.callsPerSecondP25, 0)}–${fixed(r.callsPerSecondP75, 0)}`]
        : [fixed(r.wallUs, 1), `${fixed(r.wallUsP25, 1)}–${fixed(r.wallUsP75, 1)}`]),
      ratio(r.wallRatio),
      `${ratio(r.wallRatioP25)}–${ratio(r.wallRatioP75)}`,
      fixed(r.cpuUs, 1),
      ratio(r.cpuRatio),
      `${ratio(r.cpuRatioP25)}–${ratio(r.cpuRatioP75)}`,
    ]),
  );
  scenarios.push({ id: s.id, op: s.op, label: s.label, rounds: result.rounds, warmupRounds: WARMUP, callsPerRound: s.calls, rows });
}

// One verdict per target, GET and POST apart.
const targets = TARGETS.map((t) => {
  const result = results[t.scenario];
  const present = result && result.contenders[t.contender] && result.contenders[t.reference];
  if (!present) return { ...t, status: "not measured", why: `${t.contender} or ${t.reference} not measured` };
  const r = summarize(roundRatios(result, t.contender, t.reference, t.metric));
  const met = r.median <= t.max;
  return { ...t, ratio: r.median, p25: r.p25, p75: r.p75, rounds: r.n, status: met ? "met" : "MISSED", by: met ? 0 : r.median / t.max - 1 };
});
printTable(
  `targets: median of per-round ratios (contender ÷ reference of the same round), p25–p75, over ${ROUNDS} rounds`,
  ["contender ÷ reference", "what", "ratio", "(p25–p75)", "target", "verdict"],
  targets.map((t) => [
    `${t.contender} ÷ ${t.reference}`,
    t.what,
    ratio(t.ratio),
    t.ratio === undefined ? "" : `${ratio(t.p25)}–${ratio(t.p75)}`,
    `≤ ${t.max.toFixed(2)}×`,
    t.status === "met" ? `met (${ratio(t.ratio)})` : t.status === "MISSED" ? `MISSED (${ratio(t.ratio)}, ${(t.by * 100).toFixed(0)}% over)` : `not available yet: ${t.why}`,
  ]),
);

if (unavailable.length > 0) {
  printTable("not measured", ["contender", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
}
console.log(
  `\nWall time includes the machine's noise; client CPU per call (process.cpuUsage of the client process, every thread; the server\n` +
    `runs in another process) is the steadier measure of a client's own cost on a shared machine. ${UNDICI} (undici ${undiciVersion}) is the floor.`,
);
const stats = await server.stats();
if (stats.unauthorized > 0) console.log(`warning: ${stats.unauthorized} calls reached the server without a bearer token`);

writeResults("overhead", {
  baseline: BASELINE,
  undici: { version: undiciVersion, resolvedFrom: "packages/node/package.json", contender: UNDICI },
  targets: targets.map((t) => ({
    contender: t.contender,
    reference: t.reference,
    scenario: t.scenario,
    metric: t.metric,
    what: t.what,
    max: t.max,
    ratio: round(t.ratio, 4),
    p25: round(t.p25, 4),
    p75: round(t.p75, 4),
    status: t.status,
    ...(t.why ? { why: t.why } : {}),
  })),
  settings: { rounds: ROUNDS, warmupRounds: WARMUP, sequentialCalls: SEQ_CALLS, concurrentCalls: CONC_CALLS, inflight: INFLIGHT, stubCalls: STUB_CALLS, payloadBytes: itemPageJson.length, forcedGc: false, quick },
  scenarios,
  unavailable: unavailable.map(([name, why]) => ({ name, why })),
  server: { apiRequests: stats.apiRequests, tokenRequests: stats.tokenRequests, unauthorized: stats.unauthorized },
  seconds: Math.round((performance.now() - started) / 1000),
});
await loop.close();
await server.close();
process.exit(0);
