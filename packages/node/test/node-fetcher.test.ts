import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fetcher } from "@portico/core";
import { createNodeFetcher, nodeFetcher } from "../src/index.js";
import { freePort } from "./support/redis.js";
import { readBody, startHttpServer, type LoopbackServer } from "./support/http-server.js";

let api: LoopbackServer;
let other: LoopbackServer;
/** Lets the /stream route send its second chunk. */
let releaseStream: () => void = () => {};
/** Server-side "request received" events of the routes that never answer. */
const hanging = new Map<string, () => void>();
const received = (path: string): Promise<void> => new Promise((resolve) => hanging.set(path, resolve));
const seenByOther: Record<string, string | string[] | undefined>[] = [];

beforeAll(async () => {
  other = await startHttpServer((request, response) => {
    seenByOther.push(request.headers);
    response.writeHead(200, { "content-type": "text/plain" }).end("other origin");
  });
  api = await startHttpServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    switch (path) {
      case "/json":
        response.setHeader("set-cookie", ["a=1", "b=2"]);
        response.writeHead(200, { "content-type": "application/json", "x-credits-remaining": "42" });
        response.end(JSON.stringify({ ok: true }));
        return;
      case "/echo": {
        const body = await readBody(request);
        response.writeHead(201, { "content-type": "application/json" });
        response.end(JSON.stringify({ method: request.method, headers: request.headers, body }));
        return;
      }
      case "/stream":
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("first;");
        releaseStream = () => response.end("second");
        return;
      case "/hang":
        hanging.get(path)?.();
        return; // never answers
      case "/hang-body":
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("partial");
        hanging.get(path)?.();
        return; // never finishes
      case "/no-content":
        response.writeHead(204).end();
        return;
      case "/redirect":
        response.writeHead(302, { location: "/json" }).end();
        return;
      case "/redirect-post":
        response.writeHead(303, { location: "/echo" }).end();
        return;
      case "/redirect-away":
        response.writeHead(307, { location: `${other.url}/landing` }).end();
        return;
      default:
        response.writeHead(404).end();
    }
  });
});

afterAll(async () => {
  releaseStream();
  await nodeFetcher.close();
  await api.close();
  await other.close();
});

const undiciFetcher = createNodeFetcher({ connections: 8, keepAliveTimeout: 5_000 });
afterAll(() => undiciFetcher.close());
const globalFetcher: Fetcher = (url, init) => fetch(url, init as RequestInit);

