// One process of the fleet run: tenant clients (tokens in Redis or in this process) under load.
// Started by token-load.mjs over IPC: { base, redisUrl?, tenants, inflight, durationMs, windows }.
import { porticoTenantClient, sustain } from "./token-load.mjs";

process.once("message", async (task) => {
  const core = await import("@portico/core");
  const ims = await import("@atrope-ai/api-client");
  let cache;
  let fallbacks = 0;
  if (task.redisUrl) {
    const { createRedisTokenCache } = await import("@portico/node");
    cache = createRedisTokenCache({ redis: task.redisUrl, hooks: { onFallback: () => fallbacks++ } });
  }
  const clients = task.tenants.map((tenant) => porticoTenantClient({ core, ims, base: task.base, tenant, cache, windows: task.windows }));
  process.send({ type: "ready" });
  process.once("message", async () => {
    const outcome = await sustain(clients, task.inflight, task.durationMs);
    await cache?.close();
    process.send({ type: "done", ...outcome, fallbacks, mode: cache?.mode ?? "memory" });
    process.disconnect();
  });
});
