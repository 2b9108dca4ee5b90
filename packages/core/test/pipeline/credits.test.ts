import { afterEach, describe, expect, test } from "vitest";
import { allStages, createClient, type CreditsInfo } from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A tiny credit-metered API: search costs 1, detail costs 50, 402 once the pool is short. */
async function meteredServer(start: number) {
  let balance = start;
  server = await startLoopback((req, res) => {
    const cost = req.url?.startsWith("/v1/items/") ? 50 : 1;
    if (balance < cost) return json(res, 402, { code: "INSUFFICIENT_CREDITS", message: "out of credits" }, { "x-credits-remaining": String(balance) });
    balance -= cost;
    const headers = { "x-credits-remaining": String(balance), "x-credits-cost": String(cost) };
    return cost === 50 ? json(res, 200, { id: "c1", name: "Siemens", quantity: 1 }, headers) : json(res, 200, { items: [] }, headers);
  });
  return server;
}

describe("credits", () => {
  test("parsed on each call, tracked on the client, 402 → INSUFFICIENT_CREDITS without retry", async () => {
    const seen: CreditsInfo[] = [];
    const srv = await meteredServer(52);
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, hooks: { onCredits: (c) => void seen.push(c) } }, allStages);
    expect(client.credits).toBeUndefined();

    const first = await client.GET("/v1/items");
    expect(first.meta.credits).toEqual({ remaining: 51, cost: 1 });
    expect(client.credits).toBe(51);

    const second = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "c1" } } });
    expect(second.meta.credits).toEqual({ remaining: 1, cost: 50 });
    expect(client.credits).toBe(1);

    const third = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "c1" } } });
    expect(third.error?.code).toBe("INSUFFICIENT_CREDITS");
    expect(third.error?.status).toBe(402);
    expect(third.error?.details).toMatchObject({ balance: 1 });
    expect(third.meta.attempts).toBe(1);
    expect(srv.requests).toHaveLength(3);
    expect(seen).toEqual([{ remaining: 51, cost: 1 }, { remaining: 1, cost: 50 }, { remaining: 1 }]);
    expect(JSON.parse(JSON.stringify(client))).toMatchObject({ credits: 1 });
  });

  test("creditGuard refuses a call whose declared cost exceeds the known balance, without a network call", async () => {
    const srv = await meteredServer(10);
    const client = createClient<paths>(descriptor, { baseUrl: srv.url, creditGuard: true }, allStages);
    // Balance unknown: the call goes out (the server stays authoritative).
    await client.GET("/v1/items");
    expect(client.credits).toBe(9);
    const refused = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "c1" } } });
    expect(refused.error?.code).toBe("INSUFFICIENT_CREDITS");
    expect(refused.error?.details).toMatchObject({ balance: 9, cost: 50 });
    expect(refused.meta.attempts).toBe(0);
    expect(srv.requests).toHaveLength(1);
    // A cheap call still goes through.
    expect((await client.GET("/v1/items")).error).toBeUndefined();
  });

  test("garbage or missing credit headers never throw and never change the balance", async () => {
    const values = ["abc", "", "1e309", "12abc", "-", "9".repeat(400), "NaN"];
    let i = 0;
    server = await startLoopback((_req, res) => {
      const v = values[i++] ?? "";
      json(res, 200, { items: [] }, { "x-credits-remaining": v, "x-credits-cost": v });
    });
    const client = createClient<paths>(descriptor, { baseUrl: server.url }, allStages);
    for (const _ of values) {
      const { data, meta } = await client.GET("/v1/items");
      expect(data).toEqual({ items: [] });
      expect(meta.credits).toBeUndefined();
    }
    expect(client.credits).toBeUndefined();
  });
});

describe("rate limits", () => {
  test("IETF structured fields, RateLimit-* and X-RateLimit-* land in meta and on the client", async () => {
    const variants: Record<string, string>[] = [
      { ratelimit: '"default";r=50;t=30', "ratelimit-policy": '"default";q=100;w=60' },
      { "ratelimit-limit": "10", "ratelimit-remaining": "9", "ratelimit-reset": "5" },
      { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "99", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60) },
      { ratelimit: "garbage;;;===", "x-ratelimit-remaining": "oops" },
    ];
    let i = 0;
    server = await startLoopback((_req, res) => json(res, 200, { items: [] }, variants[i++] ?? {}));
    const client = createClient<paths>(descriptor, { baseUrl: server.url }, allStages);

    const a = await client.GET("/v1/items");
    expect(a.meta.rateLimit).toEqual({ policy: "default", remaining: 50, resetSeconds: 30, limit: 100, windowSeconds: 60 });
    const b = await client.GET("/v1/items");
    expect(b.meta.rateLimit).toEqual({ limit: 10, remaining: 9, resetSeconds: 5 });
    const c = await client.GET("/v1/items");
    expect(c.meta.rateLimit?.limit).toBe(100);
    expect(c.meta.rateLimit?.remaining).toBe(99);
    expect(c.meta.rateLimit?.resetSeconds).toBeGreaterThan(50);
    expect(c.meta.rateLimit?.resetSeconds).toBeLessThanOrEqual(61);
    expect(client.rateLimit).toEqual(c.meta.rateLimit);
    const d = await client.GET("/v1/items");
    expect(d.error).toBeUndefined();
    expect(d.meta.rateLimit).toBeUndefined();
  });
});
