import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, expectUndeclaredError } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/error-without-code.yaml: `GET /items/{id}` declares a 404 `{ code?: string, message,
// documentation_url? }` (a free-form code, no enum) and a 422 `application/problem+json`; the API
// key goes in the query parameter `key`.
const KEY = "case-catalog-key-3c2b1a0f9e";
const ctx = useCorpus("error-without-code");

describe("declared errors without a code enum: the declared body, a code from the status", () => {
  test("404: ApiError NOT_FOUND with the body as sent (a free-form `code` field is not the error code)", async () => {
    const body = { code: "item_missing", message: "No item sku-404.", documentation_url: "https://docs.catalog.example.com/errors#404" };
    ctx.recorder.answer({ status: 404, body });
    const catalog = ctx.client({ auth: apiKey(KEY) });
    const result = await catalog.GET("/items/{id}", { params: { path: { id: "sku-404" } } });
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
    const [request] = ctx.recorder.requests;
    expect(request!.path).toBe("/items/sku-404");
    expectCredentialOnlyAt(request!, [{ query: "key", value: KEY }], [KEY]);
  });

  test("422 application/problem+json: ApiError UNPROCESSABLE_CONTENT with the problem body", async () => {
    const body = { type: "https://catalog.example.com/problems/invalid-id", title: "Invalid id", status: 422, errors: [{ field: "id", reason: "too long" }] };
    ctx.recorder.answer({ status: 422, headers: { "content-type": "application/problem+json" }, body: JSON.stringify(body) });
    const result = await ctx.client({ auth: apiKey(KEY) }).GET("/items/{id}", { params: { path: { id: "x".repeat(80) } } });
    expectDeclaredError(result, { status: 422, body, code: "UNPROCESSABLE_CONTENT" });
  });

  test("an undeclared 500 (no retry): an SDK error, not an ApiError", async () => {
    ctx.recorder.answer({ status: 500, body: { oops: true } });
    const result = await ctx.client({ auth: apiKey(KEY), retry: false }).GET("/items/{id}", { params: { path: { id: "sku-1" } } });
    expectUndeclaredError(result, 500);
    expect(result.error.code).toBe("UNEXPECTED_RESPONSE");
  });
});
