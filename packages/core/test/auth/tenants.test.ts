/**
 * One client per tenant (IMS asks for "a separate SDK client instance" per tenant): a tenant pool
 * of `createClient` clients, each with its own credential, and the tenant claim of every token
 * checked against the tenant the credential was built for before the token is sent.
 */
import { describe, expect, it } from "vitest";
import { PorticoError, clientCredentials, createMemoryTokenCache, createTenantPool, tokenProvider } from "../../src/index.js";
import { resolveClaimNames } from "../../src/internal.js";
import { clientFor, ims, type TestClient } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

const claims = resolveClaimNames(ims.claims);
const tenantClaim = claims?.tenant ?? "";
const tenants = {
  "cli-a": { secret: "secret-for-tenant-a-01", tenant: "8c2f0000-0000-4000-8000-00000000000a" },
  "cli-b": { secret: "secret-for-tenant-b-01", tenant: "8c2f0000-0000-4000-8000-00000000000b" },
  "cli-c": { secret: "secret-for-tenant-c-01", tenant: "8c2f0000-0000-4000-8000-00000000000c" },
};
type ClientId = keyof typeof tenants;
const byTenant = new Map(Object.entries(tenants).map(([clientId, client]) => [client.tenant, clientId as ClientId]));

describe("tenant pool and tenant claim", () => {
  it("two tenants hammered concurrently: every request carries its own tenant's token", async () => {
    const auth = await f.auth({ clients: tenants });
    const api = await f.api({ tenantClaim });
    let created = 0;
    const pool = createTenantPool<TestClient>({
      create: (tenant) => {
        created += 1;
        const clientId = byTenant.get(tenant) as ClientId;
        const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret: tenants[clientId].secret, audience: "https://api.atrope.dev", bodyEncoding: "json", tenant, clock: f.clock });
        return clientFor(ims, { baseUrl: api.url, auth: credential, headers: { "x-expected-tenant": tenant } });
      },
    });
    const a = tenants["cli-a"].tenant;
    const b = tenants["cli-b"].tenant;
    const release = auth.hold();
    const calls = Promise.all(Array.from({ length: 400 }, (_, i) => pool.get(i % 2 === 0 ? a : b).GET("/v1/items")));
    await auth.until(2);
    release();
    const results = await calls;
    expect(results.map((r) => r.data?.tenant)).toEqual(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b)));
    expect(api.wrongTenant).toBe(0);
    expect(api.requests.filter((r) => r.tenant === a)).toHaveLength(200);
    expect(api.requests.filter((r) => r.tenant === b)).toHaveLength(200);
    expect(auth.requests).toHaveLength(2); // one token per tenant
    expect(created).toBe(2);
    expect(pool.get(a).toJSON().credentials).toEqual(["oauth2:cli-a"]);
  });

  it("a token whose tenant claim differs is rejected before use (TENANT_MISMATCH), with the claim names from the spec", async () => {
    const auth = await f.auth({ clients: tenants, tenantOverride: { "cli-c": tenants["cli-a"].tenant } });
    const api = await f.api({ tenantClaim });
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-c", clientSecret: tenants["cli-c"].secret, tenant: tenants["cli-c"].tenant, clock: f.clock });
    const client = clientFor(ims, { baseUrl: api.url, auth: credential });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.GET("/v1/items")));
    for (const { error, meta } of results) {
      expect(error).toBeInstanceOf(PorticoError);
      expect(error).toMatchObject({ code: "TENANT_MISMATCH", details: { expectedTenant: tenants["cli-c"].tenant, actualTenant: tenants["cli-a"].tenant } });
      expect(meta.status).toBeUndefined();
    }
    expect(api.requests).toHaveLength(0);
    expect(credential.grantedScopes?.()).toBeUndefined();
  });

  it("the claim namespace is configurable per deployment (claimsNamespace)", async () => {
    const namespace = "https://claims.acme.example/";
    const auth = await f.auth({ clients: tenants, claimsNamespace: namespace });
    const api = await f.api({ tenantClaim: `${namespace}tenant_id` });
    expect(resolveClaimNames(ims.claims, namespace)).toEqual({ tenant: `${namespace}tenant_id`, permissions: `${namespace}permissions` });
    const make = () => clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-b", clientSecret: tenants["cli-b"].secret, tenant: tenants["cli-b"].tenant, clock: f.clock });
    const deployed = clientFor(ims, { baseUrl: api.url, auth: make(), claimsNamespace: namespace });
    expect((await deployed.GET("/v1/items")).data).toEqual({ ok: true, via: "jwt", tenant: tenants["cli-b"].tenant });
    // With the spec's default namespace the tenant claim is absent: refused.
    const wrongNamespace = clientFor(ims, { baseUrl: api.url, auth: make() });
    expect((await wrongNamespace.GET("/v1/items")).error).toMatchObject({ code: "TENANT_MISMATCH" });
    expect(api.requests).toHaveLength(1);
  });

  it("credentials sharing a cache and a key share one in-flight token request", async () => {
    const auth = await f.auth({ clients: tenants });
    const api = await f.api();
    const cache = createMemoryTokenCache({ clock: f.clock });
    const make = (scope: string) => clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-a", clientSecret: tenants["cli-a"].secret, scope, cache, clock: f.clock });
    const [first, second, other] = [make("catalog:read"), make("catalog:read"), make("catalog:write")];
    expect(first.cacheKey).toBe(second.cacheKey);
    expect(other.cacheKey).not.toBe(first.cacheKey);
    const [one, two, three] = [first, second, other].map((credential) => clientFor(ims, { baseUrl: api.url, auth: credential }));
    const release = auth.hold();
    const calls = Promise.all([
      ...Array.from({ length: 100 }, () => one?.GET("/v1/items")),
      ...Array.from({ length: 100 }, () => two?.GET("/v1/items")),
      three?.GET("/v1/items"),
    ]);
    await auth.until(2);
    release();
    expect((await calls).every((r) => r?.data?.via === "jwt")).toBe(true);
    expect(auth.requests).toHaveLength(2); // one per key
    expect(new Set(api.requests.map((r) => r.token)).size).toBe(2);
  });

  it("LRU bound and idle eviction, disposing what it evicts", () => {
    let now = 0;
    const disposed: string[] = [];
    const pool = createTenantPool({ create: (tenant) => ({ tenant }), max: 2, idleMs: 1000, clock: { now: () => now }, dispose: (_client, tenant) => disposed.push(tenant) });
    const a = pool.get("a");
    pool.get("b");
    expect(pool.get("a")).toBe(a); // a is now the most recent
    pool.get("c");
    expect(pool.tenants()).toEqual(["a", "c"]);
    expect(disposed).toEqual(["b"]);
    now = 900;
    pool.get("c");
    now = 1500; // a idle for 1500 ms, c for 600 ms
    pool.get("d");
    expect(pool.tenants()).toEqual(["c", "d"]);
    expect(disposed).toEqual(["b", "a"]);
    expect(() => pool.get("")).toThrow(PorticoError);
  });

  it("granted scopes come from the token's permissions claim; checkScopes refuses an operation locally", async () => {
    const api = await f.api();
    const token = await f.signer.sign({ [claims?.permissions ?? ""]: ["catalog:read", "inventory:read"] }, 600, f.clock.now());
    const credential = tokenProvider(async () => ({ accessToken: token }), { clock: f.clock });
    const client = clientFor(ims, { baseUrl: api.url, auth: credential, checkScopes: true });
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(credential.grantedScopes?.()).toEqual(["catalog:read", "inventory:read"]);
    const refused = await client.POST("/v1/adjustments", { body: { sku: "A-1", delta: 1 } });
    expect(refused.error).toMatchObject({ code: "INSUFFICIENT_SCOPES", details: { missing: ["inventory:write"] } });
    expect(refused.meta.attempts).toBe(0);
    expect(api.requests).toHaveLength(1);
  });
});
