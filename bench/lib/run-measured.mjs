// Spawns a Node CLI under lib/measure-child.mjs; resolves wall time, CPU time, peak RSS and output.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const wrapper = fileURLToPath(new URL("./measure-child.mjs", import.meta.url));
let counter = 0;

/** `{ exitCode, wallMs, cpuMs, maxRSSMB, stdout, stderr }` of `node <script> ...args` in `cwd`. */
export function runMeasured(script, args, { cwd, nodeArgs = [] } = {}) {
  const resultFile = join(tmpdir(), `portico-bench-${process.pid}-${++counter}.json`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, wrapper, resultFile, script, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = performance.now() - t0;
      let usage = {};
      try {
        usage = JSON.parse(readFileSync(resultFile, "utf8"));
        rmSync(resultFile, { force: true });
      } catch {
        // The child died before its exit hook ran.
      }
      resolve({
        exitCode: usage.exitCode ?? code,
        wallMs,
        cpuMs: (usage.userMs ?? Number.NaN) + (usage.systemMs ?? Number.NaN),
        maxRSSMB: (usage.maxRSSKB ?? Number.NaN) / 1024,
        stdout,
        stderr,
      });
    });
  });
}
