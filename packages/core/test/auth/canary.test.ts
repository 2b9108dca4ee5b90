/**
 * A canary secret in every credential type; every error path driven; no error, hook payload,
 * serialization, inspection or console line may contain a canary.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../../src/auth/api-key.js";
import { exchangeAuthorizationCode, refreshTokenCredential } from "../../src/auth/authorization-code.js";
import { bearerToken } from "../../src/auth/bearer-token.js";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import type { AuthorizeContext, Credential } from "../../src/auth/credential.js";
import { loginSession } from "../../src/auth/login-session.js";
import { checkCredentials } from "../../src/auth/request-safety.js";
import { selectCredential } from "../../src/auth/select.js";
import { tokenProvider } from "../../src/auth/token-provider.js";
import { checkTransport } from "../../src/auth/transport.js";
import { PorticoError } from "../../src/errors/portico-error.js";
import { redact } from "../../src/internal/redact.js";
import { resolveClaimNames } from "../../src/tenants/tenant-claim.js";
import type { TokenHooks } from "../../src/tokens/token-manager.js";
import { createCanaryScanner, makeCanary, type CanaryScanner } from "../support/canary.js";
import { atlas, erip, eudr, ims } from "./support/descriptors.js";
import { call } from "./support/mini-pipeline.js";
import { createSigner, json, startApiServer, startAuthServer, startServer, type Loopback, type Signer } from "./support/servers.js";

const canary = {
  clientSecret: makeCanary(),
  apiKey: makeCanary(),
  rotated: makeCanary(),
  bearer: makeCanary(),
  session: makeCanary(),
  refresh: makeCanary(),
  provided: makeCanary(),
  appSecret: makeCanary(),
};
const all = Object.values(canary);
let scanner: CanaryScanner;
let restoreConsole: () => void;
let signer: Signer;
const open: Loopback[] = [];
const errors: unknown[] = [];
const events: unknown[] = [];
const hooks: TokenHooks = { onTokenRefresh: (event) => events.push(event), onTokenError: (event) => events.push(event) };
const ctx = (url: string, schemeDescriptor: AuthorizeContext["schemeDescriptor"] = { type: "bearer" }): AuthorizeContext => ({
  url,
  method: "GET",
  operation: "GET /x",
  scheme: "s",
  schemeDescriptor,
  scopes: [],
});

/** Runs `work`, keeping whatever it threw or returned as `{ error }`. */
async function failure(work: () => unknown): Promise<unknown> {
  try {
    const result = await work();
    const error = (result as { error?: unknown } | undefined)?.error ?? result;
    errors.push(error);
    return error;
  } catch (thrown) {
    errors.push(thrown);
    return thrown;
  }
}

beforeAll(async () => {
  scanner = createCanaryScanner(all);
  restoreConsole = scanner.captureConsole();
  signer = await createSigner();
});
afterAll(async () => {
  restoreConsole();
  await Promise.all(open.splice(0).map((server) => server.close()));
});

