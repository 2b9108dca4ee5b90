import { apiKey, PorticoError } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Algolia Search (specs/algolia-search.yml, bundled spec of algolia/api-clients-automation): one
// requirement naming two API key headers (AND: `x-algolia-application-id` and `x-algolia-api-key`);
// servers `https://{appId}.algolia.net` whose variable's default is the placeholder
// `ALGOLIA_APPLICATION_ID`; JSON bodies; declared 400/402/403/404 bodies `{ message }` (no enum).
const APP_ID = "CORPUSAPP1";
const API_KEY = "corpusAlgoliaAdminKey0123456789abcdef";
const ctx = useCorpus("algolia-search");
const byScheme = () => ({ appId: apiKey(APP_ID), apiKey: apiKey(API_KEY) });
const placements = [
  { header: "x-algolia-application-id", value: APP_ID },
  { header: "x-algolia-api-key", value: API_KEY },
];

describe("Algolia Search: two API keys ANDed, server variables, JSON bodies, declared 402/404", () => {
  test("POST /1/indexes/{indexName}/query: each scheme's own key in its own header, nowhere else", async () => {
    ctx.recorder.answer({ status: 200, body: { hits: [], nbHits: 0, page: 0, hitsPerPage: 5, processingTimeMS: 1, query: "shirt", params: "" } });
    const search = ctx.client({ auth: byScheme() });
    const body = { query: "shirt", hitsPerPage: 5 };
    const result = await search.POST("/1/indexes/{indexName}/query", { params: { path: { indexName: "products" } }, body });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/1/indexes/products/query"]);
    expectCredentialOnlyAt(request!, placements, [APP_ID, API_KEY]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("serverVariables fill the host: https://<appId>.algolia.net", async () => {
    ctx.recorder.answer({ status: 200, body: { objectID: "blackTShirt", name: "Black T-shirt" } });
    const asked: string[] = [];
    const search = ctx.api.create({
      serverVariables: { appId: "corpusapp1" },
      auth: byScheme(),
      // A transport of the user's: forwards to the recorder and answers as the host the client asked
      // for (a fresh Response, so no redirect to another origin shows).
      fetcher: async (url: string, init: RequestInit) => {
        asked.push(url);
        const target = new URL(url);
        const answer = await ctx.recorder.fetch(`${ctx.recorder.url}${target.pathname}${target.search}`, init);
        return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
      },
    });
    const result = await search.GET("/1/indexes/{indexName}/{objectID}", { params: { path: { indexName: "products", objectID: "blackTShirt" } } });
    expect(asked).toEqual(["https://corpusapp1.algolia.net/1/indexes/products/blackTShirt"]);
    expect(result.error).toBeUndefined();
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, placements, [APP_ID, API_KEY]);
  });

  test("no baseUrl and no appId: the placeholder host ALGOLIA_APPLICATION_ID is never called", async () => {
    const asked: string[] = [];
    const fetcher = (url: string) => {
      asked.push(url);
      return Promise.reject(new TypeError("no network in this test"));
    };
    let failure: unknown;
    try {
      const search = ctx.api.create({ auth: byScheme(), fetcher });
      const result = await search.GET("/1/indexes/{indexName}/{objectID}", { params: { path: { indexName: "products", objectID: "x" } } });
      failure = result.error;
    } catch (error) {
      failure = error;
    }
    expect(asked.filter((u) => u.includes("ALGOLIA_APPLICATION_ID"))).toEqual([]);
    expect(asked).toEqual([]);
    expect(failure).toBeInstanceOf(PorticoError);
    expect((failure as Error).message).toMatch(/appId/);
  });

  test("GET /1/indexes/{indexName}/{objectID} answered 404: the declared body, code NOT_FOUND", async () => {
    const body = { message: "ObjectID does not exist", status: 404 };
    ctx.recorder.answer({ status: 404, body });
    const result = await ctx.client({ auth: byScheme() }).GET("/1/indexes/{indexName}/{objectID}", { params: { path: { indexName: "products", objectID: "nope" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /1/indexes/products/nope"]);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });

  test("a declared 402 (plan limit) is the declared error, not INSUFFICIENT_CREDITS", async () => {
    const body = { message: "This feature is not available on your current plan", status: 402 };
    ctx.recorder.answer({ status: 402, body });
    const result = await ctx.client({ auth: byScheme() }).POST("/1/indexes/{indexName}", { params: { path: { indexName: "products" } }, body: { objectID: "x", name: "X" } });
    expectDeclaredError(result, { status: 402, body, code: "PAYMENT_REQUIRED" });
  });
});
