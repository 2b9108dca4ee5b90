import type { MiddlewareHandler } from "hono";
import type { ApiKeyRecord, ApiKeyStore } from "./api-keys.js";
import type { CreditLedger } from "./credits.js";
import type { Directory, InviteRecord, User } from "./directory.js";
import type { EripEnv } from "./env.js";
import type { Surface } from "./guard.js";
import { iso } from "./http.js";
import type { Sessions } from "./sessions.js";

/** Credit cost of each credited endpoint (server-side configurable). */
export interface CreditCosts {
  search: number;
  detail: number;
}

/** What every ERIP route module needs. */
export interface EripDeps {
  readonly directory: Directory;
  readonly keys: ApiKeyStore;
  readonly sessions: Sessions;
  readonly ledger: CreditLedger;
  readonly costs: CreditCosts;
  readonly now: () => number;
  readonly guard: (surface: Surface) => MiddlewareHandler<EripEnv>;
}

/** The spec's `ApiKey` (never the hash, never the raw key). */
export const apiKeyJson = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  type: k.type,
  userId: k.userId,
  createdAt: iso(k.createdAt),
  lastUsedAt: k.lastUsedAt === null ? null : iso(k.lastUsedAt),
});

/** The spec's `Member`. */
export const memberJson = (u: User) => ({ id: u.id, name: u.name, email: u.email, tenantRole: u.tenantRole, status: u.status, createdAt: iso(u.createdAt) });

/** The spec's `Invite`, with `Expired` derived from the clock. */
export const inviteJson = (i: InviteRecord, now: number) => ({
  id: i.id,
  email: i.email,
  name: i.name,
  tenantRole: i.tenantRole,
  status: i.status === "Pending" && i.expiresAt <= now ? "Expired" : i.status,
  createdAt: iso(i.createdAt),
  expiresAt: iso(i.expiresAt),
});
