import type { EventsChannel } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import type { MessageValidator } from "./parse-message.js";
import { connectAuthenticatedSocket, type AuthenticatedSocket, type SocketOptions } from "./authenticated-socket.js";
import type { SocketCredentialOptions } from "./upgrade-credential.js";

/** Options of `connectEvents`: the API's base URL, one credential (`apiKey`, `getToken` or `credential`) and socket options. */
export type ConnectEventsOptions<Message> = Omit<SocketOptions<Message>, "url" | "onMessage"> &
  SocketCredentialOptions & {
    /** API base URL (production, the sandbox, or a local one); the stream is at the channel's `path` under it. */
    baseUrl: string;
    /** Called with every message that parsed as JSON and passed `validate`. */
    onEvent(event: Message): void;
  };

/** Default check of a message: a JSON object (not an array). Pass `validate` to check it against the spec's schema. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Subscribes to an API's WebSocket event stream, given as a channel (a generated client's
 * `<name>Events`, or any `{ path }`), with the credential on the upgrade request (`X-Api-Key` for
 * an API key, `Authorization: Bearer` for a token, never both), reconnecting with backoff and a
 * fresh token after server-side disconnects. Messages are typed as the channel's.
 *
 * Each message is parsed as JSON and checked with `validate` (a type guard or a synchronous
 * Standard Schema such as a zod schema); without it, any JSON object passes. A message that fails
 * goes to `onInvalidMessage` and the connection stays open.
 *
 * @example
 * import { atlasEvents } from "@atlas-softpos/api-client";
 * const events = connectEvents(atlasEvents, {
 *   baseUrl: "https://sandbox.api.atlas-softpos.com",
 *   credential: atlasAuth,
 *   onEvent(event) { if (event.type === "transaction.completed") console.log(event.data.id); },
 * });
 */
export function connectEvents<Message>(channel: EventsChannel<Message>, options: ConnectEventsOptions<NoInfer<Message>>): AuthenticatedSocket {
  if (typeof channel !== "object" || channel === null || typeof channel.path !== "string" || channel.path === "") {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'connectEvents: the channel must be an object with a non-empty "path", e.g. a generated client\'s <name>Events');
  }
  const { baseUrl, onEvent, validate, ...rest } = options;
  if (typeof baseUrl !== "string" || baseUrl === "") {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'connectEvents: "baseUrl" must be the API\'s absolute base URL');
  }
  const url = `${baseUrl.replace(/\/+$/, "")}/${channel.path.replace(/^\/+/, "")}`;
  return connectAuthenticatedSocket<Message>({
    ...rest,
    url,
    onMessage: onEvent,
    validate: validate ?? (isJsonObject as MessageValidator<Message>),
  });
}
