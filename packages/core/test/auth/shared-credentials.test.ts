/**
 * Client-credentials credentials are cheap (settings shared, state in private fields, allocated
 * on the first token). These tests pin what that must never change: without a cache a
 * credential's token is its own; through one cache tenants never share a token and equal requests
 * share one; secrets stay unreachable; a 401 on one holder of a shared token refreshes it once.
 */
import { inspect } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import type { AuthorizeContext, Credential } from "../../src/auth/credential.js";
import { createTenantPool } from "../../src/tenants/tenant-pool.js";
import { resolveClaimNames } from "../../src/tenants/tenant-claim.js";
import { createMemoryTokenCache } from "../../src/tokens/memory-token-cache.js";
import { ims } from "./support/descriptors.js";
import { call } from "./support/mini-pipeline.js";
import { createSigner, startApiServer, startAuthServer, type Loopback, type Signer, useLoopbackFixtures } from "./support/servers.js";

const fixtures = useLoopbackFixtures();

const claims = resolveClaimNames(ims.claims);
const clients = {
  "cli-a": { secret: "secret-for-tenant-a-01", tenant: "8c2f0000-0000-4000-8000-00000000000a" },
  "cli-b": { secret: "secret-for-tenant-b-01", tenant: "8c2f0000-0000-4000-8000-00000000000b" },
};
const context = (url: string): AuthorizeContext => ({
  url,
  method: "GET",
  operation: "GET /v1/items",
  scheme: "bearerAuth",
  schemeDescriptor: { type: "oauth2" },
  scopes: [],
  ...(claims !== undefined ? { claims } : {}),
});
const tokenOf = async (credential: Credential, url: string): Promise<string> =>
  String((await credential.authorize(context(url))).headers?.Authorization).slice("Bearer ".length);

