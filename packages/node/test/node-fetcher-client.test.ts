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
  operations: { "GET /hang": {}, "GET /big": {}, "GET /items": {} },
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
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [1, 2, 3] }));
  });
});
afterAll(async () => {
  await fetcher.close();
  await api.close();
});

/** The untyped view of a client over this loopback API (its paths have no generated types). */
interface LoopbackClient {
  GET(path: string, init?: { signal?: AbortSignal }): Promise<{ data?: unknown; error?: { code: string } }>;
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
});
