import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import type { WebSocketData } from "./socket-types.js";

/** A Standard Schema (zod, valibot, ...) whose validation is synchronous. */
export interface SyncStandardSchema<T> {
  readonly "~standard": {
    readonly validate: (value: unknown) =>
      | { readonly value: T; readonly issues?: undefined }
      | { readonly issues: ReadonlyArray<{ readonly message: string }> }
      | Promise<unknown>;
  };
}

/** Checks that a parsed message has the expected shape: a type guard or a (synchronous) Standard Schema. */
export type MessageValidator<M> = ((value: unknown) => value is M) | SyncStandardSchema<M>;

/** Result of reading one frame: the typed message, or an `INVALID_MESSAGE` error that never quotes the content. */
export type ParsedMessage<M> = { readonly ok: true; readonly message: M } | { readonly ok: false; readonly error: PorticoNodeError };

/** Decodes one WebSocket frame as UTF-8 JSON and validates it, without throwing. */
export function parseMessage<M>(data: WebSocketData, validate: MessageValidator<M>): ParsedMessage<M> {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const text = bytes.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid(`WebSocket message is not valid JSON (${text.length} characters)`);
  }
  if (typeof validate === "function") {
    return validate(value) ? { ok: true, message: value } : invalid(`WebSocket message does not match the event schema${describeType(value)}`);
  }
  const result = validate["~standard"].validate(value);
  if (result instanceof Promise) return invalid("WebSocket message validator must be synchronous");
  const outcome = result as { value?: M; issues?: ReadonlyArray<{ message: string }> };
  if (outcome.issues !== undefined) {
    const first = outcome.issues[0]?.message ?? "invalid";
    return invalid(`WebSocket message does not match the event schema${describeType(value)}: ${first}`);
  }
  return { ok: true, message: outcome.value as M };
}

function describeType(value: unknown): string {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === "string" && type.length <= 64 ? ` (type "${type}")` : "";
}

function invalid(message: string): ParsedMessage<never> {
  return { ok: false, error: new PorticoNodeError(NodeErrorCode.INVALID_MESSAGE, message) };
}
