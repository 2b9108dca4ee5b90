// Codegen and type-check cost on three large real specs, in one run: GitHub (@octokit/openapi,
// 13 MB JSON), Stripe and OpenAI (the copies in packages/corpus/specs, 4 MB and 3 MB of YAML).
//
//   node bench/codegen-scale.mjs [--quick] [--rounds N] [--only github,stripe] [--codegen-only]
//
// (a) codegen: `portico generate <spec> --out <dir>` (no flags) vs openapi-typescript's CLI on the
//     same file: CPU (user + sys of the whole child process), wall, peak RSS.
// (b) tsc: `tsc --noEmit --extendedDiagnostics` (strict, skipLibCheck) on a file of a dozen typed
//     calls per spec through the generated portico client vs the same calls through openapi-fetch
//     over openapi-typescript's output: CPU, check time, instantiations.
// Every round runs every contender once per spec, in an order rotated from round to round, after one
// warm-up round (not in --quick); a ratio is taken within a round (portico ÷ baseline of the same
// round and spec) and the median of those per-round ratios is reported with its p25–p75. The stated
// rounds always run (no time budget); nothing is forced (no GC) inside a timed child. Every tool runs
// in a child process under lib/measure-child.mjs. The GitHub spec is read from disk; the package root
// is never require()d (it loads ~385 MB).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { benchDir, fixed, printTable, ratio, writeResults } from "./lib/report.mjs";
import { runMeasured } from "./lib/run-measured.mjs";
import { summarize } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes("--quick");
const ROUNDS = Number(option("--rounds") ?? (quick ? 2 : 5));
const WARMUP = quick ? 0 : 1;
const only = option("--only")?.split(",");
const codegenOnly = argv.includes("--codegen-only");
const TARGET_CODEGEN = 1.25;
const TARGET_TSC = 1.2;
const require = createRequire(import.meta.url);
const work = join(benchDir, ".work", "codegen");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const porticoBin = join(benchDir, "..", "packages", "codegen", "bin", "portico.js");
const openapiTsBin = join(require.resolve("openapi-typescript/package.json"), "..", "bin", "cli.js");
const tscJs = join(require.resolve("typescript/package.json"), "..", "lib", "tsc.js");
const corpus = join(benchDir, "..", "packages", "corpus", "specs");
const firstLine = (text) => text.split("\n").find((l) => l.trim().length > 0)?.trim() ?? "";

