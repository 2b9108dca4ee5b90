// Clients and load loops shared by token-load.mjs and its worker processes.
import createOpenApiClient from "openapi-fetch";

export const SECRET = "bench-client-secret-0123456789";
export const AUDIENCE = "https://api.atrope.dev";

/** A portico IMS client for `tenant` (client id `cid-<tenant>`), tokens in `cache` when given. */
export function porticoTenantClient({ core, ims, base, tenant, cache, windows, fetcher }) {
  const auth = core.clientCredentials({
    tokenUrl: `${base}/oauth/token`,
    clientId: `cid-${tenant}`,
    clientSecret: SECRET,
    audience: AUDIENCE,
    bodyEncoding: "json",
    tenant,
    ...(cache ? { cache } : {}),
    ...(windows ?? {}),
  });
  return ims.createImsApiClient({ baseUrl: base, auth, ...(fetcher ? { fetcher } : {}) });
}

/**
 * What people write by hand: openapi-fetch + a middleware that fetches a token when it has none
 * or it is about to expire (10% margin). No single-flight: every call that sees "expired" fetches.
 */
export function naiveTenantClient({ base, tenant }) {
  let token;
  let refreshAt = 0;
  const client = createOpenApiClient({ baseUrl: base });
  client.use({
    async onRequest({ request }) {
      if (token === undefined || Date.now() >= refreshAt) {
        const r = await fetch(`${base}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ grant_type: "client_credentials", client_id: `cid-${tenant}`, client_secret: SECRET, audience: AUDIENCE }),
        });
        const body = await r.json();
        token = body.access_token;
        refreshAt = Date.now() + body.expires_in * 900;
      }
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** One GET; returns true when it got data. */
export async function callOnce(client) {
  const { data, error } = await client.GET("/v1/items", { params: { query: { limit: 4 } } });
  return error === undefined && data !== undefined;
}

/** Keeps `inflight` calls going on each client until `durationMs` passes; counts outcomes. */
export async function sustain(clients, inflight, durationMs) {
  const until = Date.now() + durationMs;
  let ok = 0;
  let failed = 0;
  const worker = async (client) => {
    while (Date.now() < until) {
      try {
        if (await callOnce(client)) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(clients.flatMap((client) => Array.from({ length: inflight }, () => worker(client))));
  return { ok, failed };
}
