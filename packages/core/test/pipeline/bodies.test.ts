import { afterEach, describe, expect, test } from "vitest";
import { allStages, createClient } from "../../src/index.js";
import { json, startLoopback, type Handler, type Loopback } from "../support/loopback.js";
import { descriptor as mediaDescriptor, type paths as mediaPaths } from "./fixtures/media-errors.js";
import { descriptor, type paths } from "./fixtures/paths.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type AnyBody = { body: never };

describe("request bodies are buffered once", () => {
  test.each<[string, unknown, Record<string, string>, string, RegExp]>([
    ["an object → JSON", { name: "bolt" }, {}, '{"name":"bolt"}', /^application\/json$/],
    ["a form-urlencoded object", { grant_type: "x", scope: "a b" }, { "Content-Type": "application/x-www-form-urlencoded" }, "grant_type=x&scope=a+b", /^application\/x-www-form-urlencoded$/],
    ["a raw string with a text content type", "hello", { "content-type": "text/plain" }, "hello", /^text\/plain$/],
    ["URLSearchParams", new URLSearchParams({ a: "1" }), {}, "a=1", /^application\/x-www-form-urlencoded/],
    ["bytes", new TextEncoder().encode("raw-bytes"), { "content-type": "application/octet-stream" }, "raw-bytes", /^application\/octet-stream$/],
  ])("%s", async (_name, body, headers, wantBody, wantType) => {
    server = await startLoopback((_q, r, _b, i) => (i === 0 ? json(r, 503, {}) : json(r, 201, { id: "x", name: "n", quantity: 0 })));
    const client = createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 1 } }, allStages);
    const { error } = await client.POST("/v1/items", { body, headers, idempotencyKey: "k" } as unknown as AnyBody);
    expect(error).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    for (const seen of server.requests) {
      expect(seen.body).toBe(wantBody);
      expect(String(seen.headers["content-type"])).toMatch(wantType);
    }
  });

  test("FormData keeps its multipart boundary and identical bytes across retries", async () => {
    server = await startLoopback((_q, r, _b, i) => (i === 0 ? json(r, 502, {}) : json(r, 201, { id: "x", name: "n", quantity: 0 })));
    const client = createClient<paths>(descriptor, { baseUrl: server.url, retry: { baseDelayMs: 1 } }, allStages);
    const form = new FormData();
    form.set("file", new Blob(["content"], { type: "text/plain" }), "a.txt");
    const { error } = await client.POST("/v1/items", { body: form, idempotencyKey: "k" } as unknown as AnyBody);
    expect(error).toBeUndefined();
    const [a, b] = server.requests;
    expect(String(a?.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(a?.body).toContain("content");
    expect(b?.body).toBe(a?.body);
    expect(b?.headers["content-type"]).toBe(a?.headers["content-type"]);
  });
});

// --- bodies by the spec's media type ----------------------------------------------------------

type MediaClient = ReturnType<typeof createClient<mediaPaths>>;

async function mediaClient(handler: Handler, options: { retry?: false | { baseDelayMs: number } } = {}): Promise<MediaClient> {
  server = await startLoopback(handler);
  return createClient<mediaPaths>(mediaDescriptor, { baseUrl: server.url, retry: options.retry ?? false }, allStages);
}

const created: Handler = (_q, r) => void r.writeHead(201).end();
/** Answers 503 to the first attempt and 201 to the next. */
const failOnce: Handler = (_q, r, _b, i) => (i === 0 ? json(r, 503, {}) : created(_q, r, _b, i));

