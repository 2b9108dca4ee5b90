import type { Context } from "hono";
import type { HttpBindings } from "@hono/node-server";

/** One line of the audit trail: which credential (by fingerprint), when, from which IP. */
export interface AuditEntry {
  readonly at: string;
  readonly method: string;
  /** Path only: a `?apiKey=` query never reaches the log. */
  readonly path: string;
  readonly status: number;
  readonly scheme: "apiKey" | "bearer" | "client_credentials" | "none";
  readonly fingerprint: string;
  readonly ip: string;
  readonly terminalId?: string;
  readonly requestId?: string;
}

/** A processed transaction (the spec's `Transaction`). */
export interface AtlasTransaction {
  readonly id: string;
  readonly merchantId: string;
  readonly type: "SALE" | "REFUND" | "VOID" | "PREAUTH" | "COMPLETION";
  status: "APPROVED" | "DECLINED" | "VOIDED" | "COMPLETED" | "REFUNDED" | "PARTIALLY_REFUNDED";
  readonly amount: number;
  readonly currency: string;
  readonly tipAmount?: number;
  readonly terminalId: string;
  readonly reference?: string;
  readonly approvalCode?: string;
  readonly declineReason?: string;
  readonly card: { readonly brand: "visa"; readonly last4: string; readonly entryMode: "CONTACTLESS" };
  readonly relatedTransactionId?: string;
  /** Amount refunded so far (sales and completions). */
  refundedAmount: number;
  settlementStatus: "PENDING" | "SETTLED";
  settlementId?: string;
  settledAt?: string;
  readonly createdAt: string;
}

/** A closed business day. */
export interface AtlasSettlement {
  readonly id: string;
  readonly merchantId: string;
  readonly openedAt: string;
  readonly closedAt: string;
  readonly transactionCount: number;
  readonly totals: readonly CurrencyTotals[];
  readonly status: "SETTLED";
  readonly note?: string;
}

export interface CurrencyTotals {
  readonly currency: string;
  saleCount: number;
  saleAmount: number;
  refundCount: number;
  refundAmount: number;
  voidCount: number;
  netAmount: number;
}

export interface AtlasWebhook {
  readonly id: string;
  readonly merchantId: string;
  url: string;
  events: string[];
  description?: string;
  enabled: boolean;
  readonly secret: string;
  readonly createdAt: string;
}

/** All mutable data of one Atlas sandbox. */
export interface AtlasState {
  readonly transactions: AtlasTransaction[];
  readonly settlements: AtlasSettlement[];
  readonly webhooks: Map<string, AtlasWebhook>;
  readonly auditLog: AuditEntry[];
  readonly counters: { tokenRequests: number; tokensIssued: number; requests: number; webSocketConnections: number };
  /** Start of each merchant's open business day. */
  readonly dayOpenedAt: Map<string, number>;
  nowIso(): string;
  audit(c: Context, entry: Omit<AuditEntry, "at" | "method" | "path" | "ip" | "requestId">): void;
}

/** Remote address of the request's socket, when served by `@hono/node-server`. */
export function remoteIp(c: Context): string {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function createAtlasState(now: () => number, merchantIds: readonly string[]): AtlasState {
  const auditLog: AuditEntry[] = [];
  return {
    transactions: [],
    settlements: [],
    webhooks: new Map(),
    auditLog,
    counters: { tokenRequests: 0, tokensIssued: 0, requests: 0, webSocketConnections: 0 },
    dayOpenedAt: new Map(merchantIds.map((id) => [id, now()])),
    nowIso: () => new Date(now()).toISOString(),
    audit(c, entry) {
      const requestId = c.get("requestId" as never) as string | undefined;
      auditLog.push({
        at: new Date(now()).toISOString(),
        method: c.req.method,
        path: c.req.path,
        ip: remoteIp(c),
        ...entry,
        ...(requestId ? { requestId } : {}),
      });
    },
  };
}
