import { clientCredentials } from "@portico/core";
import { describe, expect, test } from "vitest";
import { basicHeader, expectCredentialOnlyAt, expectDeclaredError, formPairs, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";
import type { Answer, RecordedRequest } from "./support/recorder.js";

// PayPal Orders v2 (specs/paypal-orders.json): OAuth 2.0 client credentials, token URL
// `/v1/oauth2/token` (relative: resolved against the server in use), per-operation scopes; JSON
// bodies; declared 404 whose body has a `name` enum (not a `code`-like property: the code derives
// from the status).
const CLIENT_ID = "AcorpusPayPalClientId0123456789";
const CLIENT_SECRET = "EcorpusPayPalClientSecret9876543210";
const ACCESS_TOKEN = "A21AAcorpusPayPalAccessToken0123456789";
const ctx = useCorpus("paypal-orders");

const notFound = {
  name: "RESOURCE_NOT_FOUND",
  message: "The specified resource does not exist.",
  debug_id: "90957fca61718",
  details: [{ issue: "INVALID_RESOURCE_ID", description: "Specified resource ID does not exist. Please check the resource ID and try again." }],
  links: [{ href: "https://developer.paypal.com/docs/api/orders/v2/#error-INVALID_RESOURCE_ID", rel: "information_link", method: "GET" }],
};

/** The token endpoint and the Orders API, on one loopback server. */
function paypal(request: RecordedRequest): Answer {
  if (request.path === "/v1/oauth2/token") return { status: 200, body: { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 32400, scope: "https://uri.paypal.com/services/payments/payment" } };
  if (request.method === "POST" && request.path === "/v2/checkout/orders") return { status: 201, body: { id: "5O190127TN364715T", status: "CREATED" } };
  if (request.method === "GET" && request.path === "/v2/checkout/orders/MISSING") return { status: 404, body: notFound };
  return { status: 599, body: { recorder: "unexpected" } };
}

const order = { intent: "CAPTURE", purchase_units: [{ reference_id: "d9f80740-38f0-11e8-b467-0ed5f89f718b", amount: { currency_code: "USD", value: "100.00" } }] };

function expectTokenRequest(request: RecordedRequest): void {
  expect([request.method, request.path]).toEqual(["POST", "/v1/oauth2/token"]);
  expectCredentialOnlyAt(request, [{ header: "authorization", value: basicHeader(CLIENT_ID, CLIENT_SECRET) }], [CLIENT_SECRET, ACCESS_TOKEN]);
  expect(mediaType(request)).toBe("application/x-www-form-urlencoded");
  expect(Object.fromEntries(formPairs(request))).toMatchObject({ grant_type: "client_credentials" });
}

describe("PayPal Orders: OAuth 2.0 client credentials (client_secret_basic), JSON bodies, a declared 404", () => {
  test("the token request authenticates with Basic; API calls carry only Bearer <access token>; one token for two calls", async () => {
    ctx.recorder.answer(paypal);
    const credential = clientCredentials({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tokenUrl: `${ctx.recorder.url}/v1/oauth2/token`,
      clientAuthentication: "client_secret_basic",
      fetcher: ctx.recorder.fetch,
    });
    const client = ctx.client({ auth: credential });
    const created = await client.POST("/v2/checkout/orders", { body: order, params: { header: { "PayPal-Request-Id": "corpus-req-1" } } });
    expect(created.error).toBeUndefined();
    expect(created.data).toEqual({ id: "5O190127TN364715T", status: "CREATED" });
    const missing = await client.GET("/v2/checkout/orders/{id}", { params: { path: { id: "MISSING" } } });

    const requests = ctx.recorder.requests;
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/oauth2/token", "POST /v2/checkout/orders", "GET /v2/checkout/orders/MISSING"]);
    expectTokenRequest(requests[0]!);
    for (const call of requests.slice(1)) {
      expectCredentialOnlyAt(call, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN, CLIENT_SECRET, basicHeader(CLIENT_ID, CLIENT_SECRET).slice(6)]);
    }
    expect(mediaType(requests[1]!)).toBe("application/json");
    expect(JSON.parse(requests[1]!.text())).toEqual(order);
    expect(requests[1]!.header("paypal-request-id")).toEqual(["corpus-req-1"]);
    expectDeclaredError(missing, { status: 404, body: notFound, code: "NOT_FOUND" });
  });

  test("without tokenUrl, the spec's relative token URL resolves against the base URL in use", async () => {
    ctx.recorder.answer(paypal);
    const credential = clientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientAuthentication: "client_secret_basic", fetcher: ctx.recorder.fetch });
    const result = await ctx.client({ auth: credential }).POST("/v2/checkout/orders", { body: order });
    expect(result.error).toBeUndefined();
    expect(ctx.recorder.fetchedUrls[0]).toBe(`${ctx.recorder.url}/v1/oauth2/token`);
    expectTokenRequest(ctx.recorder.requests[0]!);
  });
});
