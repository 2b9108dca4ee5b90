import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const workerPath = fileURLToPath(new URL("../fixtures/fleet-worker.mjs", import.meta.url));

/**
 * Child processes import the BUILT packages: builds `@portico/node`, the generated IMS client and
 * what they depend on (turbo, cached) only when a `dist/` is missing; `pnpm test` has built them already.
 */
export function ensureBuilt(): void {
  const needed = ["packages/core/dist/index.js", "packages/node/dist/index.js", "packages/ims-client/dist/index.js"];
  if (needed.every((path) => existsSync(`${repoRoot}${path}`))) return;
  execFileSync("npx", ["turbo", "run", "build", "--filter=@portico/node", "--filter=@atrope-ai/api-client", "--output-logs=errors-only"], {
    cwd: repoRoot,
    stdio: "inherit",
    timeout: 900_000,
  });
}

/** One fleet worker process and what it printed. */
export interface Worker {
  readonly pid: number;
  readonly lines: string[];
  /**
   * Resolves with the first line matching, or rejects when the process exits first. No deadline
   * unless `timeoutMs` is given: a slow machine only makes it wait longer (the test's own timeout
   * still ends a wait that never resolves).
   */
  waitFor(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Writes one line to the process's stdin. */
  send(line: string): void;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  readonly stderr: () => string;
}

export function spawnWorker(config: Record<string, unknown>): Worker {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEET_WORKER_CONFIG: JSON.stringify(config) };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [workerPath], { env, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.on("error", () => {}); // a killed worker's stdin: nothing to report
  // Clients yield the CPU to the sandbox they load (and to everyone else on a shared machine).
  try {
    if (child.pid !== undefined) setPriority(child.pid, 10);
  } catch {
    // Not allowed here: run at normal priority.
  }
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let stderr = "";
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      lines.push(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // "close", not "exit": stdout is fully read by then.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  return {
    pid: child.pid ?? -1,
    lines,
    exited,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
    send: (line) => void child.stdin.write(`${line}\n`),
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer =
          timeoutMs === undefined ? undefined : setTimeout(() => finish(new Error(`worker ${child.pid}: no matching line in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          const line = lines.find(predicate);
          if (line !== undefined) finish(undefined, line);
          else if (done) finish(new Error(`worker ${child.pid} exited before a matching line; stderr: ${stderr}`));
        };
        function finish(error?: Error, line?: string): void {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(line as string);
        }
        listeners.add(check);
        check();
      });
    },
  };
}
