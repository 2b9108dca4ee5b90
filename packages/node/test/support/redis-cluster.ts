import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster, Redis } from "ioredis";
import { askRedis, freePort, launchRedis, PATIENT_REDIS, pollUntil as until, type RedisProcess } from "./redis.js";

/** One node of a local Redis Cluster. */
export interface ClusterNodeProcess {
  readonly port: number;
  /** The node's cluster id (`CLUSTER MYID`). */
  readonly id: string;
  readonly process: RedisProcess;
}

/** A Redis Cluster of real `redis-server` processes on loopback, started for one test file. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNodeProcess[];
  /** Start-up nodes for ioredis's `Cluster`. */
  readonly startupNodes: readonly { host: string; port: number }[];
  /** A client for the test itself (patient timeouts, offline queue on). */
  client(): Cluster;
  /** The node serving `key`'s slot as primary now. */
  primaryOf(key: string): Promise<ClusterNodeProcess>;
  /** Resolves once every live node says `cluster_state:ok` and `key`'s slot is served by a live primary other than `not`. */
  waitForPrimary(key: string, not?: ClusterNodeProcess): Promise<ClusterNodeProcess>;
  stop(): Promise<void>;
}

const SLOTS = 16_384;

/**
 * Starts `primaries` primaries (slots split evenly) with `replicasPerPrimary` replicas each, from
 * the Debian `redis-server` binary on free loopback ports, with a short `cluster-node-timeout` so a
 * killed primary's replica takes over within seconds. Waits for every node to agree the cluster is
 * up (polling `CLUSTER INFO` with no deadline: the test's timeout ends a cluster that never forms).
 */
export async function startRedisCluster(options: { primaries?: number; replicasPerPrimary?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "portico-redis-cluster-"));
  const nodes: ClusterNodeProcess[] = [];
  const admins = new Map<number, Redis>();
  const admin = (port: number): Redis => {
    let connection = admins.get(port);
    if (connection === undefined) {
      admins.set(port, (connection = new Redis(port, "127.0.0.1", { ...PATIENT_REDIS, maxRetriesPerRequest: 0, retryStrategy: () => null })));
      connection.on("error", () => {});
    }
    return connection;
  };
  try {
    for (let index = 0; index < primaries * (1 + replicas); index += 1) {
      const port = await freePort();
      const process = await launchRedis([
        "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        // Replicas sync through an RDB file: kept in the temporary folder, not the working directory.
        "--dir", dir, "--dbfilename", `dump-${port}.rdb`,
        "--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout", String(options.nodeTimeoutMs ?? 1_000),
        // A replica takes over however long it was cut off from its primary (loopback: it never lags).
        "--cluster-replica-validity-factor", "0",
      ]);
      const id = String(await admin(port).call("CLUSTER", "MYID"));
      nodes.push({ port, id, process });
    }
    const [first, ...others] = nodes;
    for (const node of others) await admin(first!.port).call("CLUSTER", "MEET", "127.0.0.1", String(node.port));
    for (let index = 0; index < primaries; index += 1) {
      const from = Math.floor((index * SLOTS) / primaries);
      const to = Math.floor(((index + 1) * SLOTS) / primaries) - 1;
      await admin(nodes[index]!.port).call("CLUSTER", "ADDSLOTSRANGE", String(from), String(to));
    }
    // Every node knows every other before replicas attach.
    await until(async () => {
      for (const node of nodes) {
        const listing = String(await admin(node.port).call("CLUSTER", "NODES"));
        if (listing.trim().split("\n").length < nodes.length || listing.includes("handshake")) return false;
      }
      return true;
    });
    for (let index = primaries; index < nodes.length; index += 1) {
      const primary = nodes[(index - primaries) % primaries]!;
      await admin(nodes[index]!.port).call("CLUSTER", "REPLICATE", primary.id);
    }
    await until(async () => {
      for (const node of nodes) {
        if (!String(await admin(node.port).call("CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
      }
      for (let index = primaries; index < nodes.length; index += 1) {
        if (!String(await admin(nodes[index]!.port).info("replication")).includes("master_link_status:up")) return false;
      }
      return true;
    });
  } catch (error) {
    for (const connection of admins.values()) connection.disconnect();
    await Promise.all(nodes.map((node) => node.process.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const connection of admins.values()) connection.disconnect();

  const startupNodes = nodes.map((node) => ({ host: "127.0.0.1", port: node.port }));
  const alive = new Set(nodes);
  for (const node of nodes) void node.process.exited.then(() => alive.delete(node));

  /** Asks a live node which node serves `key`'s slot as primary. */
  async function primaryNow(key: string): Promise<ClusterNodeProcess | undefined> {
    for (const node of alive) {
      const id = await askRedis(node.port, async (redis) => {
        const slot = Number(await redis.call("CLUSTER", "KEYSLOT", key));
        const ranges = (await redis.call("CLUSTER", "SLOTS")) as [number, number, [string, number, string]][];
        return ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][2];
      });
      if (id !== undefined) return nodes.find((candidate) => candidate.id === id);
    }
    return undefined;
  }

  return {
    nodes,
    startupNodes,
    client: () => new Cluster(startupNodes, { redisOptions: PATIENT_REDIS }),
    async primaryOf(key) {
      const node = await primaryNow(key);
      if (node === undefined) throw new Error(`no live primary serves ${key}`);
      return node;
    },
    async waitForPrimary(key, not) {
      let found: ClusterNodeProcess | undefined;
      await until(async () => {
        found = await primaryNow(key);
        if (found === undefined || found === not || !alive.has(found)) return false;
        for (const node of alive) {
          const info = await askRedis(node.port, (redis) => redis.call("CLUSTER", "INFO"));
          if (!String(info).includes("cluster_state:ok")) return false;
        }
        return true;
      });
      return found!;
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.process.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
