/** Inventory: balances, ledger, lots, serials (`inventory:read`); adjustments and transfers (`inventory:write`). */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { requirePermission } from "../authenticate.js";
import type { ImsEnv } from "../env.js";
import { ImsProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import type { Adjustment, Transfer } from "../model.js";
import { applyMovements, type Movement } from "../stock.js";
import { formatNumber } from "../tenant-store.js";
import { input, isoNow, lineLot, lineUom, mustFacility, mustItem, newestFirst, tenantOf, type RouteDeps } from "./deps.js";

export function inventoryRoutes(deps: RouteDeps): Hono<ImsEnv> {
  const app = new Hono<ImsEnv>();
  const read = requirePermission("inventory:read");
  const v = deps.validate;
  const write = requirePermission("inventory:write");

  app.get("/balances", read, v, (c) => {
    const q = input(c, "listBalances").query;
    const list = [...tenantOf(c, deps).balances.values()].filter(
      (b) => (q.itemId === undefined || b.itemId === q.itemId) && (q.facilityId === undefined || b.facilityId === q.facilityId) && (q.lotId === undefined || b.lotId === q.lotId),
    );
    return c.json(paginate(list, q));
  });

  app.get("/ledger", read, v, (c) => {
    const q = input(c, "listLedgerEntries").query;
    const since = q.since ? Date.parse(q.since) : -Infinity;
    const until = q.until ? Date.parse(q.until) : Infinity;
    const list = newestFirst(tenantOf(c, deps).ledger).filter((e) => {
      const at = Date.parse(e.occurredAt);
      return (q.itemId === undefined || e.itemId === q.itemId) && (q.facilityId === undefined || e.facilityId === q.facilityId) && at >= since && at < until;
    });
    return c.json(paginate(list, q));
  });

  app.get("/lots", read, v, (c) => {
    const q = input(c, "listLots").query;
    const list = [...tenantOf(c, deps).lots.values()].filter((l) => (q.itemId === undefined || l.itemId === q.itemId) && (q.status === undefined || l.status === q.status));
    return c.json(paginate(list, q));
  });

  app.get("/serials", read, v, (c) => {
    const q = input(c, "listSerials").query;
    const list = [...tenantOf(c, deps).serials.values()].filter(
      (s) => (q.itemId === undefined || s.itemId === q.itemId) && (q.facilityId === undefined || s.facilityId === q.facilityId) && (q.status === undefined || s.status === q.status),
    );
    return c.json(paginate(list, q));
  });

  app.post("/adjustments", write, v, async (c) => {
    const { body } = input(c, "postAdjustment");
    const t = tenantOf(c, deps);
    mustFacility(t, body.facilityId);
    const id = randomUUID();
    const lines = body.lines.map((l) => {
      const item = mustItem(t, l.itemId);
      if (item.trackingMode === "serial") throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is serial-tracked: adjust it through receipts and shipments`);
      return { itemId: item.id, lotId: lineLot(t, item, l.lotId), quantityDelta: l.quantityDelta, uomCode: lineUom(item, l.uomCode) };
    });
    const moves: Movement[] = lines.map((l) => ({ itemId: l.itemId, facilityId: body.facilityId, lotId: l.lotId, delta: l.quantityDelta, reason: "adjustment", sourceType: "adjustment", sourceId: id }));
    const at = isoNow(deps);
    const after = applyMovements(t, moves, at);
    const adjustment: Adjustment = {
      id,
      facilityId: body.facilityId,
      reasonCode: body.reasonCode,
      note: body.note ?? null,
      lines: lines.map((l, i) => ({ ...l, balanceAfter: after[i] ?? 0 })),
      postedAt: at,
      postedBy: c.get("principal").subject,
    };
    t.adjustments.push(adjustment);
    c.header("Location", `/v1/inventory/adjustments/${id}`);
    return c.json(adjustment, 201);
  });

  app.get("/transfers", read, v, (c) => {
    const q = input(c, "listTransfers").query;
    const list = newestFirst(tenantOf(c, deps).transfers).filter(
      (x) => (q.status === undefined || x.status === q.status) && (q.facilityId === undefined || x.fromFacilityId === q.facilityId || x.toFacilityId === q.facilityId),
    );
    return c.json(paginate(list, q));
  });

  app.post("/transfers", write, v, async (c) => {
    const { body } = input(c, "createTransfer");
    const t = tenantOf(c, deps);
    mustFacility(t, body.fromFacilityId);
    mustFacility(t, body.toFacilityId);
    if (body.fromFacilityId === body.toFacilityId) throw new ImsProblem(400, "VALIDATION_ERROR", "fromFacilityId and toFacilityId must differ");
    const id = randomUUID();
    const lines = body.lines.map((l) => {
      const item = mustItem(t, l.itemId);
      if (item.trackingMode === "serial") throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is serial-tracked and cannot be transferred by quantity`);
      return { itemId: item.id, lotId: lineLot(t, item, l.lotId), quantity: l.quantity, uomCode: lineUom(item, l.uomCode) };
    });
    const moves: Movement[] = lines.flatMap((l) => [
      { itemId: l.itemId, facilityId: body.fromFacilityId, lotId: l.lotId, delta: -l.quantity, reason: "transfer_out", sourceType: "transfer", sourceId: id },
      { itemId: l.itemId, facilityId: body.toFacilityId, lotId: l.lotId, delta: l.quantity, reason: "transfer_in", sourceType: "transfer", sourceId: id },
    ]);
    const at = isoNow(deps);
    applyMovements(t, moves, at);
    t.sequences.transfer += 1;
    const transfer: Transfer = { id, number: formatNumber("TR", t.sequences.transfer), fromFacilityId: body.fromFacilityId, toFacilityId: body.toFacilityId, status: "completed", note: body.note ?? null, lines, createdAt: at, completedAt: at };
    t.transfers.push(transfer);
    c.header("Location", `/v1/inventory/transfers/${id}`);
    return c.json(transfer, 201);
  });

  return app;
}
