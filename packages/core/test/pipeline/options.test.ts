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

  test.each<[string, unknown, RegExp]>([
    ["a refresh window", { softWindowMs: 60_000 }, /^Unknown client option: softWindowMs\. "softWindowMs" is an option of the token credential, not of the client: give it to the credential you pass as "auth", e\.g\. auth: clientCredentials\(\{ tokenUrl, clientId, clientSecret, softWindowMs \}\)/],
    ["two token settings", { hardWindowMs: 1, refreshAhead: false }, /"hardWindowMs", "refreshAhead" are options of the token credential.*give them to the credential/],
    ["a token cache", { cache: {} }, /"cache" is an option of the token credential/],
    ["a token hook", { hooks: { onTokenRefresh: () => {} } }, /^Unknown client option in "hooks": onTokenRefresh\. "hooks\.onTokenRefresh" is an option of the token credential.*clientCredentials\(\{ tokenUrl, clientId, clientSecret, hooks: \{ onTokenRefresh \} \}\)/],
    ["the grant's own options", { clientId: "cli_1", clientSecret: "cs_test_secretvalue" }, /"clientId", "clientSecret" are options of the token credential.*clientCredentials\(\{ tokenUrl, clientId, clientSecret \}\)/],
  ])("%s given to the client → INVALID_OPTIONS saying it goes on the credential", (_name, options, message) => {
    const error = thrown(options);
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("Check the spelling");
    expect(error.message).not.toContain("secretvalue");
  });

  test("a token setting beside a typo → both the spelling advice and where the setting goes", () => {
    const error = thrown({ baseURL: "https://x.test", hardWindowMs: 1 });
    expect(error.message).toMatch(/Unknown client option: baseURL, hardWindowMs\. Check the spelling.* "hardWindowMs" is an option of the token credential/);
  });

  test("an unknown client hook that is no token hook keeps the spelling advice only", () => {
    const error = thrown({ hooks: { onRequests: () => {} } });
    expect(error.message).toMatch(/Unknown client option in "hooks": onRequests\. Check the spelling/);
    expect(error.message).not.toContain("credential");
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