describe("canary secrets never leak", () => {
  it("through every error path, hook, serialization and log", async () => {
    const clientSecret = `cs_test_${canary.clientSecret}`;
    const auth = await startAuthServer({
      signer,
      clients: { cli: { secret: clientSecret, tenant: "tenant-1" }, app: { secret: `app_${canary.appSecret}` } },
      tenantOverride: { cli: "tenant-2" },
    });
    const api = await startApiServer({ signer, devMode: false });
    // A token endpoint that answers garbage that echoes what it was sent.
    const garbage = await startServer((_req, res, body) => {
      if (body.includes("mode=html")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html>${body}</html>`);
        return;
      }
      json(res, 200, { access_token: `tok_${canary.clientSecret}`, token_type: "mac", echo: body });
    });
    open.push(auth, api, garbage);
    const credentials: Credential[] = [];
    const keep = <C extends Credential>(credential: C): C => {
      credentials.push(credential);
      return credential;
    };

    // Client credentials: wrong secret echoed back by the server (OAuth error).
    const wrong = keep(clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret: `cs_test_${canary.clientSecret}x`, hooks }));
    expect(await failure(() => wrong.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_REFRESH_FAILED", oauthError: "invalid_client" });
    // Tenant mismatch.
    const mismatched = keep(clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret, tenant: "tenant-1", claims: resolveClaimNames(ims.claims), hooks }));
    expect(await failure(() => mismatched.authorize(ctx(api.url)))).toMatchObject({ code: "TENANT_MISMATCH" });
    // 5xx, then a refused network connection.
    auth.failNext(1, 500, { message: `internal error for ${clientSecret}` });
    const plain = keep(clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret, hooks }));
    expect(await failure(() => plain.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_REFRESH_FAILED", status: 500 });
    const closed = await startServer(() => undefined);
    await closed.close();
    const unreachable = keep(clientCredentials({ tokenUrl: `${closed.url}/token`, clientId: "cli", clientSecret, hooks }));
    expect(await failure(() => unreachable.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
    // Invalid token responses (bad token_type; HTML).
    const invalid = keep(clientCredentials({ tokenUrl: `${garbage.url}/token`, clientId: "cli", clientSecret, bodyEncoding: "form", hooks }));
    expect(await failure(() => invalid.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    const html = keep(clientCredentials({ tokenUrl: `${garbage.url}/token`, clientId: "cli", clientSecret, extraParams: { mode: "html" }, hooks }));
    expect(await failure(() => html.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    // The working path, then a 401 replay, for the hook payloads.
    const working = keep(clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret, hooks }));
    api.rejectNext(2);
    expect(await call({ descriptor: ims, credentials: working, baseUrl: api.url, path: "/v1/items" })).toMatchObject({ status: 401 });

    // API keys: environment mismatch, rotation, transport, not allowed, conflict.
    const key = keep(apiKey(`sk_test_${canary.apiKey}`));
    expect(await failure(() => checkCredentials(atlas, "https://api.atlas-softpos.com", key))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
    key.rotate(`sk_live_${canary.rotated}`);
    expect(await failure(() => call({ descriptor: atlas, credentials: key, baseUrl: api.url, path: "/v1/device/health" }))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
    expect(await failure(() => checkTransport("http://api.example.com/x", key))).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect(await failure(() => selectCredential(erip, "GET /v1/tenant/credits", [key]))).toMatchObject({ code: "CREDENTIAL_NOT_ALLOWED" });
    expect(
      await failure(() => call({ descriptor: atlas, credentials: working, baseUrl: api.url, path: "/v1/device/health", headers: { "X-Api-Key": `sk_test_${canary.apiKey}` } })),
    ).toMatchObject({ code: "CREDENTIAL_CONFLICT" });
    expect(await failure(() => apiKey(""))).toMatchObject({ code: "INVALID_OPTIONS" });

    // Static bearer: format; a failing token function.
    const bearer = keep(bearerToken(`eudr_live_${canary.bearer}`));
    expect(await failure(() => call({ descriptor: eudr, credentials: bearer, baseUrl: api.url, path: "/suppliers" }))).toMatchObject({ code: "INVALID_TOKEN_FORMAT" });
    const dynamic = keep(bearerToken(() => Promise.reject(new Error(`vault refused eudr_live_${canary.bearer}`))));
    expect(await failure(() => dynamic.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });

    // Login session: expired, and refused by the API.
    const session = keep(loginSession({ token: `sess_${canary.session}`, expiresAt: Date.now() - 1000, onSessionExpired: (event) => events.push(event) }));
    expect(await failure(() => call({ descriptor: erip, credentials: session, baseUrl: api.url, path: "/v1/tenant/credits" }))).toMatchObject({ code: "SESSION_EXPIRED" });
    const refused = keep(loginSession({ token: `sess_${canary.session}`, expiresAt: Date.now() + 600_000, onSessionExpired: (event) => events.push(event) }));
    await call({ descriptor: erip, credentials: refused, baseUrl: api.url, path: "/v1/tenant/credits" });
    expect(await failure(() => call({ descriptor: erip, credentials: refused, baseUrl: api.url, path: "/v1/tenant/credits" }))).toMatchObject({ code: "SESSION_EXPIRED" });

    // Refresh token sessions: refresh refused; authorization code exchange with bad state / bad code.
    const user = keep(refreshTokenCredential({ tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: `app_${canary.appSecret}`, refreshToken: `rt_${canary.refresh}`, hooks }));
    expect(await failure(() => user.authorize(ctx(api.url)))).toMatchObject({ code: "SESSION_EXPIRED" });
    const exchange = { tokenUrl: auth.tokenUrl, clientId: "app", clientSecret: `app_${canary.appSecret}`, redirectUri: "http://127.0.0.1/cb", codeVerifier: `v_${canary.refresh}`, expectedState: "state-1" };
    expect(await failure(() => exchangeAuthorizationCode({ ...exchange, code: "c", state: "state-2" }))).toMatchObject({ code: "STATE_MISMATCH" });
    expect(await failure(() => exchangeAuthorizationCode({ ...exchange, code: `code_${canary.refresh}`, state: "state-1" }))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });

    // Token provider: a throwing provider, an invalid result, then a working one.
    const provider = keep(tokenProvider(async () => Promise.reject(new Error(`sidecar said tp_${canary.provided} is stale`)), { hooks }));
    expect(await failure(() => provider.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
    const badProvider = keep(tokenProvider(async () => ({ accessToken: `tp_${canary.provided}`, expiresIn: -5 }), { hooks }));
    expect(await failure(() => badProvider.authorize(ctx(api.url)))).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    const goodProvider = keep(tokenProvider(async () => ({ accessToken: `tp_${canary.provided}`, expiresIn: 600 }), { hooks }));
    api.rejectNext(2);
    expect(await call({ descriptor: ims, credentials: goodProvider, baseUrl: api.url, path: "/v1/items" })).toMatchObject({ status: 401 });

    // Scan everything produced.
    for (const [index, error] of errors.entries()) {
      expect(error).toBeInstanceOf(PorticoError);
      scanner.scan(error, `error #${index} ${(error as PorticoError).code}`);
      scanner.scan((error as PorticoError).cause, `cause of error #${index}`);
    }
    for (const [index, event] of events.entries()) scanner.scan(event, `hook event #${index}`);
    for (const credential of credentials) scanner.scan(credential, `credential ${credential.fingerprint}`);
    scanner.scan({ credentials }, "an object holding every credential");
    scanner.scan(selectCredential(atlas, "GET /v1/device/health", credentials), "a selection");
    console.log("client state", { credentials }, errors);
    expect(errors.length).toBeGreaterThanOrEqual(20);
    expect(events.length).toBeGreaterThan(5);
    expect(scanner.scanned).toBeGreaterThan(60);
    expect(scanner.leaks).toEqual([]);
  });

  it("the scanner does find a leak (so the test above can fail)", () => {
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
