/** Webhook subscriptions (`integration:webhooks:manage`): list, create (secret shown once), update, delete. */
import { randomBytes, randomUUID } from "node:crypto";
import type { Hono, MiddlewareHandler } from "hono";
import type { EudrEnv } from "./env.js";
import { EudrProblem, readJson, readParam } from "./http.js";
import { createOnce } from "./idempotency.js";
import { uuid, webhookCreate, webhookUpdate } from "./schemas.js";
import type { EudrScope } from "./scopes.js";

/** Mounts the webhook routes. */
export function registerWebhookRoutes(app: Hono<EudrEnv>, deps: { readonly guard: (scope: EudrScope) => MiddlewareHandler<EudrEnv>; readonly now: () => number }): void {
  const manage = deps.guard("integration:webhooks:manage");
  const find = (c: Parameters<MiddlewareHandler<EudrEnv>>[0]) => {
    const id = readParam(c, "webhookId", uuid);
    const entry = c.get("auth").data.webhooks.get(id);
    if (!entry) throw new EudrProblem(404, "NOT_FOUND", "Webhook not found");
    return entry;
  };

  app.get("/webhooks", manage, (c) => c.json({ data: [...c.get("auth").data.webhooks.values()].map((w) => w.webhook) }, 200));

  app.post("/webhooks", manage, async (c) => {
    const input = await readJson(c, webhookCreate);
    const { data } = c.get("auth");
    const now = deps.now();
    return createOnce(c, "POST /webhooks", input, now, () => {
      const at = new Date(now).toISOString();
      const webhook = {
        id: randomUUID(),
        url: input.url,
        events: input.events,
        description: input.description ?? null,
        active: input.active ?? true,
        createdAt: at,
        updatedAt: at,
      };
      const signingSecret = `whsec_${randomBytes(16).toString("hex")}`;
      data.webhooks.set(webhook.id, { webhook, signingSecret });
      return { ...webhook, signingSecret };
    });
  });

  app.patch("/webhooks/:webhookId", manage, async (c) => {
    const entry = find(c);
    const patch = await readJson(c, webhookUpdate);
    Object.assign(entry.webhook, patch, { updatedAt: new Date(deps.now()).toISOString() });
    return c.json(entry.webhook, 200);
  });

  app.delete("/webhooks/:webhookId", manage, (c) => {
    const entry = find(c);
    c.get("auth").data.webhooks.delete(entry.webhook.id);
    return c.body(null, 204);
  });
}
