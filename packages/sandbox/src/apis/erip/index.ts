/**
 * The ERIP sandbox: tenants with a shared credit pool, invites and single-use magic links, HS256
 * JWT sessions, user and service API keys (SHA-256 at rest, 8-character prefix), the scheme ↔
 * endpoint matrix, `X-Credits-*` headers and 402, and the attributed credit history.
 * @see seeds/erip-auth.txt, specs/erip.yaml
 */
import type { Hono } from "hono";
import { fingerprint } from "../../framework/fingerprint.js";
import type { SandboxSummary } from "../../framework/summary.js";
import type { ApiSandbox, SandboxContext } from "../../types.js";
import { createApiKeyStore, type ApiKeyRecord } from "./api-keys.js";
import { createEripApp } from "./app.js";
import { createCreditLedger, type CreditTransaction } from "./credits.js";
import type { CreditCosts } from "./deps.js";
import { createDirectory, type OutboxEmail, type Tenant, type Tier, type User } from "./directory.js";
import { createGuard } from "./guard.js";
import { createSessions } from "./sessions.js";
import { createSpecCheck } from "../../framework/spec-check.js";

export { ERIP_KEY_PATTERN, type ApiKeyRecord } from "./api-keys.js";
export type { CreditTransaction } from "./credits.js";
export type { CreditCosts } from "./deps.js";
export { MAGIC_LINK_TTL_MS, type OutboxEmail, type Tenant, type User } from "./directory.js";
export { ERIP_AUDIENCE, ERIP_ISSUER } from "./sessions.js";

/** A seeded API key: the raw key (here only) and its id. */
export interface SeededKey {
  readonly id: string;
  readonly key: string;
  readonly prefix: string;
}

/** Seeded tenants, people and keys. */
export interface EripSeed {
  readonly tenants: { readonly acme: Tenant; readonly globex: Tenant; readonly initech: Tenant };
  readonly users: {
    /** Acme admin (the seed's Jane Doe). */
    readonly jane: User;
    /** Acme member. */
    readonly sam: User;
    /** Globex admin. */
    readonly hank: User;
    /** Initech's first admin, invited by ERIP staff and not yet active. */
    readonly peter: User;
  };
  readonly keys: {
    /** Jane's user key. */
    readonly janeKey: SeededKey;
    /** Sam's user key. */
    readonly samKey: SeededKey;
    /** Acme's service key. */
    readonly acmeService: SeededKey;
    /** Globex's service key. */
    readonly globexService: SeededKey;
  };
  /** Raw invite tokens of pending invites (also in the outbox). */
  readonly invites: { readonly peter: string };
}

/** `control` of the ERIP sandbox. */
export type EripControl = {
  readonly baseUrl: string;
  readonly seeded: EripSeed;
  /** Every email sent, oldest first (invites and magic links). */
  readonly outbox: readonly OutboxEmail[];
  /** The last email sent to `email` (optionally of one kind). */
  lastEmail(email: string, kind?: OutboxEmail["kind"]): OutboxEmail | undefined;
  /** Credit costs per credited endpoint; change them at runtime (server-side configuration). */
  readonly costs: CreditCosts;
  /** Requests per tenant id (public endpoints under `"public"`). */
  readonly counters: { readonly requests: Readonly<Record<string, number>> };
  /** Signs a user in without the email round-trip: a real session JWT. */
  signIn(email: string): Promise<{ readonly token: string; readonly expiresAt: number }>;
  /** ERIP staff provisioning a tenant: creates it and invites its first admin (returns the raw invite token). */
  provisionTenant(input: { readonly displayName: string; readonly tier?: Tier; readonly adminName: string; readonly adminEmail: string }): {
    readonly tenant: Tenant;
    readonly admin: User;
    readonly inviteToken: string;
  };
  getCredits(tenantId: string): number;
  setCredits(tenantId: string, balance: number): void;
  creditHistory(tenantId: string): readonly CreditTransaction[];
  /** What the key store holds (hashes, prefixes, metadata). */
  keyRecords(): readonly ApiKeyRecord[];
  /** What the CLI prints at start-up. */
  summary(): SandboxSummary;
};

/** What `createEripSandbox` returns. */
export interface EripSandbox extends ApiSandbox {
  readonly control: EripControl;
}

const contactFor = (name: string, email: string) => ({
  contactName: name,
  billingEmail: email,
  phone: null,
  addressLine1: null,
  addressLine2: null,
  city: null,
  postalCode: null,
  country: null,
});

const positiveInt = (value: unknown, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new RangeError(`ERIP sandbox option "${name}" must be an integer >= 0`);
  return value;
};

/**
 * Creates the ERIP sandbox. Options: `initialCredits` (per tenant, default 1000),
 * `tokenLifetimeSeconds` (JWT sessions, default 3600), `creditCosts` (`{ search?, detail? }`,
 * default 1 and 50).
 */
