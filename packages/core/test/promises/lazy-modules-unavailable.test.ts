/**
 * Core loads the paging of `client.paginate` (`stages/paging`), the reading of `client.stream`
 * (`stages/stream-read`), the queue of `maxConcurrency` (`resilience/gate-queue`) and the logger
 * (`observe/log-observer`) with `import()` on first use: each is a chunk of its own in the built
 * package and in an app's bundle. When one cannot be loaded (an app redeployed under an open page,
 * a page gone offline), nothing surfaces as the loader's raw error: a list, a stream or a call
 * ends with a typed `NETWORK_ERROR` that says what happened and how to fix it, nothing sent, and
 * logging that cannot load stays out of the way (one warning; the call goes on). The failure is
 * not kept: the next use loads the module once its chunk is served again.
 *
 * The chunks are really missing here: the test copies the built package (`dist/`, ESM and CJS, as
 * published) and deletes those chunks from the copy, then calls APIs on loopback through the
 * copy's public factories.
 */
import { describe, expect, test } from "vitest";
import type { ApiDescriptor, CallEnd, CallObserver, Logger, PorticoError } from "../../src/index.js";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { useBuildsWithoutChunk, type Core } from "../support/build-without-chunk.js";
import { json, useLoopbacks } from "../support/loopback.js";

const loopbacks = useLoopbacks();
const copy = useBuildsWithoutChunk("paging", "stream-read", "gate-queue", "log-observer");

const FIX = "Reload the page or restart the app, and check that it serves all of its JavaScript chunks: a deployment that replaced them while the app was running is the usual cause.";
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const missing = (start: string): RegExp => new RegExp(`^${escaped(start)}${escaped(FIX)}$`);

const lists: ApiDescriptor = {
  name: "lists",
  servers: [],
  securitySchemes: {},
  operations: {
    "GET /rows": { pagination: { style: "cursor", items: ["data"], param: "cursor", next: ["next"] } },
    "GET /lines": { stream: { format: "jsonl" } },
  },
};

interface Untyped {
  paginate(key: string, init?: Record<string, unknown>): AsyncIterable<{ id: string }> & { pages(): AsyncIterable<{ items: readonly { id: string }[] }> };
  stream(key: string, init?: Record<string, unknown>): AsyncIterable<unknown>;
}

