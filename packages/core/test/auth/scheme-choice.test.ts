/**
 * Which scheme a request carries, and where: the credentials a client is given are bound to the
 * spec's security schemes, and per operation one requirement is chosen (bound by name first,
 * then header before cookie before query, then the spec's order). Every case is a real call
 * through `createClient`; the loopback API records what arrived.
 */
import { describe, expect, it } from "vitest";
import { apiKey, basicAuth, bearerToken, none, type ApiDescriptor, type AuthorizeContext, type Credential, type ClientOptions } from "../../src/index.js";
import { atlas, clientFor, erip } from "../support/apis.js";
import { useLoopbackFixtures, type ApiRequestRecord, type ApiServer } from "./support/servers.js";

const f = useLoopbackFixtures();

const key = "erip_0123456789abcdef0123";
const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
const refused = (code: string) => expect.objectContaining({ code });

const shop: ApiDescriptor = {
  name: "shop",
  servers: [],
  securitySchemes: {
    bearer: { type: "http", scheme: "bearer" },
    header: { type: "apiKey", in: "header", name: "X-Api-Key" },
    query: { type: "apiKey", in: "query", name: "api_key" },
    cookie: { type: "apiKey", in: "cookie", name: "session_key" },
    basic: { type: "http", scheme: "basic" },
  },
  security: [{ bearer: [], header: [] }],
  operations: {
    "GET /and": {},
    "GET /query": { security: [{ query: ["read"] }] },
    "GET /unknown-scheme": { security: [{ nope: [] }] },
    "GET /any-key": { security: [{ query: [] }, { cookie: [] }, { header: [] }] },
    "GET /basic-or-bearer": { security: [{ basic: [] }, { bearer: [] }] },
  },
};

/** What a request carried, as the server saw it. */
function carried(record: ApiRequestRecord | undefined) {
  return {
    authorization: record?.headers.authorization,
    apiKey: record?.headers["x-api-key"],
    cookie: record?.headers.cookie,
    query: record?.query,
  };
}

describe("the requirement a request carries", () => {
  const cases: {
    name: string;
    descriptor: ApiDescriptor;
    method?: "GET" | "POST";
    path: string;
    auth: ClientOptions["auth"];
    want: "not-allowed" | { authorization?: string; apiKey?: string };
  }[] = [
    { name: "ERIP search with a key", descriptor: erip, path: "/v1/companies/search", auth: [apiKey(key)], want: { apiKey: key } },
    { name: "ERIP search with a key and a JWT: both headers, so the spec's first alternative (JWT)", descriptor: erip, path: "/v1/companies/search", auth: [apiKey(key), bearerToken(jwt)], want: { authorization: `Bearer ${jwt}` } },
    { name: "ERIP search, the key bound by name: the user's choice wins", descriptor: erip, path: "/v1/companies/search", auth: { apiKeyAuth: apiKey(key) }, want: { apiKey: key } },
    { name: "ERIP /tenant with a key only", descriptor: erip, path: "/v1/tenant/credits", auth: [apiKey(key)], want: "not-allowed" },
    { name: "ERIP /tenant with both", descriptor: erip, path: "/v1/tenant/credits", auth: [apiKey(key), bearerToken(jwt)], want: { authorization: `Bearer ${jwt}` } },
    { name: "security: [] sends nothing", descriptor: erip, method: "POST", path: "/v1/auth/request-login-link", auth: [apiKey(key)], want: {} },
    { name: "an operation the spec does not list takes the top-level security", descriptor: erip, path: "/v1/elsewhere", auth: [apiKey(key)], want: { apiKey: key } },
    { name: "none() satisfies anything and sends nothing", descriptor: erip, path: "/v1/tenant/credits", auth: [none()], want: {} },
    { name: "AND requirement with both kinds: both go", descriptor: shop, path: "/and", auth: [bearerToken(jwt), apiKey(key)], want: { authorization: `Bearer ${jwt}`, apiKey: key } },
    { name: "AND requirement with one kind", descriptor: shop, path: "/and", auth: [bearerToken(jwt)], want: "not-allowed" },
    { name: "a scheme missing from securitySchemes", descriptor: shop, path: "/unknown-scheme", auth: [bearerToken(jwt), apiKey(key)], want: "not-allowed" },
    { name: "no credential at all", descriptor: erip, path: "/v1/companies/search", auth: [], want: "not-allowed" },
  ];
  for (const { name, descriptor, method = "GET", path, auth, want } of cases) {
    it(name, async () => {
      const api = await f.api({ devMode: true, oneScheme: false, apiKeys: new Set([key]), bearerTokens: new Set([jwt]) });
      const client = clientFor(descriptor, { baseUrl: api.url, auth });
      const result = method === "GET" ? await client.GET(path) : await client.POST(path, { body: {} });
      if (want === "not-allowed") {
        expect(result.error).toEqual(refused("CREDENTIAL_NOT_ALLOWED"));
        expect(result.error?.message).not.toContain(key);
        expect(result.meta.attempts).toBe(0);
        return expect(api.requests).toHaveLength(0);
      }
      expect(result.error).toBeUndefined();
      expect(carried(api.requests[0])).toMatchObject({ authorization: want.authorization, apiKey: want.apiKey, cookie: undefined, query: {} });
    });
  }
});

