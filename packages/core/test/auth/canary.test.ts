/**
 * A canary secret in every credential kind; every error path driven through client calls; no
 * error (nor its cause), result meta, hook event (read when the call is over, as a buffered logger
 * would), client, credential or console line may contain a canary, however it is printed,
 * serialized or inspected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PorticoError, apiKey, basicAuth, bearerToken, clientCredentials, exchangeAuthorizationCode, loginSession, refreshTokenCredential, tokenProvider, type ClientHooks, type Credential, type Fetcher, type TokenHooks } from "../../src/index.js";
import { redact } from "../../src/internal.js";
import { arrotech, atlas, clientFor, erip, eudr, ims, type TestClient } from "../support/apis.js";
import { createCanaryScanner, makeCanary, type CanaryScanner } from "../support/canary.js";
import { json } from "../support/loopback.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

const canary = {
  clientSecret: makeCanary(),
  basicSecret: makeCanary(),
  apiKey: makeCanary(),
  rotated: makeCanary(),
  bearer: makeCanary(),
  session: makeCanary(),
  refresh: makeCanary(),
  provided: makeCanary(),
  appSecret: makeCanary(),
  password: makeCanary(),
};
const all = Object.values(canary);
let scanner: CanaryScanner;
let restoreConsole: () => void;

beforeAll(() => {
  scanner = createCanaryScanner(all);
  restoreConsole = scanner.captureConsole();
});
afterAll(() => restoreConsole());

/** Everything a run produced that a user could print. */
function collector() {
  const errors: unknown[] = [];
  const events: unknown[] = [];
  const metas: unknown[] = [];
  const credentials: Credential[] = [];
  const clients: TestClient[] = [];
  const tokenHooks: TokenHooks = { onTokenRefresh: (event) => void events.push(event), onTokenError: (event) => void events.push(event) };
  const hooks: ClientHooks = {
    onRequest: (event) => void events.push(event),
    onResponse: (event) => void events.push(event),
    onRetry: (event) => void events.push(event),
    onError: (event) => void events.push(event),
  };
  return {
    errors,
    events,
    metas,
    credentials,
    clients,
    tokenHooks,
    hooks,
    keep<C extends Credential>(credential: C): C {
      credentials.push(credential);
      return credential;
    },
    client(...args: Parameters<typeof clientFor>): TestClient {
      const client = clientFor(args[0], { hooks, ...args[1] });
      clients.push(client);
      return client;
    },
    /** Runs a call (or a construction) and keeps the error it returned or threw. */
    async failure(work: () => unknown): Promise<unknown> {
      try {
        const result = (await work()) as { error?: unknown; meta?: unknown } | undefined;
        if (result?.meta !== undefined) metas.push(result.meta);
        const error = result?.error ?? result;
        errors.push(error);
        return error;
      } catch (thrown) {
        errors.push(thrown);
        return thrown;
      }
    },
    scanAll() {
      for (const [index, error] of errors.entries()) {
        expect(error, `error #${index}`).toBeInstanceOf(PorticoError);
        scanner.scan(error, `error #${index} ${(error as PorticoError).code}`);
        scanner.scan((error as PorticoError).cause, `cause of error #${index}`);
        scanner.scan((error as PorticoError).details, `details of error #${index}`);
      }
      for (const [index, event] of events.entries()) scanner.scan(event, `hook event #${index}`);
      for (const [index, meta] of metas.entries()) scanner.scan(meta, `meta #${index}`);
      for (const credential of credentials) scanner.scan(credential, `credential ${credential.fingerprint}`);
      for (const [index, client] of clients.entries()) scanner.scan(client, `client #${index}`);
      scanner.scan({ credentials, clients }, "an object holding every credential and client");
      console.log("client state", { credentials, clients }, errors, events);
      console.error(...errors);
    },
  };
}

