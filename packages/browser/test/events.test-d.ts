import { describe, expectTypeOf, it } from "vitest";
import { connectEvents, type EventsChannel, type EventsConnection } from "../src/index.js";

/** A channel as codegen emits one (`export const atlasEvents: EventsChannel<AtlasEventMessage> = { path }`). */
type Message =
  | { readonly type: "transaction.completed"; readonly id: string; readonly data: { readonly amount: number } }
  | { readonly type: "device.status"; readonly id: string; readonly data: { readonly status: string } };
declare const generated: EventsChannel<Message>;

const base = { baseUrl: "https://sandbox.api.atlas-softpos.com", getShortLivedToken: () => "jwt" } as const;

describe("connectEvents types (browser)", () => {
  it("types the messages by the channel, with no type argument", () => {
    const stream = connectEvents(generated, {
      ...base,
      onEvent(event) {
        expectTypeOf(event).toEqualTypeOf<Message>();
        if (event.type === "transaction.completed") expectTypeOf(event.data.amount).toEqualTypeOf<number>();
      },
      parse: (message) => message as Message,
    });
    expectTypeOf(stream).toEqualTypeOf<Promise<EventsConnection>>();
  });

  it("checks handlers and parsers against the channel's message type", () => {
    // @ts-expect-error a handler of another message type
    void connectEvents(generated, { ...base, onEvent: (event: { readonly orderId: string }) => void event });
    // @ts-expect-error a parser of another message type
    void connectEvents(generated, { ...base, parse: () => ({ orderId: "o_1" }), onEvent: () => {} });
    // @ts-expect-error the API key and a token source are exclusive
    void connectEvents(generated, { ...base, apiKey: "sk_test_x", onEvent: () => {} });
    void connectEvents({ path: "/stream" }, { ...base, onEvent: (event) => expectTypeOf(event).toBeUnknown() });
  });
});
