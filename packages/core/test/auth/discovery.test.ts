/**
 * Where `clientCredentials` without a `tokenUrl` gets its tokens: the spec's `oauth2`
 * `clientCredentials` flow, or the `token_endpoint` of the `openIdConnect` scheme's discovery
 * document (fetched once, checked, its client authentication methods honoured). Flows OAuth 2.1
 * removes are refused with a message that says so. All through client calls.
 */
import { describe, expect, it } from "vitest";
import { clientCredentials, type ApiDescriptor, type Fetcher, type SecuritySchemeDescriptor } from "../../src/index.js";
import { clientFor } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

const SECRET = "svc-secret-0123456789";
const tenants = Array.from({ length: 12 }, (_, i) => `tenant-${String(i).padStart(2, "0")}`);
const clients = Object.fromEntries(tenants.map((tenant) => [`cli-${tenant}`, { secret: `${SECRET}-${tenant}`, tenant }]));
const tenantClaim = "https://atrope.dev/claims/tenant_id";

function specWith(scheme: SecuritySchemeDescriptor): ApiDescriptor {
  return {
    name: "oidc",
    servers: [],
    securitySchemes: { main: scheme },
    security: [{ main: [] }],
    operations: { "GET /v1/items": {} },
    claims: { namespace: "https://atrope.dev/claims/", tenant: "tenant_id" },
  };
}

/** A fetcher that records the URLs it is asked for, then fetches. */
function recordingFetcher(): Fetcher & { urls: string[] } {
  const urls: string[] = [];
  const fetcher = (url: string, init: Parameters<Fetcher>[1]) => {
    urls.push(url);
    return fetch(url, init as RequestInit);
  };
  return Object.assign(fetcher, { urls });
}

