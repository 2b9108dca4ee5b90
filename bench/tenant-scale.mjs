// Tenant scale: heap and creation time of 1k / 10k / 100k tenant clients in one process, for every
// credential kind (each tenant with its own credential, built through core's createTenantPool and a
// generated client's factory), beside bare openapi-fetch createClient per instance; then active
// tenants (1k / 10k clientCredentials clients after one call each, beside their token's own
// bytes); then pool eviction under churn.
//
//   node bench/tenant-scale.mjs [--quick]
//
// Every measurement runs in a fresh `node --expose-gc` process (lib/tenant-scale-worker.mjs);
// variants are interleaved round by round. Heap = process.memoryUsage().heapUsed after full GCs
// repeated until it stops shrinking (not a timed segment).
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
const TARGET_BYTES = 600;
/** One row per credential kind (target ≤ TARGET_BYTES each); `control` rows carry no target. */
const KINDS = [
  { variant: "bearerToken", kind: "bearerToken", label: "IMS client + bearerToken (static string)" },
  { variant: "apiKey", kind: "apiKey", label: "Atlas client + apiKey (static; IMS has no apiKey scheme)" },
  { variant: "clientCredentials", kind: "clientCredentials", label: "IMS client + clientCredentials" },
  { variant: "bearerToken-atlas", kind: "bearerToken", label: "control: Atlas client + bearerToken (static string)", control: true },
];
const VARIANTS = [...KINDS.map((k) => k.variant), ...KINDS.filter((k) => !k.control).map((k) => `credential-${k.kind}`), "openapi-fetch"];
const LABEL = {
  ...Object.fromEntries(KINDS.map((k) => [k.variant, `portico: pool + ${k.label}`])),
  ...Object.fromEntries(KINDS.filter((k) => !k.control).map((k) => [`credential-${k.kind}`, `of which the ${k.kind} credential alone`])),
  "openapi-fetch": "openapi-fetch createClient (baseline)",
};
const worker = fileURLToPath(new URL("./lib/tenant-scale-worker.mjs", import.meta.url));

