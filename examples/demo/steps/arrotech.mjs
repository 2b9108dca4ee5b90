/**
 * Step: Arrotech's two OAuth flows. Client credentials (2-legged, form-encoded body, the seed's
 * `scope=data:read workflow:execute`), then the authorization code flow (3-legged) with `state` and
 * PKCE: the authorize redirect is driven with `fetch(..., { redirect: "manual" })` and the code is
 * exchanged with `exchangeAuthorizationCode`.
 */
import { createArrotechApiClient } from "@arrotech/api-client";
import { buildAuthorizeUrl, clientCredentials, createPkcePair, createState, exchangeAuthorizationCode } from "@portico/core";
import { check } from "../narrator.mjs";

export const title = "Arrotech — client credentials (form body), then authorization code + PKCE";

export async function arrotechStep({ sandbox, say }) {
  const control = sandbox.apis.arrotech.control;
  const baseUrl = sandbox.urls.arrotech.api;
  const tokenBodies = [];
  // Observe (not change) what the credential sends to the token endpoint.
  const watchTokens = (url, init) => {
    tokenBodies.push({ contentType: new Headers(init.headers).get("content-type"), grant: new URLSearchParams(String(init.body)).get("grant_type") });
    return fetch(url, init);
  };

  // 2-legged.
  control.resetTokenRequests();
  const server = control.clients.server;
  const hub = createArrotechApiClient({
    baseUrl,
    auth: clientCredentials({
      tokenUrl: control.tokenUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      scope: "data:read workflow:execute",
      fetcher: watchTokens,
    }),
  });
  const [sources, run, me] = await Promise.all([
    hub.GET("/data/sources"),
    hub.POST("/workflows/{workflowId}/execute", { params: { path: { workflowId: "wf_sync_crm" } }, body: { input: { since: "2024-01-01" } } }),
    hub.GET("/auth/me"),
  ]);
  for (const result of [sources, run, me]) check(!result.error, `client credentials call failed: ${result.error?.code}`);
  check(tokenBodies.length === 1 && control.tokenRequests.total === 1, `3 concurrent calls made ${control.tokenRequests.total} token requests, expected 1`);
  check(tokenBodies[0].contentType?.startsWith("application/x-www-form-urlencoded"), `token request sent as ${tokenBodies[0].contentType}`);
  check(me.data.type === "oauth_client", `the API saw a ${me.data.type}, expected oauth_client`);
  say(`POST /auth/token  grant_type=${tokenBodies[0].grant}  (${tokenBodies[0].contentType})`);
  say(`3 concurrent calls, 1 token request; scopes granted: ${me.data.scopes.join(" ")}`);
  say(`${sources.data.data.length} data source(s); workflow run ${run.data.id} ${run.data.status} (Idempotency-Key ${run.meta.idempotencyKey?.slice(0, 8)}…)`);

  // 3-legged: authorize redirect → code → exchange, with state and PKCE.
  const web = control.clients.web;
  const redirectUri = "http://127.0.0.1/callback";
  const pkce = await createPkcePair();
  const state = createState();
  const authorizeUrl = buildAuthorizeUrl({
    authorizationUrl: control.authorizeUrl,
    clientId: web.clientId,
    redirectUri,
    scope: "data:read",
    state,
    codeChallenge: pkce.codeChallenge,
  });
  say(`GET ${new URL(authorizeUrl).pathname}?response_type=code&scope=data:read&state=…&code_challenge=… (S256)`);
  const redirect = await fetch(authorizeUrl, { redirect: "manual" });
  check(redirect.status === 302, `the authorize endpoint answered ${redirect.status}, expected a 302 redirect`);
  const callback = new URL(redirect.headers.get("location"));
  check(callback.searchParams.get("code"), `the redirect carried no code (${callback.searchParams.get("error") ?? "no error"})`);
  say(`302 → ${callback.origin}${callback.pathname}?code=…&state=… (state matches: ${callback.searchParams.get("state") === state})`);

  // A forged state is refused before any request.
  let forged = "accepted";
  try {
    await exchangeAuthorizationCode({ tokenUrl: control.tokenUrl, clientId: web.clientId, clientSecret: web.clientSecret, code: callback.searchParams.get("code"), codeVerifier: pkce.codeVerifier, redirectUri, state: createState(), expectedState: state });
  } catch (error) {
    forged = error.code;
  }
  check(forged === "STATE_MISMATCH", `a forged state was ${forged}`);
  say(`a redirect with a forged state → ${forged} (code not exchanged)`);

  const before = control.tokenRequests.total;
  const user = await exchangeAuthorizationCode({
    tokenUrl: control.tokenUrl,
    clientId: web.clientId,
    clientSecret: web.clientSecret,
    code: callback.searchParams.get("code"),
    codeVerifier: pkce.codeVerifier,
    redirectUri,
    state: callback.searchParams.get("state"),
    expectedState: state,
    fetcher: watchTokens,
  });
  check(tokenBodies.at(-1).grant === "authorization_code", "the exchange did not use grant_type=authorization_code");
  const userClient = createArrotechApiClient({ baseUrl, auth: user });
  const whoami = await userClient.GET("/auth/me");
  check(!whoami.error, `the user's call failed: ${whoami.error?.code}`);
  check(whoami.data.type === "oauth_user", `the API saw a ${whoami.data.type}, expected oauth_user`);
  const denied = await userClient.POST("/workflows/{workflowId}/execute", { params: { path: { workflowId: "wf_sync_crm" } }, body: {} });
  check(denied.error?.status === 403, `a data:read user ran a workflow (${denied.error?.code ?? "allowed"})`);
  say(`exchange: ${control.tokenRequests.total - before} token request (authorization_code + code_verifier); refreshable: ${user.refreshable}`);
  say(`GET /auth/me → ${whoami.data.type} ${whoami.data.id}, scopes ${whoami.data.scopes.join(" ")}; executing a workflow → ${denied.error.status} ${denied.error.code}`);

  return { ok: true, summary: "2-legged: 1 token for 3 calls; 3-legged: code + PKCE exchanged", facts: { tokenRequests: control.tokenRequests.total } };
}
