import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { askRedis as ask, freePort, launchRedis, pollUntil as until, type RedisProcess } from "./redis.js";

/** A Redis node of the Sentinel set-up. */
export interface SentinelNodeProcess {
  readonly port: number;
  readonly process: RedisProcess;
}

/** A primary, its replica and three Sentinels (quorum 2) on loopback, started for one test file. */
export interface RedisSentinelSetup {
  /** The name the Sentinels monitor the primary under. */
  readonly name: string;
  readonly sentinels: readonly { host: string; port: number }[];
  readonly nodes: readonly SentinelNodeProcess[];
  /** The node the Sentinels name as primary now. */
  primary(): Promise<SentinelNodeProcess>;
  /** Resolves once the Sentinels name a live primary other than `old` and it answers as one. */
  waitForFailover(old: SentinelNodeProcess): Promise<SentinelNodeProcess>;
  stop(): Promise<void>;
}

/**
 * Starts a primary, one replica and three Sentinels from the Debian `redis-server` binary
 * (`--sentinel` mode) on free loopback ports, with `down-after-milliseconds` 1000 so a killed
 * primary is failed over within seconds. Resolves once the replica is in sync and every Sentinel
 * has found it.
 */
export async function startRedisSentinel(name = "portico"): Promise<RedisSentinelSetup> {
  const dir = mkdtempSync(join(tmpdir(), "portico-redis-sentinel-"));
  const processes: RedisProcess[] = [];
  const nodes: SentinelNodeProcess[] = [];
  const sentinels: { host: string; port: number }[] = [];
  // Replicas sync through an RDB file: kept in the temporary folder, not the working directory.
  const common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  try {
    const primaryPort = await freePort();
    const primaryProcess = await launchRedis(["--port", String(primaryPort), ...common, "--dbfilename", `dump-${primaryPort}.rdb`]);
    processes.push(primaryProcess);
    nodes.push({ port: primaryPort, process: primaryProcess });
    const replicaPort = await freePort();
    const replicaProcess = await launchRedis(["--port", String(replicaPort), ...common, "--dbfilename", `dump-${replicaPort}.rdb`, "--replicaof", "127.0.0.1", String(primaryPort)]);
    processes.push(replicaProcess);
    nodes.push({ port: replicaPort, process: replicaProcess });
    await until(() => ask(replicaPort, (redis) => redis.info("replication")).then((info) => info?.includes("master_link_status:up") === true));

    for (let index = 0; index < 3; index += 1) {
      const port = await freePort();
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          "",
        ].join("\n"),
      );
      processes.push(await launchRedis([file, "--sentinel"], "+monitor master"));
      sentinels.push({ host: "127.0.0.1", port });
    }
    // Every Sentinel knows the replica (it can promote it) and the other Sentinels (quorum).
    await until(async () => {
      for (const sentinel of sentinels) {
        const replicas = await ask(sentinel.port, (redis) => redis.call("SENTINEL", "REPLICAS", name) as Promise<unknown[]>);
        const master = await ask(sentinel.port, (redis) => redis.call("SENTINEL", "MASTER", name) as Promise<string[]>);
        if (!replicas || replicas.length < 1 || !master) return false;
        const known = Number(master[master.indexOf("num-other-sentinels") + 1]);
        if (known < 2) return false;
      }
      return true;
    });
  } catch (error) {
    await Promise.all(processes.map((process) => process.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  async function primaryNow(): Promise<SentinelNodeProcess | undefined> {
    for (const sentinel of sentinels) {
      const address = await ask(sentinel.port, (redis) => redis.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name) as Promise<[string, string]>);
      if (address) return nodes.find((node) => node.port === Number(address[1]));
    }
    return undefined;
  }

  return {
    name,
    sentinels,
    nodes,
    async primary() {
      const node = await primaryNow();
      if (node === undefined) throw new Error("no Sentinel names a primary");
      return node;
    },
    async waitForFailover(old) {
      let found: SentinelNodeProcess | undefined;
      await until(async () => {
        found = await primaryNow();
        if (found === undefined || found === old) return false;
        const role = await ask(found.port, (redis) => redis.call("ROLE") as Promise<unknown[]>);
        return role?.[0] === "master";
      });
      return found!;
    },
    async stop() {
      await Promise.all(processes.map((process) => process.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
