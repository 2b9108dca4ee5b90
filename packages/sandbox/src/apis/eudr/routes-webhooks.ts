/** Webhook subscriptions (`integration:webhooks:manage`): list, create (secret shown once), update, delete. */
import { randomBytes, randomUUID } from "node:crypto";
import type { Hono, MiddlewareHandler } from "hono";
import type { EudrEnv } from "./env.js";
import { EudrProblem, input } from "./http.js";
import type { EudrScope } from "./scopes.js";

/** Mounts the webhook routes. */
export function registerWebhookRoutes(app: Hono<EudrEnv>, deps: { readonly guard: (scope: EudrScope) => MiddlewareHandler<EudrEnv>; readonly now: () => number }): void {
  const manage = deps.guard("integration:webhooks:manage");
  const find = (c: Parameters<MiddlewareHandler<EudrEnv>>[0]) => {
    // A UUID: the guard validated the path against the spec.
    const entry = c.get("auth").data.webhooks.get(c.req.param("webhookId") ?? "");
    if (!entry) throw new EudrProblem(404, "NOT_FOUND", "Webhook not found");
    return entry;
  };

  app.get("/webhooks", manage, (c) => c.json({ data: [...c.get("auth").data.webhooks.values()].map((w) => w.webhook) }, 200));

  app.post("/webhooks", manage, (c) => {
    const body = input(c, "createWebhook").body;
    const { data } = c.get("auth");
    const at = new Date(deps.now()).toISOString();
    const webhook = {
      id: randomUUID(),
      url: body.url,
      events: body.events,
      description: body.description ?? null,
      active: body.active ?? true,
      createdAt: at,
      updatedAt: at,
    };
    const signingSecret = `whsec_${randomBytes(16).toString("hex")}`;
    data.webhooks.set(webhook.id, { webhook, signingSecret });
    return c.json({ ...webhook, signingSecret }, 201);
  });

  app.patch("/webhooks/:webhookId", manage, (c) => {
    const entry = find(c);
    const patch = input(c, "updateWebhook").body;
    Object.assign(entry.webhook, patch, { updatedAt: new Date(deps.now()).toISOString() });
    return c.json(entry.webhook, 200);
  });

  app.delete("/webhooks/:webhookId", manage, (c) => {
    const entry = find(c);
    c.get("auth").data.webhooks.delete(entry.webhook.id);
    return c.body(null, 204);
  });
}
