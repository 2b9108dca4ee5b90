import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allStages, createClient, type ClientOptions } from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

/** Stand-in for the generated `createImsApiClient` (codegen emits the same one-liner). */
const createImsApiClient = (options: ClientOptions) => createClient<paths>(descriptor, options, allStages);

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res, body) => {
    if (req.method === "GET") return json(res, 200, { items: [{ id: "i1", name: "bolt", quantity: 3 }] });
    return json(res, 201, { id: "i2", ...JSON.parse(body), quantity: 0 });
  });
});
afterAll(() => server.close());

describe("the seed's fetcher snippet, verbatim", () => {
  // The snippet targets https://api.atrope.dev; this `fetch` (shadowing the global for the
  // snippet only) sends the same request to the loopback server instead.
  const fetch = (url: string, init?: RequestInit) => globalThis.fetch(url.replace("https://api.atrope.dev", server.url), init);
  const accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln";

  const ims = createImsApiClient({
    baseUrl: "https://api.atrope.dev",
    fetcher: (url, init) =>
      fetch(url, {
        ...init,
        headers: {
          ...init?.headers,
          Authorization: `Bearer ${accessToken}`,
        },
      }),
  });

  test("GET sends the token and returns typed data", async () => {
    const { data, error, meta } = await ims.GET("/v1/items", { params: { query: { limit: 5 } } });
    expect(error).toBeUndefined();
    expect(data?.items[0]?.name).toBe("bolt");
    expect(meta).toMatchObject({ status: 200, attempts: 1 });
    const seen = server.requests.at(-1);
    expect(seen?.method).toBe("GET");
    expect(seen?.url).toBe("/v1/items?limit=5");
    expect(seen?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(seen?.headers["content-type"]).toBeUndefined();
  });

  test("POST with a JSON body keeps Content-Type: application/json and sends the token", async () => {
    const { data, error } = await ims.POST("/v1/items", { body: { name: "washer" } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ id: "i2", name: "washer", quantity: 0 });
    const seen = server.requests.at(-1);
    expect(seen?.method).toBe("POST");
    expect(seen?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ name: "washer" });
  });

  test("the fetcher receives a string URL and plain-object headers", async () => {
    const calls: { url: unknown; headers: unknown }[] = [];
    const client = createImsApiClient({
      baseUrl: server.url,
      fetcher: (url, init) => {
        calls.push({ url, headers: init.headers });
        return globalThis.fetch(url, init);
      },
    });
    await client.POST("/v1/items", { body: { name: "nut" }, headers: { "X-Trace": "t1" } });
    expect(typeof calls[0]?.url).toBe("string");
    expect(Object.getPrototypeOf(calls[0]?.headers)).toBe(Object.prototype);
    expect(calls[0]?.headers).toEqual({ "content-type": "application/json", "x-trace": "t1" });
  });
});
