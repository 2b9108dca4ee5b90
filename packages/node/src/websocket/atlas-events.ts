import type { MessageValidator } from "./parse-message.js";
import { connectAuthenticatedSocket, type AuthenticatedSocket, type SocketOptions } from "./authenticated-socket.js";
import type { SocketCredentialOptions } from "./upgrade-credential.js";

/**
 * What every message of Atlas's `/v1/events` stream has (`EventMessage` in the spec, discriminated
 * by `type`). Pass the generated client's `AtlasEventMessage` type as `E` to get the full union.
 */
export interface AtlasEventBase {
  readonly type: string;
  readonly id: string;
  readonly createdAt: string;
  readonly data: unknown;
}

/** Options of `connectAtlasEvents`: one credential (`apiKey`, `getToken` or `credential`) plus socket options. */
export type AtlasEventsOptions<E extends AtlasEventBase> = Omit<SocketOptions<E>, "url" | "onMessage"> &
  SocketCredentialOptions & {
    /** API base URL (`https://api.atlas-softpos.com`, the sandbox, or a local one); the stream is at `path`. */
    baseUrl: string;
    /** Stream path, from the spec's `x-portico-events`. @default "/v1/events" */
    path?: string;
    /** Called with every event that passed validation. */
    onEvent(event: E): void;
  };

/** Default shape check of an Atlas event: an object with string `type`, `id` and `createdAt`, and `data`. */
export function isAtlasEvent(value: unknown): value is AtlasEventBase {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  return typeof event.type === "string" && typeof event.id === "string" && typeof event.createdAt === "string" && "data" in event;
}

/**
 * Subscribes to Atlas's event stream with the credential on the upgrade request (`X-Api-Key`
 * for a terminal or merchant key, `Authorization: Bearer` for a cloud token), reconnecting with
 * backoff and a fresh token after server-side disconnects.
 *
 * @example
 * import type { AtlasEventMessage } from "@atlas-softpos/api-client";
 * const events = connectAtlasEvents<AtlasEventMessage>({
 *   baseUrl: "https://sandbox.api.atlas-softpos.com",
 *   credential: atlasAuth,
 *   onEvent(event) { if (event.type === "transaction.completed") console.log(event.data.id); },
 * });
 */
export function connectAtlasEvents<E extends AtlasEventBase = AtlasEventBase>(options: AtlasEventsOptions<E>): AuthenticatedSocket {
  const { baseUrl, path = "/v1/events", onEvent, validate, ...rest } = options;
  const url = `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  return connectAuthenticatedSocket<E>({
    ...rest,
    url,
    onMessage: onEvent,
    validate: validate ?? (isAtlasEvent as MessageValidator<E>),
  });
}
