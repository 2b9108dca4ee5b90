/**
 * Step: an IMS server-to-server job across two tenants. One client per tenant from a tenant pool,
 * each with its own client-credentials token (Auth0-style JSON body, `audience`), refreshed ahead
 * of expiry. The sandbox counts the token requests; the API counts none with an expired token.
 */
import { createImsApiClient } from "@atrope-ai/api-client";
import { clientCredentials, createTenantPool } from "@portico/core";
import { check, seconds } from "../narrator.mjs";

export const title = "IMS — a server-to-server job across two tenants, tokens refreshed ahead of expiry";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function imsStep({ sandbox, say, jobMs = 6_000 }) {
  const control = sandbox.apis.ims.control;
  const baseUrl = sandbox.urls.ims.api;
  const lifetimeS = control.tokenLifetimeSeconds;
  const tenants = [
    { ...control.tenants.acme, client: control.clients.acmeM2m },
    { ...control.tenants.globex, client: control.clients.globexM2m },
  ];
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const started = performance.now();
  const at = () => `+${seconds(performance.now() - started)}`;
  const stats = new Map(tenants.map((t) => [t.id, { calls: 0, tokens: 0, refreshAhead: 0 }]));
  let rejected401 = 0;

  say(`token lifetime ${lifetimeS} s (sandbox option), job runs ${seconds(jobMs)}; one client per tenant from createTenantPool`);
  const pool = createTenantPool({
    create: (tenantId) => {
      const tenant = byId.get(tenantId);
      return createImsApiClient({
        baseUrl,
        auth: clientCredentials({
          tokenUrl: control.tokenUrl,
          clientId: tenant.client.clientId,
          clientSecret: tenant.client.clientSecret,
          audience: control.audience,
          bodyEncoding: "json",
          tenant: tenantId,
          hooks: {
            onTokenRefresh(event) {
              const s = stats.get(tenantId);
              s.tokens += 1;
              // Ahead of expiry: in the background while the old token still serves ("refresh-ahead"),
              // or, when no call came in that window, by the first call of the token's last moments ("expiring").
              if (event.reason === "refresh-ahead" || event.reason === "expiring") s.refreshAhead += 1;
              say(`${at().padStart(7)}  ${tenant.name.padEnd(18)} token #${s.tokens} (${event.reason}, valid ${seconds(event.lifetimeMs)})`);
            },
          },
        }),
        hooks: {
          onResponse({ response }) {
            if (response.status === 401) rejected401 += 1;
          },
        },
      });
    },
  });
  control.resetTokenRequests();

  const round = async (tenant) => {
    const ims = pool.get(tenant.id);
    const [me, items, balances] = await Promise.all([
      ims.GET("/v1/me"),
      ims.GET("/v1/items", { params: { query: { limit: 20 } } }),
      ims.GET("/v1/inventory/balances"),
    ]);
    stats.get(tenant.id).calls += 3;
    for (const result of [me, items, balances]) {
      check(!result.error, `${tenant.name}: a call failed with ${result.error?.code}`);
    }
    check(me.data.tenantId === tenant.id, `${tenant.name}: the API attributed the call to tenant ${me.data.tenantId}`);
    return items.data.data.length;
  };

  let rounds = 0;
  while (performance.now() - started < jobMs) {
    await Promise.all(tenants.map(round));
    rounds += 1;
    await sleep(100);
  }
  const elapsedMs = performance.now() - started;

  let totalCalls = 0;
  let totalTokens = 0;
  for (const tenant of tenants) {
    const s = stats.get(tenant.id);
    const counted = control.tokenRequests.byTenant[tenant.id] ?? 0;
    totalCalls += s.calls;
    totalTokens += counted;
    say(`${tenant.name.padEnd(18)} ${String(s.calls).padStart(3)} calls, ${counted} token requests counted by the sandbox (${s.refreshAhead} ahead of expiry)`);
    check(counted === s.tokens, `${tenant.name}: the sandbox counted ${counted} token requests, the client adopted ${s.tokens}`);
    // Refresh-ahead starts in the last 1/12 of the lifetime: about one token per lifetime (the bound
    // allows two), never one per call.
    const bound = Math.ceil(elapsedMs / ((lifetimeS * 1000) / 2)) + 2;
    check(counted >= 2, `${tenant.name}: expected the token to be refreshed during a ${seconds(elapsedMs)} job`);
    check(counted <= bound, `${tenant.name}: ${counted} token requests in ${seconds(elapsedMs)}, more than ${bound}`);
    check(s.refreshAhead >= 1, `${tenant.name}: no refresh happened ahead of expiry`);
  }
  check(rejected401 === 0, `${rejected401} API requests were rejected with 401 (an expired token was sent)`);
  say(`no request carried an expired token (0 × 401); every answer belonged to the caller's tenant`);

  // The tenant rail: a client whose tokens carry another tenant's claim never sends them.
  const misconfigured = control.clients.acmeMismatched;
  const wrong = createImsApiClient({
    baseUrl,
    auth: clientCredentials({
      tokenUrl: control.tokenUrl,
      clientId: misconfigured.clientId,
      clientSecret: misconfigured.clientSecret,
      audience: control.audience,
      bodyEncoding: "json",
      tenant: control.tenants.acme.id,
    }),
    retry: false,
  });
  const refused = await wrong.GET("/v1/items");
  check(refused.error?.code === "TENANT_MISMATCH", `a token for another tenant gave ${refused.error?.code ?? "success"}, expected TENANT_MISMATCH`);
  say(`a misconfigured client whose token names Globex, built for Acme → ${refused.error.code} (token never sent)`);

  pool.clear();
  return {
    ok: true,
    summary: `${totalCalls} calls, ${totalTokens} token requests, 0 expired`,
    facts: { calls: totalCalls, tokenRequests: totalTokens, rounds },
  };
}
