// The "met or missed" table of bench/README.md: one row per target, read from bench/results/*.json,
// so the verdicts can never be older than the results they stand on.

import { kb as bytes, table, x } from "./format.mjs";

/** Bytes with one decimal in kilobytes, as the verdicts read. */
const kb = (v) => bytes(v, 1);
const by = (ratio, max) => `${Math.round((ratio / max - 1) * 100)}%`;
const notRun = (name) => `not measured (\`bench:${name}\` has not run)`;

/** Overhead: one row per contender and method, each of its measures with its verdict. */
function overheadRows(r) {
  if (!Array.isArray(r?.targets)) return [["per-call overhead", notRun("overhead"), ""]];
  const groups = new Map();
  for (const t of r.targets) {
    const method = t.what.split(" ")[0];
    // The stub row is the same client's own work: judged with the global-fetch row it explains.
    const contender = t.contender.replace("(stub fetcher)", "(global fetch)");
    const key = `${contender} ≤ ${t.max.toFixed(2)}× ${t.reference}, **${method}**`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(t);
  }
  return [...groups].map(([target, ts]) => {
    const what = (t) => t.what.replace(/^(GET|POST) /, "").replace(/ \(.*\)$/, "");
    const result = ts.map((t) => `${what(t)} ${t.ratio == null ? "n/a" : x(t.ratio)}`).join("; ");
    const missed = ts.filter((t) => t.status === "MISSED");
    const unmeasured = ts.filter((t) => t.status !== "met" && t.status !== "MISSED");
    const status =
      missed.length > 0
        ? `**missed**: ${missed.map((t) => `${what(t)} by ${by(t.ratio, t.max)}`).join(", ")}`
        : unmeasured.length > 0
          ? `not measured: ${unmeasured.map(what).join(", ")}`
          : "met";
    return [target, result, status];
  });
}

function tokenLoadRows(r) {
  if (!r) return [["token-endpoint load", notRun("token-load"), ""]];
  const rows = [];
  const cold = r.coldStampede?.find((c) => c.target !== undefined);
  if (cold) {
    rows.push([
      `${r.settings.stampedeCalls.toLocaleString("en")} concurrent calls on a cold token → ${cold.target} token request`,
      `${cold.tokenRequests} (at most ${cold.tokenRequestsMax} over ${cold.runs?.length ?? 1} runs)`,
      cold.tokenRequestsMax <= cold.target ? "met" : "**missed**",
    ]);
  }
  const targeted = (r.sustained ?? []).filter((s) => s.targeted);
  if (targeted.length > 0) {
    const worst = Math.max(...targeted.map((s) => s.perLifetime));
    const design = Math.max(...targeted.map((s) => s.designPerLifetime ?? 1));
    rows.push([
      "sustained: ~1 token request per lifetime",
      `${targeted.map((s) => s.perLifetime.toFixed(2)).join(" and ")} per lifetime (refresh-ahead design ${design.toFixed(2)})`,
      worst <= design * 1.05 ? "met" : "**missed**",
    ]);
  }
  const shared = r.fleet?.find((f) => f.ratio !== 1);
  const perProcess = r.fleet?.find((f) => f.ratio === 1);
  rows.push(
    shared
      ? [
          "fleet on Redis: ~1 per lifetime per tenant",
          `${shared.perLifetimePerTenant.toFixed(2)} (worst tenant ${shared.maxTenantPerLifetime.toFixed(2)})${perProcess ? ` vs ${perProcess.perLifetimePerTenant.toFixed(2)} per process` : ""}; ${shared.failed} calls failed`,
          shared.maxTenantPerLifetime <= 1.1 && shared.failed === 0 ? "met" : "**missed**",
        ]
      : ["fleet on Redis: ~1 per lifetime per tenant", `not measured: ${r.unavailable?.find((u) => /fleet|redis/i.test(u.name))?.why ?? "no fleet rows"}`, ""],
  );
  return rows;
}

function tenantRows(r) {
  if (!Array.isArray(r?.verdicts)) return [["≤ 600 B heap per tenant client", notRun("tenant-scale"), ""]];
  const at = Math.max(...r.verdicts.map((v) => v.judgedAt));
  const result = r.verdicts.map((v) => `${kb(v.bytesBySize[v.judgedAt])} ${v.kind}`).join(", ");
  const missedSmaller = r.verdicts.flatMap((v) => (v.missedAt ?? []).filter((size) => size !== v.judgedAt));
  const missed = r.verdicts.filter((v) => v.status === "MISSED");
  const status = missed.length > 0 ? `**missed**: ${missed.map((v) => v.kind).join(", ")}` : "met";
  const note = missedSmaller.length > 0 ? ` (over it at ${[...new Set(missedSmaller)].sort((a, b) => a - b).map((s) => s.toLocaleString("en")).join(" and ")}: per-process constants)` : "";
  return [[`≤ ${r.targetBytesPerClient} B heap per tenant client, each credential kind`, `at ${at.toLocaleString("en")}: ${result}${note}`, status]];
}

function bundleRows(r) {
  if (!Array.isArray(r?.rows)) return [["browser bundle", notRun("bundle"), ""]];
  return r.rows
    .filter((row) => row.target !== undefined)
    .map((row) => {
      const bytes = row.split?.upFront?.gzip ?? row.gzip;
      const name = row.id === "static-key-ims" ? "static-key IMS client" : row.id === "app-ims" ? "core + browser sign-in + IMS client" : row.label;
      return [
        `${name} ≤ ${kb(row.target)} min+gzip (up front)`,
        row.error ? row.error : kb(bytes),
        row.error ? "not measured" : bytes <= row.target ? "met" : `**missed by ${kb(bytes - row.target)} (${(bytes / row.target).toFixed(1)}×)**`,
      ];
    });
}

function codegenRows(r) {
  if (!r?.codegen || !r?.tsc) return [["codegen and tsc", notRun("codegen-scale"), ""]];
  const one = (rows, target, label) => {
    const ratios = rows.map((row) => row.cpuRatio);
    const worst = Math.max(...ratios.map((s) => s.median));
    return [
      `${label} (${rows.map((row) => row.title).join(", ")})`,
      ratios.map((s) => x(s.median)).join(" / "),
      worst <= target ? "met" : `**missed by ${by(worst, target)}**`,
    ];
  };
  return [one(r.codegen.rows, r.codegen.target, `codegen ≤ ${r.codegen.target}× openapi-typescript CPU`), one(r.tsc.rows, r.tsc.target, `\`tsc\` ≤ ${r.tsc.target}× openapi-fetch CPU`)];
}

/** The table, from the results `load(name)` returns (undefined when a benchmark has not run). */
export function targetsMarkdown(load) {
  const rows = [
    ...overheadRows(load("overhead")),
    ...tokenLoadRows(load("token-load")),
    ...tenantRows(load("tenant-scale")),
    ...bundleRows(load("bundle")),
    ...codegenRows(load("codegen-scale")),
  ];
  const dates = ["overhead", "token-load", "tenant-scale", "bundle", "codegen-scale"]
    .map((name) => [name, load(name)])
    .filter(([, r]) => r?.date)
    .map(([name, r]) => `${name} ${r.date.slice(0, 16).replace("T", " ")}${r.settings?.quick ? " (quick run)" : ""}`);
  return `From the latest results (${dates.join(", ")} UTC); the sections above hold every figure.\n\n${table(["target", "result", "status"], rows)}`;
}
