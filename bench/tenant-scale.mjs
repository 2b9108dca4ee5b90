// Tenant scale: heap and creation time of 1k / 10k / 100k tenant clients in one process (each
// with its own clientCredentials credential, built through core's createTenantPool and the IMS
// factory), beside bare openapi-fetch createClient per instance; then pool eviction under churn.
//
//   node bench/tenant-scale.mjs [--quick]
//
// Every measurement runs in a fresh `node --expose-gc` process (lib/tenant-scale-worker.mjs);
// variants are interleaved round by round. Heap = process.memoryUsage().heapUsed after full GCs.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startLoopback } from "./lib/loopback-server.mjs";
import { bytes, fixed, printTable, ratio, tryImport, writeResults } from "./lib/report.mjs";
import { summarize } from "./lib/stats.mjs";

const run = promisify(execFile);
const quick = process.argv.includes("--quick");
const SIZES = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const ROUNDS = (n) => (quick ? 1 : n >= 100_000 ? 2 : 3);
const VARIANTS = ["portico", "credential", "openapi-fetch"];
const TARGET_BYTES = 600;
const worker = fileURLToPath(new URL("./lib/tenant-scale-worker.mjs", import.meta.url));

async function measure(variant, n, apiBase) {
  const args = ["--expose-gc", "--max-old-space-size=3072", worker, variant, String(n), ...(apiBase ? [apiBase] : [])];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 300_000 });
  return JSON.parse(stdout);
}

const core = await tryImport("@portico/core");
const ims = await tryImport("@atrope-ai/api-client");
const unavailable = [];
if (!core.module?.createTenantPool || !ims.module?.createImsApiClient) {
  unavailable.push(["portico tenant clients", core.reason ?? ims.reason ?? "createTenantPool / createImsApiClient missing"]);
}
const variants = unavailable.length > 0 ? ["openapi-fetch"] : VARIANTS;

const samples = {};
for (const n of SIZES) {
  for (let r = 0; r < ROUNDS(n); r++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + r) % variants.length];
      const result = await measure(variant, n);
      ((samples[n] ??= {})[variant] ??= []).push(result);
    }
  }
}

const rows = [];
for (const n of SIZES) {
  const of = (v, key) => (samples[n][v] ? summarize(samples[n][v].map((s) => s[key])) : undefined);
  const base = of("openapi-fetch", "bytesPerClient");
  const baseUs = of("openapi-fetch", "usPerClient");
  const porticoBytes = of("portico", "bytesPerClient");
  const credentialBytes = of("credential", "bytesPerClient");
  for (const v of variants) {
    const b = of(v, "bytesPerClient");
    const us = of(v, "usPerClient");
    rows.push({
      tenants: n,
      variant: v,
      bytesPerClient: b.median,
      bytesMad: b.mad,
      heapMB: (b.median * n) / 2 ** 20,
      usPerClient: us.median,
      totalMs: (us.median * n) / 1000,
      bytesRatio: b.median / base.median,
      timeRatio: us.median / baseUs.median,
      runs: b.n,
    });
  }
  if (porticoBytes && credentialBytes) {
    rows.push({
      tenants: n,
      variant: "portico client beyond its credential (portico − credential)",
      bytesPerClient: porticoBytes.median - credentialBytes.median,
      bytesRatio: (porticoBytes.median - credentialBytes.median) / base.median,
      derived: true,
    });
  }
}

const label = {
  portico: "portico: pool + IMS client + own clientCredentials",
  credential: "  of which: clientCredentials alone",
  "openapi-fetch": "openapi-fetch createClient (baseline)",
};
const verdict = (r) => {
  if (r.variant === "portico") return r.bytesPerClient <= TARGET_BYTES ? "met" : `MISSED ${ratio(r.bytesPerClient / TARGET_BYTES)}`;
  if (r.derived) return r.bytesPerClient <= TARGET_BYTES ? "met" : `MISSED ${ratio(r.bytesPerClient / TARGET_BYTES)}`;
  return "";
};
printTable(
  `tenant clients in one process: heap per client (no token yet: tokens are fetched on first call) and creation time; target ≤ ${TARGET_BYTES} B per client beyond its token`,
  ["tenants", "variant", "heap/client", "(MAD)", "heap total", "µs/client", "total ms", "heap ratio", "time ratio", "target"],
  rows.map((r) => [
    r.tenants.toLocaleString("en"),
    label[r.variant] ?? r.variant,
    bytes(r.bytesPerClient),
    r.derived ? "" : bytes(r.bytesMad),
    r.derived ? "" : `${fixed(r.heapMB, 1)} MB`,
    r.derived ? "" : fixed(r.usPerClient, 1),
    r.derived ? "" : fixed(r.totalMs, 0),
    ratio(r.bytesRatio),
    r.derived ? "" : ratio(r.timeRatio),
    verdict(r),
  ]),
);

// A token's own weight, at 1k tenants: one call per tenant against the loopback server.
let warm;
if (unavailable.length === 0) {
  const server = await startLoopback();
  try {
    const w = await measure("portico-warm", 1_000, server.url);
    const cold = summarize(samples[1_000].portico.map((s) => s.bytesPerClient)).median;
    warm = { tenants: 1_000, bytesPerClientWithToken: w.bytesPerClient, tokenBytes: w.bytesPerClient - cold };
    printTable(
      "after one call each: the same 1,000 clients holding a token (HS256 JWT, ~480 characters), credits, and their share of the keep-alive pool",
      ["tenants", "heap/client after a call", "added by the call"],
      [["1,000", bytes(w.bytesPerClient), bytes(warm.tokenBytes)]],
    );
  } finally {
    await server.close();
  }
}

let churn;
if (unavailable.length === 0) {
  churn = await measure("churn", quick ? 20_000 : 100_000);
  printTable(
    `pool eviction under churn: max 1,000 clients, ${churn.gets.toLocaleString("en")} gets (90% over 500 hot tenants, 10% over ${churn.gets.toLocaleString("en")}), then an idle sweep`,
    ["clients built", "disposed (evictions + idle sweep)", "size after churn", "size after idle sweep", "heap full (MB)", "heap after churn (MB)", "µs/get", "hit rate"],
    [[churn.createdDuringChurn, churn.disposed, churn.sizeAfterChurn, churn.sizeAfterIdleSweep, fixed(churn.heapFilledMB, 2), fixed(churn.heapAfterChurnMB, 2), fixed(churn.usPerGet, 2), `${fixed(churn.hitRate * 100, 1)}%`]],
  );
}

if (unavailable.length > 0) printTable("not measured", ["part", "why"], unavailable.map(([p, why]) => [p, `not available yet: ${why}`]));
writeResults("tenant-scale", {
  targetBytesPerClient: TARGET_BYTES,
  settings: { sizes: SIZES, rounds: Object.fromEntries(SIZES.map((n) => [n, ROUNDS(n)])), quick },
  rows,
  samples,
  warm,
  churn,
  unavailable: unavailable.map(([name, why]) => ({ name, why })),
});
