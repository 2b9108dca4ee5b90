// Starts a throwaway `redis-server` on a free loopback port (no persistence) for one benchmark.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";

/** Whether `redis-server` can be run here. */
export function redisServerAvailable() {
  const probe = spawnSync(process.env.REDIS_SERVER_BIN ?? "redis-server", ["--version"], { encoding: "utf8" });
  return probe.status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => {
      socket.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
  });
}

/** Starts redis-server; resolves `{ url, stop() }` once it answers PING. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    process.env.REDIS_SERVER_BIN ?? "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
    { stdio: "ignore" },
  );
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  for (let i = 0; i < 100; i++) {
    if (await ping(port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: () =>
          new Promise((resolve) => {
            process.off("exit", killOnExit);
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on port ${port}`);
}