/** One worker process; a worker that fails to load a package (one being rebuilt) is retried up to 3 times, 30 s apart, and says so. */
async function measure(variant, n, apiBase, attempt = 1) {
  const args = ["--expose-gc", "--max-old-space-size=3072", worker, variant, String(n), ...(apiBase ? [apiBase] : [])];
  try {
    const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 300_000 });
    return JSON.parse(stdout);
  } catch (error) {
    if (attempt > 3 || !String(error?.stderr ?? "").includes("ERR_MODULE_NOT_FOUND")) throw error;
    console.error(`${variant} × ${n}: a package did not load (being rebuilt?); retry ${attempt} of 3 in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    return measure(variant, n, apiBase, attempt + 1);
  }
}

const core = await tryImport("@portico/core");
const ims = await tryImport("@atrope-ai/api-client");
const atlas = await tryImport("@atlas-softpos/api-client");
const unavailable = [];
const missing = ["createTenantPool", "bearerToken", "apiKey", "clientCredentials"].filter((name) => typeof core.module?.[name] !== "function");
if (missing.length > 0 || !ims.module?.createImsApiClient || !atlas.module?.createAtlasApiClient) {
  unavailable.push(["portico tenant clients", core.reason ?? ims.reason ?? atlas.reason ?? `${[...missing, "createImsApiClient / createAtlasApiClient"].join(", ")} missing`]);
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

const verdictOf = (value) => (value <= TARGET_BYTES ? "met" : "MISSED");
const rows = [];
for (const n of SIZES) {
  const of = (v, key) => (samples[n][v] ? summarize(samples[n][v].map((s) => s[key])) : undefined);
  const base = of("openapi-fetch", "bytesPerClient");
  const baseUs = of("openapi-fetch", "usPerClient");
  for (const v of variants) {
    const b = of(v, "bytesPerClient");
    const us = of(v, "usPerClient");
    const k = KINDS.find((x) => x.variant === v);
    rows.push({
      tenants: n,
      variant: v,
      label: LABEL[v] ?? v,
      ...(k && !k.control ? { kind: k.kind, target: TARGET_BYTES, status: verdictOf(b.median) } : {}),
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
  for (const k of KINDS.filter((x) => !x.control)) {
    const whole = of(k.variant, "bytesPerClient");
    const credential = of(`credential-${k.kind}`, "bytesPerClient");
    if (!whole || !credential) continue;
    rows.push({
      tenants: n,
      variant: `${k.variant}-beyond-credential`,
      label: `${k.kind}: client and pool entry beyond the credential (whole − credential)`,
      bytesPerClient: whole.median - credential.median,
      bytesRatio: (whole.median - credential.median) / base.median,
      derived: true,
    });
  }
}

printTable(
  `tenant clients in one process, per credential kind: heap per client (no token yet: tokens are fetched on first call) and creation time; target ≤ ${TARGET_BYTES} B per tenant client (credential included) for each kind`,
  ["tenants", "variant", "heap/client", "(MAD)", "heap total", "µs/client", "total ms", "heap ratio", "time ratio", "target"],
  rows.map((r) => [
    r.tenants.toLocaleString("en"),
    r.label,
    bytes(r.bytesPerClient),
    r.derived ? "" : bytes(r.bytesMad),
    r.derived ? "" : `${fixed(r.heapMB, 1)} MB`,
    r.derived ? "" : fixed(r.usPerClient, 1),
    r.derived ? "" : fixed(r.totalMs, 0),
    ratio(r.bytesRatio),
    r.derived ? "" : ratio(r.timeRatio),
    r.status === undefined ? "" : r.status === "met" ? `met (${bytes(r.bytesPerClient)})` : `MISSED (${bytes(r.bytesPerClient)}, ${ratio(r.bytesPerClient / TARGET_BYTES)} of ${TARGET_BYTES} B)`,
  ]),
);
// The verdict is read at the largest size, where per-process constants (compiled code, the pool's
// table) are spread over the most clients; a miss at a smaller size is printed beside it.
const LARGEST = SIZES[SIZES.length - 1];
const verdicts = KINDS.filter((k) => !k.control).map((k) => {
  const mine = rows.filter((r) => r.variant === k.variant);
  const atLargest = mine.find((r) => r.tenants === LARGEST);
  return {
    kind: k.kind,
    client: k.label,
    bytesBySize: Object.fromEntries(mine.map((r) => [r.tenants, r.bytesPerClient])),
    judgedAt: LARGEST,
    status: atLargest === undefined ? "not measured" : atLargest.status,
    missedAt: mine.filter((r) => r.status !== "met").map((r) => r.tenants),
  };
});
const verdictText = (v) =>
  v.status === "not measured"
    ? v.status
    : `${v.status} at ${v.judgedAt.toLocaleString("en")}` + (v.missedAt.some((n) => n !== v.judgedAt) ? ` (missed at ${v.missedAt.filter((n) => n !== v.judgedAt).map((n) => n.toLocaleString("en")).join(", ")})` : "");
printTable(
  `heap per tenant client, target ≤ ${TARGET_BYTES} B for each credential kind, judged at ${LARGEST.toLocaleString("en")} tenants`,
  ["kind", "client", ...SIZES.map((n) => `${n.toLocaleString("en")} tenants`), "verdict"],
  verdicts.map((v) => [v.kind, v.client, ...SIZES.map((n) => bytes(v.bytesBySize[n])), verdictText(v)]),
);

// Active tenants: the same clientCredentials clients after one successful call each over loopback
// (a token endpoint signing HS256 JWTs), beside the token string itself: what a multi-tenant
// server holds per tenant that calls. The token is the caller's cost; the rest ("ours") is portico's.
const ACTIVE_SIZES = quick ? [1_000] : [1_000, 10_000];
const ACTIVE_ROUNDS = (n) => (quick ? 1 : n >= 10_000 ? 2 : 3);
let active;
if (unavailable.length === 0) {
  const server = await startLoopback();
  try {
    const runs = {};
    for (const n of ACTIVE_SIZES) for (let r = 0; r < ACTIVE_ROUNDS(n); r++) (runs[n] ??= []).push(await measure("active", n, server.url));
    const rowsActive = ACTIVE_SIZES.map((n) => {
      const total = summarize(runs[n].map((s) => s.bytesPerClient));
      const cold = samples[n]?.clientCredentials ? summarize(samples[n].clientCredentials.map((s) => s.bytesPerClient)).median : undefined;
      const { tokenChars, tokenBytes } = runs[n][0];
      return {
        tenants: n,
        bytesPerClient: total.median,
        bytesMad: total.mad,
        tokenChars,
        tokenBytes,
        oursBytes: total.median - tokenBytes,
        coldBytes: cold,
        addedByCall: cold === undefined ? undefined : total.median - cold,
        heapMB: (total.median * n) / 2 ** 20,
        usPerClient: summarize(runs[n].map((s) => s.usPerClient)).median,
        runs: total.n,
      };
    });
    active = { sizes: ACTIVE_SIZES, rounds: Object.fromEntries(ACTIVE_SIZES.map((n) => [n, ACTIVE_ROUNDS(n)])), rows: rowsActive, samples: runs };
    printTable(
      "active tenants: clientCredentials clients (pool + IMS client) after one successful call each (token fetched, HS256 JWT; credits read), heap per client; ours = total − the token string",
      ["tenants", "heap/client", "(MAD)", "token string", "ours", "before the call", "added by the call", "heap total", "ms/client (token + call)"],
      rowsActive.map((r) => [
        r.tenants.toLocaleString("en"),
        bytes(r.bytesPerClient),
        bytes(r.bytesMad),
        `${bytes(r.tokenBytes)} (${r.tokenChars} chars)`,
        bytes(r.oursBytes),
        bytes(r.coldBytes),
        bytes(r.addedByCall),
        `${fixed(r.heapMB, 1)} MB`,
        fixed(r.usPerClient / 1000, 2),
      ]),
    );
    const largest = rowsActive[rowsActive.length - 1];
    console.log(`(100,000 active tenants not measured: at ${fixed(largest.usPerClient / 1000, 2)} ms per tenant's first call, one run would take ~${fixed((largest.usPerClient * 100_000) / 60e6, 1)} min.)`);
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
  kinds: KINDS.map(({ variant, kind, label, control }) => ({ variant, kind, label, control: Boolean(control) })),
  verdicts,
  settings: { sizes: SIZES, rounds: Object.fromEntries(SIZES.map((n) => [n, ROUNDS(n)])), quick },
  rows,
  samples,
  active,
  churn,
  unavailable: unavailable.map(([name, why]) => ({ name, why })),
});
