/**
 * A WebSocket event stream of an API, as its spec declares it (`x-portico-events`): where the
 * stream is, and the type of its messages. Generated clients export one per spec that has a
 * stream (`atlasEvents` of `@atlas-softpos/api-client`); `connectEvents` of `@portico/node` and
 * `@portico/browser` takes it, so the messages it delivers are typed as the spec's.
 *
 * `Message` is a type only: nothing of it exists at run time, and a plain `{ path }` object is a
 * channel (of `unknown` messages unless it is annotated).
 *
 * @example
 * const orders: EventsChannel<OrderEvent> = { path: "/v2/orders/stream" };
 */
export interface EventsChannel<Message = unknown> {
  /** Path of the stream under the API's base URL, e.g. `"/v1/events"`. */
  readonly path: string;
  /** Type only, never set: carries `Message` so that `connectEvents` can infer it. */
  readonly "~message"?: Message;
}