// Every behaviour is checked against global fetch too: the node fetcher keeps fetch's contract.
describe.each([
  ["global fetch", globalFetcher],
  ["createNodeFetcher", undiciFetcher as Fetcher],
  ["nodeFetcher (shared default)", nodeFetcher as Fetcher],
])("%s", (_name, fetcher) => {
  it("returns a real Response: status, headers (repeated ones too), JSON body", async () => {
    const response = await fetcher(`${api.url}/json`, { method: "GET", headers: { accept: "application/json" } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-credits-remaining")).toBe("42");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("sends the method, headers and a string or bytes body", async () => {
    const asString = await fetcher(`${api.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "k-1" },
      body: JSON.stringify({ amount: 2500 }),
    });
    expect(asString.status).toBe(201);
    const echoed = (await asString.json()) as { method: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe("POST");
    expect(echoed.headers["idempotency-key"]).toBe("k-1");
    expect(JSON.parse(echoed.body)).toEqual({ amount: 2500 });

    const bytes = await fetcher(`${api.url}/echo`, { method: "PUT", headers: {}, body: new TextEncoder().encode("raw bytes") });
    expect(((await bytes.json()) as { body: string }).body).toBe("raw bytes");
  });

  it("lets the body be read once", async () => {
    const response = await fetcher(`${api.url}/json`, { method: "GET", headers: {} });
    await response.text();
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it("keeps fetch's body rules whichever way the body is read: body stream, clone, blob, bytes once", async () => {
    const viaStream = await fetcher(`${api.url}/json`, { method: "GET", headers: {} });
    expect(viaStream.bodyUsed).toBe(false);
    const reader = viaStream.body!.getReader();
    expect(viaStream.bodyUsed).toBe(false); // taking the stream is not reading it
    const chunks: Uint8Array[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(chunk.value);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8"))).toEqual({ ok: true });
    expect(viaStream.bodyUsed).toBe(true);
    await expect(viaStream.text()).rejects.toThrow(TypeError);

    const original = await fetcher(`${api.url}/json`, { method: "GET", headers: {} });
    const copy = original.clone();
    expect(await copy.json()).toEqual({ ok: true });
    expect(await original.text()).toBe('{"ok":true}');

    const asBlob = await (await fetcher(`${api.url}/json`, { method: "GET", headers: {} })).blob();
    expect(asBlob.type).toBe("application/json");
    expect(await asBlob.text()).toBe('{"ok":true}');
    const asBuffer = await (await fetcher(`${api.url}/json`, { method: "GET", headers: {} })).arrayBuffer();
    expect(new TextDecoder().decode(asBuffer)).toBe('{"ok":true}');
  });

  it("streams: the response arrives before the body is complete", async () => {
    const response = await fetcher(`${api.url}/stream`, { method: "GET", headers: {} });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    releaseStream();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("second");
  });

  it("rejects with the abort reason when aborted before the response (AbortError by default)", async () => {
    const controller = new AbortController();
    const seen = received("/hang");
    const pending = fetcher(`${api.url}/hang`, { method: "GET", headers: {}, signal: controller.signal });
    await seen; // the server has the request; no response will come
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as Error).name).toBe("AbortError");
  });

  it("rejects at once for an already-aborted signal, and with a custom reason", async () => {
    const reason = new Error("caller gave up");
    await expect(fetcher(`${api.url}/json`, { method: "GET", headers: {}, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it("errors the body stream when aborted while the body streams", async () => {
    const controller = new AbortController();
    const seen = received("/hang-body");
    const response = await fetcher(`${api.url}/hang-body`, { method: "GET", headers: {}, signal: controller.signal });
    expect(response.status).toBe(200);
    await seen; // the server sent the headers and part of the body, and will never finish it
    const reading = response.text();
    controller.abort();
    const error = await reading.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as Error).name).toBe("AbortError");
  });

  it('returns a 3xx as is with redirect: "manual"', async () => {
    const response = await fetcher(`${api.url}/redirect`, { method: "GET", headers: {}, redirect: "manual" });
    // undici's fetch exposes the real 3xx in Node (no opaque-redirect filtering outside browsers).
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/json");
  });

  it('follows redirects by default and rejects with redirect: "error"', async () => {
    const followed = await fetcher(`${api.url}/redirect`, { method: "GET", headers: {} });
    expect(followed.status).toBe(200);
    expect(await followed.json()).toEqual({ ok: true });
    await expect(fetcher(`${api.url}/redirect`, { method: "GET", headers: {}, redirect: "error" })).rejects.toThrow(TypeError);
  });

  it("turns a POST into a GET on 303", async () => {
    const response = await fetcher(`${api.url}/redirect-post`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect(((await response.json()) as { method: string }).method).toBe("GET");
  });

  it("has a null body for 204", async () => {
    const response = await fetcher(`${api.url}/no-content`, { method: "DELETE", headers: {} });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("rejects with a TypeError when nothing listens", async () => {
    const port = await freePort();
    await expect(fetcher(`http://127.0.0.1:${port}/`, { method: "GET", headers: {} })).rejects.toThrow(TypeError);
  });
});

describe("createNodeFetcher", () => {
  it("drops Authorization and X-Api-Key when a followed redirect leaves the origin", async () => {
    seenByOther.length = 0;
    const response = await undiciFetcher(`${api.url}/redirect-away`, {
      method: "GET",
      headers: { authorization: "Bearer CANARY", "x-api-key": "sk_test_CANARY", accept: "text/plain" },
    });
    expect(await response.text()).toBe("other origin");
    expect(seenByOther[0]?.authorization).toBeUndefined();
    expect(seenByOther[0]?.["x-api-key"]).toBeUndefined();
    expect(seenByOther[0]?.accept).toBe("text/plain");
  });

  it("reuses kept-alive connections for sequential calls", async () => {
    const sockets = new Set<unknown>();
    const server = await startHttpServer((request, response) => {
      sockets.add(request.socket);
      response.end("ok");
    });
    const fetcher = createNodeFetcher();
    for (let i = 0; i < 20; i++) await (await fetcher(`${server.url}/`, { method: "GET", headers: {} })).text();
    // undici may open a second socket while the first one finishes its first response; never 20.
    expect(sockets.size).toBeLessThanOrEqual(2);
    await fetcher.close();
    await server.close();
  });

  it("shares one dispatcher between every user of nodeFetcher, and refuses bad options", () => {
    expect(nodeFetcher.dispatcher).toBe(nodeFetcher.dispatcher);
    expect(() => createNodeFetcher({ connections: -1 })).toThrow(/connections/);
  });
});

describe("createNodeFetcher with a plain RequestInit (as token requests use it)", () => {
  it("accepts URLSearchParams bodies and Headers, setting the form content type", async () => {
    const headers = new Headers({ accept: "application/json" });
    const response = await undiciFetcher(`${api.url}/echo`, { method: "POST", headers, body: new URLSearchParams({ grant_type: "client_credentials" }) });
    const echoed = (await response.json()) as { headers: Record<string, string>; body: string };
    expect(echoed.body).toBe("grant_type=client_credentials");
    expect(echoed.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(echoed.headers.accept).toBe("application/json");
  });

  it("defaults to GET without init", async () => {
    expect(await (await undiciFetcher(`${api.url}/json`)).json()).toEqual({ ok: true });
  });
});
