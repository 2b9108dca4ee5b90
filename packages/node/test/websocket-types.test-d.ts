import { WebSocket, type ClientOptions } from "ws";
import { describe, expectTypeOf, test } from "vitest";
import type { SocketOptions, WebSocketClientOptions, WebSocketConstructor } from "../src/index.js";

describe("the socket's WebSocket types are the package's own, and ws fits them", () => {
  test("ws's WebSocket class is a WebSocketConstructor; the options are typed, not any", () => {
    expectTypeOf(WebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf<SocketOptions<unknown>["WebSocket"]>().not.toBeAny();
    expectTypeOf<SocketOptions<unknown>["clientOptions"]>().not.toBeAny();
  });

  test("client options users pass to ws are accepted, and they are ws client options", () => {
    const options: WebSocketClientOptions = { handshakeTimeout: 5_000, maxPayload: 1 << 20, perMessageDeflate: false, rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----" };
    expectTypeOf(options).toExtend<ClientOptions>();
  });
});
