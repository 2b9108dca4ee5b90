import { afterEach, describe, expect, it, vi } from "vitest";
import { allStages, clientCredentials, createClient, PorticoError, type ClientOptions, type Logger, type LogLevel } from "../../src/index.js";
import { createCanaryScanner, makeCanary, makeLetterCanary } from "../support/canary.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";

/**
 * The logger, at every level, through a real client on a loopback server: canary secrets sit in
 * every header and body that passes (the credential, a token, a custom header, a query value,
 * request and response bodies, response headers), and none may reach a log line.
 */

const CLIENT_SECRET = makeCanary();
const ACCESS_TOKEN = makeCanary();
const HEADER_SECRET = makeLetterCanary();
const QUERY_SECRET = makeCanary();
const BODY_SECRET = makeLetterCanary();
const RESPONSE_SECRET = makeCanary();
const COOKIE_SECRET = makeCanary();
const CANARIES = [CLIENT_SECRET, ACCESS_TOKEN, HEADER_SECRET, QUERY_SECRET, BODY_SECRET, RESPONSE_SECRET, COOKIE_SECRET];

let server: Loopback | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

interface Line {
  readonly level: keyof Logger;
  readonly message: string;
  readonly details: unknown[];
}

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: keyof Logger) => (message: string, ...details: unknown[]) => void lines.push({ level, message, details });
  return { logger: { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") }, lines };
}

/** The API: a token endpoint, items that answer 503 once then 200, a 404, and a POST echoing secrets back. */
async function startApi(): Promise<Loopback> {
  let items = 0;
  return startLoopback((req, res, body) => {
    const secretHeaders = { "set-cookie": `session=${COOKIE_SECRET}`, "x-internal-token": RESPONSE_SECRET, "x-request-id": "req-42" };
    if (req.url === "/token") return json(res, 200, { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 3600 });
    if (req.url?.startsWith("/v1/items?")) {
      items += 1;
      return items === 1 ? json(res, 503, { message: `busy ${RESPONSE_SECRET}` }, { "retry-after": "0", ...secretHeaders }) : json(res, 200, [{ id: "i1", name: RESPONSE_SECRET, quantity: 1 }], secretHeaders);
    }
    if (req.url === "/v1/items/missing") return json(res, 404, { code: "ITEM_NOT_FOUND", message: `no item, token ${RESPONSE_SECRET}` }, secretHeaders);
    if (req.method === "POST") return json(res, 201, { id: "i2", name: JSON.parse(body).name, note: RESPONSE_SECRET }, secretHeaders);
    return json(res, 500, {});
  });
}

async function runCalls(options: ClientOptions): Promise<void> {
  server = await startApi();
  const auth = clientCredentials({ tokenUrl: `${server.url}/token`, clientId: "cli", clientSecret: CLIENT_SECRET });
  const client = createClient<paths>(descriptor, { baseUrl: server.url, auth, headers: { "x-partner-secret": HEADER_SECRET }, retry: { baseDelayMs: 0, maxDelayMs: 0 }, ...options }, allStages);
  const list = await client.GET("/v1/items", { params: { query: { limit: 10, api_key: QUERY_SECRET } as never } });
  expect(list.error).toBeUndefined();
  expect(list.meta.attempts).toBe(2);
  const missing = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "missing" } } });
  expect(missing.error?.code).toBe("ITEM_NOT_FOUND");
  const created = await client.POST("/v1/items", { body: { name: BODY_SECRET, quantity: 2 } as never });
  expect(created.error).toBeUndefined();
}

function scanLines(lines: readonly Line[]) {
  const scanner = createCanaryScanner(CANARIES, { deep: true });
  for (const [i, line] of lines.entries()) {
    scanner.scanText(line.message, `line ${i} (${line.level})`);
    scanner.scan(line.details, `line ${i} details`);
  }
  return scanner;
}