describe("application/x-www-form-urlencoded, by the spec's encoding", () => {
  test("nested objects, arrays and styles are encoded byte-exact", async () => {
    const client = await mediaClient((_q, r) => json(r, 200, { id: "ch_1", amount: 2000 }));
    const { error } = await client.POST("/v1/charges", {
      body: {
        amount: 2000,
        currency: "eur",
        capture: true,
        description: "Tea & cake",
        metadata: { order_id: "6735", note: null },
        expand: ["customer", "invoice.subscription"],
        ids: [1, 2],
        tags: ["a", "b"],
        pipes: ["x", "y"],
        words: ["p", "q"],
        filter: { status: "open", limit: 10 },
        address: { line1: "1 Rue", city: "Paris", geo: { lat: 48.8 } },
        items: [{ price: "p_1", quantity: 2 }],
        skipped: undefined,
        when: new Date(0),
      },
    });
    expect(error).toBeUndefined();
    const [seen] = server!.requests;
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen?.body).toBe(
      [
        "amount=2000",
        "currency=eur",
        "capture=true",
        "description=Tea+%26+cake",
        "metadata%5Border_id%5D=6735",
        "metadata%5Bnote%5D=",
        "expand%5B0%5D=customer",
        "expand%5B1%5D=invoice.subscription",
        "ids=1",
        "ids=2",
        "tags=a%2Cb",
        "pipes=x%7Cy",
        "words=p+q",
        "status=open",
        "limit=10",
        "address%5Bline1%5D=1+Rue",
        "address%5Bcity%5D=Paris",
        "address%5Bgeo%5D%5Blat%5D=48.8",
        "items%5B0%5D%5Bprice%5D=p_1",
        "items%5B0%5D%5Bquantity%5D=2",
        "when=1970-01-01T00%3A00%3A00.000Z",
      ].join("&"),
    );
  });

  test("URLSearchParams and an encoded string are sent as they are", async () => {
    const client = await mediaClient((_q, r) => json(r, 200, { id: "ch_1", amount: 1 }));
    await client.POST("/v1/charges", { body: new URLSearchParams({ amount: "1", currency: "usd" }) as never });
    await client.POST("/v1/charges", { body: "amount=1&currency=usd" as never });
    expect(server!.requests.map((r) => r.body)).toEqual(["amount=1&currency=usd", "amount=1&currency=usd"]);
    expect(server!.requests.map((r) => r.headers["content-type"])).toEqual(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"]);
  });

  test("the caller's content-type overrides the declared media type", async () => {
    const client = await mediaClient((_q, r) => json(r, 200, { id: "ch_1", amount: 1 }));
    await client.POST("/v1/charges", { body: { amount: 1, currency: "usd" }, headers: { "Content-Type": "application/json" } });
    const [seen] = server!.requests;
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.body).toBe('{"amount":1,"currency":"usd"}');
  });

  test("a JSON operation sent as a form when the caller says so", async () => {
    const client = await mediaClient((_q, r) => void r.writeHead(202).end());
    await client.POST("/v1/events", { body: { type: "ping", tags: ["a", "b"] }, headers: { "content-type": "application/x-www-form-urlencoded" } });
    const [seen] = server!.requests;
    expect(seen?.body).toBe("type=ping&tags=a&tags=b");
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });
});

