import { apiKey, bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, expectNoCredential, mediaType, multipartParts } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Qdrant (specs/qdrant.json): security is `api-key` header OR bearer OR nothing (`{}`); server
// `{protocol}://{hostname}:{port}` with variables; JSON and multipart bodies; errors declared as
// `4XX` and `default` with `{ time, status: { error } }` (no code enum).
const KEY = "corpusQdrantApiKey0123456789abcdef";
const TOKEN = "corpusQdrantJwt.eyJhY2Nlc3MiOiJyIn0.sig";
const ctx = useCorpus("qdrant");

describe("Qdrant: API key OR bearer OR anonymous, server variables, JSON/multipart bodies, a 4XX error", () => {
  test("PUT /collections/{name}/points with apiKey: api-key: <key> only; the JSON body as given", async () => {
    ctx.recorder.answer({ status: 200, body: { time: 0.002, status: "ok", result: { operation_id: 1, status: "completed" } } });
    const body = { points: [{ id: 1, vector: [0.05, 0.61, 0.76, 0.74], payload: { city: "Berlin" } }] };
    const result = await ctx.client({ auth: apiKey(KEY) }).PUT("/collections/{collection_name}/points", {
      params: { path: { collection_name: "cities" }, query: { wait: true } },
      body,
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["PUT", "/collections/cities/points?wait=true"]);
    expectCredentialOnlyAt(request!, [{ header: "api-key", value: KEY }], [KEY]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("bearerToken takes the bearer alternative: Authorization: Bearer <token> only", async () => {
    ctx.recorder.answer({ status: 200, body: { time: 0.001, status: "ok", result: { collections: [] } } });
    const result = await ctx.client({ auth: bearerToken(TOKEN) }).GET("/collections");
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect(request!.header("api-key")).toEqual([]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN, KEY]);
  });

  test("no credential: the anonymous alternative ({}) sends nothing; the host comes from serverVariables", async () => {
    ctx.recorder.answer({ status: 200, body: { title: "qdrant - vector search engine", version: "1.15.0" } });
    const port = new URL(ctx.recorder.url).port;
    const client = ctx.api.create({ serverVariables: { protocol: "http", hostname: "127.0.0.1", port }, fetcher: ctx.recorder.fetch });
    const result = await client.GET("/");
    expect(result.error).toBeUndefined();
    expect(ctx.recorder.fetchedUrls).toEqual([`http://127.0.0.1:${port}/`]);
    expectNoCredential(ctx.recorder.requests[0]!, [KEY, TOKEN]);
  });

  test("POST …/snapshots/upload: multipart with the snapshot's exact bytes", async () => {
    ctx.recorder.answer({ status: 200, body: { time: 0.5, status: "ok", result: true } });
    const snapshot = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
    const result = await ctx.client({ auth: apiKey(KEY) }).POST("/collections/{collection_name}/snapshots/upload", {
      params: { path: { collection_name: "cities" }, query: { priority: "snapshot" } },
      body: { snapshot: new File([snapshot], "cities.snapshot") },
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/collections/cities/snapshots/upload?priority=snapshot"]);
    expectCredentialOnlyAt(request!, [{ header: "api-key", value: KEY }], [KEY]);
    expect(mediaType(request!)).toBe("multipart/form-data");
    const parts = multipartParts(request!);
    expect(parts.map((p) => [p.name, p.filename])).toEqual([["snapshot", "cities.snapshot"]]);
    expect(Buffer.compare(parts[0]!.data, Buffer.from(snapshot))).toBe(0);
  });

  test("GET /collections/{name} answered 404: the 4XX body, code NOT_FOUND", async () => {
    const body = { status: { error: "Not found: Collection `missing` doesn't exist!" }, time: 0.000012 };
    ctx.recorder.answer({ status: 404, body });
    const result = await ctx.client({ auth: apiKey(KEY) }).GET("/collections/{collection_name}", { params: { path: { collection_name: "missing" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /collections/missing"]);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });
});
