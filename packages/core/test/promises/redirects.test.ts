/**
 * Issue 12, redirects: a credential never follows a redirect to another origin, and when a
 * fetcher ignores `redirect: "manual"` and follows one anyway, the client notices and says so
 * (`INSECURE_TRANSPORT`) instead of handing back the other origin's answer as the API's.
 */
import { describe, expect, test } from "vitest";
import { apiKey, clientCredentials } from "../../src/index.js";
import { clientFor, plain, shop } from "../support/apis.js";
import { json, useLoopbacks } from "../support/loopback.js";

const { server } = useLoopbacks();

const KEY = "sk_test_0123456789abcdefREDIRECT";

/** A fetcher that drops `init.redirect` and always follows (a wrapper that rebuilds the init). */
const followsAnyway = (url: string, init: RequestInit): Promise<Response> => fetch(url, { ...init, redirect: "follow" });

describe("redirects", () => {
  test("a fetcher that ignores redirect: manual and follows a cross-origin redirect is noticed: INSECURE_TRANSPORT, not the other origin's answer", async () => {
    const elsewhere = await server((_req, res) => json(res, 200, { harvested: true }));
    const api = await server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const client = clientFor(shop, { baseUrl: api.url, auth: apiKey(KEY), fetcher: followsAnyway });

    const { data, error } = await client.GET("/v1/items");

    expect(data).toBeUndefined();
    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(error?.message).toContain(new URL(elsewhere.url).origin);
    expect(error?.message).toMatch(/rotate/);
    expect(error?.message).not.toContain(KEY);
    expect(api.requests).toHaveLength(1);
  });

  test("a fetcher that follows a cross-origin redirect on a POST is noticed too, and the call is not retried", async () => {
    const elsewhere = await server((_req, res) => json(res, 200, { harvested: true }));
    const api = await server((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const client = clientFor(shop, { baseUrl: api.url, auth: apiKey(KEY), fetcher: followsAnyway, retry: { maxRetries: 3, baseDelayMs: 0 } });

    const { error, meta } = await client.POST("/v1/orders", { body: { sku: "A-1" } });

    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(meta.attempts).toBe(1);
    expect(api.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(1);
  });

  test("a fetcher that follows a token endpoint's cross-origin redirect is noticed: INSECURE_TRANSPORT, and the other origin's token is never used", async () => {
    const elsewhere = await server((_req, res) => json(res, 200, { access_token: "harvested-token-0123456789", token_type: "Bearer", expires_in: 3600 }));
    const auth = await server((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/oauth/token` });
      res.end();
    });
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const credential = clientCredentials({ tokenUrl: `${auth.url}/oauth/token`, clientId: "shop-client", clientSecret: "cs_test_0123456789abcdefREDIRECT", fetcher: followsAnyway });
    const client = clientFor(plain, { baseUrl: api.url, auth: credential });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(error?.message).toMatch(/rotate/);
    expect(error?.message).not.toContain("cs_test_0123456789abcdefREDIRECT");
    expect(api.requests).toHaveLength(0);
  });
  test("a redirect to another origin is not followed with the credential: INSECURE_TRANSPORT naming the operation, the status and the origin", async () => {
    const elsewhere = await server((_req, res) => json(res, 200, { harvested: true }));
    const api = await server((_req, res) => void res.writeHead(307, { location: `${elsewhere.url}/collect?x=1` }).end());
    const client = clientFor(shop, { baseUrl: api.url, auth: apiKey(KEY) });
    const { error } = await client.GET("/v1/items");
    expect(error).toMatchObject({ code: "INSECURE_TRANSPORT", status: 307 });
    expect(error?.message).toBe(`GET /v1/items: the API redirected (307) to another origin (${new URL(elsewhere.url).origin}); the credential is not sent there. Point baseUrl at the final URL.`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  test("a redirect loop within the origin ends after 5 hops followed, saying so (not that the spec declares no 302)", async () => {
    const api = await server((_req, res) => void res.writeHead(302, { location: `/v1/items?hop=${api.requests.length}` }).end());
    const client = clientFor(shop, { baseUrl: api.url, auth: apiKey(KEY) });
    const { error } = await client.GET("/v1/items");
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 302 });
    expect(error?.message).toBe(
      "GET /v1/items: the API redirected (302) more than 5 times in a row, within its origin; the last redirect was not followed. Point baseUrl at the final URL, or check the server for a redirect loop.",
    );
    expect(api.requests).toHaveLength(6); // the call, and the 5 redirects followed
  });
});
