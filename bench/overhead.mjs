// Per-call overhead: portico's full pipeline against the clients users would pick instead, on a
// loopback keep-alive server (1 KB JSON) and on an in-process stub fetch (no network at all).
//
//   node --expose-gc bench/overhead.mjs [--quick]
//
// Baseline: bare openapi-fetch (createClient over the IMS `paths`; types do not exist at runtime).
// Ratios are time per call relative to the baseline, taken within each interleaved round.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { startLoopback } from "./lib/loopback-server.mjs";
import { apiHeaders, createItemBody, itemPageJson } from "./lib/payload.mjs";
import { fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { concurrent, interleave, sequential } from "./lib/rounds.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 4 : 15;
const SEQ_CALLS = quick ? 60 : 150;
const CONC_CALLS = quick ? 192 : 384;
const STUB_CALLS = quick ? 300 : 1000;
const INFLIGHT = 32;
const BASELINE = "openapi-fetch";
const TARGETS = {
  "portico (global fetch)": { max: 1.05, text: "≤ 1.05× openapi-fetch" },
  "portico + @portico/node fetcher": { max: 1.0, text: "< 1.00× openapi-fetch (faster)" },
};

const [{ default: createOpenApiClient }, { default: ky }, { default: axios }, undici] = await Promise.all([
  import("openapi-fetch"),
  import("ky"),
  import("axios"),
  import("undici"),
]);
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
    list.push(porticoContender("portico (global fetch)", porticoClient(undefined), "clientCredentials token manager, idempotency, retry armed, credits, typed result"));
  } else unavailable.push(["portico (global fetch)", core.reason ?? ims.reason]);
  let nodeFetcher;
  if (core.module && ims.module && node.module?.createNodeFetcher) {
    nodeFetcher = node.module.createNodeFetcher();
    list.push(porticoContender("portico + @portico/node fetcher", porticoClient(nodeFetcher), "same pipeline on createNodeFetcher() (undici keep-alive pool)"));
  } else unavailable.push(["portico + @portico/node fetcher", node.reason ?? core.reason ?? ims.reason ?? "createNodeFetcher not exported"]);
  const agent = new undici.Agent({ keepAliveTimeout: 60_000 });
  list.push({
    name: "undici.request (floor)",
    note: "undici dispatcher API, no fetch/Request/Response objects",
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

// In-process stub: answers without a socket, so only the client's own work is timed.
const stubFetch = async () => new Response(itemPageJson, { status: 200, headers: apiHeaders });

function stubContenders(unavailable) {
  const list = [];
  list.push({
    name: "stub called directly (floor)",
    note: "the stub alone: new Response + res.json()",
    async get() {
      const r = await stubFetch();
      return [await r.json(), Number(r.headers.get("x-credits-remaining"))];
    },
  });
  const of = createOpenApiClient({ baseUrl: base, headers: { Authorization: authorization }, fetch: stubFetch });
  list.push({
    name: BASELINE,
    note: "createClient({ fetch: stub })",
    async get() {
      const { data } = await of.GET("/v1/items", { params: { query: { limit: 4 } } });
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
    list.push(porticoContender("portico (stub fetcher)", client, "full pipeline, fetcher: stub"));
  } else unavailable.push(["portico (stub fetcher)", core.reason ?? ims.reason]);
  let kyCredits;
  const kc = ky.create({
    prefixUrl: base,
    fetch: stubFetch,
    retry: { limit: 2, methods: ["get", "post"] },
    hooks: {
      beforeRequest: [(request) => void request.headers.set("authorization", authorization)],
      afterResponse: [(_q, _o, response) => void (kyCredits = Number(response.headers.get("x-credits-remaining")))],
    },
  });
  list.push({
    name: "ky",
    note: "ky.create({ fetch: stub }) + hooks",
    async get() {
      return [await kc.get("v1/items", { searchParams: { limit: 4 } }).json(), kyCredits];
    },
  });
  const ax = axios.create({ baseURL: base, adapter: "fetch", env: { fetch: stubFetch } });
  ax.interceptors.request.use((config) => {
    config.headers.set("Authorization", authorization);
    return config;
  });
  list.push({
    name: "axios",
    note: "adapter: fetch, env.fetch: stub",
    async get() {
      const r = await ax.get("/v1/items", { params: { limit: 4 } });
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
const stubList = await verified(stubContenders(unavailable), ["GET"], unavailable);

const plan = [
  { id: "loopback-get-sequential", label: "loopback GET /v1/items, sequential", list: loopList, op: "get", run: (fn) => sequential(fn, SEQ_CALLS), calls: SEQ_CALLS, budgetMs: 20_000 },
  { id: "loopback-post-sequential", label: "loopback POST /v1/items (Idempotency-Key), sequential", list: loopList, op: "post", run: (fn) => sequential(fn, SEQ_CALLS), calls: SEQ_CALLS, budgetMs: 20_000 },
  { id: "loopback-get-32-inflight", label: `loopback GET /v1/items, ${INFLIGHT} in flight`, list: loopList, op: "get", run: (fn) => concurrent(fn, CONC_CALLS, INFLIGHT), calls: CONC_CALLS, budgetMs: 25_000, throughput: true },
  { id: "loopback-post-32-inflight", label: `loopback POST /v1/items, ${INFLIGHT} in flight`, list: loopList, op: "post", run: (fn) => concurrent(fn, CONC_CALLS, INFLIGHT), calls: CONC_CALLS, budgetMs: 25_000, throughput: true },
  { id: "stub-get-sequential", label: "in-process stub fetch, GET, sequential (client work only)", list: stubList, op: "get", run: (fn) => sequential(fn, STUB_CALLS), calls: STUB_CALLS, budgetMs: 10_000 },
];

const verdict = (name, value, scenario) => {
  const target = TARGETS[name];
  if (!target || !scenario.startsWith("loopback") || !Number.isFinite(value)) return "";
  return value <= target.max ? "met" : `MISSED by ${((value / target.max - 1) * 100).toFixed(0)}%`;
};

for (const s of plan) {
  const result = await interleave({
    contenders: s.list,
    baseline: BASELINE,
    rounds: ROUNDS,
    minRounds: quick ? 2 : 5,
    budgetMs: quick ? s.budgetMs / 4 : s.budgetMs,
    warmup: 2,
    measure: (c) => s.run(c[s.op]),
  });
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
      wallTarget: verdict(c.name, wall.ratio.median, s.id),
      cpuTarget: verdict(c.name, cpu.ratio.median, s.id),
    };
  });
  const first = s.throughput ? ["calls/s", "p25–p75"] : ["wall µs/call", "p25–p75"];
  printTable(
    `${s.label} — ${result.rounds} interleaved rounds × ${s.calls} calls; ratio = per-call cost / ${BASELINE}'s in the same round (lower is better)`,
    ["contender", ...first, "wall ratio", "(p25–p75)", "client CPU µs/call", "CPU ratio", "(p25–p75)", "target (wall / CPU)"],
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
      r.wallTarget || r.cpuTarget ? `${r.wallTarget} / ${r.cpuTarget}` : "",
    ]),
  );
  scenarios.push({ id: s.id, label: s.label, rounds: result.rounds, callsPerRound: s.calls, rows });
}

if (unavailable.length > 0) {
  printTable("not measured", ["contender", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
}
console.log(
  "\nTargets (loopback rows): portico on global fetch ≤ 1.05× bare openapi-fetch; portico + @portico/node fetcher < 1.00× (faster);\n" +
    "undici.request is the floor. Wall time includes the machine's noise; client CPU per call (process.cpuUsage of the client\n" +
    "process, the server runs in another) is the steadier measure of a client's own cost on a shared machine.",
);
const stats = await server.stats();
if (stats.unauthorized > 0) console.log(`warning: ${stats.unauthorized} calls reached the server without a bearer token`);

writeResults("overhead", {
  baseline: BASELINE,
  targets: Object.fromEntries(Object.entries(TARGETS).map(([k, v]) => [k, v.text])),
  settings: { maxRounds: ROUNDS, warmupRounds: 2, sequentialCalls: SEQ_CALLS, concurrentCalls: CONC_CALLS, inflight: INFLIGHT, stubCalls: STUB_CALLS, payloadBytes: itemPageJson.length, quick },
  scenarios,
  unavailable: unavailable.map(([name, why]) => ({ name, why })),
  server: { apiRequests: stats.apiRequests, tokenRequests: stats.tokenRequests, unauthorized: stats.unauthorized },
  seconds: Math.round((performance.now() - started) / 1000),
});
await loop.close();
await server.close();
process.exit(0);
