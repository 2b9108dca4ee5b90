// Runs every benchmark in sequence (each in its own process), then rewrites the results section
// of bench/README.md from bench/results/*.json.
//
//   node bench/run-all.mjs [--quick] [--only overhead,bundle]
//
// `pnpm bench` builds the packages first (turbo) and then runs this.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { benchDir } from "./lib/report.mjs";
import { updateReadme } from "./lib/summary.mjs";

const BENCHMARKS = [
  { name: "overhead", nodeArgs: [] },
  { name: "token-load", nodeArgs: [] },
  { name: "tenant-scale", nodeArgs: [] },
  { name: "bundle", nodeArgs: [] },
  { name: "codegen-scale", nodeArgs: [] },
  { name: "lists-and-streams", nodeArgs: [] },
  { name: "telemetry-overhead", nodeArgs: [] },
  { name: "call-controls", nodeArgs: [] },
];

const quick = process.argv.includes("--quick");
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? new Set(process.argv[onlyIndex + 1].split(",")) : undefined;
const started = performance.now();
const outcomes = [];
for (const b of BENCHMARKS) {
  if (only && !only.has(b.name)) continue;
  console.log(`\n=== ${b.name} ${"=".repeat(Math.max(0, 90 - b.name.length))}`);
  const t0 = performance.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [...b.nodeArgs, join(benchDir, `${b.name}.mjs`), ...(quick ? ["--quick"] : [])], { stdio: "inherit" });
    child.once("close", (c) => resolve(c ?? 1));
  });
  outcomes.push({ name: b.name, code, seconds: (performance.now() - t0) / 1000 });
}
console.log("\n=== summary");
for (const o of outcomes) console.log(`${o.name.padEnd(14)} ${o.code === 0 ? "ok    " : `FAILED (exit ${o.code})`} ${o.seconds.toFixed(0).padStart(4)} s`);
console.log(`total          ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (!quick) {
  const file = updateReadme();
  if (file) console.log(`results tables in ${file.slice(benchDir.length - "bench".length)} updated`);
}
process.exit(outcomes.some((o) => o.code !== 0) ? 1 : 0);
