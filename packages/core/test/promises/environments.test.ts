/**
 * Issue 12, environments: a test credential never reaches a production host (nor a live one a
 * sandbox), judged on the value actually sent and on the host as it would be resolved.
 */
import { describe, expect, test } from "vitest";
import { apiKey, bearerToken, PorticoError } from "../../src/index.js";
import { clientFor, PRODUCTION, SANDBOX, shop } from "../support/apis.js";
import { forwardTo, json, useLoopbacks } from "../support/loopback.js";

const { server } = useLoopbacks();

const TEST_TOKEN = "tok_test_0123456789abcdefghijklmn";
const LIVE_TOKEN = "tok_live_0123456789abcdefghijklmn";

function thrown(build: () => unknown): PorticoError | undefined {
  try {
    build();
  } catch (error) {
    if (error instanceof PorticoError) return error;
    throw error;
  }
  return undefined;
}

describe("a credential is checked against the environment of the host it goes to", () => {
  test("bearerToken(fn): the first value it returns, a test token, is refused against production before anything is sent", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: bearerToken(() => TEST_TOKEN), fetcher: forwardTo(api) });

    const { error, meta } = await client.GET("/v1/items");

    expect(error?.code).toBe("ENVIRONMENT_MISMATCH");
    expect(meta.attempts).toBeLessThanOrEqual(1);
    expect(api.requests).toHaveLength(0);
  });

  test("bearerToken(fn): a first value that breaks the spec's format is refused before it is sent", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, { baseUrl: SANDBOX, auth: bearerToken(async () => "tok_test_TOO-SHORT"), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("INVALID_TOKEN_FORMAT");
    expect(api.requests).toHaveLength(0);
  });

  test("bearerToken(fn): a live token the function returns after a test one is checked too (each value as sent)", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const values = [TEST_TOKEN, LIVE_TOKEN];
    const client = clientFor(shop, { baseUrl: SANDBOX, auth: bearerToken(() => values.shift() ?? LIVE_TOKEN), fetcher: forwardTo(api) });

    expect((await client.GET("/v1/items")).data).toEqual({ ok: true });
    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("ENVIRONMENT_MISMATCH");
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TEST_TOKEN}`]);
  });

  test.each([
    ["a trailing dot", "https://api.shop.example./"],
    ["a trailing dot and the default port", "https://api.shop.example.:443/v1/.."],
    ["upper case and a trailing dot", "https://API.Shop.Example./"],
  ])("a production host written with %s is still production: a test key is refused at construction", (_how, baseUrl) => {
    const error = thrown(() => clientFor(shop, { baseUrl, auth: apiKey("sk_test_0123456789abcdef") }));

    expect(error?.code).toBe("ENVIRONMENT_MISMATCH");
  });

  test("a production host with a trailing dot: the first value of bearerToken(fn), a test token, is never sent", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, { baseUrl: "https://api.shop.example./", auth: bearerToken(() => TEST_TOKEN), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("ENVIRONMENT_MISMATCH");
    expect(api.requests).toHaveLength(0);
  });
});
