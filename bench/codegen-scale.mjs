// Codegen and type-check scale on GitHub's real OpenAPI spec (@octokit/openapi, 13 MB, 800+ paths):
// portico codegen vs openapi-typescript alone (time, CPU, peak RSS), then `tsc --noEmit` on a file
// making the same typed calls through the generated portico client vs openapi-typescript types +
// openapi-fetch. Every tool runs in a child process under lib/measure-child.mjs.
//
//   node bench/codegen-scale.mjs [--quick]
//
// The spec file is read from disk; the package root is never require()d (it loads ~385 MB).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { benchDir, fixed, printTable, ratio, writeResults } from "./lib/report.mjs";
import { runMeasured } from "./lib/run-measured.mjs";
import { summarize } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 1 : 2;
const TARGET_CODEGEN = 1.25;
const TARGET_TSC = 1.2;
const require = createRequire(import.meta.url);
const work = join(benchDir, ".work", "codegen");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const rawSpec = join(benchDir, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
const porticoBin = join(benchDir, "..", "packages", "codegen", "bin", "portico.js");
const openapiTsBin = join(require.resolve("openapi-typescript/package.json"), "..", "bin", "cli.js");
const tscJs = join(require.resolve("typescript/package.json"), "..", "lib", "tsc.js");
const results = { settings: { rounds: ROUNDS, quick, spec: "@octokit/openapi/generated/api.github.com.json" } };
const unavailable = [];

if (!existsSync(rawSpec)) {
  console.log("not available yet: @octokit/openapi is not installed in bench/ (pnpm install)");
  writeResults("codegen-scale", { ...results, unavailable: [{ name: "all", why: "@octokit/openapi not installed" }] });
  process.exit(0);
}
if (!existsSync(join(porticoBin, "..", "..", "dist", "cli.js"))) unavailable.push(["portico codegen", "packages/codegen/dist/cli.js is not built (pnpm build)"]);

const firstLine = (text) => text.split("\n").find((l) => l.trim().length > 0)?.trim() ?? "";
const spec = JSON.parse(readFileSync(rawSpec, "utf8"));
results.spec = { openapi: spec.openapi, paths: Object.keys(spec.paths).length, megabytes: Math.round(readFileSync(rawSpec).length / 1e5) / 10 };

// --- 1. does portico codegen take the spec as it is? ---------------------------------------
// GitHub's spec has no x-portico-client and its error bodies have no `code` enum: portico codegen
// needs --name/--package and --lenient-errors for it. Both generators then read the same file.
const PORTICO_OPTIONS = ["--name", "GitHub", "--package", "@bench/github-client", "--lenient-errors"];
const refusals = [];
const porticoGenerate = (specFile, out, options = PORTICO_OPTIONS) => runMeasured(porticoBin, ["generate", specFile, "--out", out, ...options], { cwd: work });
if (unavailable.length === 0) {
  const tries = [
    { input: "GitHub spec as published, no options", options: [] },
    ...(quick ? [] : [{ input: "+ --name GitHub --package @bench/github-client", options: PORTICO_OPTIONS.slice(0, 4) }]),
  ];
  for (const t of tries) {
    const r = await porticoGenerate(rawSpec, join(work, "refused"), t.options);
    refusals.push({ input: t.input, exitCode: r.exitCode, message: firstLine(r.stderr + r.stdout).replace(/^.*api\.github\.com\.json/, "api.github.com.json"), wallMs: r.wallMs, maxRSSMB: r.maxRSSMB });
  }
  printTable(
    "portico codegen on the spec as published without the options it needs (refusals are expected)",
    ["input", "exit", "first message", "s to refuse", "peak RSS MB"],
    refusals.map((r) => [r.input, r.exitCode, r.message.slice(0, 150), fixed(r.wallMs / 1000, 1), fixed(r.maxRSSMB, 0)]),
  );
}
results.refusals = refusals;
results.input = { spec: "as published", porticoOptions: PORTICO_OPTIONS.join(" ") };

// --- 3. codegen: portico vs openapi-typescript, interleaved -----------------------------------
const codegen = { portico: [], "openapi-typescript": [] };
const contenders = [
  ...(unavailable.length === 0 ? [{ name: "portico", run: () => porticoGenerate(rawSpec, join(work, "portico-out")) }] : []),
  { name: "openapi-typescript", run: () => runMeasured(openapiTsBin, [rawSpec, "-o", join(work, "openapi-typescript-out", "schema.ts")], { cwd: work }) },
];
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < contenders.length; i++) {
    const c = contenders[(i + r) % contenders.length];
    rmSync(join(work, `${c.name}-out`), { recursive: true, force: true });
    mkdirSync(join(work, `${c.name}-out`), { recursive: true });
    const m = await c.run();
    if (m.exitCode !== 0) throw new Error(`${c.name} failed (${m.exitCode}): ${firstLine(m.stderr)}`);
    codegen[c.name].push(m);
  }
}
const summarizeRuns = (runs) => ({
  wallS: summarize(runs.map((m) => m.wallMs / 1000)),
  cpuS: summarize(runs.map((m) => m.cpuMs / 1000)),
  maxRSSMB: summarize(runs.map((m) => m.maxRSSMB)),
});
const outputBytes = (dir) => {
  let total = 0;
  for (const f of existsSync(dir) ? require("node:fs").readdirSync(dir) : []) total += readFileSync(join(dir, f)).length;
  return total;
};
const cgRows = Object.entries(codegen)
  .filter(([, runs]) => runs.length > 0)
  .map(([name, runs]) => ({ name, ...summarizeRuns(runs), outputMB: outputBytes(join(work, `${name}-out`)) / 1e6 }));