describe("where the secret goes", () => {
  it("the operation's scopes and scheme reach the credential (Atlas sale with a token)", async () => {
    const api = await f.api({ bearerTokens: new Set([jwt]) });
    const seen: AuthorizeContext[] = [];
    const recording: Credential<"bearer"> = {
      kind: "bearer",
      fingerprint: "recording…",
      authorize(context) {
        seen.push(context);
        return { secret: jwt };
      },
      toJSON: () => ({ kind: "bearer", fingerprint: "recording…" }),
    };
    const { data } = await clientFor(atlas, { baseUrl: api.url, auth: recording }).POST("/v1/transaction/sale", { body: { amount: 1 } });
    expect(data).toMatchObject({ via: "static" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ operation: "POST /v1/transaction/sale", method: "POST", scheme: "bearerAuth", scopes: ["transactions:write"], schemeDescriptor: { type: "oauth2" } });
  });

  it("an apiKey scheme in the query puts the key in the query, and nowhere else (hook events show the URL without it)", async () => {
    const api = await f.api({ devMode: true });
    const urls: string[] = [];
    const client = clientFor(shop, { baseUrl: api.url, auth: apiKey(key), hooks: { onRequest: (event) => void urls.push(event.url) } });
    expect((await client.GET("/query", { params: { query: { page: "2" } } })).error).toBeUndefined();
    expect(carried(api.requests[0])).toEqual({ authorization: undefined, apiKey: undefined, cookie: undefined, query: { page: "2", api_key: key } });
    expect(urls).toEqual([`${api.url}/query?page=2`]);
  });

  it("among alternatives, header before cookie before query, whatever the spec's order; a binding by name wins", async () => {
    const api = await f.api({ devMode: true });
    await clientFor(shop, { baseUrl: api.url, auth: apiKey(key) }).GET("/any-key");
    await clientFor(shop, { baseUrl: api.url, auth: { cookie: apiKey(key) } }).GET("/any-key");
    await clientFor(shop, { baseUrl: api.url, auth: { query: apiKey(key) } }).GET("/any-key");
    expect(api.requests.map(carried)).toEqual([
      { authorization: undefined, apiKey: key, cookie: undefined, query: {} },
      { authorization: undefined, apiKey: undefined, cookie: `session_key=${key}`, query: {} },
      { authorization: undefined, apiKey: undefined, cookie: undefined, query: { api_key: key } },
    ]);
  });

  it("a cookie credential joins the caller's cookies", async () => {
    const api = await f.api({ devMode: true });
    await clientFor(shop, { baseUrl: api.url, auth: { cookie: apiKey(key) }, headers: { Cookie: "theme=dark" } }).GET("/any-key");
    expect(api.requests[0]?.headers.cookie).toBe(`theme=dark; session_key=${key}`);
  });

  it("HTTP basic OR bearer: basicAuth sends Authorization: Basic base64(user:password), a token sends Bearer", async () => {
    const api = await f.api({ basicUsers: new Set(["AC0123456789:tw-auth-token 1"]), bearerTokens: new Set([jwt]) });
    expect((await clientFor(shop, { baseUrl: api.url, auth: basicAuth("AC0123456789", "tw-auth-token 1") }).GET("/basic-or-bearer")).data).toMatchObject({ via: "basic" });
    expect((await clientFor(shop, { baseUrl: api.url, auth: bearerToken(jwt) }).GET("/basic-or-bearer")).data).toMatchObject({ via: "static" });
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([`Basic ${Buffer.from("AC0123456789:tw-auth-token 1").toString("base64")}`, `Bearer ${jwt}`]);
    expect(() => basicAuth("user:name", "pw")).toThrow(refused("INVALID_OPTIONS"));
  });

  it("two API keys ANDed need one credential each: a list is refused with the fix, a binding by name sends each its own", async () => {
    const pair: ApiDescriptor = {
      name: "pair",
      servers: [],
      securitySchemes: { appId: { type: "apiKey", in: "header", name: "X-App-Id" }, appKey: { type: "apiKey", in: "header", name: "X-App-Key" } },
      security: [{ appId: [], appKey: [] }],
      operations: { "GET /search": {} },
    };
    const api = await f.api({ devMode: true });
    const listed = await clientFor(pair, { baseUrl: api.url, auth: [apiKey("app-0123456789"), apiKey("key-0123456789")] }).GET("/search");
    expect(listed.error).toEqual(expect.objectContaining({ code: "CREDENTIAL_NOT_ALLOWED", message: expect.stringContaining("auth: { appId: …, appKey: … }") }));
    await clientFor(pair, { baseUrl: api.url, auth: { appId: apiKey("app-0123456789"), appKey: apiKey("key-0123456789") } }).GET("/search");
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers).toMatchObject({ "x-app-id": "app-0123456789", "x-app-key": "key-0123456789" });
  });

  it("credentials bound by name are checked when the client is built", () => {
    const baseUrl = "https://api.example.com";
    expect(() => clientFor(shop, { baseUrl, auth: { nope: apiKey(key) } })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining('"auth.nope"') }));
    expect(() => clientFor(shop, { baseUrl, auth: { header: bearerToken(jwt) } })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("apiKey") }));
    expect(() => clientFor(erip, { auth: basicAuth("user", "password-0123") })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("serves none") }));
  });

  it("a spec that declares no security: the credential given applies to every operation, placed by its kind", async () => {
    const open: ApiDescriptor = { name: "open", servers: [], securitySchemes: {}, operations: { "GET /repos": {} } };
    const api = await f.api({ devMode: true });
    await clientFor(open, { baseUrl: api.url, auth: bearerToken(jwt) }).GET("/repos");
    await clientFor(open, { baseUrl: api.url, auth: apiKey(key) }).GET("/elsewhere");
    await clientFor({ ...open }, { baseUrl: api.url, auth: apiKey(key, { query: "key" }) }).GET("/repos");
    expect(api.requests.map(carried)).toEqual([
      { authorization: `Bearer ${jwt}`, apiKey: undefined, cookie: undefined, query: {} },
      { authorization: undefined, apiKey: key, cookie: undefined, query: {} },
      { authorization: undefined, apiKey: undefined, cookie: undefined, query: { key } },
    ]);
  });

  // bind-credentials.ts memoizes the choice per descriptor and credential kinds ("bind:apiKey|"), and the
  // undeclared-security choice stores the first client's placement: a later apiKey(…, { query }) goes in its header.
  it("two clients of one spec without security place their API keys where each credential says", async () => {
    const open: ApiDescriptor = { name: "open", servers: [], securitySchemes: {}, operations: { "GET /repos": {} } };
    const api = await f.api({ devMode: true });
    await clientFor(open, { baseUrl: api.url, auth: apiKey(key) }).GET("/repos");
    await clientFor(open, { baseUrl: api.url, auth: apiKey(key, { query: "key" }) }).GET("/repos");
    expect(carried(api.requests[1])).toEqual({ authorization: undefined, apiKey: undefined, cookie: undefined, query: { key } });
  });
});

