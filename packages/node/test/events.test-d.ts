import { describe, expectTypeOf, it } from "vitest";
import { atlasEvents, type AtlasEventMessage, type components } from "@atlas-softpos/api-client";
import { connectEvents, type AuthenticatedSocket, type EventsChannel } from "../src/index.js";

const base = { baseUrl: "https://sandbox.api.atlas-softpos.com", apiKey: "sk_test_x" } as const;

describe("connectEvents types", () => {
  it("types the messages by the generated channel, with no type argument", () => {
    expectTypeOf(atlasEvents).toEqualTypeOf<EventsChannel<AtlasEventMessage>>();
    const socket = connectEvents(atlasEvents, {
      ...base,
      onEvent(event) {
        expectTypeOf(event).toEqualTypeOf<AtlasEventMessage>();
        if (event.type === "transaction.completed") expectTypeOf(event.data).toEqualTypeOf<components["schemas"]["Transaction"]>();
        // @ts-expect-error not a type the spec declares
        if (event.type === "transaction.exploded") return;
      },
    });
    expectTypeOf(socket).toEqualTypeOf<AuthenticatedSocket>();
  });

  it("checks handlers and validators against the channel's message type", () => {
    connectEvents(atlasEvents, {
      ...base,
      // @ts-expect-error a handler of another message type
      onEvent: (event: { readonly orderId: string }) => void event,
    });
    connectEvents(atlasEvents, {
      ...base,
      // @ts-expect-error a validator of another message type
      validate: (value: unknown): value is { readonly orderId: string } => typeof value === "object",
      onEvent: () => {},
    });
    // @ts-expect-error the channel is required, and carries the path
    connectEvents({ ...base, onEvent: () => {} });
  });

  it("takes hand-written channels; a bare `{ path }` carries unknown messages", () => {
    interface OrderEvent {
      readonly type: "order.created";
      readonly orderId: string;
    }
    const orders: EventsChannel<OrderEvent> = { path: "/v2/orders/stream" };
    connectEvents(orders, { ...base, onEvent: (event) => expectTypeOf(event).toEqualTypeOf<OrderEvent>() });
    connectEvents({ path: "/stream" }, { ...base, onEvent: (event) => expectTypeOf(event).toBeUnknown() });
    connectEvents<OrderEvent>({ path: "/stream" }, { ...base, onEvent: (event) => expectTypeOf(event).toEqualTypeOf<OrderEvent>() });
    // @ts-expect-error a channel of one message type is not a channel of another
    const wrong: EventsChannel<OrderEvent> = atlasEvents;
    void wrong;
  });
});
