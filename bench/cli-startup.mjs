// Startup time of the built `portico` bin for commands that generate nothing: the median wall
// time of N runs of `portico --help` and `portico --version` (build first: `pnpm build`).
//
//   node bench/cli-startup.mjs [--runs 15]
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { benchDir } from "./lib/report.mjs";

const bin = join(benchDir, "..", "packages", "codegen", "bin", "portico.js");
const runsIndex = process.argv.indexOf("--runs");
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 15;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const args of [["--help"], ["--version"]]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, [bin, ...args], { stdio: "ignore" });
    times.push(performance.now() - started);
  }
  console.log(`portico ${args.join(" ").padEnd(10)} median ${median(times).toFixed(0).padStart(4)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${runs} runs)`);
}
