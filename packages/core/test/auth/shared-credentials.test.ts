/**
 * Client-credentials credentials are cheap (settings shared, state in private fields, allocated
 * on the first token). These tests pin what that must never change, through client calls:
 * without a cache a credential's token is its own; through one cache tenants never share a token
 * and equal requests share one; secrets stay unreachable; a 401 on one holder of a shared token
 * refreshes it once.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { clientCredentials, createMemoryTokenCache, createTenantPool, type ClientCredentialsOptions } from "../../src/index.js";
import { resolveClaimNames } from "../../src/internal.js";
import { clientFor, ims, type TestClient } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

const tenantClaim = resolveClaimNames(ims.claims)?.tenant ?? "";
const clients = {
  "cli-a": { secret: "secret-for-tenant-a-01", tenant: "8c2f0000-0000-4000-8000-00000000000a" },
  "cli-b": { secret: "secret-for-tenant-b-01", tenant: "8c2f0000-0000-4000-8000-00000000000b" },
};
type ClientId = keyof typeof clients;
const forClient = (tokenUrl: string, clientId: ClientId, options: Partial<ClientCredentialsOptions> = {}) =>
  clientCredentials({ tokenUrl, clientId, clientSecret: clients[clientId].secret, tenant: clients[clientId].tenant, clock: f.clock, ...options });

describe("client credentials and their tokens", () => {
  it("without a cache each credential's token is its own: an equal one, or one with a wrong secret, fetches its own", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const first = clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, "cli-a") });
    const equal = clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, "cli-a") });
    expect((await first.GET("/v1/items")).data).toMatchObject({ tenant: clients["cli-a"].tenant });
    expect((await equal.GET("/v1/items")).data).toMatchObject({ tenant: clients["cli-a"].tenant });
    expect(api.requests[0]?.token).not.toBe(api.requests[1]?.token);
    const wrongSecret = clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, "cli-a", { clientSecret: "not-the-secret-of-cli-a" }) });
    expect((await wrongSecret.GET("/v1/items")).error).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    expect(auth.requests).toHaveLength(3);
    expect(api.requests).toHaveLength(2);
  });

  it("with one cache: one token per request shape; different tenants, scopes or clients never share", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const cache = createMemoryTokenCache({ clock: f.clock });
    const make = (clientId: ClientId, extra: { scope?: string; tenant?: null } = {}) =>
      forClient(auth.tokenUrl, clientId, {
        audience: "https://api.atrope.dev",
        cache,
        ...(extra.tenant === null ? { tenant: undefined } : {}),
        ...(extra.scope !== undefined ? { scope: extra.scope } : {}),
      });
    const credentials = { a1: make("cli-a"), a2: make("cli-a"), b: make("cli-b"), aScoped: make("cli-a", { scope: "catalog:read" }), aNoTenant: make("cli-a", { tenant: null }) };
    expect(credentials.a1.cacheKey).toBe(credentials.a2.cacheKey);
    expect(new Set([credentials.a1, credentials.b, credentials.aScoped, credentials.aNoTenant].map((c) => c.cacheKey)).size).toBe(4);

    const release = auth.hold();
    const calls = Promise.all(
      Object.entries(credentials).flatMap(([name, credential]) => {
        const client = clientFor(ims, { baseUrl: api.url, auth: credential, headers: { "x-holder": name } });
        return Array.from({ length: 50 }, () => client.GET("/v1/items"));
      }),
    );
    await auth.until(4);
    release();
    expect((await calls).every((r) => r.data?.via === "jwt")).toBe(true);
    expect(auth.requests).toHaveLength(4); // a1 and a2 share one request; the other three have their own

    const tokensOf = (holder: string) => new Set(api.requests.filter((r) => r.headers["x-holder"] === holder).map((r) => r.token));
    const [a1, a2, b, aScoped, aNoTenant] = ["a1", "a2", "b", "aScoped", "aNoTenant"].map(tokensOf);
    for (const set of [a1, a2, b, aScoped, aNoTenant]) expect(set?.size).toBe(1);
    expect([...(a1 ?? [])]).toEqual([...(a2 ?? [])]);
    expect(new Set([a1, b, aScoped, aNoTenant].map((set) => [...(set ?? [])][0])).size).toBe(4);
    const tenantOf = (holder: string) => api.requests.find((r) => r.headers["x-holder"] === holder)?.tenant;
    expect(tenantOf("a1")).toBe(clients["cli-a"].tenant);
    expect(tenantOf("b")).toBe(clients["cli-b"].tenant);
  });

  it("with one cache, a tenant's client rebuilt after pool eviction reuses the token its predecessor fetched", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const cache = createMemoryTokenCache({ clock: f.clock });
    const byTenant = new Map(Object.entries(clients).map(([clientId, client]) => [client.tenant, clientId as ClientId]));
    let built = 0;
    const pool = createTenantPool<TestClient>({
      max: 1,
      create: (tenant) => {
        built += 1;
        return clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, byTenant.get(tenant) as ClientId, { cache }) });
      },
    });
    const a = clients["cli-a"].tenant;
    const b = clients["cli-b"].tenant;
    await pool.get(a).GET("/v1/items");
    await pool.get(b).GET("/v1/items"); // evicts a
    expect(pool.has(a)).toBe(false);
    expect((await pool.get(a).GET("/v1/items")).data).toMatchObject({ tenant: a });
    expect(built).toBe(3);
    expect(api.requests[2]?.token).toBe(api.requests[0]?.token);
    expect(auth.requests).toHaveLength(2);
  });

  it("a 401 on one holder of a shared token refreshes it once; the other holder follows without a request", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const cache = createMemoryTokenCache({ clock: f.clock });
    const one = clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, "cli-a", { cache }) });
    const two = clientFor(ims, { baseUrl: api.url, auth: forClient(auth.tokenUrl, "cli-a", { cache }) });
    await one.GET("/v1/items");
    await two.GET("/v1/items");
    const shared = api.requests[0]?.token ?? "";
    expect(api.requests[1]?.token).toBe(shared);

    api.revoke(shared);
    const replayed = await one.GET("/v1/items");
    expect(replayed.meta.attempts).toBe(2);
    expect(replayed.data).toMatchObject({ via: "jwt" });
    expect(auth.requests).toHaveLength(2);
    // `two` still holds the revoked token; its own 401 adopts the refreshed one from the cache.
    const followed = await two.GET("/v1/items");
    expect(followed.meta.attempts).toBe(2);
    expect(followed.data).toMatchObject({ via: "jwt" });
    expect(auth.requests).toHaveLength(2);
    const sent = api.requests.map((r) => r.token);
    expect(sent.slice(2)).toEqual([shared, sent[3], shared, sent[3]]);
    expect(sent[3]).not.toBe(shared);
  });
});

describe("a client-credentials credential object", () => {
  it("holds no readable secret: no own property, no getter, no serialization, no inspection", () => {
    const secret = "cs_test_unreachable-secret-0123456789";
    const credential = clientCredentials({ tokenUrl: "https://auth.example.test/oauth/token", clientId: "cli-x", clientSecret: secret, tenant: "t-1" });
    const seen: unknown[] = [];
    for (let object: object | null = credential; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object) as object | null) {
      for (const key of Object.getOwnPropertyNames(object)) {
        if (key === "constructor") continue;
        const value: unknown = Reflect.get(object, key, credential);
        seen.push(typeof value === "function" && key !== "rotateSecret" && key !== "authorize" && key !== "invalidate" ? value.call(credential) : value);
      }
    }
    expect(seen.length).toBeGreaterThan(8);
    const everything = `${JSON.stringify(seen)} ${inspect(seen, { showHidden: true, depth: 5, getters: true })}`;
    expect(everything).toContain("oauth2:cli-x");
    expect(everything).not.toContain(secret);
    expect(JSON.stringify(credential)).toBe('{"kind":"bearer","fingerprint":"oauth2:cli-x"}');
    expect(inspect(credential, { showHidden: true, depth: 10 })).not.toContain(secret);
    expect(String(credential)).toBe("Credential<bearer> oauth2:cli-x");
    expect(Object.keys(credential)).toEqual([]);
    expect({ kind: credential.kind, tenant: credential.tenant }).toEqual({ kind: "bearer", tenant: "t-1" });
    const client = clientFor(ims, { auth: credential });
    expect(`${JSON.stringify(client)} ${inspect(client, { showHidden: true, depth: 10 })}`).not.toContain(secret);
  });

  it("holds no readable secret under any symbol either", () => {
    const secret = "cs_test_unreachable-secret-0123456789";
    const credential = clientCredentials({ tokenUrl: "https://auth.example.test/oauth/token", clientId: "cli-x", clientSecret: secret });
    const seen: unknown[] = [];
    for (let object: object | null = credential; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object) as object | null) {
      for (const key of Object.getOwnPropertySymbols(object)) {
        const value: unknown = Reflect.get(object, key, credential);
        seen.push(typeof value === "function" ? value.call(credential) : value);
      }
    }
    expect(inspect(seen, { depth: 5 })).not.toContain(secret);
  });

  it("rotateSecret validates and applies to the next token request", async () => {
    const auth = await f.auth({ clients: { rot: { secret: "rotated-secret-0002" } } });
    const api = await f.api();
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "rot", clientSecret: "old-secret-00000001", clock: f.clock });
    const client = clientFor(ims, { baseUrl: api.url, auth: credential });
    expect(() => credential.rotateSecret("")).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect((await client.GET("/v1/items")).error).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    credential.rotateSecret("rotated-secret-0002");
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(auth.requests.map((r) => r.params.client_secret)).toEqual(["old-secret-00000001", "rotated-secret-0002"]);
  });

  it("claim names are resolved once per descriptor and namespace", () => {
    expect(resolveClaimNames(ims.claims)).toBe(resolveClaimNames(ims.claims));
    expect(resolveClaimNames(ims.claims, "https://other.example/")).toEqual({
      tenant: "https://other.example/tenant_id",
      permissions: "https://other.example/permissions",
    });
    expect(resolveClaimNames(ims.claims, "https://other.example/")).not.toBe(resolveClaimNames(ims.claims));
  });
});
