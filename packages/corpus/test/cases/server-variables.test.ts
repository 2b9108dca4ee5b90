import { bearerToken, PorticoError } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/server-variables.yaml: server `https://{account}.{region}.warehouse.example.com/{basePath}`:
// `account` is a placeholder in the host (default YOUR_ACCOUNT, no enum), `region` an enum
// (eu | us, default eu), `basePath` a path variable (default v2).
const TOKEN = "case_warehouse_token_8c7b6a5f4e";
const ctx = useCorpus("server-variables");

/**
 * A transport of the user's: records the URL the client asked for and forwards the request to the
 * recorder (a fresh Response, so no cross-origin redirect shows).
 */
function forwarding(asked: string[]) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    asked.push(url);
    const target = new URL(url);
    const answer = await ctx.recorder.fetch(`${ctx.recorder.url}${target.pathname}${target.search}`, init);
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}

function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("server variables: the user's to fill, typed; a placeholder host is never called", () => {
  test("no account: the factory throws INVALID_OPTIONS naming serverVariables.account; nothing is fetched", () => {
    const asked: string[] = [];
    const error = thrownBy(() => ctx.api.create({ auth: bearerToken(TOKEN), fetcher: forwarding(asked) }));
    expect(error).toBeInstanceOf(PorticoError);
    expect((error as PorticoError).code).toBe("INVALID_OPTIONS");
    expect((error as PorticoError).message).toContain("serverVariables.account");
    expect((error as PorticoError).details).toMatchObject({ option: "serverVariables.account" });
    expect(asked).toEqual([]);
  });

  test("account given: the enum variable's default (eu) and the path default (v2) are used", async () => {
    ctx.recorder.answer({ status: 200, body: { sku: "sku-1", onHand: 4 } });
    const asked: string[] = [];
    const warehouse = ctx.api.create({ serverVariables: { account: "acme" }, auth: bearerToken(TOKEN), fetcher: forwarding(asked) });
    const result = await warehouse.GET("/stock/{sku}", { params: { path: { sku: "sku-1" } } });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ sku: "sku-1", onHand: 4 });
    expect(asked).toEqual(["https://acme.eu.warehouse.example.com/v2/stock/sku-1"]);
    expectCredentialOnlyAt(ctx.recorder.requests[0]!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
  });

  test("a value inside the enum is used: region us", async () => {
    ctx.recorder.answer({ status: 200, body: { sku: "sku-2", onHand: 0 } });
    const asked: string[] = [];
    const warehouse = ctx.api.create({ serverVariables: { account: "acme", region: "us", basePath: "v3" }, auth: bearerToken(TOKEN), fetcher: forwarding(asked) });
    expect((await warehouse.GET("/stock/{sku}", { params: { path: { sku: "sku-2" } } })).error).toBeUndefined();
    expect(asked).toEqual(["https://acme.us.warehouse.example.com/v3/stock/sku-2"]);
  });

  test("a value outside the enum is refused: INVALID_OPTIONS naming serverVariables.region and the allowed values", () => {
    const asked: string[] = [];
    const error = thrownBy(() => ctx.api.create({ serverVariables: { account: "acme", region: "ap" }, auth: bearerToken(TOKEN), fetcher: forwarding(asked) }));
    expect(error).toBeInstanceOf(PorticoError);
    expect((error as PorticoError).code).toBe("INVALID_OPTIONS");
    expect((error as PorticoError).message).toContain("serverVariables.region");
    expect((error as PorticoError).message).toMatch(/"eu".*"us"/);
    expect(asked).toEqual([]);
  });

  test("baseUrl given instead: no variable is needed", async () => {
    ctx.recorder.answer({ status: 200, body: { sku: "sku-3", onHand: 1 } });
    const warehouse = ctx.client({ auth: bearerToken(TOKEN) });
    expect((await warehouse.GET("/stock/{sku}", { params: { path: { sku: "sku-3" } } })).error).toBeUndefined();
    expect(ctx.recorder.requests.map((r) => r.target)).toEqual(["/stock/sku-3"]);
  });
});
