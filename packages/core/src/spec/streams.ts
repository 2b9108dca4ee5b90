/**
 * How a streaming operation's success response is framed, as codegen reads it from a spec: a
 * success response whose content is `text/event-stream`, `application/jsonl` or
 * `application/x-ndjson`. The item type comes from OpenAPI 3.2's `itemSchema`, or
 * `x-portico-item-schema` on 3.0/3.1 (docs/streaming.md).
 */
export type StreamDescriptor = {
  /** `sse`: `text/event-stream`; `jsonl`: JSON Lines (`application/jsonl`, `application/x-ndjson`). */
  readonly format: "sse" | "jsonl";
  /**
   * SSE only: each event's `data` is JSON (the item schema is not a plain string) and is parsed.
   * Absent: `data` is delivered as the string it is. JSON Lines are always JSON.
   */
  readonly json?: boolean;
};
