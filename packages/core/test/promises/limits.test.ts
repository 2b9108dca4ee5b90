/**
 * Issue 12, limits: hostile or careless input costs bounded work. A body stream that never ends
 * is ended by the call's signal or timeout; response bodies (API answers and token responses)
 * are read up to a limit counted after decompression, and an over-limit body is a typed error,
 * read once, never retried. Memory is measured as the peak RSS growth of a child process.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { apiKey } from "../../src/index.js";
import { clientFor, PRODUCTION, shop } from "../support/apis.js";
import { forwardTo, json, useLoopbacks } from "../support/loopback.js";
import { runWithCore } from "./support/child.js";

const { server } = useLoopbacks();

const KEY = "sk_live_0123456789abcdefLIMITS";
const MiB = 1024 * 1024;

/** A gzip body of `mebibytes` members, each 1 MiB of zeros: about 1 KiB on the wire per MiB inflated. */
function gzipBomb(mebibytes: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: mebibytes }, () => member));
}

/** A stream that is read but never yields a byte nor ends; `pulled` resolves once the client reads it. */
function endlessStream(): { stream: ReadableStream<Uint8Array>; pulled: Promise<void> } {
  let signal!: () => void;
  const pulled = new Promise<void>((resolve) => (signal = resolve));
  const stream = new ReadableStream<Uint8Array>({
    pull: () => {
      signal();
      return new Promise<void>(() => undefined); // never settles: no chunk, no end
    },
  });
  return { stream, pulled };
}

describe("a request body stream that never ends", () => {
  test("the caller's signal ends the call with ABORTED while the body is being read; nothing is sent", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(api) });
    const { stream, pulled } = endlessStream();
    const controller = new AbortController();

    const call = client.POST("/v1/uploads", { body: stream as never, signal: controller.signal, headers: { "content-type": "application/octet-stream" } });
    await Promise.race([pulled, call]);
    controller.abort();
    const { error } = await call;

    expect(error?.code).toBe("ABORTED");
    expect(api.requests).toHaveLength(0);
  });

  test("the call's timeout ends it with TIMEOUT; nothing is sent", async () => {
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(api), timeout: 50 });
    const { stream } = endlessStream();

    const { error } = await client.POST("/v1/uploads", { body: stream as never, headers: { "content-type": "application/octet-stream" } });

    expect(error?.code).toBe("TIMEOUT");
    expect(api.requests).toHaveLength(0);
  });
});

describe("response bodies are read up to a limit, counted after decompression", () => {
  test("a 2xx body over maxResponseBytes is RESPONSE_TOO_LARGE after one attempt, even with retries on", async () => {
    const api = await server((_req, res) => json(res, 200, { items: "x".repeat(8192) }));
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(KEY), fetcher: forwardTo(api), maxResponseBytes: 4096, retry: { maxRetries: 3, baseDelayMs: 0 } });

    const { error, meta } = await client.GET("/v1/items");

    expect(error?.code).toBe("RESPONSE_TOO_LARGE");
    expect(meta.attempts).toBe(1);
    expect(api.requests).toHaveLength(1);
  });

  // The shop API as data the child can hold (its error schemas are functions).
  const { errorSchemas: _functions, ...withoutErrorSchemas } = shop;
  /** A loopback server is a sandbox: a test key. */
  const TEST_KEY = "sk_test_0123456789abcdefLIMITS";

  /** The child: a warm-up call (fetch, zlib loaded), then the measured call; prints the outcome and the peak RSS growth. */
  const CHILD = `
import { apiKey, clientCredentials, createClient } from "./core.mjs";
const [mode, url] = process.argv.slice(2);
const descriptor = ${JSON.stringify(withoutErrorSchemas)};
const auth = mode === "token"
  ? clientCredentials({ tokenUrl: url + "/oauth/token", clientId: "shop-client", clientSecret: "cs_live_0123456789abcdef" })
  : apiKey(${JSON.stringify(TEST_KEY)});
const warm = createClient(descriptor, { baseUrl: url, auth: apiKey(${JSON.stringify(TEST_KEY)}) });
await warm.GET("/warm");
const client = createClient(descriptor, { baseUrl: url, auth, retry: { maxRetries: 2, baseDelayMs: 0 } });
const before = process.resourceUsage().maxRSS;
const { error, meta } = await client.GET("/v1/items");
const after = process.resourceUsage().maxRSS;
console.log(JSON.stringify({ code: error?.code, attempts: meta.attempts, growthMiB: Math.round((after - before) / 1024) }));
`;

  test(
    "a 700 KiB gzip body inflating to 700 MiB ends in RESPONSE_TOO_LARGE after one attempt, with bounded memory",
    async () => {
      const bomb = gzipBomb(700);
      const small = gzipSync(JSON.stringify({ ok: true }));
      const api = await server((req, res) => {
        const body = req.url === "/warm" ? small : bomb;
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(body.length) });
        res.end(body);
      });

      const run = await runWithCore(CHILD, ["api", api.url]);
      console.log(`700 MiB gzip bomb: ${JSON.stringify(run.result)}`);

      expect(run.stderr).toBe("");
      expect(run.result).toMatchObject({ code: "RESPONSE_TOO_LARGE", attempts: 1 });
      expect(api.requests.filter((r) => r.url === "/v1/items")).toHaveLength(1);
      // The default limit is 64 MiB; reading the 700 MiB took 843 MB before. Generous headroom for the runtime.
      expect((run.result as { growthMiB: number }).growthMiB).toBeLessThan(256);
    },
    120_000,
  );

  test(
    "a token response inflating to 400 MiB is refused after one token request, with bounded memory; nothing reaches the API",
    async () => {
      const bomb = gzipBomb(400);
      const small = gzipSync(JSON.stringify({ ok: true }));
      const api = await server((req, res) => {
        const body = req.url === "/warm" || req.url === "/v1/items" ? small : bomb;
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(body.length) });
        res.end(body);
      });

      const run = await runWithCore(CHILD, ["token", api.url]);
      console.log(`400 MiB token response: ${JSON.stringify(run.result)}`);

      expect(run.stderr).toBe("");
      expect(run.result).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
      expect(api.requests.filter((r) => r.url === "/oauth/token")).toHaveLength(1);
      expect(api.requests.filter((r) => r.url === "/v1/items")).toHaveLength(0);
      // A token response is read up to 1 MiB; reading all 400 MiB took ~1 GB before.
      expect((run.result as { growthMiB: number }).growthMiB).toBeLessThan(128);
    },
    120_000,
  );
});