describe("multipart/form-data", () => {
  test("files, fields, arrays and JSON parts; retried after a 503 with identical bytes", async () => {
    const client = await mediaClient(failOnce, { retry: { baseDelayMs: 1 } });
    const raw = new Uint8Array([104, 105]);
    const { error, meta } = await client.POST("/v1/uploads", {
      body: {
        file: new File(["PNGDATA"], "logo.png"),
        purpose: "avatar",
        size: 7,
        public: false,
        tags: ["a", "b"],
        meta: { alt: "logo" },
        raw,
        blob: new Blob(["plain"], { type: "text/plain" }),
        missing: undefined,
      } as never,
    });
    expect(error).toBeUndefined();
    expect(meta.attempts).toBe(2);
    const [a, b] = server!.requests;
    const type = String(a?.headers["content-type"]);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(b?.headers["content-type"]).toBe(type);
    expect(b?.body).toBe(a?.body);
    expect(a?.headers["content-length"]).toBe(String(Buffer.byteLength(a?.body ?? "")));

    const parts = partsOf(a?.body ?? "", type);
    expect(parts.map((p) => p.disposition)).toEqual([
      'form-data; name="file"; filename="logo.png"',
      'form-data; name="purpose"',
      'form-data; name="size"',
      'form-data; name="public"',
      'form-data; name="tags"',
      'form-data; name="tags"',
      'form-data; name="meta"; filename="blob"',
      'form-data; name="raw"; filename="blob"',
      'form-data; name="blob"; filename="blob"',
    ]);
    expect(parts.map((p) => p.type)).toEqual(["image/png", undefined, undefined, undefined, undefined, undefined, "application/json", "application/x-raw", "text/plain"]);
    expect(parts.map((p) => p.content)).toEqual(["PNGDATA", "avatar", "7", "false", "a", "b", '{"alt":"logo"}', "hi", "plain"]);
  });

  test("a FormData is sent as it is, with its boundary", async () => {
    const client = await mediaClient(created);
    const form = new FormData();
    form.set("purpose", "x");
    await client.POST("/v1/uploads", { body: form as never });
    const [seen] = server!.requests;
    expect(partsOf(seen?.body ?? "", String(seen?.headers["content-type"]))).toEqual([{ disposition: 'form-data; name="purpose"', type: undefined, content: "x" }]);
  });

  test("a caller's multipart content-type without a boundary still gets one", async () => {
    const client = await mediaClient(created);
    await client.POST("/v1/uploads", { body: { file: "f", purpose: "p" }, headers: { "content-type": "multipart/form-data" } });
    const [seen] = server!.requests;
    expect(String(seen?.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(partsOf(seen?.body ?? "", String(seen?.headers["content-type"])).map((p) => p.content)).toEqual(["f", "p"]);
  });
});

describe("binary and text bodies", () => {
  test("application/octet-stream from a ReadableStream: read once, resent identically", async () => {
    const client = await mediaClient(failOnce, { retry: { baseDelayMs: 1 } });
    const chunks = ["chunk-1;", "chunk-2;", "chunk-3"];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const { error, meta } = await client.PUT("/v1/blobs/{name}", { params: { path: { name: "a.bin" } }, body: stream as never, idempotencyKey: "k" });
    expect(error).toBeUndefined();
    expect(meta.attempts).toBe(2);
    for (const seen of server!.requests) {
      expect(seen.body).toBe("chunk-1;chunk-2;chunk-3");
      expect(seen.headers["content-type"]).toBe("application/octet-stream");
      expect(seen.headers["content-length"]).toBe("23");
    }
  });

  test("bytes are copied: a caller reusing its buffer does not change a retry", async () => {
    const bytes = new TextEncoder().encode("original");
    const client = await mediaClient(
      (_q, r, _b, i) => {
        if (i === 0) {
          bytes.set(new TextEncoder().encode("mutated!"));
          return json(r, 503, {});
        }
        created(_q, r, _b, i);
      },
      { retry: { baseDelayMs: 1 } },
    );
    await client.PUT("/v1/blobs/{name}", { params: { path: { name: "a.bin" } }, body: bytes as never, idempotencyKey: "k" });
    expect(server!.requests.map((r) => r.body)).toEqual(["original", "original"]);
  });

  test("a Blob keeps the declared type", async () => {
    const client = await mediaClient(created);
    await client.PUT("/v1/blobs/{name}", { params: { path: { name: "a.txt" } }, body: new Blob(["hello"], { type: "text/plain" }) as never });
    const [seen] = server!.requests;
    expect(seen?.body).toBe("hello");
    expect(seen?.headers["content-type"]).toBe("application/octet-stream");
  });

  test("text/plain: a string as it is, a number as text", async () => {
    const client = await mediaClient(created);
    await client.POST("/v1/notes", { body: "héllo wörld" });
    await client.POST("/v1/notes", { body: 42 as never });
    expect(server!.requests.map((r) => r.body)).toEqual(["héllo wörld", "42"]);
    expect(server!.requests.map((r) => r.headers["content-type"])).toEqual(["text/plain", "text/plain"]);
  });

  test("a stream aborted while being read → ABORTED, nothing sent", async () => {
    const client = await mediaClient(created);
    const controller = new AbortController();
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        if (pulls === 1) c.enqueue(new Uint8Array([1]));
        else controller.abort(new Error("stop"));
      },
    });
    const { error, meta } = await client.PUT("/v1/blobs/{name}", { params: { path: { name: "a" } }, body: stream as never, signal: controller.signal });
    expect(error?.code).toBe("ABORTED");
    expect(meta.attempts).toBe(0);
    expect(server!.requests).toHaveLength(0);
  });
});

