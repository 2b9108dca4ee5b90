import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials, type ClientCredentialsCredential } from "../../src/auth/client-credentials.js";
import { tokenProvider } from "../../src/auth/token-provider.js";
import { PorticoError } from "../../src/errors/portico-error.js";
import { createTenantPool } from "../../src/tenants/tenant-pool.js";
import { resolveClaimNames } from "../../src/tenants/tenant-claim.js";
import { createMemoryTokenCache } from "../../src/tokens/memory-token-cache.js";
import { checkScopes } from "../../src/tokens/scopes.js";
import { ims } from "./support/descriptors.js";
import { call } from "./support/mini-pipeline.js";
import { createSigner, startApiServer, startAuthServer, type Loopback, type Signer, useLoopbackFixtures } from "./support/servers.js";

const fixtures = useLoopbackFixtures();

const claims = resolveClaimNames(ims.claims);
const tenants = {
  "cli-a": { secret: "secret-for-tenant-a-01", tenant: "8c2f0000-0000-4000-8000-00000000000a" },
  "cli-b": { secret: "secret-for-tenant-b-01", tenant: "8c2f0000-0000-4000-8000-00000000000b" },
  "cli-c": { secret: "secret-for-tenant-c-01", tenant: "8c2f0000-0000-4000-8000-00000000000c" },
};
type ClientId = keyof typeof tenants;

describe("tenant pool and tenant claim", () => {
  it("two tenants hammered concurrently: every request carries its own tenant's token", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: tenants, delayMs: 20 });
    const api = await startApiServer({ signer: fixtures.signer, tenantClaim: claims?.tenant });
    fixtures.open.push(auth, api);
    const byTenant = new Map(Object.entries(tenants).map(([clientId, client]) => [client.tenant, clientId as ClientId]));
    let created = 0;
    const pool = createTenantPool({
      create: (tenant: string) => {
        created += 1;
        const clientId = byTenant.get(tenant) as ClientId;
        const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret: tenants[clientId].secret, audience: "https://api.atrope.dev", bodyEncoding: "json", tenant });
        return { credential, get: (path: string) => call({ descriptor: ims, credentials: credential, baseUrl: api.url, path, claims, headers: { "x-expected-tenant": tenant } }) };
      },
    });
    const a = tenants["cli-a"].tenant;
    const b = tenants["cli-b"].tenant;
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => pool.get(i % 2 === 0 ? a : b).get("/v1/items")));
    expect(results.every((result) => "status" in result && result.status === 200)).toBe(true);
    expect(api.wrongTenant).toBe(0);
    expect(api.received.filter((r) => r.tenant === a)).toHaveLength(200);
    expect(api.received.filter((r) => r.tenant === b)).toHaveLength(200);
    expect(auth.requests).toHaveLength(2); // one token per tenant
    expect(created).toBe(2);
    expect(pool.get(a).credential.tenant).toBe(a);
  });

  it("a token whose tenant claim differs is rejected before use (TENANT_MISMATCH)", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: tenants, tenantOverride: { "cli-c": tenants["cli-a"].tenant } });
    const api = await startApiServer({ signer: fixtures.signer, tenantClaim: claims?.tenant });
    fixtures.open.push(auth, api);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-c", clientSecret: tenants["cli-c"].secret, tenant: tenants["cli-c"].tenant });
    const results = await Promise.all(Array.from({ length: 10 }, () => call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims })));
    for (const result of results) {
      expect(result).toMatchObject({ error: { code: "TENANT_MISMATCH", details: { expectedTenant: tenants["cli-c"].tenant, actualTenant: tenants["cli-a"].tenant } } });
    }
    expect(api.received).toHaveLength(0);
    expect(credential.grantedScopes?.()).toBeUndefined();
  });

  it("the claim namespace is configurable per deployment", async () => {
    const namespace = "https://claims.acme.example/";
    const auth = await startAuthServer({ signer: fixtures.signer, clients: tenants, claimsNamespace: namespace });
    const api = await startApiServer({ signer: fixtures.signer, tenantClaim: `${namespace}tenant_id` });
    fixtures.open.push(auth, api);
    const deployment = resolveClaimNames(ims.claims, namespace);
    expect(deployment).toEqual({ tenant: `${namespace}tenant_id`, permissions: `${namespace}permissions` });
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-b", clientSecret: tenants["cli-b"].secret, tenant: tenants["cli-b"].tenant, claims: deployment });
    expect(await call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items" })).toMatchObject({ status: 200, body: { tenant: tenants["cli-b"].tenant } });
    // With the spec's default namespace the claim is absent: refused.
    const wrongNamespace = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-b", clientSecret: tenants["cli-b"].secret, tenant: tenants["cli-b"].tenant, claims });
    expect(await call({ descriptor: ims, credentials: wrongNamespace, baseUrl: api.url, path: "/v1/items" })).toMatchObject({ error: { code: "TENANT_MISMATCH" } });
  });

  it("credentials sharing a cache and key share one in-flight refresh", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: tenants, delayMs: 30 });
    fixtures.open.push(auth);
    const cache = createMemoryTokenCache();
    const make = (): ClientCredentialsCredential => clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-a", clientSecret: tenants["cli-a"].secret, scope: "catalog:read", cache });
    const first = make();
    const second = make();
    expect(first.cacheKey).toBe(second.cacheKey);
    const other = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-a", clientSecret: tenants["cli-a"].secret, scope: "catalog:write", cache });
    expect(other.cacheKey).not.toBe(first.cacheKey);
    const ctx = { url: auth.url, method: "GET", operation: "GET /v1/items", scheme: "bearerAuth", schemeDescriptor: { type: "oauth2" as const }, scopes: [] };
    await Promise.all([...Array.from({ length: 100 }, () => first.authorize(ctx)), ...Array.from({ length: 100 }, () => second.authorize(ctx)), other.authorize(ctx)]);
    expect(auth.requests).toHaveLength(2); // one per key
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

  it("granted scopes from the token's permissions claim; checkScopes refuses locally", async () => {
    const token = await fixtures.signer.sign({ [claims?.permissions ?? ""]: ["catalog:read", "inventory:read"] }, 600);
    const credential = tokenProvider(async () => ({ accessToken: token }), { claims });
    await credential.authorize({ url: "https://api.atrope.dev/v1/items", method: "GET", operation: "GET /v1/items", scheme: "bearerAuth", schemeDescriptor: { type: "oauth2" }, scopes: [] });
    expect(credential.grantedScopes?.()).toEqual(["catalog:read", "inventory:read"]);
    expect(checkScopes(["catalog:read"], credential.grantedScopes?.())).toBeUndefined();
    const refused = checkScopes(["inventory:write", "catalog:read"], credential.grantedScopes?.());
    expect(refused).toMatchObject({ code: "INSUFFICIENT_SCOPES", details: { missing: ["inventory:write"] } });
    expect(checkScopes(["inventory:write"], undefined)).toBeUndefined();
  });
});
