import type { Context, Hono } from "hono";
import { atlasError } from "./problem.js";
import { randomToken } from "./credential-store.js";
import { principalOf } from "./authenticate.js";
import { input } from "./input.js";
import type { AtlasState, AtlasWebhook } from "./state.js";

const view = (w: AtlasWebhook): Record<string, unknown> => {
  const { merchantId: _m, secret: _s, ...rest } = w;
  return rest;
};

/** Webhook endpoints CRUD, per merchant; the signing secret is shown once, at creation. */
export function mountWebhookRoutes(app: Hono, deps: { readonly state: AtlasState }): void {
  const { webhooks } = deps.state;
  const mine = (c: Context): AtlasWebhook | undefined => {
    const hook = webhooks.get(c.req.param("webhookId") ?? "");
    return hook && hook.merchantId === principalOf(c).merchantId ? hook : undefined;
  };
  const notFound = (c: Context) =>
    c.json(atlasError("NOT_FOUND", `No webhook ${c.req.param("webhookId")}.`, { requestId: c.get("requestId" as never) as string | undefined }), 404);

  app.get("/v1/webhooks", (c) => {
    const { merchantId } = principalOf(c);
    return c.json({ data: [...webhooks.values()].filter((w) => w.merchantId === merchantId).map(view) });
  });
  app.post("/v1/webhooks", (c) => {
    const body = input(c, "createWebhook").body;
    const hook: AtlasWebhook = {
      id: `wh_${randomToken(14)}`,
      merchantId: principalOf(c).merchantId,
      url: body.url,
      events: body.events,
      ...(body.description ? { description: body.description } : {}),
      enabled: true,
      secret: `whsec_${randomToken(24)}`,
      createdAt: deps.state.nowIso(),
    };
    webhooks.set(hook.id, hook);
    return c.json({ ...view(hook), secret: hook.secret }, 201);
  });
  app.get("/v1/webhooks/:webhookId", (c) => {
    const hook = mine(c);
    return hook ? c.json(view(hook)) : notFound(c);
  });
  app.patch("/v1/webhooks/:webhookId", (c) => {
    const hook = mine(c);
    if (!hook) return notFound(c);
    const body = input(c, "updateWebhook").body;
    if (body.url !== undefined) hook.url = body.url;
    if (body.events !== undefined) hook.events = body.events;
    if (body.description !== undefined) hook.description = body.description;
    if (body.enabled !== undefined) hook.enabled = body.enabled;
    return c.json(view(hook));
  });
  app.delete("/v1/webhooks/:webhookId", (c) => {
    const hook = mine(c);
    if (!hook) return notFound(c);
    webhooks.delete(hook.id);
    return c.body(null, 204);
  });
}
