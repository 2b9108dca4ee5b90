import { describe, expect, test } from "vitest";
import { PorticoError, allStages, createClient, type ClientOptions } from "../../src/index.js";
import { descriptor, type paths } from "./fixtures/paths.js";

function thrown(options: unknown): PorticoError {
  try {
    createClient<paths>(descriptor, options as ClientOptions, allStages);
  } catch (error) {
    if (error instanceof PorticoError) return error;
    throw error;
  }
  throw new Error("expected createClient to throw");
}

describe("options are validated once, at construction", () => {
  test.each<[string, unknown, RegExp]>([
    ["baseUrl not a URL", { baseUrl: "api.example.com" }, /"baseUrl".*absolute http\(s\) URL/],
    ["fetcher not a function", { fetcher: "fetch" }, /"fetcher".*must be a function/],
    ["auth not a credential", { auth: "sk_live_secretvalue" }, /"auth".*credential/],
    ["negative timeout", { timeout: -5 }, /"timeout".*milliseconds > 0/],
    ["fractional maxRetries", { retry: { maxRetries: 1.5 } }, /"retry.maxRetries".*whole number/],
    ["unknown retry key", { retry: { retries: 3 } }, /retries/],
    ["typo in an option name", { baseURL: "https://x.test" }, /Unknown client option.*baseURL/],
    ["hook not a function", { hooks: { onRetry: 1 } }, /"hooks.onRetry".*function/],
    ["header value not a string", { headers: { "x-a": 1 } }, /"headers.x-a".*header/],
    ["bad idempotency header name", { idempotency: { header: "Bad Header" } }, /"idempotency.header"/],
  ])("%s → INVALID_OPTIONS naming the option", (_name, options, message) => {
    const error = thrown(options);
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("sk_live_secretvalue");
  });

  test("baseUrl defaults to the descriptor's first server", () => {
    expect(createClient<paths>(descriptor, undefined, allStages).toJSON().baseUrl).toBe("https://api.example.test");
  });

  test("no server and no baseUrl → INVALID_OPTIONS", () => {
    const error = (() => {
      try {
        createClient<paths>({ ...descriptor, servers: [] }, undefined, allStages);
      } catch (e) {
        return e as PorticoError;
      }
      return undefined;
    })();
    expect(error?.code).toBe("INVALID_OPTIONS");
    expect(error?.message).toMatch(/baseUrl/);
  });

  test("methods must be called on the client", () => {
    const client = createClient<paths>(descriptor, undefined, allStages);
    const { GET } = client;
    expect(() => GET("/v1/items")).toThrow(/call client methods on the client/);
  });
});
