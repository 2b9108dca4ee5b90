import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { createImsApiClient } from "../../../ims-client/src/index.js";
import { ApiError, PorticoError, allStages, bearerToken, createClient } from "../../src/index.js";
import { json, useLoopbacks, type Handler } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

const { server } = useLoopbacks();

async function clientFor(handler: Handler) {
  const api = await server(handler);
  return createClient<paths>(descriptor, { baseUrl: api.url, retry: false }, allStages);
}

const getItem = (client: Awaited<ReturnType<typeof clientFor>>) => client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } } });

describe("garbage responses become typed errors", () => {
  const html = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>";

  test.each<[string, Handler, { status: number; excerpt?: string | RegExp }]>([
    ["HTML 502 from a proxy", (_q, r) => void r.writeHead(502, { "content-type": "text/html" }).end(html), { status: 502, excerpt: html }],
    ["invalid JSON error body", (_q, r) => void r.writeHead(500, { "content-type": "application/json" }).end('{"code": "ITEM_NOT'), { status: 500, excerpt: '{"code": "ITEM_NOT' }],
    ["empty 500", (_q, r) => void r.writeHead(500).end(), { status: 500, excerpt: "" }],
    ["200 with a non-JSON body for a JSON operation", (_q, r) => void r.writeHead(200, { "content-type": "text/html" }).end(html), { status: 200, excerpt: html }],
    ["200 with truncated JSON", (_q, r) => void r.writeHead(200, { "content-type": "application/json" }).end('{"id": "i1", "na'), { status: 200 }],
    ["RFC 9457 problem+json not declared by the spec", (_q, r) =>
      void r.writeHead(500, { "content-type": "application/problem+json" }).end(JSON.stringify({ type: "about:blank", title: "Oops", status: 500 })), { status: 500 }],
    ["a server code the spec does not declare", (_q, r) => json(r, 404, { code: "GONE_FISHING", message: "later" }), { status: 404 }],
  ])("%s → UNEXPECTED_RESPONSE", async (_name, handler, want) => {
    const client = await clientFor(handler);
    const { data, error, meta } = await getItem(client);
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(PorticoError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.status).toBe(want.status);
    expect(meta.status).toBe(want.status);
    if (want.excerpt !== undefined) expect(error?.details.bodyExcerpt).toBe(want.excerpt);
  });

  test("an unknown server code is kept in details.serverCode", async () => {
    const client = await clientFor((_q, r) => json(r, 404, { code: "GONE_FISHING", message: "later" }));
    const { error } = await getItem(client);
    expect(error?.details.serverCode).toBe("GONE_FISHING");
  });

  test("excerpts are bounded and redacted", async () => {
    const secretBody = `<html>token=abc123secret Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig sk_live_9f8e7d6c ${"x".repeat(5000)}</html>`;
    const client = await clientFor((_q, r) => void r.writeHead(502, { "content-type": "text/html" }).end(secretBody));
    const { error } = await getItem(client);
    const kept = String(error?.details.bodyExcerpt);
    expect(kept.length).toBeLessThanOrEqual(513);
    expect(kept).not.toContain("abc123secret");
    expect(kept).not.toContain("eyJhbGciOiJIUzI1NiJ9");
    expect(kept).not.toContain("sk_live_9f8e7d6c");
    expect(JSON.stringify(error)).not.toContain("abc123secret");
  });

  test("a 1 MB response header → typed error, no retry storm, no exception", async () => {
    const client = await clientFor((_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "x-huge": "a".repeat(1024 * 1024) });
      r.end("{}");
    });
    const { error, meta } = await client.GET("/v1/items", { maxRetries: 2 });
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(meta.attempts).toBe(1);
  });

  test("a 1 MB credit header from a lenient fetcher is ignored", async () => {
    const huge = "9".repeat(1024 * 1024);
    const client = createClient<paths>(descriptor, {
      baseUrl: "http://127.0.0.1:9",
      fetcher: async () =>
        new Response('{"items":[]}', {
          headers: { "content-type": "application/json", "x-credits-remaining": huge, ratelimit: huge, "retry-after": huge, "x-request-id": huge },
        }),
    }, allStages);
    const { data, meta } = await client.GET("/v1/items");
    expect(data).toEqual({ items: [] });
    expect(meta.credits).toBeUndefined();
    expect(meta.rateLimit).toBeUndefined();
    expect(String(meta.requestId).length).toBeLessThanOrEqual(129);
  });

  test("a connection closed without any response → NETWORK_ERROR", async () => {
    const raw = createServer((socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Le"));
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    const { port } = raw.address() as { port: number };
    try {
      const client = createClient<paths>(descriptor, { baseUrl: `http://127.0.0.1:${port}`, retry: false }, allStages);
      const { error } = await client.GET("/v1/items");
      expect(error?.code).toBe("NETWORK_ERROR");
    } finally {
      raw.close();
    }
  });
});