describe("one scheme per request where the API takes one (Atlas: never both)", () => {
  const atlasKey = "sk_test_aaaaaaaaaaaaaaaaaaaa";

  async function atlasApi() {
    return f.api({ apiKeys: new Set([atlasKey]), bearerTokens: new Set([jwt]) });
  }

  /** A client of `api` with an API key whose onRequest hook sets the header `name` to a bearer token, as a user's hook would. */
  function keyClientWhoseHookSets(api: ApiServer, name: string) {
    return clientFor(atlas, { baseUrl: api.url, auth: apiKey(atlasKey), hooks: { onRequest: (event) => void (event.headers[name] = `Bearer ${jwt}`) } });
  }

  it("an apiKey credential plus an Authorization client default header: CREDENTIAL_CONFLICT, nothing sent", async () => {
    const api = await atlasApi();
    const client = clientFor(atlas, { baseUrl: api.url, auth: apiKey(atlasKey), headers: { Authorization: `Bearer ${jwt}` } });
    const { error, meta } = await client.GET("/v1/device/health");
    expect(error).toEqual(expect.objectContaining({ code: "CREDENTIAL_CONFLICT", message: expect.stringContaining("authorization") }));
    expect(error?.message).not.toContain(jwt);
    expect(error?.message).not.toContain(atlasKey);
    expect(meta.status).toBeUndefined();
    expect(api.requests).toHaveLength(0);
  });

  it("an apiKey credential plus a per-call Authorization header: CREDENTIAL_CONFLICT, nothing sent", async () => {
    const api = await atlasApi();
    const client = clientFor(atlas, { baseUrl: api.url, auth: apiKey(atlasKey) });
    expect((await client.GET("/v1/device/health", { headers: { authorization: `Bearer ${jwt}` } })).error).toEqual(refused("CREDENTIAL_CONFLICT"));
    expect((await client.GET("/v1/device/health", { headers: { Authorization: `Bearer ${jwt}` } })).error).toEqual(refused("CREDENTIAL_CONFLICT"));
    expect((await client.GET("/v1/device/health", { params: { header: { Authorization: `Bearer ${jwt}` } } })).error).toEqual(refused("CREDENTIAL_CONFLICT"));
    expect((await client.GET("/v1/device/health", { headers: new Headers({ Authorization: `Bearer ${jwt}` }) })).error).toEqual(refused("CREDENTIAL_CONFLICT"));
    expect(api.requests).toHaveLength(0);
  });

  it("a token credential plus a per-call X-Api-Key header, or the credential's own header set by the caller: CREDENTIAL_CONFLICT", async () => {
    const api = await atlasApi();
    expect((await clientFor(atlas, { baseUrl: api.url, auth: bearerToken(jwt) }).GET("/v1/device/health", { headers: { "X-Api-Key": atlasKey } })).error).toEqual(
      refused("CREDENTIAL_CONFLICT"),
    );
    expect((await clientFor(atlas, { baseUrl: api.url, auth: apiKey(atlasKey) }).GET("/v1/device/health", { headers: { "X-Api-Key": "sk_test_bbbbbbbbbbbbbbbbbbbb" } })).error).toEqual(
      refused("CREDENTIAL_CONFLICT"),
    );
    expect(api.requests).toHaveLength(0);
  });

  it("an apiKey credential plus an Authorization header set by an onRequest hook: CREDENTIAL_CONFLICT, nothing sent", async () => {
    const api = await atlasApi();
    const client = keyClientWhoseHookSets(api, "authorization");
    expect((await client.GET("/v1/device/health")).error).toEqual(refused("CREDENTIAL_CONFLICT"));
    expect(api.requests).toHaveLength(0);
  });

  it("an Authorization header a hook writes as users write it (capitalised) is a conflict too", async () => {
    const api = await atlasApi();
    const client = keyClientWhoseHookSets(api, "Authorization");
    const { error } = await client.GET("/v1/device/health");
    expect(api.both).toBe(0);
    expect(error).toEqual(refused("CREDENTIAL_CONFLICT"));
  });

  // Middleware runs after the conflict check (in send), so a header it adds goes out next to the credential.
  it("an Authorization header added by openapi-fetch middleware is a conflict too", async () => {
    const api = await atlasApi();
    const client = clientFor(atlas, { baseUrl: api.url, auth: apiKey(atlasKey) });
    client.use({
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${jwt}`);
        return request;
      },
    });
    const { error } = await client.GET("/v1/device/health");
    expect(api.both).toBe(0);
    expect(error).toEqual(refused("CREDENTIAL_CONFLICT"));
  });

  it("no conflict where one requirement asks for both schemes", async () => {
    const both: ApiDescriptor = {
      ...atlas,
      securitySchemes: { apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key" }, bearerAuth: { type: "http", scheme: "bearer" } },
      security: [{ apiKeyAuth: [], bearerAuth: [] }],
      operations: {},
    };
    const api = await f.api({ oneScheme: false, apiKeys: new Set([atlasKey]), bearerTokens: new Set([jwt]) });
    const { data, error } = await clientFor(both, { baseUrl: api.url, auth: [apiKey(atlasKey), bearerToken(jwt)] }).GET("/v1/device/health");
    expect(error).toBeUndefined();
    expect(data).toEqual({ ok: true, via: "both" });
    expect(carried(api.requests[0])).toMatchObject({ authorization: `Bearer ${jwt}`, apiKey: atlasKey });
  });
});
