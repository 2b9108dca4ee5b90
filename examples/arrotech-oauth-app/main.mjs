#!/usr/bin/env node
/**
 * An Arrotech Hub OAuth app, both flows:
 *  1. client credentials (2-legged, form-encoded, `scope=data:read workflow:execute`) for the
 *     app's own background work;
 *  2. authorization code with `state` and PKCE (3-legged) to act for a user: a loopback callback
 *     server receives the redirect, checks `state`, exchanges the code.
 *
 *   ARROTECH_BASE_URL=https://prod.api.arrotechsolutions.com \
 *   ARROTECH_AUTHORIZE_URL=https://hub.arrotechsolutions.com/auth/authorize \
 *   ARROTECH_CLIENT_ID=… ARROTECH_CLIENT_SECRET=… node main.mjs     # then open the printed URL
 *
 * Without ARROTECH_BASE_URL it starts the local sandbox, whose authorize page approves at once,
 * and follows the redirect itself (as the browser would).
 */
import { createServer } from "node:http";
import { createArrotechApiClient } from "@arrotech/api-client";
import { buildAuthorizeUrl, clientCredentials, createPkcePair, createState, exchangeAuthorizationCode } from "@portico/core";

async function loadConfig() {
  if (process.env.ARROTECH_BASE_URL) {
    const baseUrl = process.env.ARROTECH_BASE_URL;
    return {
      baseUrl,
      tokenUrl: process.env.ARROTECH_TOKEN_URL ?? `${baseUrl}/auth/token`,
      authorizeUrl: process.env.ARROTECH_AUTHORIZE_URL ?? "https://hub.arrotechsolutions.com/auth/authorize",
      clientId: process.env.ARROTECH_CLIENT_ID,
      clientSecret: process.env.ARROTECH_CLIENT_SECRET,
      callbackPort: Number(process.env.ARROTECH_CALLBACK_PORT ?? 8765),
      interactive: true,
      stop: async () => {},
    };
  }
  const { startSandbox } = await import("@portico/sandbox");
  const sandbox = await startSandbox({ apis: ["arrotech"] });
  const control = sandbox.apis.arrotech.control;
  console.log(`sandbox: Arrotech API at ${sandbox.urls.arrotech.api}, Hub at ${sandbox.urls.arrotech.hub}`);
  return {
    baseUrl: sandbox.urls.arrotech.api,
    tokenUrl: control.tokenUrl,
    authorizeUrl: control.authorizeUrl,
    // One confidential app for both flows keeps the example short; the sandbox seeds one per grant.
    server: control.clients.server,
    clientId: control.clients.web.clientId,
    clientSecret: control.clients.web.clientSecret,
    callbackPort: 0,
    interactive: false,
    stop: () => sandbox.stop(),
  };
}

/** Part 1: the app's own job with a client-credentials token. */
async function backgroundJob(config) {
  const app = config.server ?? config;
  const hub = createArrotechApiClient({
    baseUrl: config.baseUrl,
    auth: clientCredentials({ tokenUrl: config.tokenUrl, clientId: app.clientId, clientSecret: app.clientSecret, scope: "data:read workflow:execute" }),
  });
  const sources = await hub.GET("/data/sources");
  if (sources.error) throw sources.error;
  console.log(`[app] ${sources.data.data.length} data source(s): ${sources.data.data.map((s) => s.name).join(", ")}`);
  const run = await hub.POST("/workflows/{workflowId}/execute", { params: { path: { workflowId: "wf_sync_crm" } }, body: { input: { since: "2024-01-01" } } });
  if (run.error) throw run.error;
  console.log(`[app] workflow run ${run.data.id} ${run.data.status}`);
}

/** Part 2: sign a user in (authorization code + PKCE) and call the API as them. */
async function signInUser(config) {
  const pkce = await createPkcePair();
  const state = createState();
  let redirectUri;
  let finish;
  const signedIn = new Promise((resolve, reject) => (finish = { resolve, reject }));

  const callback = createServer(async (req, res) => {
    const url = new URL(req.url, redirectUri);
    if (url.pathname !== "/callback") return void res.writeHead(404).end();
    try {
      if (url.searchParams.has("error")) throw new Error(`authorization refused: ${url.searchParams.get("error")}`);
      const credential = await exchangeAuthorizationCode({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        code: url.searchParams.get("code") ?? "",
        codeVerifier: pkce.codeVerifier,
        redirectUri,
        state: url.searchParams.get("state") ?? "",
        expectedState: state, // a forged redirect fails here with STATE_MISMATCH
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("Signed in. You can close this tab.");
      finish.resolve(credential);
    } catch (error) {
      res.writeHead(400, { "content-type": "text/plain" }).end("Sign-in failed.");
      finish.reject(error);
    }
  });
  await new Promise((resolve) => callback.listen(config.callbackPort, "127.0.0.1", resolve));
  redirectUri = `http://127.0.0.1:${callback.address().port}/callback`;

  try {
    const authorizeUrl = buildAuthorizeUrl({ authorizationUrl: config.authorizeUrl, clientId: config.clientId, redirectUri, scope: "data:read", state, codeChallenge: pkce.codeChallenge });
    if (config.interactive) {
      console.log(`[user] open this URL to sign in:\n  ${authorizeUrl}`);
    } else {
      // What the browser does: follow the Hub's redirect to our callback.
      const answer = await fetch(authorizeUrl, { redirect: "manual" });
      const location = answer.headers.get("location");
      console.log(`[user] authorize → ${answer.status} redirect to ${new URL(location).pathname}`);
      await fetch(location);
    }
    const credential = await signedIn;
    const hub = createArrotechApiClient({ baseUrl: config.baseUrl, auth: credential });
    const me = await hub.GET("/auth/me");
    if (me.error) throw me.error;
    console.log(`[user] signed in as ${me.data.id} (${me.data.type}), scopes: ${me.data.scopes.join(" ")}`);
    const sources = await hub.GET("/data/sources");
    if (sources.error) throw sources.error;
    console.log(`[user] can read ${sources.data.data.length} data source(s) on the user's behalf`);
  } finally {
    callback.close();
  }
}

const config = await loadConfig();
try {
  await backgroundJob(config);
  await signInUser(config);
  console.log("done: both OAuth flows completed");
} catch (error) {
  console.error(`failed: ${error.code ?? ""} ${error.message}`);
  process.exitCode = 1;
} finally {
  await config.stop();
}
