import { apiKey, PorticoError } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, mediaType } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/two-api-keys.yaml: one requirement `{ appId: [], appKey: [] }` naming two API key headers
// (AND), `X-Index-Application-Id` and `X-Index-API-Key`, as Algolia's.
const APP_ID = "CASEAPP0042";
const APP_KEY = "case-index-admin-key-0123456789abcdef";
const ctx = useCorpus("two-api-keys");

describe("two API keys ANDed: each scheme its own credential, bound by name", () => {
  test("auth: { appId, appKey }: each key in its own header, exactly once, nowhere else", async () => {
    ctx.recorder.answer({ status: 200, body: { nbHits: 3 } });
    const search = ctx.client({ auth: { appId: apiKey(APP_ID), appKey: apiKey(APP_KEY) } });
    const result = await search.POST("/1/indexes/{indexName}/query", { params: { path: { indexName: "products" } }, body: { query: "shirt" } });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ nbHits: 3 });
    const [request] = ctx.recorder.requests;
    expect(`${request!.method} ${request!.target}`).toBe("POST /1/indexes/products/query");
    expectCredentialOnlyAt(
      request!,
      [
        { header: "x-index-application-id", value: APP_ID },
        { header: "x-index-api-key", value: APP_KEY },
      ],
      [APP_ID, APP_KEY],
    );
    expect(mediaType(request!)).toBe("application/json");
    expect(request!.text()).toBe('{"query":"shirt"}');
  });

  test.each([
    ["two unnamed API keys", () => [apiKey(APP_ID), apiKey(APP_KEY)]],
    ["one unnamed API key", () => apiKey(APP_KEY)],
  ])("%s: CREDENTIAL_NOT_ALLOWED telling to bind by scheme name, nothing sent", async (_name, auth) => {
    const search = ctx.client({ auth: auth() });
    const result = await search.POST("/1/indexes/{indexName}/query", { params: { path: { indexName: "products" } }, body: { query: "shirt" } });
    expect(result.data).toBeUndefined();
    expect(result.error).toBeInstanceOf(PorticoError);
    expect(result.error.code).toBe("CREDENTIAL_NOT_ALLOWED");
    expect(result.error.message).toContain("auth: { appId: …, appKey: … }");
    expect(result.error.message).not.toContain(APP_KEY);
    expect(result.meta.attempts).toBe(0);
    expect(ctx.recorder.requests).toEqual([]);
  });
});
