/**
 * `client.stream(...)` against real loopback servers: SSE cut mid-event and resumed with
 * `Last-Event-ID`, JSON Lines with a malformed line, abort, `break`, and a POST stream that is
 * never sent twice. Reconnect waits go through an injected clock; nothing waits on a timer.
 */
import { describe, expect, test } from "vitest";
import { createClient, PorticoError, streamStage, type ApiDescriptor, type ServerSentEvent } from "../../src/index.js";
import { closed, useLoopbacks } from "../support/loopback.js";

const loopbacks = useLoopbacks();

const descriptor: ApiDescriptor = {
  name: "streams",
  servers: [],
  securitySchemes: {},
  operations: {
    "GET /events": { stream: { format: "sse", json: true } },
    "GET /text": { stream: { format: "sse" } },
    "POST /chat": { stream: { format: "sse", json: true } },
    "GET /lines": { stream: { format: "jsonl" } },
  },
};

interface Untyped {
  stream(key: string, init?: Record<string, unknown>): AsyncIterable<unknown> & { readonly lastEventId: string | undefined };
}

function client(url: string, sleeps: number[] = []): Untyped {
  const clock = { now: () => 0, sleep: async (ms: number, signal?: AbortSignal) => (sleeps.push(ms), !signal?.aborted) };
  return createClient(descriptor, { baseUrl: url, clock, retry: false }, [streamStage]) as unknown as Untyped;
}

const sse = (id: number) => `id: ${id}\nevent: tick\ndata: {"n":\ndata: ${id}}\n\n`;

async function collect(stream: AsyncIterable<unknown>): Promise<{ items: unknown[]; error?: PorticoError<string> }> {
  const items: unknown[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items };
  } catch (error) {
    if (!(error instanceof PorticoError)) throw error;
    return { items, error };
  }
}

describe("Server-Sent Events", () => {
  test("a stream cut mid-event resumes with Last-Event-ID: no event lost or duplicated", async () => {
    const server = await loopbacks.server((req, res) => {
      const after = Number(req.headers["last-event-id"] ?? 0);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": hello\nretry: 250\n\n");
      if (after === 0) {
        res.write(sse(1) + sse(2) + sse(3).slice(0, 12), () => res.socket?.destroy());
        return;
      }
      for (let id = after + 1; id <= 5; id++) res.write(sse(id));
      res.end();
    });
    const sleeps: number[] = [];
    const stream = client(server.url, sleeps).stream("GET /events");
    const { items, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect((items as ServerSentEvent<{ n: number }>[]).map((e) => [e.id, e.event, e.data.n])).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), "tick", n]));
    expect(server.requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, "2"]);
    expect(server.requests[1]?.headers["accept"]).toBe("text/event-stream");
    expect(sleeps).toEqual([250]);
    expect(stream.lastEventId).toBe("5");
  });

  test("data stays a string when the spec's item is a string; a non-JSON data is STREAM_MALFORMED", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: plain\ndata: two lines\n\nid: 7\ndata: {oops\n\n");
    });
    const text = await collect(client(server.url).stream("GET /text"));
    expect(text.items).toEqual([{ event: "message", data: "plain\ntwo lines", id: undefined }, { event: "message", data: "{oops", id: "7" }]);
    const json = await collect(client(server.url).stream("GET /events"));
    expect(json.error?.code).toBe("STREAM_MALFORMED");
    expect(json.items).toEqual([]);
    expect(json.error?.details).toMatchObject({ event: "message" });
  });

  test("a POST stream that breaks off is not sent again: STREAM_INTERRUPTED", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sse(1) + sse(2).slice(0, 5), () => res.socket?.destroy());
    });
    const { items, error } = await collect(client(server.url).stream("POST /chat", { body: { prompt: "hi" } }));
    expect(items).toHaveLength(1);
    expect(error?.code).toBe("STREAM_INTERRUPTED");
    expect(server.requests).toHaveLength(1);
  });

  test("abort during a stream closes the connection and ends with ABORTED", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sse(1));
    });
    const controller = new AbortController();
    const items: unknown[] = [];
    const run = (async () => {
      for await (const item of client(server.url).stream("GET /events", { signal: controller.signal })) {
        items.push(item);
        controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: "ABORTED" });
    expect(items).toHaveLength(1);
    await closed((await server.until(1)).socket);
  });

  test("breaking out of for await cancels the body", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sse(1) + sse(2));
    });
    for await (const _event of client(server.url).stream("GET /events")) break;
    await closed((await server.until(1)).socket);
  });

  test("a key that is not a streaming operation is refused, nothing sent", async () => {
    const server = await loopbacks.server((_req, res) => void res.end());
    const { error } = await collect(client(server.url).stream("GET /nothing"));
    expect(error?.code).toBe("INVALID_REQUEST");
    expect(server.requests).toHaveLength(0);
  });
});

describe("JSON Lines", () => {
  test("a malformed line ends the iteration with STREAM_MALFORMED naming the line", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write('{"n":1}\n{"n"');
      res.write(':2}\n\n{"n":3}\r\nnot json\n{"n":5}\n');
      res.end();
    });
    const { items, error } = await collect(client(server.url).stream("GET /lines"));
    expect(items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(error?.code).toBe("STREAM_MALFORMED");
    expect(error?.details).toMatchObject({ line: 5 });
  });

  test("a last line without a newline is read; a slow consumer pulls chunk by chunk", async () => {
    const server = await loopbacks.server((_req, res) => {
      res.writeHead(200, { "content-type": "application/jsonl" });
      res.end('{"n":1}\n{"n":2}');
    });
    const { items, error } = await collect(client(server.url).stream("GET /lines"));
    expect(error).toBeUndefined();
    expect(items).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