describe("an empty success body where the spec declares JSON (the generated IMS client: GET /v1/items answers an item page)", () => {
  const ims = (url: string) => createImsApiClient({ baseUrl: url, auth: bearerToken("t0ken-for-empty-bodies"), retry: false });

  test.each<[string, Handler]>([
    ["content-length 0", (_q, r) => void r.writeHead(200, { "content-type": "application/json", "content-length": "0", "x-request-id": "req_empty" }).end()],
    ["chunked, no bytes", (_q, r) => void r.writeHead(200, { "content-type": "application/json", "x-request-id": "req_empty" }).end()],
  ])("%s → UNEXPECTED_RESPONSE saying the body is empty, not data: undefined", async (_name, handler) => {
    const api = await server(handler);
    const { data, error } = await ims(api.url).GET("/v1/items");
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, requestId: "req_empty" });
    expect(error?.message).toBe("GET /v1/items returned an unexpected 200 response: the body is empty, but the spec declares a JSON body for it.");
  });

  test('read as text, the empty body is "" as asked; a 204 stays undefined data', async () => {
    const api = await server((q, r) => void r.writeHead(q.headers["x-want"] === "204" ? 204 : 200, { "content-type": "application/json" }).end());
    const client = ims(api.url);
    const text = await client.GET("/v1/items", { parseAs: "text" });
    expect([text.data, text.error]).toEqual(["", undefined]);
    const noContent = await client.GET("/v1/items", { headers: { "x-want": "204" } });
    expect([noContent.data, noContent.error, noContent.meta.status]).toEqual([undefined, undefined, 204]);
  });
});

describe("a response whose body does not arrive", () => {
  test("a body cut off after the headers → NETWORK_ERROR saying the response came and its body broke off, with status and request id", async () => {
    const client = await clientFor((_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "content-length": "100", "x-request-id": "req_cut" });
      r.write('{"id": "i1", "na', () => r.socket?.destroy());
    });
    const { error, meta } = await getItem(client);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", status: 200, requestId: "req_cut", details: { status: 200, requestId: "req_cut" } });
    expect(error?.message).toMatch(/^GET \/v1\/items\/\{itemId\} answered 200, but its body broke off: /);
    expect(meta).toMatchObject({ status: 200, requestId: "req_cut" });
  });

  test("a body that stalls past the per-attempt timeout → TIMEOUT saying the response came, with status and request id", async () => {
    const api = await server((_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "x-request-id": "req_slow" });
      r.write('{"id": "i1", '); // and nothing more: the timeout is the only way out
    });
    const client = createClient<paths>(descriptor, { baseUrl: api.url, retry: false, timeout: 50 }, allStages);
    const { error } = await getItem(client);
    expect(error).toMatchObject({ code: "TIMEOUT", status: 200, requestId: "req_slow" });
    expect(error?.message).toBe("GET /v1/items/{itemId} answered 200, but its body was not read in full within the per-attempt timeout.");
  });
});

describe("declared errors", () => {
  test("a body matching the spec's error schema → ApiError with the spec code, status, body, request id", async () => {
    const client = await clientFor((_q, r) =>
      json(r, 404, { code: "ITEM_NOT_FOUND", message: "Item i1 does not exist" }, { "x-request-id": "req_123" }),
    );
    const { error, meta } = await getItem(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("ITEM_NOT_FOUND");
    expect(error?.status).toBe(404);
    expect(error?.requestId).toBe("req_123");
    expect(meta.requestId).toBe("req_123");
    if (error instanceof ApiError) expect(error.body).toEqual({ code: "ITEM_NOT_FOUND", message: "Item i1 does not exist" });
    expect(error?.message).toContain("Item i1 does not exist");
  });

  test("server text reaches messages and details with its control characters escaped: no forged log line, terminal sequence or reordered text", async () => {
    const hostile = "line1\r\nInjected-Log: yes\u001b[31mRED\u0000 \u202eevil\u2028end";
    const escaped = "line1\\r\\nInjected-Log: yes\\u001b[31mRED\\u0000 \\u202eevil\\u2028end";
    const client = await clientFor((_q, r) => json(r, 404, { code: "ITEM_NOT_FOUND", message: hostile }, { "x-request-id": "req\u0085_1" }));
    const { error, meta } = await getItem(client);
    expect(error?.code).toBe("ITEM_NOT_FOUND");
    expect(error?.message).toContain(escaped);
    // HTTP carries no C0 control in a header, but a C1 one it does (sent as UTF-8, read by fetch as Latin-1: "Â" + U+0085).
    expect(error?.requestId).toBe("req\u00c2\\u0085_1");
    expect(meta.requestId).toBe("req\u00c2\\u0085_1");
    // The body itself is the server's, as sent: only what the client writes is escaped.
    if (error instanceof ApiError) expect((error.body as { message: string }).message).toBe(hostile);
    const undeclared = await clientFor((_q, r) => void r.writeHead(502, { "content-type": "text/html" }).end(`<h1>Bad\r\nGateway</h1>\u001b]0;title\u0007`));
    const garbage = await getItem(undeclared);
    expect(garbage.error?.details.bodyExcerpt).toBe("<h1>Bad\\r\\nGateway</h1>\\u001b]0;title\\u0007");
    for (const text of [error?.message, garbage.error?.message, String(garbage.error?.details.bodyExcerpt)]) {
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }
  });

  test("throwOnError throws the same typed error", async () => {
    const api = await server((_q, r) => json(r, 404, { code: "ITEM_NOT_FOUND", message: "nope" }));
    const client = createClient<paths>(descriptor, { baseUrl: api.url, throwOnError: true }, allStages);
    await expect(getItem(client)).rejects.toMatchObject({ code: "ITEM_NOT_FOUND", status: 404 });
  });
});
