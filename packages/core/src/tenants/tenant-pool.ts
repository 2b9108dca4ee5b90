import { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";

/** Bound of the integers every engine keeps unboxed (2^30). */
const SMALL_INT = 0x40000000;

/** Options of `createTenantPool`. */
export interface TenantPoolOptions<Client> {
  /** Builds the client of one tenant (its own credential and token cache). */
  readonly create: (tenant: string) => Client;
  /** Most clients kept; the least recently used is evicted beyond it. @default 100 */
  readonly max?: number;
  /** A client unused this long is evicted. @default 600000 (10 min) */
  readonly idleMs?: number;
  /** Called with each evicted or removed client (close sockets, stop timers). Errors are ignored. */
  readonly dispose?: (client: Client, tenant: string) => void;
  readonly clock?: Clock;
}

/** One client per tenant, built on first use, bounded (LRU) and evicted when idle. */
export interface TenantPool<Client> {
  /** The tenant's client, built on first use. */
  get(tenant: string): Client;
  has(tenant: string): boolean;
  /** Removes (and disposes) a tenant's client. */
  delete(tenant: string): boolean;
  /** Evicts clients idle longer than `idleMs` now (also done on every `get`). */
  sweep(): void;
  clear(): void;
  readonly size: number;
  tenants(): string[];
}

/**
 * Creates a tenant pool: IMS asks for "a separate SDK client instance" per tenant. Eviction is
 * lazy (no timers), so the pool is cheap and runs anywhere.
 * @example const pool = createTenantPool({ create: (tenant) => createImsApiClient({ auth: credentialFor(tenant) }) })
 */
export function createTenantPool<Client>(options: TenantPoolOptions<Client>): TenantPool<Client> {
  if (typeof options.create !== "function") {
    throw new PorticoError("INVALID_OPTIONS", 'createTenantPool: "create" must be a function (tenant) => client.', { option: "create" });
  }
  const max = options.max ?? 100;
  const idleMs = options.idleMs ?? 600_000;
  if (!Number.isInteger(max) || max < 1) throw new PorticoError("INVALID_OPTIONS", 'createTenantPool: "max" must be a positive integer.', { option: "max" });
  if (!(idleMs > 0)) throw new PorticoError("INVALID_OPTIONS", 'createTenantPool: "idleMs" must be a positive number.', { option: "idleMs" });
  const clock = options.clock ?? systemClock;
  // Times are kept relative to the pool's creation, as small integers while they fit (~12 days),
  // so an entry holds its time unboxed rather than pointing to a heap number.
  const origin = clock.now();
  const elapsed = (): number => {
    const ms = clock.now() - origin;
    return ms > -SMALL_INT && ms < SMALL_INT ? ms | 0 : ms;
  };
  /** Insertion order is recency order: oldest first. */
  const entries = new Map<string, { client: Client; lastUsed: number }>();

  const dispose = (tenant: string, client: Client): void => {
    try {
      options.dispose?.(client, tenant);
    } catch {
      // Disposal problems never break the pool.
    }
  };

  const sweep = (): void => {
    const cutoff = elapsed() - idleMs;
    for (const [tenant, entry] of entries) {
      if (entry.lastUsed > cutoff) break;
      entries.delete(tenant);
      dispose(tenant, entry.client);
    }
  };

  return {
    get(tenant) {
      if (typeof tenant !== "string" || tenant.length === 0) {
        throw new PorticoError("INVALID_OPTIONS", "TenantPool.get: the tenant must be a non-empty string.", { option: "tenant" });
      }
      sweep();
      const now = elapsed();
      const entry = entries.get(tenant);
      if (entry !== undefined) {
        entries.delete(tenant);
        entry.lastUsed = now;
        entries.set(tenant, entry);
        return entry.client;
      }
      const client = options.create(tenant);
      entries.set(tenant, { client, lastUsed: now });
      while (entries.size > max) {
        const oldest = entries.keys().next().value as string;
        const evicted = entries.get(oldest);
        entries.delete(oldest);
        if (evicted !== undefined) dispose(oldest, evicted.client);
      }
      return client;
    },
    has: (tenant) => entries.has(tenant),
    delete(tenant) {
      const entry = entries.get(tenant);
      if (entry === undefined) return false;
      entries.delete(tenant);
      dispose(tenant, entry.client);
      return true;
    },
    sweep,
    clear() {
      for (const [tenant, entry] of [...entries]) {
        entries.delete(tenant);
        dispose(tenant, entry.client);
      }
    },
    get size() {
      return entries.size;
    },
    tenants: () => [...entries.keys()],
  };
}
