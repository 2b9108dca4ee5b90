/**
 * `client.paginate` of the generated IMS client against a loopback server that holds 1,000 items
 * behind real opaque cursors (`data`, `hasMore`, `nextCursor`, as specs/ims.yaml's ItemPage).
 * Retries run on an injected clock; waits are on request arrivals, never on timers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json } from "./support/json.js";
import { ApiError, isPorticoError, type PaginationProgress, type PorticoError } from "@portico/core";
import { createImsApiClient } from "@atrope-ai/api-client";

const TOTAL = 1_000;
const items = Array.from({ length: TOTAL }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  sku: `SKU-${String(i).padStart(4, "0")}`,
  name: `Item ${i}`,
  description: null,
  category: null,
  status: "active",
  trackingMode: "none",
  baseUomCode: "EA",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
}));

const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");
const offsetOf = (cursor: string | null) => (cursor === null ? 0 : Number(/^o:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))![1]));

/** What the next request gets instead of its page: a status once, or a hold (never answered until the client goes away). */
type Fault = { status: number; body?: unknown } | "hold";

let server: Server;
let baseUrl: string;
const targets: string[] = [];
const faults: Fault[] = [];
let arrived: ((target: string) => void) | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://loopback");
      targets.push(url.search);
      arrived?.(url.search);
      const fault = faults.shift();
      if (fault === "hold") return;
      if (fault !== undefined) return json(res, fault.status, fault.body ?? { code: "SERVICE_UNAVAILABLE", message: "try again" });
      const limit = Number(url.searchParams.get("limit") ?? 50);
      const offset = offsetOf(url.searchParams.get("cursor"));
      const data = items.slice(offset, offset + limit);
      const hasMore = offset + limit < TOTAL;
      json(res, 200, { data, hasMore, nextCursor: hasMore ? cursorOf(offset + limit) : null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  targets.length = 0;
  faults.length = 0;
  arrived = undefined;
});

/** Retry delays go through this clock: no real waiting. */
const clock = { now: () => 0, sleep: async () => true };
const ims = () => createImsApiClient({ baseUrl, clock });

/** Resolves when the `n`-th request (from 1) has arrived. */
function untilRequest(n: number): Promise<void> {
  return new Promise((resolve) => {
    if (targets.length >= n) return resolve();
    arrived = () => {
      if (targets.length >= n) resolve();
    };
  });
}

async function failureOf(run: () => Promise<unknown>): Promise<PorticoError<string>> {
  try {
    await run();
  } catch (error) {
    if (isPorticoError(error)) return error;
    throw error;
  }
  throw new Error("the iteration did not fail");
}

describe("IMS paginate (cursor: nextCursor → cursor, while hasMore)", () => {
  it("pages 1,000 items in 50s with a 503 on page 8 retried: exactly 1,000 items, in order, no duplicates", async () => {
    const seen: string[] = [];
    const client = ims();
    let pages = 0;
    for await (const item of client.paginate("GET /v1/items", { params: { query: { limit: 50 } } })) {
      seen.push(item.sku);
      // After the 7th page has been consumed, the next request gets one 503.
      if (seen.length === 7 * 50) faults.push({ status: 503 });
      pages = Math.ceil(seen.length / 50);
    }
    expect(pages).toBe(20);
    expect(seen).toEqual(items.map((i) => i.sku));
    expect(new Set(seen).size).toBe(TOTAL);
    // 20 pages + the one retried attempt, which asked for the same cursor again.
    expect(targets).toHaveLength(21);
    expect(targets[7]).toBe(targets[8]);
    expect(targets[0]).toBe("?limit=50");
    expect(targets[1]).toBe(`?limit=50&cursor=${cursorOf(50)}`);
  });

  it("pages(): each page with its body, items and meta", async () => {
    const sizes: number[] = [];
    const attempts: number[] = [];
    faults.push({ status: 503 });
    for await (const page of ims().paginate("GET /v1/items", { params: { query: { limit: 200 } } }).pages()) {
      sizes.push(page.items.length);
      attempts.push(page.meta.attempts);
      expect(page.meta.status).toBe(200);
      expect(page.data.data).toBe(page.items);
    }
    expect(sizes).toEqual([200, 200, 200, 200, 200]);
    expect(attempts).toEqual([2, 1, 1, 1, 1]);
  });

  it("maxItems stops early, mid-page, without asking for more pages", async () => {
    const got: string[] = [];
    for await (const item of ims().paginate("GET /v1/items", { params: { query: { limit: 50 } }, maxItems: 120 })) got.push(item.sku);
    expect(got).toEqual(items.slice(0, 120).map((i) => i.sku));
    expect(targets).toHaveLength(3);
  });

  it("maxPages stops after that many pages; breaking out of the loop sends nothing more", async () => {
    const pages: number[] = [];
    for await (const page of ims().paginate("GET /v1/items", { params: { query: { limit: 100 } }, maxPages: 2 }).pages()) pages.push(page.items.length);
    expect(pages).toEqual([100, 100]);
    expect(targets).toHaveLength(2);
    targets.length = 0;
    for await (const item of ims().paginate("GET /v1/items", { params: { query: { limit: 10 } } })) if (item.sku === "SKU-0004") break;
    expect(targets).toHaveLength(1);
  });

  it("a page that fails ends the iteration with its typed error, which says how far it got", async () => {
    const got: string[] = [];
    const error = await failureOf(async () => {
      for await (const item of ims().paginate("GET /v1/items", { params: { query: { limit: 50 } } })) {
        got.push(item.sku);
        if (got.length === 150) faults.push({ status: 400, body: { code: "VALIDATION_ERROR", message: "cursor expired" } });
      }
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.status).toBe(400);
    expect(error.details["pagination"]).toEqual({ operation: "GET /v1/items", pages: 3, items: 150, cursor: cursorOf(150) } satisfies PaginationProgress);
    expect(got).toHaveLength(150);
  });

  it("abort during a page: the request in flight is cancelled, ABORTED with the progress", async () => {
    const controller = new AbortController();
    const list = ims().paginate("GET /v1/items", { params: { query: { limit: 100 } }, signal: controller.signal });
    const got: string[] = [];
    const done = failureOf(async () => {
      for await (const item of list) {
        got.push(item.sku);
        if (got.length === 200) faults.push("hold");
      }
    });
    await untilRequest(3);
    controller.abort();
    const error = await done;
    expect(error.code).toBe("ABORTED");
    expect(error.details["pagination"]).toEqual({ operation: "GET /v1/items", pages: 2, items: 200, cursor: cursorOf(200) });
    expect(targets).toHaveLength(3);
  });

  it("abort between pages: no further request is sent", async () => {
    const controller = new AbortController();
    const got: string[] = [];
    const error = await failureOf(async () => {
      for await (const item of ims().paginate("GET /v1/items", { params: { query: { limit: 50 } }, signal: controller.signal })) {
        got.push(item.sku);
        if (got.length === 50) controller.abort();
      }
    });
    expect(error.code).toBe("ABORTED");
    expect(got).toHaveLength(50);
    expect(targets).toHaveLength(1);
    expect(error.details["pagination"]).toMatchObject({ pages: 1, items: 50 });
  });

  it("the same list can be iterated again: it starts from the first page", async () => {
    const list = ims().paginate("GET /v1/items", { params: { query: { limit: 100 } }, maxItems: 150 });
    const first: string[] = [];
    for await (const item of list) first.push(item.sku);
    const second: string[] = [];
    for await (const item of list) second.push(item.sku);
    expect(second).toEqual(first);
    expect(first).toHaveLength(150);
  });
});
