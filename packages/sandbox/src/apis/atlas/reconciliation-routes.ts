import type { Hono } from "hono";
import { randomToken } from "./credential-store.js";
import { page, type PageQuery } from "../../framework/pages.js";
import { principalOf } from "./authenticate.js";
import { input } from "./input.js";
import type { EventHub } from "./events.js";
import type { AtlasSettlement, AtlasState, AtlasTransaction, CurrencyTotals } from "./state.js";

/** Per-currency totals of transactions (voided ones count only as voids). */
export function totalsOf(transactions: readonly AtlasTransaction[]): CurrencyTotals[] {
  const byCurrency = new Map<string, CurrencyTotals>();
  const get = (currency: string): CurrencyTotals => {
    let t = byCurrency.get(currency);
    if (!t) byCurrency.set(currency, (t = { currency, saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, netAmount: 0 }));
    return t;
  };
  for (const txn of transactions) {
    const t = get(txn.currency);
    if (txn.type === "VOID") t.voidCount += 1;
    if (txn.status === "DECLINED" || txn.status === "VOIDED") continue;
    if (txn.type === "SALE" || txn.type === "COMPLETION") {
      t.saleCount += 1;
      t.saleAmount += txn.amount;
      t.netAmount += txn.amount;
    } else if (txn.type === "REFUND") {
      t.refundCount += 1;
      t.refundAmount += txn.amount;
      t.netAmount -= txn.amount;
    }
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** A page in Atlas's envelope: `nextCursor` only when there is a next page. */
function atlasPage<T>(items: readonly T[], query: PageQuery): { data: T[]; nextCursor?: string } {
  const { data, nextCursor } = page(items, query);
  return nextCursor === null ? { data } : { data, nextCursor };
}

const settled = (s: AtlasSettlement): Record<string, unknown> => {
  const { merchantId: _m, ...rest } = s;
  return rest;
};

/** Settlement records, running totals, settlement history and closing the day. */
export function mountReconciliationRoutes(app: Hono, deps: { readonly state: AtlasState; readonly events: () => EventHub; readonly now: () => number }): void {
  const { state } = deps;
  const openTransactions = (merchantId: string) =>
    state.transactions.filter((t) => t.merchantId === merchantId && t.settlementStatus === "PENDING");

  app.get("/v1/settlements", (c) => {
    const { merchantId } = principalOf(c);
    const { status, ...query } = input(c, "listSettlements").query;
    const records = state.transactions
      .filter((t) => t.merchantId === merchantId && (t.type === "SALE" || t.type === "REFUND" || t.type === "COMPLETION"))
      .filter((t) => t.status !== "DECLINED" && t.status !== "VOIDED")
      .filter((t) => !status || t.settlementStatus === status)
      .reverse()
      .map((t) => ({
        transactionId: t.id,
        type: t.type,
        amount: t.amount,
        currency: t.currency,
        status: t.settlementStatus,
        ...(t.settlementId ? { settlementId: t.settlementId } : {}),
        ...(t.settledAt ? { settledAt: t.settledAt } : {}),
      }));
    return c.json(atlasPage(records, query));
  });

  app.get("/v1/reconciliation/totals", (c) => {
    const { merchantId } = principalOf(c);
    const open = openTransactions(merchantId);
    return c.json({
      businessDayOpenedAt: new Date(state.dayOpenedAt.get(merchantId) ?? deps.now()).toISOString(),
      transactionCount: open.length,
      totals: totalsOf(open),
    });
  });

  app.get("/v1/reconciliation/history", (c) => {
    const { merchantId } = principalOf(c);
    const mine = state.settlements.filter((s) => s.merchantId === merchantId).reverse().map(settled);
    return c.json(atlasPage(mine, input(c, "listSettlementHistory").query));
  });

  app.post("/v1/reconciliation/close", (c) => {
    const { merchantId } = principalOf(c);
    const body = input(c, "closeDay").body ?? {};
    const open = openTransactions(merchantId);
    const closedAt = state.nowIso();
    const settlement: AtlasSettlement = {
      id: `stl_${randomToken(12)}`,
      merchantId,
      openedAt: new Date(state.dayOpenedAt.get(merchantId) ?? deps.now()).toISOString(),
      closedAt,
      transactionCount: open.length,
      totals: totalsOf(open),
      status: "SETTLED",
      ...(body.note ? { note: body.note } : {}),
    };
    for (const t of open) {
      t.settlementStatus = "SETTLED";
      t.settlementId = settlement.id;
      t.settledAt = closedAt;
    }
    state.settlements.push(settlement);
    state.dayOpenedAt.set(merchantId, deps.now());
    deps.events().publish(merchantId, "settlement.completed", settled(settlement));
    return c.json(settled(settlement), 201);
  });
}
