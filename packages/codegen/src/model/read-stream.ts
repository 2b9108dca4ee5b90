/**
 * Streaming responses: a success (2xx) response whose content is `text/event-stream`,
 * `application/jsonl` or `application/x-ndjson` makes the operation a stream. The item type is
 * OpenAPI 3.2's `itemSchema` of that media type, or `x-portico-item-schema` (3.0/3.1). For SSE,
 * the item schema is the type of each event's `data`; a 3.2 event schema (an object whose `data`
 * property has a `contentSchema`) gives that `contentSchema`. See docs/streaming.md.
 */
import type { StreamDescriptor } from "@portico/core";
import { isRecord, parseLocalRef } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import type { ReadResponse } from "./read-errors.js";

/** A streaming operation: the descriptor core reads, and the TypeScript type of one item. */
export interface StreamModel {
  readonly descriptor: StreamDescriptor;
  /** A type expression over `components` of `schema.ts`, e.g. `components["schemas"]["SyncLogEvent"]`. */
  readonly itemType: string;
}

const FORMATS: Readonly<Record<string, StreamDescriptor["format"]>> = {
  "text/event-stream": "sse",
  "application/jsonl": "jsonl",
  "application/x-ndjson": "jsonl",
  "application/json-lines": "jsonl",
};

/** The stream of an operation's first streaming success response, if any. */
export function readStream(source: SpecSource, responses: readonly ReadResponse[]): StreamModel | undefined {
  for (const { status, response, pointer } of responses) {
    if (!/^(?:2\d\d|2XX)$/.test(status)) continue;
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      const format = FORMATS[mediaType.split(";", 1)[0]?.trim().toLowerCase() ?? ""];
      if (format === undefined) continue;
      const at = [...pointer, "content", mediaType];
      const raw = media as Record<string, unknown>;
      const item = raw["itemSchema"] ?? raw["x-portico-item-schema"];
      const itemAt = [...at, raw["itemSchema"] !== undefined ? "itemSchema" : "x-portico-item-schema"];
      if (item !== undefined && !isRecord(item)) throw source.error("SPEC_INVALID", "an item schema must be a schema object or a $ref", itemAt);
      const data = format === "sse" && item !== undefined ? eventData(source, item, itemAt) : { schema: item, at: itemAt };
      const itemType = data.schema === undefined ? (format === "sse" ? "string" : "unknown") : typeOf(source, data.schema, data.at);
      const json = format === "sse" && data.schema !== undefined && !isStringSchema(source, data.schema, data.at);
      return { descriptor: { format, ...(json ? { json: true } : {}) }, itemType };
    }
  }
  return undefined;
}

/** A 3.2 event schema (`properties.data.contentSchema`) gives its data schema; any other item schema is the data's. */
function eventData(source: SpecSource, item: Record<string, unknown>, at: readonly string[]): { schema: unknown; at: readonly string[] } {
  const resolved = resolveRef(source, item, at);
  const properties = isRecord(resolved.value) ? resolved.value["properties"] : undefined;
  const data = isRecord(properties) ? properties["data"] : undefined;
  if (isRecord(data) && data["contentSchema"] !== undefined) {
    return { schema: data["contentSchema"], at: [...resolved.pointer, "properties", "data", "contentSchema"] };
  }
  return { schema: item, at };
}

function isStringSchema(source: SpecSource, schema: unknown, at: readonly string[]): boolean {
  const value = resolveRef(source, schema, [...at]).value;
  return isRecord(value) && value["type"] === "string";
}

/**
 * The TypeScript type of an item schema: a `$ref` to `components/schemas` is that type; a plain
 * string, number, integer or boolean is the keyword; anything else inline is `unknown` (name it
 * under `components/schemas` and `$ref` it for a typed item).
 */
function typeOf(source: SpecSource, schema: unknown, at: readonly string[]): string {
  if (isRecord(schema) && typeof schema["$ref"] === "string") {
    const segments = parseLocalRef(schema["$ref"]);
    if (segments !== undefined && segments.length === 3 && segments[0] === "components" && segments[1] === "schemas") {
      resolveRef(source, schema, [...at]);
      return `components["schemas"][${JSON.stringify(segments[2])}]`;
    }
  }
  if (isRecord(schema)) {
    const type = schema["type"];
    if (type === "string") return "string";
    if (type === "number" || type === "integer") return "number";
    if (type === "boolean") return "boolean";
  }
  return "unknown";
}
