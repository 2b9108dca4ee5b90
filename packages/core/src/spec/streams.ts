/**
 * How a streaming operation's success response is framed, as codegen reads it from a spec.
 * The streaming work owns this file: it refines the shape below.
 */
export type StreamDescriptor = {
  /** `sse`: `text/event-stream`; `jsonl`: JSON Lines (`application/jsonl`, `application/x-ndjson`). */
  readonly format: "sse" | "jsonl";
};
