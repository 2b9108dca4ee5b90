import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectUndeclaredError } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Vonage Number Insight (specs/vonage-number-insight.yml, Nexmo/api-specification): one requirement
// naming two API keys in the query (AND: `api_key` and `api_secret`); GET only; only 200 declared.
const KEY = "corpusKey42";
const SECRET = "corpusVonageSecret0123456789";
const ctx = useCorpus("vonage-number-insight");

describe("Vonage Number Insight: two query API keys ANDed", () => {
  test("GET /basic/{format}: ?api_key=<key>&api_secret=<secret>, each once, nowhere else", async () => {
    ctx.recorder.answer({ status: 200, body: { status: 0, status_message: "Success", request_id: "aaaaaaaa-bbbb", international_format_number: "447700900000" } });
    const client = ctx.client({ auth: { apiKey: apiKey(KEY), apiSecret: apiKey(SECRET) } });
    const result = await client.GET("/basic/{format}", { params: { path: { format: "json" }, query: { number: "447700900000" } } });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.path]).toEqual(["GET", "/basic/json"]);
    expect(request!.query.filter(([name]) => name === "number")).toEqual([["number", "447700900000"]]);
    expectCredentialOnlyAt(
      request!,
      [
        { query: "api_key", value: KEY },
        { query: "api_secret", value: SECRET },
      ],
      [KEY, SECRET],
    );
    expect(request!.header("authorization")).toEqual([]);
  });

  test("one API key for a requirement of two: never sent as both (refused before any request)", async () => {
    ctx.recorder.answer({ status: 200, body: { status: 0 } });
    let failure: unknown;
    try {
      const result = await ctx.client({ auth: apiKey(KEY) }).GET("/standard/{format}", { params: { path: { format: "json" }, query: { number: "447700900000" } } });
      failure = result.error;
    } catch (error) {
      failure = error;
    }
    expect(ctx.recorder.requests.filter((r) => r.query.some(([name, value]) => name === "api_secret" && value === KEY))).toEqual([]);
    expect(ctx.recorder.requests).toEqual([]);
    expect(failure).toBeInstanceOf(Error);
  });

  test("an undeclared 401: an error result with the status, no data", async () => {
    ctx.recorder.answer({ status: 401, body: { type: "https://developer.nexmo.com/api-errors#unauthorized", title: "Invalid credentials supplied" } });
    const client = ctx.client({ auth: { apiKey: apiKey(KEY), apiSecret: apiKey(SECRET) } });
    const result = await client.GET("/standard/{format}", { params: { path: { format: "json" }, query: { number: "447700900000" } } });
    expect(ctx.recorder.requests).toHaveLength(1);
    expectUndeclaredError(result, 401);
  });
});
