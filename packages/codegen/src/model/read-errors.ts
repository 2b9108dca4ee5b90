import { formatPointer, isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef, type Located } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type OperationObject } from "../spec/validate-document.js";
import type { ErrorResponseModel } from "./api-model.js";

/** `4xx`, `5xx`, their ranges, and `default` are error responses. */
const ERROR_STATUS = /^(?:[45]\d\d|[45]XX|default)$/;

const RETRYABLE = "x-portico-retryable";

/**
 * Reads the error responses of one operation: for each error status with a JSON body, the body's
 * `code` enum, schema and the codes `x-portico-retryable` marks. A JSON error body without a
 * `code` enum is rejected; an error response without a JSON body declares no codes and is left
 * out. The marker is rejected on a success response, on a response without codes, and when it
 * lists a code the response does not declare.
 */
export function readErrorResponses(
  source: SpecSource,
  operation: OperationObject,
  pointer: readonly string[],
): ErrorResponseModel[] {
  const errors: ErrorResponseModel[] = [];
  const responses = operation.responses ?? {};
  for (const status of Object.keys(responses).sort(compareStatus)) {
    const at = [...pointer, "responses", status];
    const resolved = resolveRef(source, responses[status], at);
    const response = parseWith(source, referencedShapes.response, resolved.value, resolved.pointer);
    const marker = response[RETRYABLE];
    const markerAt = [...resolved.pointer, RETRYABLE];
    if (!ERROR_STATUS.test(status)) {
      if (marker !== undefined) throw source.error("SPEC_INVALID", `"${RETRYABLE}" only applies to error responses (4xx, 5xx, default), not to ${status}`, markerAt);
      continue;
    }
    const content = response.content ?? {};
    const mediaType = pickJsonMediaType(Object.keys(content));
    if (mediaType === undefined) {
      if (marker !== undefined) throw source.error("SPEC_INVALID", `"${RETRYABLE}" needs a JSON error body with a "code" enum`, markerAt);
      continue;
    }
    const via = resolved.pointer === at ? "" : ` (in ${formatPointer(resolved.pointer)})`;
    const schemaValue = content[mediaType]?.schema;
    const schemaAt = [...resolved.pointer, "content", mediaType, "schema"];
    const codes = schemaValue === undefined ? undefined : codesOf(source, { value: schemaValue, pointer: schemaAt }, 0);
    if (codes === undefined || codes.length === 0) {
      // `--lenient-errors`: such a response declares no codes, like one without a JSON body.
      if (source.options.lenientErrors === true && marker === undefined) continue;
      throw source.error("SPEC_INVALID", `error schema has no "code" enum${via}`, at);
    }
    const retryable = marker === undefined ? undefined : marker === true ? codes : unique(marker);
    const undeclared = retryable?.find((code) => !codes.includes(code));
    if (undeclared !== undefined) {
      throw source.error("SPEC_INVALID", `"${RETRYABLE}" lists "${undeclared}", which is not a code of this response (${codes.join(", ")})`, markerAt);
    }
    errors.push({ status, codes, schema: { value: schemaValue, pointer: schemaAt }, ...(retryable !== undefined ? { retryable } : {}) });
  }
  return errors;
}

/** `application/json` first, else the first `+json` type in sorted order. */
function pickJsonMediaType(types: readonly string[]): string | undefined {
  const json = types.filter((t) => /^application\/(?:[\w.-]+\+)?json(?:;.*)?$/i.test(t)).sort();
  return json.find((t) => t.toLowerCase().startsWith("application/json")) ?? json[0];
}

/** The `code` enum of an error body schema (through `$ref`, `allOf`, `oneOf`, `anyOf`), or `undefined`. */
function codesOf(source: SpecSource, schema: Located, depth: number): string[] | undefined {
  if (depth > 16) return undefined;
  const { value } = resolveRef(source, schema.value, schema.pointer);
  if (!isRecord(value)) return undefined;
  const properties = value["properties"];
  if (isRecord(properties) && properties["code"] !== undefined) {
    const code = resolveRef(source, properties["code"], []).value;
    if (isRecord(code)) {
      if (typeof code["const"] === "string") return [code["const"]];
      const values = code["enum"];
      if (Array.isArray(values) && values.every((v): v is string => typeof v === "string")) return unique(values);
    }
  }
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    const parts = value[key];
    if (!Array.isArray(parts)) continue;
    const found = parts.map((part) => codesOf(source, { value: part, pointer: [] }, depth + 1));
    if (key === "allOf") {
      const defined = found.filter((c) => c !== undefined);
      if (defined.length > 0) return unique(defined.flat());
    } else if (found.length > 0 && found.every((c) => c !== undefined)) {
      return unique(found.flat());
    }
  }
  return undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Numeric statuses, then ranges (`4XX`), then `default`. */
export function compareStatus(a: string, b: string): number {
  const rank = (s: string) => (s === "default" ? "999z" : s.replaceAll("X", "9") + (s.includes("X") ? "y" : ""));
  return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0;
}
