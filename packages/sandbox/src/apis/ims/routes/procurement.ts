/** Procurement: purchase orders and receipts (`procurement:read` / `procurement:write`). */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { requirePermission } from "../authenticate.js";
import type { ImsEnv } from "../env.js";
import { ImsProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import type { Lot, PurchaseOrder, Receipt, TenantData } from "../model.js";
import { applyMovements, type Movement } from "../stock.js";
import { formatNumber } from "../tenant-store.js";
import { input, isoNow, lineUom, mustFacility, mustGet, mustItem, newestFirst, tenantOf, type RouteDeps } from "./deps.js";

function lotFor(t: TenantData, itemId: string, lotNumber: string, expiresAt: string | undefined, at: string): Lot {
  const existing = [...t.lots.values()].find((l) => l.itemId === itemId && l.lotNumber === lotNumber);
  if (existing) return existing;
  const lot: Lot = { id: randomUUID(), itemId, lotNumber, status: "released", manufacturedAt: null, expiresAt: expiresAt ?? null, createdAt: at };
  t.lots.set(lot.id, lot);
  return lot;
}

export function procurementRoutes(deps: RouteDeps): Hono<ImsEnv> {
  const app = new Hono<ImsEnv>();
  const read = requirePermission("procurement:read");
  const v = deps.validate;
  const write = requirePermission("procurement:write");

  app.get("/purchase-orders", read, v, (c) => {
    const q = input(c, "listPurchaseOrders").query;
    const list = newestFirst([...tenantOf(c, deps).purchaseOrders.values()]).filter((p) => (q.status === undefined || p.status === q.status) && (q.facilityId === undefined || p.facilityId === q.facilityId));
    return c.json(paginate(list, q));
  });

  app.post("/purchase-orders", write, v, async (c) => {
    const { body } = input(c, "createPurchaseOrder");
    const t = tenantOf(c, deps);
    mustFacility(t, body.facilityId);
    const lines = body.lines.map((l) => {
      const item = mustItem(t, l.itemId);
      return { lineId: randomUUID(), itemId: item.id, uomCode: lineUom(item, l.uomCode), quantityOrdered: l.quantity, quantityReceived: 0, unitCost: l.unitCost };
    });
    const at = isoNow(deps);
    t.sequences.purchaseOrder += 1;
    const po: PurchaseOrder = { id: randomUUID(), number: formatNumber("PO", t.sequences.purchaseOrder), supplier: body.supplier, facilityId: body.facilityId, status: "open", currency: body.currency, lines, expectedAt: body.expectedAt ?? null, createdAt: at, updatedAt: at };
    t.purchaseOrders.set(po.id, po);
    c.header("Location", `/v1/purchase-orders/${po.id}`);
    return c.json(po, 201);
  });

  app.get("/purchase-orders/:purchaseOrderId", read, v, (c) => c.json(mustGet(tenantOf(c, deps).purchaseOrders, c.req.param("purchaseOrderId"), "Purchase order")));

  app.get("/receipts", read, v, (c) => {
    const q = input(c, "listReceipts").query;
    const list = newestFirst(tenantOf(c, deps).receipts).filter((r) => q.purchaseOrderId === undefined || r.purchaseOrderId === q.purchaseOrderId);
    return c.json(paginate(list, q));
  });

  app.post("/receipts", write, v, async (c) => {
    const { body } = input(c, "recordReceipt");
    const t = tenantOf(c, deps);
    const po = mustGet(t.purchaseOrders, body.purchaseOrderId, "Purchase order");
    if (po.status !== "open" && po.status !== "partially_received") {
      throw new ImsProblem(409, "INVALID_STATE_TRANSITION", `Purchase order ${po.number} is ${po.status} and cannot receive goods`);
    }
    const at = isoNow(deps);
    const receivedAt = body.receivedAt ? new Date(body.receivedAt).toISOString() : at;
    const id = randomUUID();
    const pending = new Map<string, number>();
    const knownSerials = new Set(t.serials.keys());
    const lines = body.lines.map((l) => {
      const poLine = po.lines.find((x) => x.lineId === l.purchaseOrderLineId);
      if (!poLine) throw new ImsProblem(400, "VALIDATION_ERROR", `purchaseOrderLineId ${l.purchaseOrderLineId} is not a line of ${po.number}`);
      const open = poLine.quantityOrdered - poLine.quantityReceived - (pending.get(poLine.lineId) ?? 0);
      if (l.quantity > open) throw new ImsProblem(409, "QUANTITY_EXCEEDS_OPEN", `Receiving ${l.quantity} exceeds the open quantity ${open} of a line of ${po.number}`, { lineId: poLine.lineId, open });
      pending.set(poLine.lineId, (pending.get(poLine.lineId) ?? 0) + l.quantity);
      const item = mustItem(t, poLine.itemId);
      let lotId: string | null = null;
      if (item.trackingMode === "lot") {
        if (!l.lotNumber) throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is lot-tracked: lotNumber is required`);
        lotId = lotFor(t, item.id, l.lotNumber, l.expiresAt, at).id;
      }
      const serialNumbers = l.serialNumbers ?? [];
      if (item.trackingMode === "serial") {
        if (serialNumbers.length !== l.quantity) throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is serial-tracked: send exactly ${l.quantity} serialNumbers`);
        for (const s of serialNumbers) {
          if (knownSerials.has(s)) throw new ImsProblem(400, "VALIDATION_ERROR", `Serial number ${s} already exists`);
          knownSerials.add(s);
        }
      } else if (serialNumbers.length > 0) {
        throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is not serial-tracked: serialNumbers are not allowed`);
      }
      return { purchaseOrderLineId: poLine.lineId, itemId: item.id, quantity: l.quantity, lotId, serialNumbers };
    });
    const moves: Movement[] = lines.flatMap((l) =>
      l.serialNumbers.length > 0
        ? l.serialNumbers.map((s) => ({ itemId: l.itemId, facilityId: po.facilityId, lotId: l.lotId, delta: 1, serialNumber: s, reason: "receipt" as const, sourceType: "receipt" as const, sourceId: id }))
        : [{ itemId: l.itemId, facilityId: po.facilityId, lotId: l.lotId, delta: l.quantity, reason: "receipt" as const, sourceType: "receipt" as const, sourceId: id }],
    );
    applyMovements(t, moves, at);
    for (const l of lines) {
      for (const s of l.serialNumbers) t.serials.set(s, { id: randomUUID(), serialNumber: s, itemId: l.itemId, facilityId: po.facilityId, lotId: l.lotId, status: "in_stock" });
      const poLine = po.lines.find((x) => x.lineId === l.purchaseOrderLineId);
      if (poLine) poLine.quantityReceived += l.quantity;
    }
    po.status = po.lines.every((x) => x.quantityReceived >= x.quantityOrdered) ? "received" : "partially_received";
    po.updatedAt = at;
    t.sequences.receipt += 1;
    const receipt: Receipt = { id, number: formatNumber("RC", t.sequences.receipt), purchaseOrderId: po.id, facilityId: po.facilityId, lines, receivedAt, receivedBy: c.get("principal").subject };
    t.receipts.push(receipt);
    c.header("Location", `/v1/receipts/${id}`);
    return c.json(receipt, 201);
  });

  return app;
}
