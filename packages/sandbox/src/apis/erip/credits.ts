/**
 * The tenant credit pool: balances, charges that never go below zero (402 instead), and the
 * attributed history (user null for service-key calls).
 * @see seeds/erip-auth.txt ("Credits")
 */
import { randomUUID } from "node:crypto";

export interface CreditTransaction {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string | null;
  readonly apiKeyId: string | null;
  readonly credential: "jwt" | "userKey" | "serviceKey";
  readonly endpoint: string;
  readonly amount: number;
  readonly balanceAfter: number;
  readonly createdAt: string;
}

export type Attribution = Pick<CreditTransaction, "userId" | "apiKeyId" | "credential" | "endpoint">;

export type ChargeResult = { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly balance: number };

export interface CreditLedger {
  balance(tenantId: string): { readonly balance: number; readonly updatedAt: number };
  set(tenantId: string, balance: number): void;
  /** Deducts `cost` and records it, or refuses (nothing charged) when the balance is short. */
  charge(tenantId: string, cost: number, attribution: Attribution): ChargeResult;
  /** Newest first. */
  history(tenantId: string): readonly CreditTransaction[];
}

export function createCreditLedger(now: () => number, initial: number): CreditLedger {
  const balances = new Map<string, { balance: number; updatedAt: number }>();
  const transactions = new Map<string, CreditTransaction[]>();
  const entry = (tenantId: string) => {
    let found = balances.get(tenantId);
    if (!found) balances.set(tenantId, (found = { balance: initial, updatedAt: now() }));
    return found;
  };
  return {
    balance: (tenantId) => ({ ...entry(tenantId) }),
    set(tenantId, balance) {
      if (!(Number.isInteger(balance) && balance >= 0)) throw new RangeError(`"balance" must be an integer >= 0`);
      Object.assign(entry(tenantId), { balance, updatedAt: now() });
    },
    charge(tenantId, cost, attribution) {
      const account = entry(tenantId);
      if (account.balance < cost) return { ok: false, balance: account.balance };
      account.balance -= cost;
      account.updatedAt = now();
      const list = transactions.get(tenantId) ?? [];
      list.push({ id: randomUUID(), tenantId, ...attribution, amount: cost, balanceAfter: account.balance, createdAt: new Date(account.updatedAt).toISOString() });
      transactions.set(tenantId, list);
      return { ok: true, remaining: account.balance };
    },
    history: (tenantId) => [...(transactions.get(tenantId) ?? [])].reverse(),
  };
}
