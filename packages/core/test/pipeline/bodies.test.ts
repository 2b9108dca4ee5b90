import { afterEach, describe, expect, test } from "vitest";
import { createClient } from "../../src/index.js";
import { descriptor, type paths } from "./fixtures/paths.js";
import { json, startLoopback, type Loopback } from "./helpers/loopback.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type AnyBody = { body: never };

describe("request bodies are buffered once", () => {
  test.each<[string, unknown, Record<string, string>, string, RegExp]>([
    ["an object → JSON", { name: "bolt" }, {}, '{"name":"bolt"}', /^application\/json$/],
    ["a form-urlencoded object", { grant_type: "x", scope: "a b" }, { "Content-Type": "application/x-www-form-urlencoded" }, "grant_type=x&scope=a+b", /^application\/x-www-form-urlencoded$/],
    ["a raw string with a text content type", "hello", { "content-type": "text/plain" }, "hello", /^text\/plain$/],
    ["URLSearchParams", new URLSearchParams({ a: "1" }), {}, "a=1", /^application\/x-www-form-urlencoded/],
    ["bytes", new TextEncoder().encode("raw-bytes"), { "content-type": "application/octet-stream" }, "raw-bytes", /^application\/octet-stream$/],
  ])("%s", async (_name, body, headers, wantBody, wantType) => {
    server = await startLoopback((_q, r, _b, i) => (i === 0 ? json(r, 503, {}) : json(r, 201, { id: "x", name: "n", quantity: 0 })));
    const client = createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 1 } });
    const { error } = await client.POST("/v1/items", { body, headers, idempotencyKey: "k" } as unknown as AnyBody);
    expect(error).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    for (const seen of server.requests) {
      expect(seen.body).toBe(wantBody);
      expect(String(seen.headers["content-type"])).toMatch(wantType);
    }
  });

  test("FormData keeps its multipart boundary and identical bytes across retries", async () => {
    server = await startLoopback((_q, r, _b, i) => (i === 0 ? json(r, 502, {}) : json(r, 201, { id: "x", name: "n", quantity: 0 })));
    const client = createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 1 } });
    const form = new FormData();
    form.set("file", new Blob(["content"], { type: "text/plain" }), "a.txt");
    const { error } = await client.POST("/v1/items", { body: form, idempotencyKey: "k" } as unknown as AnyBody);
    expect(error).toBeUndefined();
    const [a, b] = server.requests;
    expect(String(a?.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(a?.body).toContain("content");
    expect(b?.body).toBe(a?.body);
    expect(b?.headers["content-type"]).toBe(a?.headers["content-type"]);
  });
});
