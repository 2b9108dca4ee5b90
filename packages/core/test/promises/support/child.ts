/**
 * Runs a script in a child Node process against core as it ships (its sources bundled with
 * esbuild into one ES module), so a test can measure what a call costs that process (peak RSS)
 * without the test runner's own memory in the way. Waits on the child's exit, never on time.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CORE_ENTRY = fileURLToPath(new URL("../../../src/index.ts", import.meta.url));

interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<unknown>;
}

/** esbuild, as the test runner (vitest → vite) already depends on it: core declares no esbuild of its own. */
async function esbuild(): Promise<EsbuildApi> {
  const here = createRequire(import.meta.url);
  const vitest = createRequire(here.resolve("vitest/package.json"));
  const vite = createRequire(vitest.resolve("vite"));
  const module = (await import(vite.resolve("esbuild"))) as EsbuildApi & { default?: EsbuildApi };
  return typeof module.build === "function" ? module : (module.default as EsbuildApi);
}

export interface ChildRun {
  /** Everything the child printed on stdout, parsed as JSON (its last line). */
  readonly result: unknown;
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Bundles core into a temporary directory, writes `script` beside it (it imports `./core.mjs`), runs it with `args`. */
export async function runWithCore(script: string, args: readonly string[]): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), "portico-child-"));
  try {
    await (await esbuild()).build({
      entryPoints: [CORE_ENTRY],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: join(dir, "core.mjs"),
      conditions: ["@portico/source"],
      logLevel: "silent",
    });
    await writeFile(join(dir, "child.mjs"), script);
    const child = spawn(process.execPath, [join(dir, "child.mjs"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const last = stdout.trim().split("\n").pop() ?? "";
    let result: unknown;
    try {
      result = JSON.parse(last);
    } catch {
      result = undefined;
    }
    return { result, stderr, exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