describe("logging", () => {
  const levels: LogLevel[] = ["error", "warn", "info", "debug"];
  it.each(levels)("at %s: the lines of that level and below, and no canary in any of them", async (logLevel) => {
    const { logger, lines } = recordingLogger();
    await runCalls({ logger, logLevel });
    const scanner = scanLines(lines);
    expect(scanner.leaks).toEqual([]);
    const rank = levels.indexOf(logLevel);
    const seen = new Set(lines.map((line) => line.level));
    for (const level of levels) expect(seen.has(level as keyof Logger), `${level} lines at ${logLevel}`).toBe(levels.indexOf(level) <= rank && level !== "error");
    // warn: the retry and the 404; info: each call; debug: every attempt and the token request.
    if (rank >= 1) {
      expect(lines.find((l) => l.level === "warn" && l.message.includes("retrying GET"))?.message).toMatch(/in 0 ms \(as Retry-After asked\) after 503; attempt 2 next/);
      expect(lines.some((l) => l.level === "warn" && l.message.includes("failed: ITEM_NOT_FOUND (status 404)"))).toBe(true);
    }
    if (rank >= 2) expect(lines.filter((l) => l.level === "info").map((l) => l.message.replace(/\d+ ms/, "N ms"))).toEqual([
      `[portico] GET ${server!.url}/v1/items?limit=10&api_key=[REDACTED] → 200 in N ms (2 attempts)`,
      `[portico] POST ${server!.url}/v1/items → 201 in N ms`,
    ]);
    if (rank >= 3) {
      const debug = lines.filter((l) => l.level === "debug");
      expect(debug.map((l) => l.message)).toContain("[portico] token request (initial) for " + auth(lines));
      const request = debug.find((l) => l.message.startsWith("[portico] → POST"));
      expect(request?.details[0]).toMatchObject({ headers: { "x-partner-secret": "[REDACTED]", "content-type": "application/json" }, body: { name: "[REDACTED]", quantity: 2 } });
      const response = debug.find((l) => l.message.startsWith("[portico] ← 200"));
      expect(response?.details[0]).toMatchObject({ status: 200, requestId: "req-42", headers: { "set-cookie": "[REDACTED]", "x-internal-token": "[REDACTED]", "x-request-id": "req-42" } });
    }
  });

  it("at error: a call that fails for the client's reasons (a network error) is an error line", async () => {
    const { logger, lines } = recordingLogger();
    const dead = await startLoopback(() => undefined);
    const url = dead.url;
    await dead.close();
    const client = createClient<paths>(descriptor, { baseUrl: url, logger, logLevel: "error", retry: false, circuitBreaker: false }, allStages);
    const { error } = await client.GET("/v1/items");
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(lines.map((l) => [l.level, l.message])).toEqual([["error", `[portico] GET ${url}/v1/items failed: NETWORK_ERROR`]]);
  });

  it("an observer or a logger that throws never breaks the call; the other observers still hear of it", async () => {
    const explode = (): never => {
      throw new Error("observer bug");
    };
    const heard: string[] = [];
    const throwing = { startCall: explode };
    const throwingLater = { startCall: () => ({ startAttempt: () => ({ end: explode }), end: explode }) };
    const listening = { startCall: () => ({ startAttempt: () => ({ end: () => void heard.push("attempt") }), end: () => void heard.push("call") }) };
    await runCalls({ telemetry: [throwing, throwingLater, listening], logger: { error: explode, warn: explode, info: explode, debug: explode }, logLevel: "debug" });
    expect(heard.filter((h) => h === "call")).toHaveLength(3);
    await runCalls({ telemetry: throwingLater });
  });

  it("off (the default): a logger whose every method throws is never called", async () => {
    const explode = (): never => {
      throw new Error("called");
    };
    await runCalls({ logger: { error: explode, warn: explode, info: explode, debug: explode }, logLevel: "off" });
    await runCalls({});
  });

  it("PORTICO_LOG sets the level of clients given none, logging to console", async () => {
    vi.stubEnv("PORTICO_LOG", "info");
    const spies = { error: vi.spyOn(console, "error"), warn: vi.spyOn(console, "warn"), info: vi.spyOn(console, "info"), debug: vi.spyOn(console, "debug") };
    for (const spy of Object.values(spies)) spy.mockImplementation(() => {});
    await runCalls({});
    expect(spies.info.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringContaining("GET"), expect.stringContaining("POST")]);
    expect(spies.warn).toHaveBeenCalledTimes(2); // the retry and the 404
    expect(spies.debug).not.toHaveBeenCalled();
    const lines = Object.entries(spies).flatMap(([level, spy]) => spy.mock.calls.map(([message, ...details]) => ({ level: level as keyof Logger, message: String(message), details })));
    expect(scanLines(lines).leaks).toEqual([]);
  });

  it("a PORTICO_LOG that is not a level, a logger without the four methods and an unknown level are refused at construction", () => {
    const refusal = (options: ClientOptions): PorticoError => {
      try {
        createClient(descriptor, options, allStages);
      } catch (error) {
        return error as PorticoError;
      }
      throw new Error("accepted");
    };
    expect(refusal({ logger: { log: console.log } as never })).toMatchObject({ code: "INVALID_OPTIONS", details: { option: "logger" } });
    expect(refusal({ logLevel: "verbose" as never }).message).toMatch(/logLevel.*"off", "error", "warn", "info" or "debug"/);
    vi.stubEnv("PORTICO_LOG", "loud");
    expect(refusal({})).toMatchObject({ code: "INVALID_OPTIONS", details: { option: "PORTICO_LOG" } });
    expect(refusal({}).message).toMatch(/PORTICO_LOG environment variable is "loud"/);
  });
});

/** The credential's fingerprint, as the first token-request line printed it. */
function auth(lines: readonly Line[]): string {
  const line = lines.find((l) => l.message.startsWith("[portico] token request"));
  return line?.message.replace(/^\[portico\] token request \(initial\) for /, "") ?? "(no token line)";
}
