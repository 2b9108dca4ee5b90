import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** A real `redis-server` on loopback, started for one test file. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
}

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? "redis-server";

/** Starts `redis-server --port <free> --save '' --appendonly no --bind 127.0.0.1`. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: RedisProcess | undefined;

  async function start(): Promise<void> {
    child = await launchRedis(["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]);
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    await proc?.stop();
  }

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}

/** One `redis-server` process (a node, or a Sentinel with `--sentinel`). */
export interface RedisProcess {
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<void>;
  /** Sends `signal` (SIGKILL: a crash, nothing flushed or handed over). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `redis-server` with `args`; resolves once it prints `readyText` (a node's "Ready to accept
 * connections", a Sentinel's "+monitor master"), rejects if it exits first: no start-up deadline to
 * miss on a busy machine.
 */
export async function launchRedis(args: readonly string[], readyText = "Ready to accept connections"): Promise<RedisProcess> {
  const proc: ChildProcess = spawn(REDIS_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(readyText)) {
        proc.stdout?.off("data", onData);
        proc.stdout?.resume();
        resolve();
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return {
    pid: proc.pid ?? -1,
    exited,
    kill: (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

/** A TCP port nobody listens on right now. */
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

/**
 * Connection and command timeouts for test clients: long enough never to fire on a busy machine
 * (a starved event loop runs an expired timer before it reads the reply that was already there),
 * so a test sees Redis fail only where it stops Redis on purpose.
 */
export const PATIENT_REDIS = { connectTimeout: 60_000, commandTimeout: 60_000 } as const;

/** One command a client sent, as `MONITOR` reports it. */
export interface MonitoredCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The client's address: one per connection, so one per cache in these tests. */
  readonly client: string;
}

/** Redis `MONITOR`: every command any client sends, as events a test can wait on. */
export interface RedisMonitor {
  readonly commands: MonitoredCommand[];
  /** Resolves once `ready(commands)` holds. */
  until(ready: (commands: readonly MonitoredCommand[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function monitorRedis(port: number): Promise<RedisMonitor> {
  const connection = new Redis(port, "127.0.0.1", { ...PATIENT_REDIS, lazyConnect: true });
  await connection.connect();
  const monitor = await connection.monitor();
  const commands: MonitoredCommand[] = [];
  const waiters = new Set<() => void>();
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    commands.push({ command: String(args[0] ?? "").toLowerCase(), args: args.slice(1), client: source });
    for (const check of [...waiters]) check();
  });
  return {
    commands,
    until: (ready) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!ready(commands)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    async close() {
      monitor.disconnect();
      connection.disconnect();
    },
  };
}

/** Runs one command on a fresh connection to `port`; undefined when that node does not answer. */
export async function askRedis<T>(port: number, run: (redis: Redis) => Promise<T>): Promise<T | undefined> {
  const connection = new Redis(port, "127.0.0.1", { ...PATIENT_REDIS, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  connection.on("error", () => {});
  try {
    await connection.connect();
    return await run(connection);
  } catch {
    return undefined;
  } finally {
    connection.disconnect();
  }
}

/**
 * Polls `check` every 50 ms until it holds: for states a server reaches with no event to listen
 * to (a cluster agreeing, a Sentinel promoting). No deadline of its own: the test's timeout is the limit.
 */
export async function pollUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
