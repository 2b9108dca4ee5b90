/** Sales orders (`sales:read` / `sales:write`): draft → confirmed → shipped, cancellable until shipped. */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { requirePermission } from "../authenticate.js";
import type { ImsEnv } from "../env.js";
import { ImsProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import type { SalesOrder, TenantData } from "../model.js";
import { formatNumber } from "../tenant-store.js";
import { input, isoNow, lineUom, mustFacility, mustGet, mustItem, newestFirst, tenantOf, type RouteDeps } from "./deps.js";

type LineInput = { itemId: string; quantity: number; unitPrice: string; uomCode?: string | undefined };

const toLines = (t: TenantData, lines: readonly LineInput[]): SalesOrder["lines"] =>
  lines.map((l) => {
    const item = mustItem(t, l.itemId);
    return { lineId: randomUUID(), itemId: item.id, quantity: l.quantity, unitPrice: l.unitPrice, uomCode: lineUom(item, l.uomCode) };
  });

export function salesRoutes(deps: RouteDeps): Hono<ImsEnv> {
  const app = new Hono<ImsEnv>();
  const read = requirePermission("sales:read");
  const v = deps.validate;
  const write = requirePermission("sales:write");
  const order = (t: TenantData, id: string) => mustGet(t.salesOrders, id, "Sales order");

  app.get("/sales-orders", read, v, (c) => {
    const q = input(c, "listSalesOrders").query;
    const list = newestFirst([...tenantOf(c, deps).salesOrders.values()]).filter((s) => q.status === undefined || s.status === q.status);
    return c.json(paginate(list, q));
  });

  app.post("/sales-orders", write, v, async (c) => {
    const { body } = input(c, "createSalesOrder");
    const t = tenantOf(c, deps);
    mustFacility(t, body.facilityId);
    const at = isoNow(deps);
    t.sequences.salesOrder += 1;
    const so: SalesOrder = {
      id: randomUUID(),
      number: formatNumber("SO", t.sequences.salesOrder),
      customer: body.customer,
      facilityId: body.facilityId,
      status: body.status ?? "draft",
      currency: body.currency,
      lines: toLines(t, body.lines),
      shippingAddress: body.shippingAddress ?? null,
      requestedShipDate: body.requestedShipDate ?? null,
      cancellationReason: null,
      createdAt: at,
      updatedAt: at,
    };
    t.salesOrders.set(so.id, so);
    c.header("Location", `/v1/sales-orders/${so.id}`);
    return c.json(so, 201);
  });

  app.get("/sales-orders/:salesOrderId", read, v, (c) => c.json(order(tenantOf(c, deps), c.req.param("salesOrderId"))));

  app.patch("/sales-orders/:salesOrderId", write, v, async (c) => {
    const t = tenantOf(c, deps);
    const so = order(t, c.req.param("salesOrderId"));
    const { body } = input(c, "updateSalesOrder");
    if (so.status !== "draft" && so.status !== "confirmed") throw new ImsProblem(409, "INVALID_STATE_TRANSITION", `A ${so.status} order cannot be changed`);
    if (body.lines !== undefined) so.lines = toLines(t, body.lines);
    if (body.customer !== undefined) so.customer = body.customer;
    if (body.shippingAddress !== undefined) so.shippingAddress = body.shippingAddress;
    if (body.requestedShipDate !== undefined) so.requestedShipDate = body.requestedShipDate;
    if (body.status !== undefined) so.status = body.status;
    so.updatedAt = isoNow(deps);
    return c.json(so);
  });

  app.post("/sales-orders/:salesOrderId/cancel", write, v, async (c) => {
    const so = order(tenantOf(c, deps), c.req.param("salesOrderId"));
    const { body } = input(c, "cancelSalesOrder");
    if (so.status === "cancelled") return c.json(so);
    if (so.status === "shipped") throw new ImsProblem(409, "INVALID_STATE_TRANSITION", "A shipped order cannot be cancelled");
    so.status = "cancelled";
    so.cancellationReason = body?.reason ?? null;
    so.updatedAt = isoNow(deps);
    return c.json(so);
  });

  return app;
}
