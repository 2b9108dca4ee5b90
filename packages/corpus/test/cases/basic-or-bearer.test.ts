import { basicAuth, bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { basicHeader, expectCredentialOnlyAt, expectNoCredential } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/basic-or-bearer.yaml: `security: [{ basicAuth: [] }, { bearerAuth: [] }]` (HTTP basic OR
// bearer, as Stripe), and `GET /v1/health` public.
const USER = "case_basic_user_7d1c";
const PASSWORD = "case-basic-password-9a8b7c";
const TOKEN = "case_bearer_token_0f1e2d3c4b5a";
const ctx = useCorpus("basic-or-bearer");
const basic = basicHeader(USER, PASSWORD);
const secrets = [USER, PASSWORD, TOKEN, basic.slice("Basic ".length)];

describe("HTTP basic OR bearer: the credential kind picks its scheme", () => {
  test("basicAuth → Authorization: Basic base64(user:password), nothing else", async () => {
    ctx.recorder.answer({ status: 200, body: { available: 1200 } });
    const ledger = ctx.client({ auth: basicAuth(USER, PASSWORD) });
    const result = await ledger.GET("/v1/balance");
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ available: 1200 });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /v1/balance"]);
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, [{ header: "authorization", value: basic }], secrets);
  });

  test("bearerToken → Authorization: Bearer <token>, nothing else", async () => {
    ctx.recorder.answer({ status: 200, body: { available: 1200 } });
    const ledger = ctx.client({ auth: bearerToken(TOKEN) });
    const result = await ledger.GET("/v1/balance");
    expect(result.error).toBeUndefined();
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], secrets);
  });

  test("both kinds given: one Authorization header, never two credentials; spec order breaks the tie (basic)", async () => {
    ctx.recorder.answer({ status: 200, body: { available: 1200 } });
    const ledger = ctx.client({ auth: [bearerToken(TOKEN), basicAuth(USER, PASSWORD)] });
    expect((await ledger.GET("/v1/balance")).error).toBeUndefined();
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, [{ header: "authorization", value: basic }], secrets);
  });

  test("bound by name to bearerAuth: the user's choice wins over spec order", async () => {
    ctx.recorder.answer({ status: 200, body: { available: 1200 } });
    const ledger = ctx.client({ auth: { bearerAuth: bearerToken(TOKEN) } });
    expect((await ledger.GET("/v1/balance")).error).toBeUndefined();
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], secrets);
  });

  test("GET /v1/health (security: []) sends no credential; its text/plain answer is the data", async () => {
    ctx.recorder.answer({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" });
    const ledger = ctx.client({ auth: basicAuth(USER, PASSWORD) });
    const result = await ledger.GET("/v1/health", { parseAs: "text" });
    expect(result.error).toBeUndefined();
    expect(result.data).toBe("ok");
    expectNoCredential(ctx.recorder.requests[0]!, secrets);
  });
});