describe("client credentials and their tokens", () => {
  it("without a cache, each credential's token is its own: an equal one, or one with a wrong secret, fetches its own", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients });
    fixtures.open.push(auth);
    const options = { tokenUrl: auth.tokenUrl, clientId: "cli-a", clientSecret: clients["cli-a"].secret, tenant: clients["cli-a"].tenant };
    const first = clientCredentials(options);
    const token = await tokenOf(first, auth.url);
    expect(await tokenOf(clientCredentials(options), auth.url)).not.toBe(token);
    const wrongSecret = clientCredentials({ ...options, clientSecret: "not-the-secret-of-cli-a" });
    await expect(wrongSecret.authorize(context(auth.url))).rejects.toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    expect(auth.requests).toHaveLength(3);
  });

  it("with one cache: one token per request shape; different tenants, scopes or clients never share", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients, delayMs: 20 });
    fixtures.open.push(auth);
    const cache = createMemoryTokenCache();
    const make = (clientId: keyof typeof clients, extra: { scope?: string; tenant?: string | null } = {}) =>
      clientCredentials({
        tokenUrl: auth.tokenUrl,
        clientId,
        clientSecret: clients[clientId].secret,
        audience: "https://api.atrope.dev",
        cache,
        ...(extra.tenant === null ? {} : { tenant: extra.tenant ?? clients[clientId].tenant }),
        ...(extra.scope !== undefined ? { scope: extra.scope } : {}),
      });
    const a1 = make("cli-a");
    const a2 = make("cli-a");
    const b = make("cli-b");
    const aScoped = make("cli-a", { scope: "catalog:read" });
    const aNoTenant = make("cli-a", { tenant: null });
    expect(a1.cacheKey).toBe(a2.cacheKey);
    expect(new Set([a1, b, aScoped, aNoTenant].map((c) => c.cacheKey)).size).toBe(4);

    const tokens = await Promise.all(
      [a1, a2, b, aScoped, aNoTenant].flatMap((credential) => Array.from({ length: 50 }, () => tokenOf(credential, auth.url))),
    );
    expect(auth.requests).toHaveLength(4); // a1 and a2 share one request; the other three have their own
    const [ta1, ta2, tb, tScoped, tNoTenant] = [0, 50, 100, 150, 200].map((i) => tokens[i] as string) as [string, string, string, string, string];
    expect(ta1).toBe(ta2);
    expect(new Set([ta1, tb, tScoped, tNoTenant]).size).toBe(4);
    const tenantOf = async (token: string) => (await fixtures.signer.verify(token))[claims?.tenant ?? ""];
    expect(await tenantOf(ta1)).toBe(clients["cli-a"].tenant);
    expect(await tenantOf(tb)).toBe(clients["cli-b"].tenant);
  });

  it("with one cache, a tenant's client rebuilt after pool eviction reuses the token its predecessor fetched", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients });
    fixtures.open.push(auth);
    const cache = createMemoryTokenCache();
    const byTenant = new Map(Object.entries(clients).map(([clientId, client]) => [client.tenant, clientId as keyof typeof clients]));
    const pool = createTenantPool({
      max: 1,
      create: (tenant: string) => {
        const clientId = byTenant.get(tenant) as keyof typeof clients;
        return clientCredentials({ tokenUrl: auth.tokenUrl, clientId, clientSecret: clients[clientId].secret, tenant, cache });
      },
    });
    const a = clients["cli-a"].tenant;
    const b = clients["cli-b"].tenant;
    const first = await tokenOf(pool.get(a), auth.url);
    await tokenOf(pool.get(b), auth.url); // evicts a
    expect(pool.has(a)).toBe(false);
    expect(await tokenOf(pool.get(a), auth.url)).toBe(first);
    expect(auth.requests).toHaveLength(2);
  });

  it("a 401 on one holder of a shared token refreshes it once; the other holder follows", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients });
    const api = await startApiServer({ signer: fixtures.signer, tenantClaim: claims?.tenant });
    fixtures.open.push(auth, api);
    const cache = createMemoryTokenCache();
    const make = () =>
      clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli-a", clientSecret: clients["cli-a"].secret, tenant: clients["cli-a"].tenant, cache });
    const one = make();
    const two = make();
    const get = (credential: Credential) => call({ descriptor: ims, credentials: credential, baseUrl: api.url, path: "/v1/items", claims });
    expect(await get(one)).toMatchObject({ status: 200 });
    expect(await get(two)).toMatchObject({ status: 200 });
    const before = await tokenOf(two, auth.url);
    api.rejectNext(1);
    expect(await get(one)).toMatchObject({ status: 200, attempts: 2 });
    expect(auth.requests).toHaveLength(2);
    // `two` still holds the rejected token; its own 401 adopts the refreshed one without a request.
    api.rejectNext(1);
    expect(await get(two)).toMatchObject({ status: 200, attempts: 2 });
    expect(auth.requests).toHaveLength(2);
    expect(await tokenOf(two, auth.url)).not.toBe(before);
  });
});

describe("a client-credentials credential object", () => {
  it("holds no readable secret: no own property, no getter, no symbol, no serialization", async () => {
    const secret = "cs_test_unreachable-secret-0123456789";
    const credential = clientCredentials({ tokenUrl: "https://auth.example.test/oauth/token", clientId: "cli-x", clientSecret: secret, tenant: "t-1" });
    const seen: unknown[] = [];
    for (let object: object | null = credential; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object) as object | null) {
      for (const key of Reflect.ownKeys(object)) {
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
  });

  it("rotateSecret validates and applies to the next token request", async () => {
    const auth = await startAuthServer({ signer: fixtures.signer, clients: { rot: { secret: "rotated-secret-0002" } } });
    fixtures.open.push(auth);
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "rot", clientSecret: "old-secret-00000001" });
    expect(() => credential.rotateSecret("")).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    await expect(credential.authorize(context(auth.url))).rejects.toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
    credential.rotateSecret("rotated-secret-0002");
    await expect(tokenOf(credential, auth.url)).resolves.toMatch(/^eyJ/);
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
