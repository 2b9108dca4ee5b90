/**
 * The node fetcher under a client: core hands it the attempt's cheap abort source, and a caller's
 * abort or the per-attempt timeout still cancels the request on the socket (the server sees the
 * connection close), while a body of announced length is read whole and one past the limit is refused.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { allStages, bearerToken, createClient, type ApiDescriptor } from "@portico/core";
import { createNodeFetcher } from "../src/index.js";
import { startHttpServer, type LoopbackServer } from "./support/http-server.js";

const descriptor: ApiDescriptor = {
  name: "loopback",
  servers: [],
  securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  security: [{ bearer: [] }],
  operations: { "GET /hang": {}, "GET /big": {}, "GET /items": {}, "GET /chunked": {}, "GET /trickle": {}, "GET /cut": {}, "GET /failing": {}, "GET /headers": {} },
};

let api: LoopbackServer;
/** Server-side events: a request arrived, its connection closed. */
const arrived: (() => void)[] = [];
const closed: (() => void)[] = [];
const next = (list: (() => void)[]): Promise<void> => new Promise((resolve) => list.push(resolve));
const fetcher = createNodeFetcher();

beforeAll(async () => {
  api = await startHttpServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (path === "/hang") {
      request.socket.once("close", () => closed.shift()?.());
      arrived.shift()?.();
      return; // never answers
    }
    if (path === "/big") {
      const body = JSON.stringify({ blob: "x".repeat(4096) });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
      return;
    }
    if (path === "/chunked") {
      // No content-length: chunked, in three writes.
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"data":[');
      response.write('"' + "y".repeat(3000) + '",');
      response.end("2]}");
      return;
    }
    if (path === "/trickle" || path === "/cut") {
      // One 2 KB chunk, then nothing until the client hangs up (/trickle) or the server does (/cut).
      response.writeHead(200, { "content-type": "application/json" });
      request.socket.once("close", () => closed.shift()?.());
      response.write("[" + '"z",'.repeat(512), () => {
        arrived.shift()?.();
        if (path === "/cut") request.socket.destroy();
      });
      return;
    }
    if (path === "/headers") {
      response.setHeader("X-Request-Id", "  req_42 ");
      response.setHeader("X-Many", ["a", "b"]);
      response.setHeader("X-RateLimit-Remaining", "7");
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    if (path === "/failing") {
      response.writeHead(500, { "content-type": "application/json" });
      response.write('{"code":"BOOM","message":"' + "m".repeat(2000));
      response.end('"}');
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [1, 2, 3] }));
  });
});
afterAll(async () => {
  await fetcher.close();
  await api.close();
});

/** The untyped view of a client over this loopback API (its paths have no generated types). */
interface LoopbackClient {
  GET(path: string, init?: { signal?: AbortSignal }): Promise<{ data?: unknown; error?: { code: string }; response?: Response; meta: { requestId?: string; rateLimit?: { remaining?: number } } }>;
}

const client = (options: { timeout?: number; maxResponseBytes?: number } = {}): LoopbackClient =>
  createClient(descriptor, { baseUrl: api.url, fetcher, auth: bearerToken("loopback-token-0123456789"), retry: false, ...options }, allStages) as unknown as LoopbackClient;

describe("the node fetcher under a client", () => {
  it("a caller's abort cancels the request on the socket: ABORTED, and the server sees the connection close", async () => {
    const controller = new AbortController();
    const [came, gone] = [next(arrived), next(closed)];
    const pending = client().GET("/hang", { signal: controller.signal });
    await came;
    controller.abort();
    const { error } = await pending;
    expect(error?.code).toBe("ABORTED");
    await gone;
  });

  it("the per-attempt timeout cancels it too: TIMEOUT, connection closed", async () => {
    // The attempt's timer is a fake one, moved once the request is at the server: a busy machine
    // cannot make the timeout fire before the request arrives.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const [came, gone] = [next(arrived), next(closed)];
      const pending = client({ timeout: 50 }).GET("/hang");
      await came;
      await vi.advanceTimersByTimeAsync(50);
      const { error } = await pending;
      expect(error?.code).toBe("TIMEOUT");
      await gone;
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads a body of announced length whole, and refuses one past maxResponseBytes unread", async () => {
    const { data, error } = await client().GET("/items");
    expect(error).toBeUndefined();
    expect(data).toEqual({ data: [1, 2, 3] });
    const big = await client({ maxResponseBytes: 1024 }).GET("/big");
    expect(big.error?.code).toBe("RESPONSE_TOO_LARGE");
    const fits = await client({ maxResponseBytes: 8192 }).GET("/big");
    expect((fits.data as { blob: string }).blob).toHaveLength(4096);
  });

  it("reads a chunked body straight from the socket, whole when it fits", async () => {
    const { data, error } = await client({ maxResponseBytes: 8192 }).GET("/chunked");
    expect(error).toBeUndefined();
    expect(data).toEqual({ data: ["y".repeat(3000), 2] });
    // The same body one byte over the limit is refused.
    const over = await client({ maxResponseBytes: 3000 }).GET("/chunked");
    expect(over.error?.code).toBe("RESPONSE_TOO_LARGE");
  });

  it("stops reading a chunked body once past maxResponseBytes: the rest is never waited for, and the connection is closed", async () => {
    const [came, gone] = [next(arrived), next(closed)];
    const pending = client({ maxResponseBytes: 1024 }).GET("/trickle");
    await came;
    const { error } = await pending;
    expect(error?.code).toBe("RESPONSE_TOO_LARGE");
    await gone;
    // The pool still works.
    expect((await client().GET("/items")).data).toEqual({ data: [1, 2, 3] });
  });

  it("a connection lost mid-body is a network error, and a caller's abort mid-body is ABORTED", async () => {
    const cut = await client().GET("/cut");
    expect(cut.error?.code).toBe("NETWORK_ERROR");
    const controller = new AbortController();
    const [came, gone] = [next(arrived), next(closed)];
    const pending = client().GET("/trickle", { signal: controller.signal });
    await came;
    controller.abort();
    expect((await pending).error?.code).toBe("ABORTED");
    await gone;
  });

  it("reads headers as fetch would: trimmed, repeated fields joined, on the call's meta and on the response", async () => {
    const { meta, response } = await client().GET("/headers");
    expect(meta.requestId).toBe("req_42");
    expect(meta.rateLimit?.remaining).toBe(7);
    expect(response?.headers.get("x-many")).toBe("a, b");
    expect(response?.headers.get("X-Request-Id")).toBe("req_42");
  });

  it("reads a chunked error body for its code and excerpt", async () => {
    const { error } = await client().GET("/failing");
    // The spec declares no 500: the error says so, with the server's code read from the body.
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 500, details: { serverCode: "BOOM" } });
  });
});
