import type { Context, Hono } from "hono";
import { atlasError } from "./problem.js";
import { randomToken } from "./credential-store.js";
import { principalOf } from "./authenticate.js";
import type { EventHub } from "./events.js";
import { input } from "./input.js";
import { DECLINE_CENTS } from "./seed.js";
import type { AtlasState, AtlasTransaction } from "./state.js";

/** The spec's `Transaction` view of a stored transaction. */
export function publicTransaction(t: AtlasTransaction): Record<string, unknown> {
  const { merchantId: _m, refundedAmount: _r, ...rest } = t;
  return rest;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sale, refund, void, pre-auth, completion and card read (all behind the idempotency store), and
 * `GET /v1/transactions/{transactionId}`.
 */
export function mountTransactionRoutes(
  app: Hono,
  deps: { readonly state: AtlasState; readonly events: () => EventHub; readonly delayMs: () => number },
): void {
  const { state } = deps;
  const requestIdOf = (c: Context) => c.get("requestId" as never) as string | undefined;
  const notFound = (c: Context, what: string) => c.json(atlasError("NOT_FOUND", `No ${what}.`, { requestId: requestIdOf(c) }), 404);
  const conflict = (c: Context, message: string) => c.json(atlasError("TRANSACTION_STATE_CONFLICT", message, { requestId: requestIdOf(c) }), 409);
  const find = (c: Context, id: string): AtlasTransaction | undefined => {
    const merchantId = principalOf(c).merchantId;
    return state.transactions.find((t) => t.id === id && t.merchantId === merchantId);
  };

  const record = (c: Context, fields: Pick<AtlasTransaction, "type" | "amount" | "currency"> & Partial<AtlasTransaction>): AtlasTransaction => {
    const p = principalOf(c);
    const decline = fields.type === "SALE" || fields.type === "PREAUTH" ? DECLINE_CENTS[fields.amount % 100] : undefined;
    const txn: AtlasTransaction = {
      id: `txn_${randomToken(14)}`,
      merchantId: p.merchantId,
      terminalId: p.terminalId,
      card: { brand: "visa", last4: "4242", entryMode: "CONTACTLESS" },
      refundedAmount: 0,
      settlementStatus: "PENDING",
      createdAt: state.nowIso(),
      ...fields,
      status: decline ? "DECLINED" : "APPROVED",
      ...(decline ? { declineReason: decline } : { approvalCode: randomToken(6).toUpperCase() }),
    };
    state.transactions.push(txn);
    deps.events().publish(p.merchantId, "transaction.completed", publicTransaction(txn));
    return txn;
  };
  const created = (c: Context, txn: AtlasTransaction) => c.json(publicTransaction(txn), 201);
  const delay = async () => {
    const ms = deps.delayMs();
    if (ms > 0) await sleep(ms);
  };

  app.post("/v1/transaction/sale", async (c) => {
    const body = input(c, "createSale").body;
    await delay();
    return created(c, record(c, { type: "SALE", amount: body.amount, currency: body.currency, ...optional(body, "tipAmount", "reference") }));
  });

  app.post("/v1/transaction/refund", async (c) => {
    const body = input(c, "createRefund").body;
    await delay();
    if (body.originalTransactionId) {
      const original = find(c, body.originalTransactionId);
      if (!original) return notFound(c, `transaction ${body.originalTransactionId}`);
      if ((original.type !== "SALE" && original.type !== "COMPLETION") || !["APPROVED", "PARTIALLY_REFUNDED"].includes(original.status)) {
        return conflict(c, `Transaction ${original.id} (${original.type}, ${original.status}) cannot be refunded.`);
      }
      if (original.currency !== body.currency) return conflict(c, `The refund currency must be ${original.currency}.`);
      if (original.refundedAmount + body.amount > original.amount) {
        return conflict(c, `Refunds would exceed the original amount (${original.amount - original.refundedAmount} left).`);
      }
      original.refundedAmount += body.amount;
      original.status = original.refundedAmount === original.amount ? "REFUNDED" : "PARTIALLY_REFUNDED";
      return created(c, record(c, { type: "REFUND", amount: body.amount, currency: body.currency, relatedTransactionId: original.id, ...optional(body, "reference") }));
    }
    return created(c, record(c, { type: "REFUND", amount: body.amount, currency: body.currency, ...optional(body, "reference") }));
  });

  app.post("/v1/transaction/void", async (c) => {
    const body = input(c, "voidTransaction").body;
    await delay();
    const original = find(c, body.transactionId);
    if (!original) return notFound(c, `transaction ${body.transactionId}`);
    if (original.type === "VOID" || original.status !== "APPROVED" || original.settlementStatus === "SETTLED") {
      return conflict(c, `Transaction ${original.id} (${original.type}, ${original.status}, ${original.settlementStatus}) cannot be voided.`);
    }
    original.status = "VOIDED";
    return created(c, record(c, { type: "VOID", amount: original.amount, currency: original.currency, relatedTransactionId: original.id }));
  });

  app.post("/v1/transaction/preauth", async (c) => {
    const body = input(c, "createPreAuth").body;
    await delay();
    return created(c, record(c, { type: "PREAUTH", amount: body.amount, currency: body.currency, ...optional(body, "reference") }));
  });

  app.post("/v1/transaction/preauth/completion", async (c) => {
    const body = input(c, "completePreAuth").body;
    await delay();
    const preauth = find(c, body.preAuthId);
    if (!preauth || preauth.type !== "PREAUTH") return notFound(c, `pre-authorisation ${body.preAuthId}`);
    if (preauth.status !== "APPROVED") return conflict(c, `Pre-authorisation ${preauth.id} is ${preauth.status}.`);
    if (body.amount > preauth.amount) {
      return c.json(
        atlasError("VALIDATION_ERROR", `amount may be at most the pre-authorised ${preauth.amount}.`, {
          requestId: requestIdOf(c),
          details: { errors: [{ in: "body", path: "/amount", message: `must be <= ${preauth.amount}` }] },
        }),
        400,
      );
    }
    preauth.status = "COMPLETED";
    return created(c, record(c, { type: "COMPLETION", amount: body.amount, currency: preauth.currency, relatedTransactionId: preauth.id }));
  });

  app.post("/v1/transaction/card-read", async (c) => {
    await delay();
    return c.json(
      {
        id: `crd_${randomToken(10)}`,
        card: { brand: "visa", last4: "4242", expiryMonth: 12, expiryYear: 2030, entryMode: "CONTACTLESS" },
        cardToken: `ctk_${randomToken(16)}`,
        readAt: state.nowIso(),
      },
      201,
    );
  });

  app.get("/v1/transactions/:transactionId", (c) => {
    const txn = find(c, c.req.param("transactionId"));
    return txn ? c.json(publicTransaction(txn)) : notFound(c, `transaction ${c.req.param("transactionId")}`);
  });
}

function optional<T extends object, K extends keyof T>(source: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
