import { clientCredentials, type Fetcher } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, formPairs } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";
import type { Answer, RecordedRequest, Recorder } from "../support/recorder.js";

// cases/client-secret-basic.yaml (OpenAPI 3.1): an oauth2 scheme with a clientCredentials flow whose
// tokenUrl is the relative `/oauth/token`; the client takes it from the spec (no tokenUrl option).
// Id and secret hold characters form-encoding changes (RFC 6749 §2.3.1: encode, then base64).
const CLIENT_ID = "reports:client/eu@1";
const CLIENT_SECRET = "s3cr:t/with+reserved=&%chars";
const ACCESS_TOKEN = "case-reports-access-token-4d5e6f";
const ctx = useCorpus("client-secret-basic");

function server(request: RecordedRequest): Answer {
  if (request.path === "/oauth/token") return { status: 200, body: { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 3600 } };
  return { status: 200, body: [{ id: "r1" }] };
}

const ownFetcher = (recorder: Recorder): Fetcher => (url, init) => recorder.fetch(url, init as RequestInit);
/** `Basic base64(urlencode(id):urlencode(secret))` (none of the characters used here encode differently in form and URI encoding). */
const expectedBasic = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString("base64")}`;

describe("client credentials with client_secret_basic", () => {
  test("the token endpoint sees Authorization: Basic base64(urlencode(id):urlencode(secret)) and no secret in the body; one token for two calls", async () => {
    ctx.recorder.answer(server);
    const credential = clientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientAuthentication: "client_secret_basic", fetcher: ownFetcher(ctx.recorder) });
    const reports = ctx.client({ auth: credential });
    expect((await reports.GET("/reports")).error).toBeUndefined();
    const second = await reports.GET("/reports");
    expect(second.error).toBeUndefined();
    expect(second.data).toEqual([{ id: "r1" }]);

    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /oauth/token", "GET /reports", "GET /reports"]);
    const [token, ...api] = ctx.recorder.requests;
    expect(expectedBasic).toBe(`Basic ${Buffer.from("reports%3Aclient%2Feu%401:s3cr%3At%2Fwith%2Breserved%3D%26%25chars").toString("base64")}`);
    expectCredentialOnlyAt(token!, [{ header: "authorization", value: expectedBasic }], [CLIENT_SECRET]);
    expect(formPairs(token!)).toEqual([["grant_type", "client_credentials"]]);
    for (const request of api) {
      expectCredentialOnlyAt(request, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN, CLIENT_SECRET]);
    }
  });

  test("by default (client_secret_post): id and secret in the form body, no Authorization on the token request", async () => {
    ctx.recorder.answer(server);
    const reports = ctx.client({ auth: clientCredentials({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetcher: ownFetcher(ctx.recorder) }) });
    expect((await reports.GET("/reports")).error).toBeUndefined();
    const [token, api] = ctx.recorder.requests;
    expect(token!.path).toBe("/oauth/token");
    expect(token!.header("authorization")).toEqual([]);
    expect(formPairs(token!)).toEqual([
      ["grant_type", "client_credentials"],
      ["client_id", CLIENT_ID],
      ["client_secret", CLIENT_SECRET],
    ]);
    expectCredentialOnlyAt(api!, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN, CLIENT_SECRET]);
  });
});
