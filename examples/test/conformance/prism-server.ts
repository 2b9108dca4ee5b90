/**
 * Starts Stoplight Prism (`prism mock <spec>`, request validation on, its default) on a free
 * loopback port, and reads the validation verdict Prism puts on each answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const prismBin = join(repoRoot, "node_modules", ".bin", "prism");

/** A running Prism mock server. */
export interface PrismServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound once by the OS, then released for Prism). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `prism mock <specFile>` and resolves once it listens, or rejects if it exits first. No
 * start-up deadline unless `timeoutMs` is given: loading a spec on a busy machine only takes
 * longer (the hook's own timeout still ends a Prism that never listens).
 */
export async function startPrism(specFile: string, timeoutMs?: number): Promise<PrismServer> {
  const port = await freePort();
  const child = spawn(prismBin, ["mock", specFile, "-h", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            void stopChild(child);
            reject(new Error(`prism did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`));
          }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code} before listening:\n${output.slice(-2000)}`));
    });
  });
  // Keep draining its log so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** One entry of Prism's `sl-violations` header. */
export interface PrismViolation {
  readonly location: readonly string[];
  readonly severity: string;
  readonly code: string | number;
  readonly message: string;
}

/** The violations Prism reported on this answer (request and its own mock response; empty when both conform). */
export function prismViolations(response: Response): PrismViolation[] {
  const header = response.headers.get("sl-violations");
  if (header === null) return [];
  try {
    const parsed = JSON.parse(header) as PrismViolation[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [{ location: ["header"], severity: "Error", code: "unparsable", message: header.slice(0, 200) }];
  }
}
