/** Stock movements: every change of on-hand quantity is a balance update plus a ledger entry. */
import { randomUUID } from "node:crypto";
import { ImsProblem } from "./problem.js";
import type { Balance, LedgerReason, LedgerSource, TenantData } from "./model.js";

export interface Movement {
  readonly itemId: string;
  readonly facilityId: string;
  readonly lotId: string | null;
  readonly delta: number;
  readonly serialNumber?: string | null;
  readonly reason: LedgerReason;
  readonly sourceType: LedgerSource;
  readonly sourceId: string;
}

const balanceKey = (itemId: string, facilityId: string, lotId: string | null) => `${itemId}|${facilityId}|${lotId ?? ""}`;

/** Rounds away binary noise (quantities carry at most six decimals). */
const round = (n: number) => Math.round(n * 1e6) / 1e6;

function balanceFor(t: TenantData, m: Movement, at: string): Balance {
  const key = balanceKey(m.itemId, m.facilityId, m.lotId);
  const existing = t.balances.get(key);
  if (existing) return existing;
  const item = t.items.get(m.itemId);
  if (!item) throw new ImsProblem(404, "NOT_FOUND", `Item ${m.itemId} not found`);
  const created: Balance = { itemId: item.id, sku: item.sku, facilityId: m.facilityId, lotId: m.lotId, uomCode: item.baseUomCode, onHand: 0, allocated: 0, available: 0, updatedAt: at };
  t.balances.set(key, created);
  return created;
}

/**
 * Applies all movements or none: `409 INSUFFICIENT_STOCK` if any balance would go below zero.
 * Returns each movement's balance after it was applied.
 */
export function applyMovements(t: TenantData, moves: readonly Movement[], at: string): number[] {
  const projected = new Map<string, number>();
  for (const m of moves) {
    const key = balanceKey(m.itemId, m.facilityId, m.lotId);
    const start = projected.get(key) ?? t.balances.get(key)?.onHand ?? 0;
    const next = round(start + m.delta);
    if (next < 0) {
      const sku = t.items.get(m.itemId)?.sku ?? m.itemId;
      const facility = t.facilities.get(m.facilityId)?.code ?? m.facilityId;
      throw new ImsProblem(409, "INSUFFICIENT_STOCK", `Not enough stock of ${sku} at ${facility}`, { itemId: m.itemId, facilityId: m.facilityId, lotId: m.lotId, onHand: start, requested: -m.delta });
    }
    projected.set(key, next);
  }
  return moves.map((m) => {
    const balance = balanceFor(t, m, at);
    balance.onHand = round(balance.onHand + m.delta);
    balance.available = round(balance.onHand - balance.allocated);
    balance.updatedAt = at;
    t.ledger.push({
      id: randomUUID(),
      itemId: m.itemId,
      facilityId: m.facilityId,
      lotId: m.lotId,
      serialNumber: m.serialNumber ?? null,
      quantityDelta: m.delta,
      balanceAfter: balance.onHand,
      uomCode: balance.uomCode,
      reason: m.reason,
      sourceType: m.sourceType,
      sourceId: m.sourceId,
      occurredAt: at,
    });
    return balance.onHand;
  });
}