describe("canary secrets never leak", () => {
  it("through every error path, hook, serialization and log", async () => {
    const run = collector();
    const { keep, failure } = run;
    const clientSecret = `cs_test_${canary.clientSecret}`;
    const auth = await f.auth({
      clients: { cli: { secret: clientSecret, tenant: "tenant-1" }, mis: { secret: clientSecret, tenant: "tenant-1" }, "svc:basic": { secret: `bs:${canary.basicSecret}` }, app: { secret: `app_${canary.appSecret}` } },
      tenantOverride: { mis: "tenant-2" },
    });
    const api = await f.api({ tenantClaim: "https://atrope.dev/claims/tenant_id", basicUsers: new Set(["user:right-password"]) });
    // A token endpoint that answers garbage echoing what it was sent.
    const garbage = await f.server((_req, res, body) => {
      if (body.includes("mode=html")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html>${body}</html>`);
        return;
      }
      json(res, 200, { access_token: `tok_${canary.clientSecret}`, token_type: "mac", echo: body });
    });
    // An API whose 500 echoes the request it got, credentials included.
    const echo = await f.server((req, res) => json(res, 500, { message: "upstream failed", request: { url: req.url, headers: req.headers } }));
    const closed = await f.server(() => undefined);
    await closed.close();
    const cc = (options: { clientId: string; clientSecret: string; tokenUrl?: string; tenant?: string; extraParams?: Record<string, string>; clientAuthentication?: "client_secret_basic" }) =>
      keep(clientCredentials({ tokenUrl: auth.tokenUrl, ...options, clock: f.clock, hooks: run.tokenHooks }));

    // Client credentials: a wrong secret echoed back (OAuth error), a tenant mismatch, a 5xx echoing the secret, no server at all.
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "cli", clientSecret: `${clientSecret}x` }) }).GET("/v1/items"))).toMatchObject({
      code: "TOKEN_REFRESH_FAILED",
      oauthError: "invalid_client",
    });
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "mis", clientSecret, tenant: "tenant-1" }) }).GET("/v1/items"))).toMatchObject({ code: "TENANT_MISMATCH" });
    auth.failNext(1, 500, { message: `internal error for ${clientSecret}` });
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "cli", clientSecret }) }).GET("/v1/items"))).toMatchObject({ code: "TOKEN_REFRESH_FAILED", status: 500 });
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "cli", clientSecret, tokenUrl: `${closed.url}/token` }) }).GET("/v1/items"))).toMatchObject({
      code: "TOKEN_REFRESH_FAILED",
    });
    // client_secret_basic with a wrong secret, echoed by the server.
    expect(
      await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "svc:basic", clientSecret: `bs:${canary.basicSecret}!`, clientAuthentication: "client_secret_basic" }) }).GET("/v1/items")),
    ).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    // Invalid token responses (bad token_type; HTML), both echoing the request.
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "cli", clientSecret, tokenUrl: `${garbage.url}/token` }) }).GET("/v1/items"))).toMatchObject({
      code: "TOKEN_RESPONSE_INVALID",
    });
    expect(
      await failure(() => run.client(ims, { baseUrl: api.url, auth: cc({ clientId: "cli", clientSecret, tokenUrl: `${garbage.url}/token`, extraParams: { mode: "html" } }) }).GET("/v1/items")),
    ).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    // The working path: a 401 replayed once, then returned, for the hook payloads; a 500 echoing the token.
    const working = cc({ clientId: "cli", clientSecret, tenant: "tenant-1" });
    api.rejectNext(2);
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: working }).GET("/v1/items"))).toMatchObject({ status: 401 });
    expect(await failure(() => run.client(ims, { baseUrl: echo.url, auth: working }).GET("/v1/items"))).toMatchObject({ status: 500 });
    expect(await failure(() => run.client(ims, { baseUrl: echo.url, auth: working, throwOnError: true }).GET("/v1/items"))).toMatchObject({ status: 500 });

    // API keys: environment mismatch, rotation, transport, not allowed, conflict, a 500 echoing the key.
    const key = keep(apiKey(`sk_test_${canary.apiKey}`));
    expect(await failure(() => run.client(atlas, { baseUrl: "https://api.atlas-softpos.com", auth: key }))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
    expect(await failure(() => run.client(atlas, { baseUrl: echo.url, auth: key }).GET("/v1/device/health"))).toMatchObject({ status: 500 });
    key.rotate(`sk_live_${canary.rotated}`);
    expect(await failure(() => run.client(atlas, { baseUrl: api.url, auth: key }).GET("/v1/device/health"))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
    expect(await failure(() => run.client(erip, { baseUrl: "http://api.example.com", auth: key }))).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect(await failure(() => run.client(erip, { baseUrl: api.url, auth: key }).GET("/v1/tenant/credits"))).toMatchObject({ code: "CREDENTIAL_NOT_ALLOWED" });
    // (No hooks on this one: an onRequest hook is shown the headers the caller set, by design.)
    expect(
      await failure(() => run.client(atlas, { baseUrl: api.url, auth: working, hooks: {} }).GET("/v1/device/health", { headers: { "X-Api-Key": `sk_test_${canary.apiKey}` } })),
    ).toMatchObject({ code: "CREDENTIAL_CONFLICT" });
    expect(await failure(() => apiKey(""))).toMatchObject({ code: "INVALID_OPTIONS" });

    // Static bearer: format; a failing token function whose error names the token.
    const bearer = keep(bearerToken(`eudr_live_${canary.bearer}`));
    expect(await failure(() => run.client(eudr, { baseUrl: api.url, auth: bearer }).GET("/suppliers"))).toMatchObject({ code: "INVALID_TOKEN_FORMAT" });
    const dynamic = keep(bearerToken(() => Promise.reject(new Error(`vault refused eudr_live_${canary.bearer}`))));
    expect(await failure(() => run.client(arrotech, { baseUrl: api.url, auth: dynamic }).GET("/chat/providers"))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });

    // HTTP basic: refused by the API.
    const basic = keep(basicAuth("user", `pw-${canary.password}`));
    const basicSpec = { ...erip, securitySchemes: { basic: { type: "http", scheme: "basic" } as const }, security: [{ basic: [] }], operations: {} };
    expect(await failure(() => run.client(basicSpec, { baseUrl: api.url, auth: basic }).GET("/v1/companies/search"))).toMatchObject({ status: 401 });

    // Login session: expired, and refused by the API.
    const session = keep(loginSession({ token: `sess_${canary.session}`, expiresAt: f.clock.now() - 1000, clock: f.clock, onSessionExpired: (event) => void run.events.push(event) }));
    expect(await failure(() => run.client(erip, { baseUrl: api.url, auth: session }).GET("/v1/tenant/credits"))).toMatchObject({ code: "SESSION_EXPIRED" });
    const refused = keep(loginSession({ token: `sess_${canary.session}`, expiresAt: f.clock.now() + 600_000, clock: f.clock, onSessionExpired: (event) => void run.events.push(event) }));
    const eripClient = run.client(erip, { baseUrl: api.url, auth: refused });
    expect(await failure(() => eripClient.GET("/v1/tenant/credits"))).toMatchObject({ status: 401 });
    expect(await failure(() => eripClient.GET("/v1/tenant/credits"))).toMatchObject({ code: "SESSION_EXPIRED" });

    // Refresh token sessions: refresh refused; authorization code exchange with a bad state, a bad code.
    const user = keep(refreshTokenCredential({ tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: `app_${canary.appSecret}`, refreshToken: `rt_${canary.refresh}`, clock: f.clock, hooks: run.tokenHooks }));
    expect(await failure(() => run.client(arrotech, { baseUrl: api.url, auth: user }).GET("/chat/providers"))).toMatchObject({ code: "SESSION_EXPIRED" });
    const exchange = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: `app_${canary.appSecret}`, redirectUri: "http://127.0.0.1/cb", codeVerifier: `v_${canary.refresh}`, expectedState: "state-1" };
    expect(await failure(() => exchangeAuthorizationCode({ ...exchange, code: "c", state: "state-2" }))).toMatchObject({ code: "STATE_MISMATCH" });
    expect(await failure(() => exchangeAuthorizationCode({ ...exchange, code: `code_${canary.refresh}`, state: "state-1" }))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });

    // Token provider: a throwing provider, an invalid result, then a working one refused by the API.
    const provider = keep(tokenProvider(async () => Promise.reject(new Error(`sidecar said tp_${canary.provided} is stale`)), { clock: f.clock, hooks: run.tokenHooks }));
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: provider }).GET("/v1/items"))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
    const badProvider = keep(tokenProvider(async () => ({ accessToken: `tp_${canary.provided}`, expiresIn: -5 }), { clock: f.clock, hooks: run.tokenHooks }));
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: badProvider }).GET("/v1/items"))).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    const goodProvider = keep(tokenProvider(async () => ({ accessToken: `tp_${canary.provided}`, expiresIn: 600 }), { clock: f.clock, hooks: run.tokenHooks }));
    expect(await failure(() => run.client(ims, { baseUrl: api.url, auth: goodProvider }).GET("/v1/items"))).toMatchObject({ status: 401 });
    expect(await failure(() => run.client(ims, { baseUrl: echo.url, auth: goodProvider }).GET("/v1/items"))).toMatchObject({ status: 500 });

    run.scanAll();
    expect(run.errors.length).toBeGreaterThanOrEqual(30);
    expect(run.events.length).toBeGreaterThan(20);
    expect(scanner.scanned).toBeGreaterThan(150);
    expect(scanner.leaks).toEqual([]);
  });

  it("the onRequest event, read after the call (a buffered logger), never holds the credential", async () => {
    const probe = createCanaryScanner([canary.apiKey]);
    const api = await f.api({ apiKeys: new Set([`erip_${canary.apiKey}`]) });
    const logged: unknown[] = [];
    const client = clientFor(erip, { baseUrl: api.url, auth: apiKey(`erip_${canary.apiKey}`), hooks: { onRequest: (event) => void logged.push(event) } });
    expect((await client.GET("/v1/companies/search")).data).toMatchObject({ via: "apiKey" });
    expect(api.requests[0]?.apiKey).toBe(`erip_${canary.apiKey}`);
    logged.forEach((event, index) => probe.scan(event, `onRequest event #${index}`));
    expect(logged).toHaveLength(1);
    expect(probe.leaks).toEqual([]);
  });

  it("an error thrown by the user's fetcher, carrying the request's headers (as axios and got errors do), is never kept raw", async () => {
    const probe = createCanaryScanner([canary.apiKey]);
    const failing: Fetcher = async (url, init) => {
      const error = new Error(`connect ECONNREFUSED for ${url}`) as Error & { config?: unknown; code?: string };
      error.code = "ECONNREFUSED";
      error.config = { url, headers: { ...init.headers } }; // what an axios wrapper keeps
      throw error;
    };
    const { error } = await clientFor(erip, { baseUrl: "https://api.erip.io", auth: apiKey(`erip_${canary.apiKey}`), fetcher: failing }).GET("/v1/companies/search");
    expect(error?.code).toBe("NETWORK_ERROR");
    probe.scan(error, "the NETWORK_ERROR");
    probe.scan(error?.cause, "its cause");
    probe.scan(structuredClone(error), "a structured clone of it");
    expect(probe.leaks).toEqual([]);
  });

  it("a secret echoed percent-encoded inside error_description is redacted too", async () => {
    const probe = createCanaryScanner([canary.clientSecret]);
    const secret = `cs/${canary.clientSecret}+= x`;
    const auth = await f.server((_req, res, body) =>
      json(res, 401, { error: "invalid_client", error_description: `bad client_secret ${encodeURIComponent(new URLSearchParams(body).get("client_secret") ?? "")}` }),
    );
    const api = await f.api();
    const credential = clientCredentials({ tokenUrl: `${auth.url}/token`, clientId: "cli", clientSecret: secret, clock: f.clock });
    const { error } = await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(error).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    probe.scan(error, "the OAuth error");
    expect(probe.leaks).toEqual([]);
  });

  it("a tenant's token echoed by a 500 is redacted however many tenants the process holds", async () => {
    const probe = createCanaryScanner([canary.provided]);
    const echo = await f.server((req, res) =>
      req.url?.startsWith("/echo") ? json(res, 500, { message: `upstream refused ${String(req.headers.authorization).slice(7)}` }) : json(res, 200, { ok: true, via: "static" }),
    );
    const fleet = Array.from({ length: 600 }, (_, tenant) =>
      clientFor(ims, { baseUrl: echo.url, auth: tokenProvider(async () => ({ accessToken: `opaque.${tenant}.${canary.provided}`, expiresIn: 600 }), { clock: f.clock }) }),
    );
    for (const client of fleet) expect((await client.GET("/v1/items")).data).toMatchObject({ via: "static" });
    const { error } = await fleet[0]!.GET("/echo");
    expect(error?.status).toBe(500);
    probe.scan(error, "tenant 0's error");
    expect(probe.leaks).toEqual([]);
  });

  it("the scanner does find a leak (so the tests above can fail)", () => {
    const probe = createCanaryScanner([canary.apiKey]);
    probe.scan(new PorticoError("INVALID_OPTIONS", `leaked sk_test_${canary.apiKey}`), "probe");
    probe.scan({ nested: { key: canary.apiKey } }, "object");
    const restore = probe.captureConsole();
    console.warn("key", canary.apiKey);
    restore();
    expect(probe.leaks.map((leak) => leak.view)).toEqual(expect.arrayContaining(["message", "JSON.stringify", "util.inspect", "log"]));
    expect(redact(`header X-Api-Key: ${canary.apiKey}`)).not.toContain(canary.apiKey);
  });
});