const cgBase = cgRows.find((r) => r.name === "openapi-typescript");
for (const r of cgRows) {
  r.cpuRatio = r.cpuS.median / cgBase.cpuS.median;
  r.wallRatio = r.wallS.median / cgBase.wallS.median;
  r.rssRatio = r.maxRSSMB.median / cgBase.maxRSSMB.median;
}
const verdict = (value, target) => (value <= target ? "met" : `MISSED by ${((value / target - 1) * 100).toFixed(0)}%`);
printTable(
  `codegen on the GitHub spec as published (${results.spec.paths} paths; portico with ${PORTICO_OPTIONS.join(" ")}), ${ROUNDS} interleaved round(s); ratio vs openapi-typescript alone; target ≤ ${TARGET_CODEGEN}× time`,
  ["generator", "wall s", "CPU s", "CPU ratio", "wall ratio", "peak RSS MB", "RSS ratio", "output MB", "target (CPU)"],
  [
    ...cgRows.map((r) => [r.name, fixed(r.wallS.median, 1), fixed(r.cpuS.median, 1), ratio(r.cpuRatio), ratio(r.wallRatio), fixed(r.maxRSSMB.median, 0), ratio(r.rssRatio), fixed(r.outputMB, 2), r.name === "portico" ? verdict(r.cpuRatio, TARGET_CODEGEN) : ""]),
  ],
);
results.codegen = { rows: cgRows, target: TARGET_CODEGEN };

