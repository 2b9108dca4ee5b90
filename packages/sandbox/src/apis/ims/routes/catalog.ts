/** Catalog: items (`catalog:read`/`catalog:write`), UOMs and facilities (`catalog:read`). */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { requirePermission } from "../authenticate.js";
import type { ImsEnv } from "../env.js";
import { ImsProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import type { Item } from "../model.js";
import { input, isoNow, mustItem, tenantOf, type RouteDeps } from "./deps.js";

export function catalogRoutes(deps: RouteDeps): Hono<ImsEnv> {
  const app = new Hono<ImsEnv>();
  const read = requirePermission("catalog:read");
  const v = deps.validate;
  const write = requirePermission("catalog:write");

  app.get("/items", read, v, (c) => {
    const q = input(c, "listItems").query;
    const search = q.search?.toLowerCase();
    const items = [...tenantOf(c, deps).items.values()].filter(
      (i) => (q.sku === undefined || i.sku === q.sku) && (q.status === undefined || i.status === q.status) && (search === undefined || i.sku.toLowerCase().includes(search) || i.name.toLowerCase().includes(search)),
    );
    return c.json(paginate(items, q));
  });

  app.post("/items", write, v, async (c) => {
    const { body } = input(c, "createItem");
    const t = tenantOf(c, deps);
    if (!t.uoms.some((u) => u.code === body.baseUomCode)) throw new ImsProblem(400, "VALIDATION_ERROR", `Unknown UOM ${body.baseUomCode}`);
    if ([...t.items.values()].some((i) => i.sku.toLowerCase() === body.sku.toLowerCase())) {
      throw new ImsProblem(409, "SKU_ALREADY_EXISTS", `An item with SKU ${body.sku} already exists`);
    }
    const at = isoNow(deps);
    const item: Item = { id: randomUUID(), sku: body.sku, name: body.name, description: body.description ?? null, category: body.category ?? null, status: "active", trackingMode: body.trackingMode ?? "none", baseUomCode: body.baseUomCode, createdAt: at, updatedAt: at };
    t.items.set(item.id, item);
    c.header("Location", `/v1/items/${item.id}`);
    return c.json(item, 201);
  });

  app.get("/items/:itemId", read, v, (c) => c.json(mustItem(tenantOf(c, deps), c.req.param("itemId"))));

  app.patch("/items/:itemId", write, v, async (c) => {
    const item = mustItem(tenantOf(c, deps), c.req.param("itemId"));
    const { body } = input(c, "updateItem");
    if (body.name !== undefined) item.name = body.name;
    if (body.description !== undefined) item.description = body.description;
    if (body.category !== undefined) item.category = body.category;
    if (body.status !== undefined) item.status = body.status;
    item.updatedAt = isoNow(deps);
    return c.json(item);
  });

  app.get("/uoms", read, v, (c) => {
    return c.json(paginate(tenantOf(c, deps).uoms, input(c, "listUoms").query));
  });

  app.get("/facilities", read, v, (c) => {
    const q = input(c, "listFacilities").query;
    const list = [...tenantOf(c, deps).facilities.values()].filter((f) => q.type === undefined || f.type === q.type);
    return c.json(paginate(list, q));
  });

  return app;
}