// ---------------------------------------------------------------------------------------------
// The typed calls: a dozen per spec, the same in both projects. Each call reads `data` on success;
// on error the portico project reads `error.status`, `error.code` and `error.body` (and, where a call
// says so, narrows by status or switches on the code), the openapi-fetch project reads
// `response.status` and `error` (its body), narrowing the same way where it can.
//   status/field: on that status read `body.<field>` (portico) / `error.<field>` (openapi-fetch, or
//     `fetchRead` where openapi-fetch cannot narrow the body by status)
//   code: switch on that code (portico) / on the status it stands for (openapi-fetch)
// ---------------------------------------------------------------------------------------------
const GITHUB_CALLS = [
  { m: "GET", path: "/repos/{owner}/{repo}", init: '{ params: { path: { owner: "octokit", repo: "rest.js" } } }', data: "r.data.full_name", status: 404, field: "message" },
  { m: "GET", path: "/repos/{owner}/{repo}/issues", init: '{ params: { path: { owner: "octokit", repo: "rest.js" }, query: { state: "open", per_page: 10 } } }', data: "r.data.map((i) => i.title)", code: ["NOT_FOUND", 404] },
  { m: "POST", path: "/repos/{owner}/{repo}/issues", init: '{ params: { path: { owner: "o", repo: "r" } }, body: { title: "hello", labels: ["bug"] } }', data: "r.data.number", code: ["GONE", 410] },
  { m: "GET", path: "/user", init: "", data: "r.data.login", status: 401, field: "documentation_url" },
  { m: "GET", path: "/search/repositories", init: '{ params: { query: { q: "portico", sort: "stars", per_page: 5 } } }', data: "r.data.total_count" },
  { m: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", init: '{ params: { path: { owner: "o", repo: "r", pull_number: 1 } } }', data: "r.data.merged", status: 404, field: "message" },
  { m: "PATCH", path: "/repos/{owner}/{repo}/issues/{issue_number}", init: '{ params: { path: { owner: "o", repo: "r", issue_number: 7 } }, body: { state: "closed" } }', data: "r.data.state", code: ["UNPROCESSABLE_CONTENT", 422] },
  { m: "POST", path: "/repos/{owner}/{repo}/pulls", init: '{ params: { path: { owner: "o", repo: "r" } }, body: { title: "t", head: "feature", base: "main" } }', data: "r.data.html_url" },
  { m: "GET", path: "/orgs/{org}/members", init: '{ params: { path: { org: "octokit" }, query: { per_page: 100, role: "admin" } } }', data: "r.data.length" },
  { m: "DELETE", path: "/repos/{owner}/{repo}/issues/comments/{comment_id}", init: '{ params: { path: { owner: "o", repo: "r", comment_id: 3 } } }', data: "r.response.status" },
  { m: "GET", path: "/repos/{owner}/{repo}/contents/{path}", init: '{ params: { path: { owner: "o", repo: "r", path: "README.md" }, query: { ref: "main" } } }', data: "Array.isArray(r.data)", status: 404, field: "message" },
  { m: "POST", path: "/user/repos", init: '{ body: { name: "portico", private: true } }', data: "r.data.id", code: ["UNAUTHORIZED", 401] },
];

const STRIPE_CALLS = [
  { m: "GET", path: "/v1/customers", init: '{ params: { query: { limit: 10, email: "ada@example.com" } } }', data: "r.data.data.map((c) => c.id)" },
  { m: "GET", path: "/v1/customers/{customer}", init: '{ params: { path: { customer: "cus_1" } } }', data: "r.data.id", status: 404, field: "error.message" },
  { m: "POST", path: "/v1/customers", init: '{ body: { email: "ada@example.com", name: "Ada", metadata: { plan: "pro" } } }', data: "r.data.id", code: ["BAD_REQUEST", 400] },
  { m: "POST", path: "/v1/customers/{customer}", init: '{ params: { path: { customer: "cus_1" } }, body: { description: "vip" } }', data: "r.data.description" },
  { m: "DELETE", path: "/v1/customers/{customer}", init: '{ params: { path: { customer: "cus_1" } } }', data: "r.data.deleted" },
  { m: "POST", path: "/v1/payment_intents", init: '{ body: { amount: 1000, currency: "usd", customer: "cus_1" } }', data: "r.data.status", status: 402, field: "error.decline_code" },
  { m: "GET", path: "/v1/payment_intents/{intent}", init: '{ params: { path: { intent: "pi_1" }, query: { expand: ["customer"] } } }', data: "r.data.amount" },
  { m: "GET", path: "/v1/charges", init: '{ params: { query: { customer: "cus_1", limit: 3 } } }', data: "r.data.has_more", code: ["UNAUTHORIZED", 401] },
  { m: "POST", path: "/v1/refunds", init: '{ body: { payment_intent: "pi_1" } }', data: "r.data.amount" },
  { m: "GET", path: "/v1/invoices/{invoice}", init: '{ params: { path: { invoice: "in_1" } } }', data: "r.data.amount_due", status: 404, field: "error.type" },
  { m: "POST", path: "/v1/subscriptions", init: '{ body: { customer: "cus_1", items: [{ price: "price_1" }] } }', data: "r.data.status" },
  { m: "GET", path: "/v1/products", init: '{ params: { query: { active: true, limit: 20 } } }', data: "r.data.data.length" },
];

const OPENAI_CALLS = [
  { m: "POST", path: "/chat/completions", init: '{ body: { model: "gpt-4o", messages: [], temperature: 0.2 } }', data: "r.data", status: 429, field: "error.message" },
  { m: "GET", path: "/models", init: "", data: "r.data.data.length" },
  { m: "GET", path: "/models/{model}", init: '{ params: { path: { model: "gpt-4o" } } }', data: "r.data.owned_by" },
  { m: "POST", path: "/embeddings", init: '{ body: { model: "text-embedding-3-small", input: "hello" } }', data: "r.data.data[0]?.embedding", code: ["RATE_LIMITED", 429] },
  { m: "GET", path: "/files", init: '{ params: { query: { purpose: "batch", limit: 10 } } }', data: "r.data.data.map((f) => f.filename)" },
  { m: "DELETE", path: "/files/{file_id}", init: '{ params: { path: { file_id: "file_1" } } }', data: "r.data.deleted" },
  { m: "POST", path: "/responses", init: '{ body: { model: "gpt-4o", input: "hi" } }', data: "r.data", code: ["RATE_LIMITED", 429] },
  { m: "DELETE", path: "/responses/{response_id}", init: '{ params: { path: { response_id: "resp_1" } } }', data: "r.response.status", status: 404, field: "message", fetchRead: '"message" in error ? error.message : error.error.message' },
  { m: "GET", path: "/assistants", init: '{ params: { query: { limit: 20, order: "desc" } } }', data: "r.data.data.map((a) => a.name)" },
  { m: "POST", path: "/threads", init: "{ body: {} }", data: "r.data.id", status: 429, field: "error.code" },
  { m: "GET", path: "/vector_stores/{vector_store_id}", init: '{ params: { path: { vector_store_id: "vs_1" } } }', data: "r.data.file_counts.completed" },
  { m: "POST", path: "/moderations", init: '{ body: { input: "text" } }', data: "r.data.results[0]?.flagged" },
];

const SPECS = [
  {
    id: "github",
    title: "GitHub",
    file: join(benchDir, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json"),
    source: "@octokit/openapi/generated/api.github.com.json",
    baseUrl: "https://api.github.com",
    calls: GITHUB_CALLS,
  },
  { id: "stripe", title: "Stripe", file: join(corpus, "stripe.yaml"), source: "packages/corpus/specs/stripe.yaml", baseUrl: "https://api.stripe.com", calls: STRIPE_CALLS },
  { id: "openai", title: "OpenAI", file: join(corpus, "openai.yaml"), source: "packages/corpus/specs/openai.yaml", baseUrl: "https://api.openai.com/v1", calls: OPENAI_CALLS },
].filter((s) => only === undefined || only.includes(s.id));

/** One call as TypeScript, for the portico client or openapi-fetch. */
function callSource(call, flavor) {
  const args = `${JSON.stringify(call.path)}${call.init === "" ? "" : `, ${call.init}`}`;
  if (flavor !== "portico") return openapiFetchCall(call, args);
  const lines = [`  {`, `    const r = await api.${call.m}(${args});`, "    if (r.error) {", "      out.push(r.error.status, r.error.code, r.error.body);"];
  if (call.status !== undefined) lines.push(`      if (r.error.status === ${call.status}) out.push(r.error.body?.${call.field});`);
  if (call.code !== undefined) {
    lines.push(`      switch (r.error.code) {`, `        case "${call.code[0]}": out.push(r.error.body); break;`, '        case "NETWORK_ERROR": out.push(r.error.message); break;', "      }");
  }
  lines.push("    } else {", `      out.push(${call.data});`, "    }", "  }");
  return lines.join("\n");
}

/**
 * The same call through openapi-fetch, destructured: where an operation declares no error,
 * openapi-fetch types \`error\` as \`never\` and narrows the whole result to \`never\` inside \`if (error)\`,
 * so the status is read before.
 */
function openapiFetchCall(call, args) {
  const lines = [`  {`, `    const { data, error, response } = await api.${call.m}(${args});`, "    const status = response.status;", "    if (error) {", "      out.push(status, error);"];
  // openapi-fetch does not narrow the body by status: where the bodies differ, the call says how to read it.
  if (call.status !== undefined) lines.push(`      if (status === ${call.status}) out.push(${call.fetchRead ?? `error.${call.field}`});`);
  if (call.code !== undefined) lines.push(`      switch (status) {`, `        case ${call.code[1]}: out.push(error); break;`, "      }");
  lines.push("    } else {", `      out.push(${call.data.replaceAll("r.data", "data").replaceAll("r.response", "response")});`, "    }", "  }");
  return lines.join("\n");
}

function callsFile(spec, flavor, factory) {
  const head =
    flavor === "portico"
      ? [`import { bearerToken } from "@portico/core";`, `import { ${factory} } from "./gen/index.js";`, "", "declare const TOKEN: string;", `const api = ${factory}({ baseUrl: ${JSON.stringify(spec.baseUrl)}, auth: bearerToken(TOKEN) });`]
      : [
          'import createClient from "openapi-fetch";',
          'import type { paths } from "./schema.js";',
          "",
          "declare const TOKEN: string;",
          `const api = createClient<paths>({ baseUrl: ${JSON.stringify(spec.baseUrl)}, headers: { Authorization: \`Bearer \${TOKEN}\` } });`,
        ];
  return [
    ...head,
    "",
    `/** ${spec.calls.length} typed calls on the ${spec.title} API: path and query params, bodies, data and errors read. */`,
    "export async function run(): Promise<unknown[]> {",
    "  const out: unknown[] = [];",
    ...spec.calls.map((c) => callSource(c, flavor)),
    "  return out;",
    "}",
    "",
  ].join("\n");
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  files: ["calls.ts"],
});

// ---------------------------------------------------------------------------------------------
// Load average while the benchmark runs (2 shared cores: the numbers mean little without it).
// ---------------------------------------------------------------------------------------------
const loadSamples = [];
const sampleLoad = () => loadSamples.push(os.loadavg()[0]);
sampleLoad();
const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
const loadTimer = setInterval(sampleLoad, 5000);
loadTimer.unref();

const results = { settings: { rounds: ROUNDS, warmup: WARMUP, quick, specs: SPECS.map((s) => s.id) }, targets: { codegen: TARGET_CODEGEN, tsc: TARGET_TSC } };
const unavailable = [];
if (!existsSync(join(porticoBin, "..", "..", "dist", "cli.js"))) unavailable.push(["portico codegen", "packages/codegen/dist/cli.js is not built (pnpm build)"]);
const specs = SPECS.filter((s) => {
  if (existsSync(s.file)) return true;
  unavailable.push([s.title, `${s.source} is missing${s.id === "github" ? " (pnpm install in bench/)" : ""}`]);
  return false;
});
if (unavailable.length > 0 && (specs.length === 0 || unavailable[0][0] === "portico codegen")) {
  printTable("not measured", ["part", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
  writeResults("codegen-scale", { ...results, unavailable: unavailable.map(([name, why]) => ({ name, why })) });
  process.exit(0);
}
for (const s of specs) {
  const text = readFileSync(s.file, "utf8");
  const version = text.match(/^\s*"?openapi"?\s*:\s*"?([\d.]+)/m)?.[1];
  s.info = { openapi: version, megabytes: Math.round(Buffer.byteLength(text) / 1e5) / 10, paths: countPaths(s.file, text) };
}

/** Number of path items, without parsing YAML here (a line `  /...:` two spaces in, under `paths:`). */
function countPaths(file, text) {
  if (file.endsWith(".json")) return Object.keys(JSON.parse(text).paths ?? {}).length;
  const start = text.search(/^paths:/m);
  if (start < 0) return undefined;
  const rest = text.slice(start + 6);
  const end = rest.search(/^\S/m);
  return (end < 0 ? rest : rest.slice(0, end)).match(/^ {2}["']?\//gm)?.length;
}

/** Interleaved rounds: each round runs `contenders` once per spec, order rotated by round. */
async function interleavedRounds(contendersOf, label) {
  const samples = new Map();
  for (let r = -WARMUP; r < ROUNDS; r++) {
    for (let si = 0; si < specs.length; si++) {
      const spec = specs[(si + Math.max(r, 0)) % specs.length];
      const contenders = contendersOf(spec);
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(i + r + WARMUP) % contenders.length];
        const m = await c.run();
        if (m.exitCode !== 0 && !c.allowFailure) throw new Error(`${label}: ${c.name} on ${spec.title} failed (${m.exitCode}): ${firstLine(m.stderr + m.stdout)}`);
        if (r < 0) continue;
        const key = `${spec.id}/${c.name}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push({ ...m, round: r });
      }
    }
    process.stdout.write(`${label}: ${r < 0 ? "warm-up round" : `round ${r + 1}/${ROUNDS}`} done (load ${os.loadavg()[0].toFixed(2)})\n`);
  }
  return samples;
}

/** Median, p25, p75 of per-round ratios `runs[i].metric / base[i].metric` (same round). */
function roundRatios(runs, base, metric) {
  const byRound = new Map(base.map((b) => [b.round, b[metric]]));
  return summarize(runs.map((m) => m[metric] / (byRound.get(m.round) ?? Number.NaN)));
}
const spread = (s) => `${ratio(s.median)} (${ratio(s.p25)}–${ratio(s.p75)})`;
const verdict = (s, target) => (!Number.isFinite(s.median) ? "n/a" : s.median <= target ? "met" : `MISSED by ${((s.median / target - 1) * 100).toFixed(0)}%`);
const outputBytes = (dir) => (existsSync(dir) ? readdirSync(dir).reduce((total, f) => total + readFileSync(join(dir, f)).length, 0) : 0);

// ---------------------------------------------------------------------------------------------
// (a) codegen: portico (no flags) vs openapi-typescript's CLI
// ---------------------------------------------------------------------------------------------
/**
 * The option portico passes openapi-typescript (a request property with a \`default\` stays optional),
 * so both tsc projects type the same bodies and the calls compile in both.
 */
const OTS_OPTIONS = ["--default-non-nullable", "false"];
const porticoOut = (spec) => join(work, spec.id, "portico-out");
const otsOut = (spec) => join(work, spec.id, "openapi-typescript-out");
const fresh = (dir) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
};
const codegenSamples = await interleavedRounds(
  (spec) => [
    {
      name: "portico",
      run: () => {
        fresh(porticoOut(spec));
        return runMeasured(porticoBin, ["generate", spec.file, "--out", porticoOut(spec)], { cwd: work });
      },
    },
    {
      name: "openapi-typescript",
      run: () => {
        fresh(otsOut(spec));
        return runMeasured(openapiTsBin, [spec.file, "-o", join(otsOut(spec), "schema.ts"), ...OTS_OPTIONS], { cwd: work });
      },
    },
  ],
  "codegen",
);
const codegenRows = specs.map((spec) => {
  const p = codegenSamples.get(`${spec.id}/portico`);
  const o = codegenSamples.get(`${spec.id}/openapi-typescript`);
  const warnings = firstLine(p.at(-1).stderr) === "" ? 0 : p.at(-1).stderr.split("\n").filter((l) => l.includes("warning:")).length;
  return {
    spec: spec.id,
    title: spec.title,
    info: spec.info,
    portico: { cpuS: summarize(p.map((m) => m.cpuMs / 1000)), wallS: summarize(p.map((m) => m.wallMs / 1000)), maxRSSMB: summarize(p.map((m) => m.maxRSSMB)), outputMB: outputBytes(porticoOut(spec)) / 1e6, warnings },
    openapiTypescript: { cpuS: summarize(o.map((m) => m.cpuMs / 1000)), wallS: summarize(o.map((m) => m.wallMs / 1000)), maxRSSMB: summarize(o.map((m) => m.maxRSSMB)), outputMB: outputBytes(otsOut(spec)) / 1e6 },
    cpuRatio: roundRatios(p, o, "cpuMs"),
    wallRatio: roundRatios(p, o, "wallMs"),
    rssRatio: roundRatios(p, o, "maxRSSMB"),
  };
});
printTable(
  `(a) codegen CPU (user+sys of the whole process): portico generate <spec> --out <dir> (no flags) vs openapi-typescript <spec> -o <file> ${OTS_OPTIONS.join(" ")}; ${ROUNDS} interleaved round(s)${WARMUP ? " after a warm-up round" : ""}; ratio = median of per-round ratios (p25–p75); target ≤ ${TARGET_CODEGEN}×`,
  ["spec", "paths", "MB", "portico CPU s", "openapi-ts CPU s", "CPU ratio (p25–p75)", "wall ratio", "peak RSS MB (portico / ots)", "warnings", "target"],
  codegenRows.map((r) => [
    r.title,
    r.info.paths,
    fixed(r.info.megabytes, 1),
    fixed(r.portico.cpuS.median, 2),
    fixed(r.openapiTypescript.cpuS.median, 2),
    spread(r.cpuRatio),
    ratio(r.wallRatio.median),
    `${fixed(r.portico.maxRSSMB.median, 0)} / ${fixed(r.openapiTypescript.maxRSSMB.median, 0)}`,
    r.portico.warnings,
    verdict(r.cpuRatio, TARGET_CODEGEN),
  ]),
);
results.codegen = { rows: codegenRows, target: TARGET_CODEGEN };
if (codegenOnly) {
  console.log("\n--codegen-only: tsc not measured, results not written");
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// (b) tsc --noEmit on the same typed calls
// ---------------------------------------------------------------------------------------------
const projects = new Map();
for (const spec of specs) {
  const index = readFileSync(join(porticoOut(spec), "index.ts"), "utf8");
  const factory = index.match(/export \{ (create\w+ApiClient) \}/)?.[1];
  if (factory === undefined) throw new Error(`no create…ApiClient in the generated ${spec.title} index.ts`);
  const p = join(work, spec.id, "tsc-portico");
  cpSync(porticoOut(spec), join(p, "gen"), { recursive: true });
  writeFileSync(join(p, "calls.ts"), callsFile(spec, "portico", factory));
  writeFileSync(join(p, "tsconfig.json"), TSCONFIG);
  const b = join(work, spec.id, "tsc-openapi-fetch");
  mkdirSync(b, { recursive: true });
  cpSync(join(otsOut(spec), "schema.ts"), join(b, "schema.ts"));
  writeFileSync(join(b, "calls.ts"), callsFile(spec, "openapi-fetch", factory));
  writeFileSync(join(b, "tsconfig.json"), TSCONFIG);
  projects.set(spec.id, { portico: p, "openapi-fetch": b, factory });
}
const diag = (out, label) => {
  const m = out.match(new RegExp(`^${label}:\\s+([\\d.]+)`, "m"));
  return m ? Number(m[1]) : Number.NaN;
};
const runTsc = async (dir) => {
  const m = await runMeasured(tscJs, ["-p", join(dir, "tsconfig.json"), "--extendedDiagnostics"], { cwd: dir });
  const errors = m.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  return { ...m, errors, checkS: diag(m.stdout, "Check time"), instantiations: diag(m.stdout, "Instantiations"), types: diag(m.stdout, "Types"), memoryKB: diag(m.stdout, "Memory used") };
};
const tscSamples = await interleavedRounds(
  (spec) => [
    { name: "portico", allowFailure: true, run: () => runTsc(projects.get(spec.id).portico) },
    { name: "openapi-fetch", allowFailure: true, run: () => runTsc(projects.get(spec.id)["openapi-fetch"]) },
  ],
  "tsc",
);
const tscSide = (runs) => ({
  cpuS: summarize(runs.map((m) => m.cpuMs / 1000)),
  wallS: summarize(runs.map((m) => m.wallMs / 1000)),
  checkS: summarize(runs.map((m) => m.checkS)),
  maxRSSMB: summarize(runs.map((m) => m.maxRSSMB)),
  instantiations: runs[0].instantiations,
  types: runs[0].types,
  typeErrorCount: runs[0].errors.length,
  typeErrors: runs[0].errors.slice(0, 5),
});
const tscRows = specs.map((spec) => {
  const p = tscSamples.get(`${spec.id}/portico`);
  const o = tscSamples.get(`${spec.id}/openapi-fetch`);
  return {
    spec: spec.id,
    title: spec.title,
    calls: spec.calls.length,
    portico: tscSide(p),
    openapiFetch: tscSide(o),
    cpuRatio: roundRatios(p, o, "cpuMs"),
    checkRatio: roundRatios(p, o, "checkS"),
    instantiationRatio: p[0].instantiations / o[0].instantiations,
  };
});
printTable(
  `(b) tsc --noEmit (strict, skipLibCheck) on ${specs.map((s) => s.calls.length).join("/")} typed calls: generated portico client vs openapi-fetch over openapi-typescript; ${ROUNDS} interleaved round(s); target ≤ ${TARGET_TSC}× CPU`,
  ["spec", "portico CPU s", "openapi-fetch CPU s", "CPU ratio (p25–p75)", "check s (portico / o-f)", "instantiations (portico / o-f)", "type errors", "target"],
  tscRows.map((r) => [
    r.title,
    fixed(r.portico.cpuS.median, 2),
    fixed(r.openapiFetch.cpuS.median, 2),
    spread(r.cpuRatio),
    `${fixed(r.portico.checkS.median, 2)} / ${fixed(r.openapiFetch.checkS.median, 2)}`,
    `${r.portico.instantiations.toLocaleString("en")} / ${r.openapiFetch.instantiations.toLocaleString("en")}`,
    `${r.portico.typeErrorCount} / ${r.openapiFetch.typeErrorCount}`,
    r.portico.typeErrorCount + r.openapiFetch.typeErrorCount > 0 ? "invalid (type errors)" : verdict(r.cpuRatio, TARGET_TSC),
  ]),
);
for (const r of tscRows) {
  for (const [side, errors] of [["portico", r.portico.typeErrors], ["openapi-fetch", r.openapiFetch.typeErrors]]) {
    if (errors.length > 0) console.log(`type errors in the ${r.title} ${side} project:\n  ${errors.join("\n  ")}`);
  }
}
results.tsc = { rows: tscRows, target: TARGET_TSC };

// ---------------------------------------------------------------------------------------------
// Summary: every target, met or missed
// ---------------------------------------------------------------------------------------------
sampleLoad();
results.load = {
  atStart: loadAtStart,
  atEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  oneMinute: { mean: loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length, max: Math.max(...loadSamples), samples: loadSamples.length },
};
printTable(
  `targets (load average, 1 min: mean ${fixed(results.load.oneMinute.mean, 2)}, max ${fixed(results.load.oneMinute.max, 2)} over the run, on ${os.cpus().length} cores)`,
  ["spec", `codegen CPU ≤ ${TARGET_CODEGEN}× openapi-typescript`, "", `tsc CPU ≤ ${TARGET_TSC}× openapi-fetch`, ""],
  specs.map((spec) => {
    const c = codegenRows.find((r) => r.spec === spec.id);
    const t = tscRows.find((r) => r.spec === spec.id);
    const tscStatus = t.portico.typeErrorCount + t.openapiFetch.typeErrorCount > 0 ? "invalid (type errors)" : verdict(t.cpuRatio, TARGET_TSC);
    return [spec.title, spread(c.cpuRatio), verdict(c.cpuRatio, TARGET_CODEGEN), spread(t.cpuRatio), tscStatus];
  }),
);
if (unavailable.length > 0) printTable("not measured", ["part", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
writeResults("codegen-scale", { ...results, unavailable: unavailable.map(([name, why]) => ({ name, why })) });