describe("openIdConnect discovery", () => {
  it("the token endpoint comes from the discovery document, fetched once for many concurrent calls", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const spec = specWith({ type: "openIdConnect", url: auth.discoveryUrl });
    const credential = clientCredentials({ clientId: "cli-tenant-00", clientSecret: `${SECRET}-tenant-00`, tenant: "tenant-00", clock: f.clock });
    const client = clientFor(spec, { baseUrl: api.url, auth: credential });
    const results = await Promise.all(Array.from({ length: 50 }, () => client.GET("/v1/items")));
    expect(results.map((r) => r.error)).toEqual(Array.from({ length: 50 }, () => undefined));
    expect(results[0]?.data).toEqual({ ok: true, via: "jwt", tenant: "tenant-00" });
    await client.GET("/v1/items");
    expect(auth.discoveries.count).toBe(1);
    expect(auth.requests).toHaveLength(1);
    expect(auth.requests[0]?.params).toMatchObject({ grant_type: "client_credentials", client_id: "cli-tenant-00" });
  });

  it("many tenants' credentials built in a loop: every call carries its own tenant's token", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const spec = specWith({ type: "openIdConnect", url: auth.discoveryUrl });
    const fleet = tenants.map((tenant) =>
      clientFor(spec, {
        baseUrl: api.url,
        headers: { "x-expected-tenant": tenant },
        auth: clientCredentials({ clientId: `cli-${tenant}`, clientSecret: `${SECRET}-${tenant}`, tenant, clock: f.clock }),
      }),
    );
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all(fleet.map((client) => client.GET("/v1/items")));
      expect(results.map((r) => r.data?.tenant)).toEqual(tenants);
    }
    expect(api.wrongTenant).toBe(0);
    expect(auth.requests).toHaveLength(tenants.length); // one token per tenant
  });

  // discovery.ts has no cache: each credential discovers on its own first use (one GET per credential).
  it("many tenants' credentials built in a loop fetch the discovery document once", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim });
    const spec = specWith({ type: "openIdConnect", url: auth.discoveryUrl });
    for (const tenant of tenants) {
      const credential = clientCredentials({ clientId: `cli-${tenant}`, clientSecret: `${SECRET}-${tenant}`, tenant, clock: f.clock });
      expect((await clientFor(spec, { baseUrl: api.url, auth: credential }).GET("/v1/items")).data?.tenant).toBe(tenant);
    }
    expect(auth.discoveries.count).toBe(1);
  });

  it('token_endpoint_auth_methods_supported: ["client_secret_basic"] makes the credential use Basic; the option still wins', async () => {
    const basicOnly = await f.auth({ clients, discovery: { authMethods: ["client_secret_basic"] }, authMethods: ["client_secret_basic"] });
    const both = await f.auth({ clients, discovery: { authMethods: ["client_secret_basic", "client_secret_post"] } });
    const api = await f.api();
    const credential = () => clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, clock: f.clock });
    expect((await clientFor(specWith({ type: "openIdConnect", url: basicOnly.discoveryUrl }), { baseUrl: api.url, auth: credential() }).GET("/v1/items")).error).toBeUndefined();
    expect(basicOnly.requests[0]).toMatchObject({ method: "client_secret_basic", basic: { clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01` } });
    expect(basicOnly.requests[0]?.params).not.toHaveProperty("client_secret");

    await clientFor(specWith({ type: "openIdConnect", url: both.discoveryUrl }), { baseUrl: api.url, auth: credential() }).GET("/v1/items");
    expect(both.requests[0]?.method).toBe("client_secret_post");
    const chosen = clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, clientAuthentication: "client_secret_basic", clock: f.clock });
    await clientFor(specWith({ type: "openIdConnect", url: both.discoveryUrl }), { baseUrl: api.url, auth: chosen }).GET("/v1/items");
    expect(both.requests[1]?.method).toBe("client_secret_basic");
  });

  it("an http discovery URL to a host other than loopback is refused before anything is fetched", async () => {
    const api = await f.api();
    const fetcher = recordingFetcher();
    const spec = specWith({ type: "openIdConnect", url: "http://idp.example.com/.well-known/openid-configuration" });
    const credential = clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, fetcher, clock: f.clock });
    const { error } = await clientFor(spec, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(error).toEqual(expect.objectContaining({ code: "INSECURE_TRANSPORT", message: expect.stringContaining("openIdConnectUrl") }));
    expect(fetcher.urls).toEqual([]);
    expect(api.requests).toHaveLength(0);
  });

  it("a discovered http token_endpoint to a host other than loopback is refused; the secret is never posted there", async () => {
    const auth = await f.auth({ clients, discovery: { tokenEndpoint: "http://idp.example.com/oauth/token" } });
    const api = await f.api();
    const fetcher = recordingFetcher();
    const credential = clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, fetcher, clock: f.clock });
    const { error } = await clientFor(specWith({ type: "openIdConnect", url: auth.discoveryUrl }), { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(error).toEqual(expect.objectContaining({ code: "INSECURE_TRANSPORT", message: expect.stringContaining("token_endpoint") }));
    expect(fetcher.urls).toEqual([auth.discoveryUrl]);
    expect(api.requests).toHaveLength(0);
  });

  it("a discovery answer without token_endpoint, or not JSON, or not 200, is a typed error; nothing is sent", async () => {
    const noEndpoint = await f.auth({ clients, discovery: { tokenEndpoint: null } });
    const html = await f.server((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>sign in</html>");
    });
    const missing = await f.server((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":"not_found"}');
    });
    const api = await f.api();
    for (const url of [noEndpoint.discoveryUrl, `${html.url}/.well-known/openid-configuration`, `${missing.url}/.well-known/openid-configuration`]) {
      const credential = clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, clock: f.clock });
      const { error } = await clientFor(specWith({ type: "openIdConnect", url }), { baseUrl: api.url, auth: credential }).GET("/v1/items");
      expect(error).toEqual(expect.objectContaining({ code: "TOKEN_RESPONSE_INVALID", message: expect.stringContaining("tokenUrl") }));
    }
    expect(noEndpoint.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(0);
  });

  it("a failed discovery is tried again by the next call", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api();
    let up = false;
    const flaky = await f.server(async (_req, res) => {
      if (!up) {
        res.writeHead(503);
        res.end();
        return;
      }
      const answer = await fetch(auth.discoveryUrl);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    const credential = clientCredentials({ clientId: "cli-tenant-01", clientSecret: `${SECRET}-tenant-01`, clock: f.clock });
    const client = clientFor(specWith({ type: "openIdConnect", url: `${flaky.url}/.well-known/openid-configuration` }), { baseUrl: api.url, auth: credential });
    expect((await client.GET("/v1/items")).error?.code).toBe("TOKEN_RESPONSE_INVALID");
    up = true;
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
  });
});

describe("the spec's oauth2 flows", () => {
  it("clientCredentials with no tokenUrl takes the spec's flows.clientCredentials.tokenUrl", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api();
    const spec = specWith({ type: "oauth2", flows: { clientCredentials: { tokenUrl: auth.tokenUrl } } });
    const credential = clientCredentials({ clientId: "cli-tenant-02", clientSecret: `${SECRET}-tenant-02`, scope: "catalog:read", clock: f.clock });
    const client = clientFor(spec, { baseUrl: api.url, auth: credential });
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect((await client.GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(auth.requests).toHaveLength(1);
    expect(auth.requests[0]?.params).toMatchObject({ grant_type: "client_credentials", client_id: "cli-tenant-02", scope: "catalog:read" });
  });

  it("a given tokenUrl wins over the spec's", async () => {
    const given = await f.auth({ clients });
    const declared = await f.auth({ clients });
    const api = await f.api();
    const spec = specWith({ type: "oauth2", flows: { clientCredentials: { tokenUrl: declared.tokenUrl } } });
    const credential = clientCredentials({ tokenUrl: given.tokenUrl, clientId: "cli-tenant-02", clientSecret: `${SECRET}-tenant-02`, clock: f.clock });
    expect((await clientFor(spec, { baseUrl: api.url, auth: credential }).GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect([given.requests.length, declared.requests.length]).toEqual([1, 0]);
  });

  it("a scheme with only the implicit (or password) flow gives a clear error naming OAuth 2.1; nothing is sent", async () => {
    const api = await f.api();
    for (const flows of [{ implicit: {} }, { password: { tokenUrl: "https://idp.example.com/token" } }]) {
      const credential = clientCredentials({ clientId: "cli-tenant-03", clientSecret: `${SECRET}-tenant-03`, clock: f.clock });
      const { error } = await clientFor(specWith({ type: "oauth2", flows }), { baseUrl: api.url, auth: credential }).GET("/v1/items");
      expect(error).toEqual(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("OAuth 2.1") }));
      expect(error?.message).toContain(Object.keys(flows)[0]);
    }
    expect(api.requests).toHaveLength(0);
  });

  it("a scheme without a clientCredentials flow asks for tokenUrl", async () => {
    const api = await f.api();
    const spec = specWith({ type: "oauth2", flows: { authorizationCode: { tokenUrl: "https://idp.example.com/token" } } });
    const credential = clientCredentials({ clientId: "cli-tenant-03", clientSecret: `${SECRET}-tenant-03`, clock: f.clock });
    const { error } = await clientFor(spec, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(error).toEqual(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining('pass "tokenUrl"') }));
  });

  it("a spec tokenUrl over plain http to another host is refused (INSECURE_TRANSPORT)", async () => {
    const api = await f.api();
    const fetcher = recordingFetcher();
    const spec = specWith({ type: "oauth2", flows: { clientCredentials: { tokenUrl: "http://idp.example.com/token" } } });
    const credential = clientCredentials({ clientId: "cli-tenant-03", clientSecret: `${SECRET}-tenant-03`, fetcher, clock: f.clock });
    expect((await clientFor(spec, { baseUrl: api.url, auth: credential }).GET("/v1/items")).error?.code).toBe("INSECURE_TRANSPORT");
    expect(fetcher.urls).toEqual([]);
  });
});
