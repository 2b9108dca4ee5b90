import { describe, expect, it } from "vitest";
import { connectEvents, type EventsChannel } from "../src/index.js";

/**
 * `connectEvents` in the browser, apart from the socket itself (the Chromium test opens a real one
 * against the Atlas sandbox): where the stream URL comes from, what is refused before connecting,
 * and how messages reach `onEvent`. A stand-in WebSocket records the URL and opens at once.
 */
interface OrderEvent {
  readonly type: "order.created";
  readonly orderId: string;
}
const orders: EventsChannel<OrderEvent> = { path: "/v2/orders/stream" };
const KEY = "sk_test_0123456789abcdefABCD";

class FakeSocket {
  static readonly opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
    queueMicrotask(() => this.onopen?.());
  }
  close(): void {
    this.closed = true;
  }
}
const WebSocket = FakeSocket as unknown as typeof globalThis.WebSocket;
const last = (): FakeSocket => FakeSocket.opened.at(-1)!;

describe("connectEvents (browser)", () => {
  it("opens the channel's path under the base URL, with the credential in the query, and delivers the channel's messages", async () => {
    const received: OrderEvent[] = [];
    const stream = await connectEvents(orders, { baseUrl: "https://api.example.com/base/", apiKey: KEY, WebSocket, onEvent: (event) => received.push(event) });
    expect(last().url).toBe(`wss://api.example.com/base/v2/orders/stream?apiKey=${KEY}`);
    last().onmessage?.({ data: JSON.stringify({ type: "order.created", orderId: "o_1" }) });
    expect(received).toEqual([{ type: "order.created", orderId: "o_1" }]);
    stream.close();
    await stream.closed;
    expect(last().closed).toBe(true);

    const token = await connectEvents(orders, { baseUrl: "http://127.0.0.1:8080", getShortLivedToken: () => "jwt-1", WebSocket, reconnect: false, onEvent: () => {} });
    expect(last().url).toBe("ws://127.0.0.1:8080/v2/orders/stream?access_token=jwt-1"); // plain ws: to loopback only
    token.close();
  });

  it("reports a message that fails `parse` without its content or the credential, and goes on", async () => {
    const received: OrderEvent[] = [];
    const errors: { code: string; message: string }[] = [];
    const stream = await connectEvents(orders, {
      baseUrl: "https://api.example.com",
      apiKey: KEY,
      WebSocket,
      parse: (message) => {
        if ((message as OrderEvent).type !== "order.created") throw new Error("not an order event");
        return message as OrderEvent;
      },
      onEvent: (event) => received.push(event),
      onError: (error) => errors.push({ code: error.code, message: error.message }),
    });
    last().onmessage?.({ data: JSON.stringify({ type: "other", secret: "do-not-echo" }) });
    last().onmessage?.({ data: "{not json" });
    last().onmessage?.({ data: JSON.stringify({ type: "order.created", orderId: "o_2" }) });
    expect(received).toEqual([{ type: "order.created", orderId: "o_2" }]);
    expect(errors.map((error) => error.code)).toEqual(["UNEXPECTED_RESPONSE", "UNEXPECTED_RESPONSE"]);
    expect(JSON.stringify(errors)).not.toMatch(new RegExp(`${KEY}|do-not-echo`));
    stream.close();
  });

  it("refuses, before connecting: a channel without a path, a bad base URL, plain ws: off loopback, zero or two credentials", () => {
    const before = FakeSocket.opened.length;
    const options = { baseUrl: "https://api.example.com", apiKey: KEY, WebSocket, onEvent: () => {} };
    for (const channel of [undefined, {}, { path: "" }, { path: 7 }]) {
      expect(() => connectEvents(channel as never, options)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("path") }));
    }
    expect(() => connectEvents(orders, { ...options, baseUrl: "not a url" })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(() => connectEvents(orders, { ...options, baseUrl: "ftp://api.example.com" })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    let insecure: unknown;
    try {
      void connectEvents(orders, { ...options, baseUrl: "http://api.example.com" });
    } catch (error) {
      insecure = error;
    }
    expect(insecure).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect(String((insecure as Error).message)).not.toContain(KEY);
    expect(() => connectEvents(orders, { ...options, getShortLivedToken: () => "t" } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(() => connectEvents(orders, { baseUrl: options.baseUrl, WebSocket, onEvent: () => {} } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(FakeSocket.opened.length).toBe(before);
  });
});
