import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, expectNoCredential, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Directus (npm @directus/specs, dist/openapi.json): apiKey in a header named `Authorization` (`Auth`)
// OR apiKey in the query parameter `access_token` (`KeyAuth`); some operations public; no servers
// (the base URL is the user's); errors `{ errors: [{ message, extensions: { code } }] }` (no enum).
const TOKEN = "corpusDirectusStaticToken0123456789abcdef";
const ctx = useCorpus("directus");

describe("Directus: API key in a header OR the query, public operations, a declared 404", () => {
  test("one apiKey credential: the header alternative wins over the query one (Authorization: <key>)", async () => {
    ctx.recorder.answer({ status: 200, body: { data: [{ id: 1, title: "Hello" }] } });
    const directus = ctx.client({ auth: apiKey(TOKEN) });
    const result = await directus.GET("/items/{collection}", { params: { path: { collection: "articles" }, query: { limit: 1 } } });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.path]).toEqual(["GET", "/items/articles"]);
    expect(request!.query).toEqual([["limit", "1"]]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: TOKEN }], [TOKEN]);
  });

  test("bound by scheme name to KeyAuth: ?access_token=<key> only, no header", async () => {
    ctx.recorder.answer({ status: 200, body: { data: { id: "u1", email: "admin@example.com" } } });
    const directus = ctx.client({ auth: { KeyAuth: apiKey(TOKEN) } });
    const result = await directus.GET("/users/me");
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.path]).toEqual(["GET", "/users/me"]);
    expect(request!.header("authorization")).toEqual([]);
    expectCredentialOnlyAt(request!, [{ query: "access_token", value: TOKEN }], [TOKEN]);
  });

  test("POST /users/register is public (security: []): no credential; JSON body", async () => {
    ctx.recorder.answer({ status: 204 });
    const directus = ctx.client({ auth: apiKey(TOKEN) });
    const body = { email: "new.user@example.com", password: "correct horse battery staple" };
    const result = await directus.POST("/users/register", { body });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/users/register"]);
    expectNoCredential(request!, [TOKEN]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("GET /users/me answered 404: the declared body, code NOT_FOUND", async () => {
    const body = { errors: [{ message: "Route /users/me doesn't exist.", extensions: { code: "ROUTE_NOT_FOUND" } }] };
    ctx.recorder.answer({ status: 404, body });
    const result = await ctx.client({ auth: apiKey(TOKEN) }).GET("/users/me");
    expect(ctx.recorder.requests).toHaveLength(1);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });
});