/** What iterating `iterable` yielded, and the error that ended it. */
async function drain(iterable: AsyncIterable<unknown>): Promise<{ items: unknown[]; error?: unknown }> {
  const items: unknown[] = [];
  try {
    for await (const item of iterable) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

/** Checks that `error` is the copy's typed error for a missing chunk, keeping the loader's error as a redacted cause. */
function expectMissingChunk(core: Core, error: unknown, message: RegExp): asserts error is PorticoError<string> {
  expect(core.isPorticoError(error)).toBe(true);
  expect(error).toBeInstanceOf(core.PorticoError);
  expect((error as PorticoError<string>).code).toBe("NETWORK_ERROR");
  expect((error as Error).message).toMatch(message);
  expect((error as Error).cause).toBeInstanceOf(Error);
  expect(((error as Error).cause as Error).message).toMatch(/^Cannot find module /);
}

function recordingLogger(): { logger: Logger; lines: { level: keyof Logger; message: string; details: unknown[] }[] } {
  const lines: { level: keyof Logger; message: string; details: unknown[] }[] = [];
  const at = (level: keyof Logger) => (message: string, ...details: unknown[]) => void lines.push({ level, message, details });
  return { logger: { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") }, lines };
}

describe.each(["ESM", "CJS"] as const)("lazily loaded modules that cannot be loaded (%s build)", (build) => {
  test("paginate: iterating rejects with NETWORK_ERROR, no page asked for; paging loads once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((req, res) => {
      const cursor = new URL(req.url ?? "/", "http://x").searchParams.get("cursor");
      json(res, 200, cursor === null ? { data: [{ id: "r1" }, { id: "r2" }], next: "c2" } : { data: [{ id: "r3" }] });
    });
    const client = core.createClient(lists, { baseUrl: api.url, auth: core.bearerToken("t0ken-value-abcdef"), retry: false }, core.allStages) as unknown as Untyped;
    const message = missing("No page of GET /rows was asked for: portico's paging, a module loaded with the first page of client.paginate(), could not be loaded. ");

    for (const iterable of [client.paginate("GET /rows"), client.paginate("GET /rows").pages()]) {
      const { items, error } = await drain(iterable);
      expect(items).toEqual([]);
      expectMissingChunk(core, error, message);
      expect(error.details["pagination"]).toEqual({ operation: "GET /rows", pages: 0, items: 0 });
      expect(String(error) + JSON.stringify(error)).not.toContain("t0ken-value-abcdef");
    }
    expect(api.requests).toEqual([]);

    // The same list, iterated again once the chunk is served again, pages as the spec says.
    const list = client.paginate("GET /rows");
    expect((await drain(list)).error).toBeDefined();
    copy.restore(build, "paging");
    expect(await drain(list)).toEqual({ items: [{ id: "r1" }, { id: "r2" }, { id: "r3" }] });
    expect(api.requests.map((r) => r.url)).toEqual(["/rows", "/rows?cursor=c2"]);
  });

  test("stream: iterating rejects with NETWORK_ERROR, nothing sent; the reader loads for the next stream once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "application/jsonl" });
      res.end('{"n":1}\n{"n":2}\n');
    });
    const client = core.createClient(lists, { baseUrl: api.url, retry: false }, core.allStages) as unknown as Untyped;

    const { items, error } = await drain(client.stream("GET /lines"));
    expect(items).toEqual([]);
    expectMissingChunk(core, error, missing("The stream of GET /lines was not opened: portico's stream reader, a module loaded with the first stream of client.stream(), could not be loaded. "));
    expect((await drain(client.stream("GET /lines"))).error).toMatchObject({ code: "NETWORK_ERROR" });
    expect(api.requests).toEqual([]);

    copy.restore(build, "stream-read");
    expect(await drain(client.stream("GET /lines"))).toEqual({ items: [{ n: 1 }, { n: 2 }] });
    expect(api.requests).toHaveLength(1);
  });

  test("maxConcurrency: the call's result is a NETWORK_ERROR, nothing sent, and the failed load is not kept; the queue loads once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => json(res, 200, [{ id: "i1", name: "bolt", quantity: 1 }]));
    const errors: unknown[] = [];
    const gate = core.createConcurrencyGate(1);
    const clientOf = (maxConcurrency: number | typeof gate) =>
      core.createClient<paths>(descriptor, { baseUrl: api.url, auth: core.bearerToken("t0ken-value-abcdef"), retry: false, maxConcurrency, hooks: { onError: ({ error }) => void errors.push(error) } }, core.allStages);
    const own = clientOf(2);
    const shared = clientOf(gate);
    const message = missing("The request was not sent: portico's concurrency queue, a module loaded with the first call of a client with maxConcurrency, could not be loaded. ");

    // Calls at once share one load and each get an error of their own; later calls try again.
    const results = [...(await Promise.all([own.GET("/v1/items"), own.GET("/v1/items"), shared.GET("/v1/items")])), await own.GET("/v1/items")];
    for (const { data, error, meta, response } of results) {
      expect(data).toBeUndefined();
      expect(response).toBeUndefined();
      expectMissingChunk(core, error, message);
      expect(String(error) + JSON.stringify(error)).not.toContain("t0ken-value-abcdef");
      expect(meta.attempts).toBe(0);
    }
    expect(new Set(results.map((r) => r.error)).size).toBe(4);
    expect(errors).toEqual(results.map((r) => r.error));
    expect(api.requests).toEqual([]);

    copy.restore(build, "gate-queue");
    for (const client of [own, shared]) {
      const { data, error, meta } = await client.GET("/v1/items");
      expect(error).toBeUndefined();
      expect(data).toEqual([{ id: "i1", name: "bolt", quantity: 1 }]);
      expect(meta.attempts).toBe(1);
    }
    expect(gate).toMatchObject({ limit: 1, inFlight: 0, waiting: 0 });
    expect(api.requests.map((r) => r.headers.authorization)).toEqual(["Bearer t0ken-value-abcdef", "Bearer t0ken-value-abcdef"]);
  });

  test("logging: calls go on with telemetry, the logger gets one warning, and logs again once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => json(res, 200, [{ id: "i1", name: "bolt", quantity: 1 }]));
    const { logger, lines } = recordingLogger();
    const ends: CallEnd[] = [];
    const telemetry: CallObserver = { startCall: () => ({ startAttempt: () => ({ end() {} }), end: (result) => void ends.push(result) }) };
    const client = core.createClient<paths>(descriptor, { baseUrl: api.url, retry: false, logger, logLevel: "info", telemetry }, core.allStages);

    for (const { data, error } of await Promise.all([client.GET("/v1/items"), client.GET("/v1/items")])) {
      expect(error).toBeUndefined();
      expect(data).toEqual([{ id: "i1", name: "bolt", quantity: 1 }]);
    }
    expect((await client.GET("/v1/items")).error).toBeUndefined();
    expect(ends.map((end) => [end.error, end.meta.status])).toEqual([
      [undefined, 200],
      [undefined, 200],
      [undefined, 200],
    ]);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ["warn", `[portico] log lines are off: portico's logger, a module loaded with the first call of a client that logs, could not be loaded; the next call tries again. ${FIX}`],
    ]);
    const cause = (lines[0]?.details[0] as { cause?: unknown } | undefined)?.cause;
    expect(cause).toBeInstanceOf(Error);
    expect((cause as Error).message).toMatch(/^Cannot find module /);
    expect(api.requests).toHaveLength(3);

    copy.restore(build, "log-observer");
    expect((await client.GET("/v1/items")).error).toBeUndefined();
    expect(ends).toHaveLength(4);
    expect(lines.slice(1).map((line) => [line.level, line.message])).toEqual([["info", expect.stringMatching(/^\[portico\] GET .*\/v1\/items.* → 200 in \d+ ms$/)]]);
  });
});