export async function createEripSandbox(ctx: SandboxContext): Promise<EripSandbox> {
  const now = () => ctx.now();
  const apiOrigin = ctx.origins["api"] ?? "";
  const initialCredits = positiveInt(ctx.options.initialCredits, 1000, "initialCredits");
  const configured = (ctx.options["creditCosts"] ?? {}) as Partial<CreditCosts>;
  const costs: CreditCosts = {
    search: positiveInt(configured.search, 1, "creditCosts.search"),
    detail: positiveInt(configured.detail, 50, "creditCosts.detail"),
  };
  const directory = createDirectory(now, apiOrigin);
  const keys = createApiKeyStore(now);
  const sessions = createSessions(now, ctx.options.tokenLifetimeSeconds ?? 3600);
  const ledger = createCreditLedger(now, initialCredits);
  const requests: Record<string, number> = {};
  const guard = createGuard({
    directory,
    keys,
    sessions,
    specCheck: createSpecCheck("erip"),
    onRequest: (tenantId) => {
      const key = tenantId ?? "public";
      requests[key] = (requests[key] ?? 0) + 1;
    },
  });
  const app = createEripApp({ directory, keys, sessions, ledger, costs, now, guard });

  // The seed's tenant and admin, a second tenant, and a freshly provisioned one awaiting its admin.
  const acme = directory.addTenant({ id: "019db4fc-fdd3-7a6a-927f-dccf298ef5c9", displayName: "Acme Capital Partners", tier: "Starter", contact: contactFor("Jane Doe", "billing@acme.test") });
  const globex = directory.addTenant({ displayName: "Globex Ventures", tier: "Professional", contact: contactFor("Hank Scorpio", "billing@globex.test") });
  const jane = directory.addUser({ tenantId: acme.id, name: "Jane Doe", email: "jane@acme.test", tenantRole: "Admin", status: "Active" });
  const sam = directory.addUser({ tenantId: acme.id, name: "Sam Lee", email: "sam@acme.test", tenantRole: "Member", status: "Active" });
  const hank = directory.addUser({ tenantId: globex.id, name: "Hank Scorpio", email: "hank@globex.test", tenantRole: "Admin", status: "Active" });
  const provision: EripControl["provisionTenant"] = ({ displayName, tier, adminName, adminEmail }) => {
    const tenant = directory.addTenant({ displayName, tier: tier ?? "Trial", contact: contactFor(adminName, adminEmail) });
    const admin = directory.addUser({ tenantId: tenant.id, name: adminName, email: adminEmail, tenantRole: "Admin", status: "Invited" });
    const { token } = directory.invite(admin);
    return { tenant, admin, inviteToken: token };
  };
  const initech = provision({ displayName: "Initech Holdings", tier: "Trial", adminName: "Peter Gibbons", adminEmail: "peter@initech.test" });
  const seedKey = (tenantId: string, type: "user" | "service", userId: string | null, name: string): SeededKey => {
    const { record, key } = keys.create({ tenantId, type, userId, name });
    return { id: record.id, key, prefix: record.prefix };
  };

  const control: EripControl = {
    baseUrl: apiOrigin,
    seeded: {
      tenants: { acme, globex, initech: initech.tenant },
      users: { jane, sam, hank, peter: initech.admin },
      keys: {
        janeKey: seedKey(acme.id, "user", jane.id, "Jane's laptop"),
        samKey: seedKey(acme.id, "user", sam.id, "Sam's notebook"),
        acmeService: seedKey(acme.id, "service", null, "Daily ingest"),
        globexService: seedKey(globex.id, "service", null, "Globex pipeline"),
      },
      invites: { peter: initech.inviteToken },
    },
    outbox: directory.outbox,
    lastEmail(email, kind) {
      const wanted = email.toLowerCase();
      return [...directory.outbox].reverse().find((m) => m.to.toLowerCase() === wanted && (kind === undefined || m.kind === kind));
    },
    costs,
    counters: { requests },
    async signIn(email) {
      const user = directory.userByEmail(email);
      const tenant = user && directory.tenant(user.tenantId);
      if (!user || !tenant || user.status !== "Active") throw new RangeError(`no active ERIP user ${email}`);
      return sessions.issue(user, tenant);
    },
    provisionTenant: provision,
    getCredits: (tenantId) => ledger.balance(tenantId).balance,
    setCredits: (tenantId, balance) => ledger.set(tenantId, balance),
    creditHistory: (tenantId) => ledger.history(tenantId),
    keyRecords: () => keys.records(),
    summary() {
      const { keys: seeded } = control.seeded;
      const credential = (label: string, env: string, secret: string) => ({ label, env, secret, fingerprint: fingerprint(secret) });
      return {
        title: "ERIP",
        baseUrl: apiOrigin,
        values: [],
        credentials: [
          credential("ERIP user key (Jane Doe, Acme admin)", "ERIP_API_KEY", seeded.janeKey.key),
          credential("ERIP service key (Acme, Daily ingest)", "ERIP_SERVICE_KEY", seeded.acmeService.key),
        ],
        commands: [
          `curl -s "${apiOrigin}/v1/companies/search?name=Siemens" -H "X-Api-Key: $ERIP_API_KEY" -D - -o /dev/null | grep -i x-credits`,
          `curl -s ${apiOrigin}/v1/tenant/credits -H "X-Api-Key: $ERIP_SERVICE_KEY"   # 401 JWT_REQUIRED: /v1/tenant/** is JWT only`,
          `curl -s -X POST ${apiOrigin}/v1/auth/request-login-link -H "Content-Type: application/json" -d '{"email":"jane@acme.test"}'`,
        ],
      };
    },
  };

  // The framework mounts apps by their `fetch`; the env type is this app's own business.
  return { apps: { api: app as unknown as Hono }, control };
}