// --- 4. tsc --noEmit on the same typed calls --------------------------------------------------
const CALLS = (clientLine, importLines) => `${importLines}
${clientLine}

/** A few typed calls: path params, query, a JSON body, no params, search. */
export async function run(): Promise<string[]> {
  const repo = await gh.GET("/repos/{owner}/{repo}", { params: { path: { owner: "octokit", repo: "rest.js" } } });
  const issues = await gh.GET("/repos/{owner}/{repo}/issues", { params: { path: { owner: "octokit", repo: "rest.js" }, query: { state: "open", per_page: 10 } } });
  const created = await gh.POST("/repos/{owner}/{repo}/issues", { params: { path: { owner: "o", repo: "r" } }, body: { title: "hello", labels: ["bug"] } });
  const me = await gh.GET("/user");
  const search = await gh.GET("/search/repositories", { params: { query: { q: "portico" } } });
  return [repo.data?.full_name ?? "", String(issues.data?.length), String(created.data?.number), me.data ? "1" : "0", String(search.data?.total_count)];
}
`;
const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  files: ["calls.ts"],
});
const projects = [];
if (unavailable.length === 0) {
  const p = join(work, "tsc-portico");
  cpSync(join(work, "portico-out"), join(p, "gen"), { recursive: true });
  writeFileSync(join(p, "calls.ts"), CALLS('const gh = createGitHubApiClient({ baseUrl: "https://api.github.com" });', 'import { createGitHubApiClient } from "./gen/index.js";'));
  writeFileSync(join(p, "tsconfig.json"), TSCONFIG);
  projects.push({ name: "portico generated client", dir: p });
  const d = join(work, "tsc-portico-unfiltered");
  cpSync(join(work, "portico-out"), join(d, "gen"), { recursive: true });
  writeFileSync(
    join(d, "calls.ts"),
    CALLS("declare const gh: PorticoClient<paths>;", 'import type { PorticoClient } from "@portico/core";\nimport type { paths } from "./gen/schema.js";'),
  );
  writeFileSync(join(d, "tsconfig.json"), TSCONFIG);
  projects.push({ name: "diagnostic: PorticoClient<paths> (no PathsForKinds filter)", dir: d, diagnostic: true });
}
{
  const b = join(work, "tsc-openapi-fetch");
  mkdirSync(b, { recursive: true });
  cpSync(join(work, "openapi-typescript-out", "schema.ts"), join(b, "schema.ts"));
  writeFileSync(join(b, "calls.ts"), CALLS('const gh = createClient<paths>({ baseUrl: "https://api.github.com" });', 'import createClient from "openapi-fetch";\nimport type { paths } from "./schema.js";'));
  writeFileSync(join(b, "tsconfig.json"), TSCONFIG);
  projects.push({ name: "openapi-typescript + openapi-fetch", dir: b, baseline: true });
}
const diag = (out, label) => {
  const m = out.match(new RegExp(`^${label}:\\s+([\\d.]+)`, "m"));
  return m ? Number(m[1]) : Number.NaN;
};
const tsc = Object.fromEntries(projects.map((p) => [p.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < projects.length; i++) {
    const p = projects[(i + r) % projects.length];
    const m = await runMeasured(tscJs, ["-p", join(p.dir, "tsconfig.json"), "--extendedDiagnostics"], { cwd: p.dir });
    const errors = m.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    tsc[p.name].push({ ...m, errors, checkS: diag(m.stdout, "Check time"), instantiations: diag(m.stdout, "Instantiations"), types: diag(m.stdout, "Types"), memoryKB: diag(m.stdout, "Memory used") });
  }
}
const tscRows = projects.map((p) => {
  const runs = tsc[p.name];
  return {
    name: p.name,
    diagnostic: p.diagnostic ?? false,
    ...summarizeRuns(runs),
    checkS: summarize(runs.map((m) => m.checkS)),
    instantiations: runs[0].instantiations,
    types: runs[0].types,
    heapMB: summarize(runs.map((m) => m.memoryKB / 1024)),
    typeErrors: runs[0].errors.slice(0, 3),
  };
});
const tscBase = tscRows.find((r) => r.name === "openapi-typescript + openapi-fetch");
for (const r of tscRows) {
  r.cpuRatio = r.cpuS.median / tscBase.cpuS.median;
  r.wallRatio = r.wallS.median / tscBase.wallS.median;
  r.checkRatio = r.checkS.median / tscBase.checkS.median;
  r.rssRatio = r.maxRSSMB.median / tscBase.maxRSSMB.median;
}
printTable(
  `tsc --noEmit on 5 typed calls (strict, skipLibCheck), ${ROUNDS} interleaved round(s); ratio vs openapi-typescript + openapi-fetch; target ≤ ${TARGET_TSC}×`,
  ["project", "wall s", "CPU s", "CPU ratio", "check s", "check ratio", "peak RSS MB", "RSS ratio", "instantiations", "type errors", "target (CPU)"],
  tscRows.map((r) => [
    r.name,
    fixed(r.wallS.median, 1),
    fixed(r.cpuS.median, 1),
    ratio(r.cpuRatio),
    fixed(r.checkS.median, 2),
    ratio(r.checkRatio),
    fixed(r.maxRSSMB.median, 0),
    ratio(r.rssRatio),
    Number.isFinite(r.instantiations) ? r.instantiations.toLocaleString("en") : "n/a",
    r.typeErrors.length,
    r.name === "portico generated client" ? verdict(r.cpuRatio, TARGET_TSC) : "",
  ]),
);
for (const r of tscRows) if (r.typeErrors.length > 0) console.log(`type errors in ${r.name}:\n  ${r.typeErrors.join("\n  ")}`);
results.tsc = { rows: tscRows, target: TARGET_TSC };

if (unavailable.length > 0) printTable("not measured", ["part", "why"], unavailable.map(([n, why]) => [n, `not available yet: ${why}`]));
writeResults("codegen-scale", { ...results, unavailable: unavailable.map(([name, why]) => ({ name, why })) });
