import { clientCredentials, type Fetcher } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectNoCredential, formPairs } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";
import { startRecorder, type Answer, type RecordedRequest, type Recorder } from "../support/recorder.js";

// cases/openid-connect.yaml (OpenAPI 3.1): `oidc` is an openIdConnect scheme whose
// openIdConnectUrl is the relative `/.well-known/openid-configuration`; `GET /status` is public.
// The recorder plays the API, the discovery document and the token endpoint.
const CLIENT_ID = "case-orders-client";
const CLIENT_SECRET = "case-orders-secret-7f6e5d4c3b2a";
const ACCESS_TOKEN = "case-orders-access-token-0a1b2c3d";
const DISCOVERY = "/.well-known/openid-configuration";
const ctx = useCorpus("openid-connect");

/** Answers as an OpenID provider (discovery, token) and as the API. */
function provider(recorder: Recorder, token = ACCESS_TOKEN): (request: RecordedRequest) => Answer {
  return (request) => {
    if (request.path === DISCOVERY) {
      return {
        status: 200,
        body: {
          issuer: recorder.url,
          token_endpoint: `${recorder.url}/oauth2/v1/token`,
          token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        },
      };
    }
    if (request.path === "/oauth2/v1/token") return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: 3600 } };
    if (request.path === "/status") return { status: 200, body: { ok: true } };
    if (request.path === "/orders") return { status: 200, body: [{ id: "o1" }] };
    return { status: 200, body: { id: request.path.split("/").pop() } };
  };
}

/** A fetcher of its own per test (the loopback-only one underneath), so no test shares another's credential settings. */
const ownFetcher = (recorder: Recorder): Fetcher => (url, init) => recorder.fetch(url, init as RequestInit);

describe("openIdConnect: the token endpoint discovered once, no tokenUrl given", () => {
  test("five calls (three at once): one discovery GET, one token POST to the discovered endpoint, Bearer on every call", async () => {
    ctx.recorder.answer(provider(ctx.recorder));
    const credential = clientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetcher: ownFetcher(ctx.recorder) });
    const orders = ctx.client({ auth: credential });

    const concurrent = await Promise.all([orders.GET("/orders"), orders.GET("/orders/{id}", { params: { path: { id: "o1" } } }), orders.GET("/orders")]);
    const sequential = [await orders.GET("/orders/{id}", { params: { path: { id: "o2" } } }), await orders.GET("/orders")];
    for (const result of [...concurrent, ...sequential]) expect(result.error).toBeUndefined();

    const requests = ctx.recorder.requests;
    const discovery = requests.filter((r) => r.path === DISCOVERY);
    const token = requests.filter((r) => r.path === "/oauth2/v1/token");
    const api = requests.filter((r) => r.path.startsWith("/orders"));
    expect(discovery.map((r) => r.method), "the discovery document, fetched once").toEqual(["GET"]);
    expect(token.map((r) => r.method), "one token request, to the discovered token_endpoint").toEqual(["POST"]);
    expect(api).toHaveLength(5);
    expect(requests.indexOf(discovery[0]!)).toBeLessThan(requests.indexOf(token[0]!));

    expectNoCredential(discovery[0]!, [CLIENT_SECRET, ACCESS_TOKEN]);
    // client_secret_post: the metadata lists it.
    const fields = new Map(formPairs(token[0]!));
    expect(fields.get("grant_type")).toBe("client_credentials");
    expect(fields.get("client_id")).toBe(CLIENT_ID);
    expect(fields.get("client_secret")).toBe(CLIENT_SECRET);
    expect(token[0]!.header("authorization")).toEqual([]);
    for (const request of api) {
      expectCredentialOnlyAt(request, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN, CLIENT_SECRET]);
    }
  });

  test("the public GET /status sends nothing and neither discovers nor fetches a token", async () => {
    ctx.recorder.answer(provider(ctx.recorder));
    const orders = ctx.client({ auth: clientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetcher: ownFetcher(ctx.recorder) }) });
    const result = await orders.GET("/status");
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ ok: true });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /status"]);
    expectNoCredential(ctx.recorder.requests[0]!, [CLIENT_SECRET, ACCESS_TOKEN]);
  });

  test("a relative openIdConnectUrl is discovered at each API's own origin (two deployments, credentials of equal settings)", async () => {
    const other = await startRecorder();
    try {
      ctx.recorder.answer(provider(ctx.recorder, "token-of-deployment-a"));
      other.answer(provider(other, "token-of-deployment-b"));
      // One fetcher for both (loopback-only), as one app would use for both deployments.
      const fetcher = ownFetcher(ctx.recorder);
      const a = ctx.api.create({ baseUrl: ctx.recorder.url, fetcher, auth: clientCredentials({ clientId: "client-a", clientSecret: "secret-of-deployment-a", fetcher }) });
      const b = ctx.api.create({ baseUrl: other.url, fetcher, auth: clientCredentials({ clientId: "client-b", clientSecret: "secret-of-deployment-b", fetcher }) });
      expect((await a.GET("/orders")).error).toBeUndefined();
      expect((await b.GET("/orders")).error).toBeUndefined();

      const seenByA = ctx.recorder.requests.map((r) => r.text()).join("\n");
      expect.soft(seenByA, "deployment b's client secret never reaches deployment a").not.toContain("secret-of-deployment-b");
      expect.soft(ctx.recorder.requests.map((r) => `${r.method} ${r.path}`), "deployment a").toEqual(["GET " + DISCOVERY, "POST /oauth2/v1/token", "GET /orders"]);
      expect.soft(other.requests.map((r) => `${r.method} ${r.path}`), "deployment b: its own discovery and token endpoint").toEqual([
        "GET " + DISCOVERY,
        "POST /oauth2/v1/token",
        "GET /orders",
      ]);
    } finally {
      await other.close();
    }
  });
});