describe("bodySerializer (openapi-fetch's per-call option)", () => {
  test("its output is sent once, identically on every attempt", async () => {
    const client = await mediaClient((_q, r, _b, i) => void r.writeHead(i === 0 ? 503 : 202).end(), { retry: { baseDelayMs: 1 } });
    let calls = 0;
    const { error } = await client.POST("/v1/events", {
      body: { type: "ping" },
      idempotencyKey: "k",
      bodySerializer: (body: unknown) => {
        calls++;
        return `custom:${(body as { type: string }).type}`;
      },
    } as never);
    expect(error).toBeUndefined();
    expect(calls).toBe(1);
    expect(server!.requests.map((r) => r.body)).toEqual(["custom:ping", "custom:ping"]);
    expect(server!.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  test("URLSearchParams output is a form", async () => {
    const client = await mediaClient((_q, r) => void r.writeHead(202).end());
    await client.POST("/v1/events", { body: { type: "ping" }, bodySerializer: (body: unknown) => new URLSearchParams(body as Record<string, string>) } as never);
    const [seen] = server!.requests;
    expect(seen?.body).toBe("type=ping");
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });
});

describe("a body that cannot be sent as its media type → INVALID_REQUEST, nothing sent", () => {
  test.each<[string, () => Promise<{ error?: { code: string; message: string } | undefined; meta: { attempts: number } }>, RegExp]>([
    ["an object as text/plain", () => lastClient!.POST("/v1/notes", { body: { note: "s3cr3t-value" } as never }), /cannot be sent as text\/plain: it is an object\. Pass a string/],
    ["an object as octet-stream", () => lastClient!.PUT("/v1/blobs/{name}", { params: { path: { name: "a" } }, body: { data: "s3cr3t-value" } as never }), /application\/octet-stream: it is an object\. Pass a Blob, Uint8Array/],
    ["an array as a form", () => lastClient!.POST("/v1/charges", { body: ["s3cr3t-value"] as never }), /x-www-form-urlencoded: it is an array\. Pass an object of fields/],
    ["a file in a form", () => lastClient!.POST("/v1/charges", { body: { amount: 1, currency: "x", doc: new Blob(["s3cr3t-value"]) } }), /field "doc" is a Blob\. Send files as multipart\/form-data/],
    ["a number as multipart", () => lastClient!.POST("/v1/uploads", { body: 7 as never }), /multipart\/form-data: it is a number/],
  ])("%s", async (_name, call, message) => {
    lastClient = await mediaClient(created);
    const { error, meta } = await call();
    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain("Nothing was sent");
    expect(error?.message).not.toContain("s3cr3t-value");
    expect(meta.attempts).toBe(0);
    expect(server!.requests).toHaveLength(0);
  });
});

let lastClient: MediaClient | undefined;

/** Splits a multipart body into its parts (disposition, type, content). */
function partsOf(body: string, contentType: string): { disposition: string | undefined; type: string | undefined; content: string }[] {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? "";
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head = "", ...rest] = part.replace(/^\r\n/, "").split("\r\n\r\n");
      const headers = Object.fromEntries(head.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      return { disposition: headers["content-disposition"], type: headers["content-type"], content: rest.join("\r\n\r\n").replace(/\r\n$/, "") };
    });
}
