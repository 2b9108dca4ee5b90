import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type OperationObject, type ResponseObject } from "../spec/validate-document.js";
import type { ErrorResponseModel } from "./api-model.js";
import { codeEnumOf, unique } from "./code-enum.js";
import { isJson } from "./read-body.js";

/** `4xx`, `5xx`, their ranges, and `default` are error responses. */
const ERROR_STATUS = /^(?:[45]\d\d|[45]XX|default)$/;

const RETRYABLE = "x-portico-retryable";

/** One response of an operation, `$ref` resolved. */
export interface ReadResponse {
  readonly status: string;
  readonly response: ResponseObject;
  /** Where the response object was finally read from. */
  readonly pointer: readonly string[];
}

/** Every response of an operation, `$ref`s resolved and shapes checked, sorted by status. */
export function readResponses(source: SpecSource, operation: OperationObject, pointer: readonly string[]): ReadResponse[] {
  const responses = operation.responses ?? {};
  return Object.keys(responses)
    .sort(compareStatus)
    .map((status) => {
      const resolved = resolveRef(source, responses[status], [...pointer, "responses", status]);
      return { status, response: parseWith(source, referencedShapes.response, resolved.value, resolved.pointer), pointer: resolved.pointer };
    });
}

/**
 * Reads the declared error responses (4xx, 5xx, `4XX`, `5XX`, `default`) of one operation: each
 * with the code-like enum of its JSON body (empty when it has none, or has no JSON body), the body
 * schema, and the codes `x-portico-retryable` marks. The marker is rejected on a success
 * response, on a response without codes, and when it lists a code the response does not declare.
 */
export function readErrorResponses(source: SpecSource, responses: readonly ReadResponse[]): ErrorResponseModel[] {
  const errors: ErrorResponseModel[] = [];
  for (const { status, response, pointer } of responses) {
    const marker = response[RETRYABLE];
    const markerAt = [...pointer, RETRYABLE];
    if (!ERROR_STATUS.test(status)) {
      if (marker !== undefined) throw source.error("SPEC_INVALID", `"${RETRYABLE}" only applies to error responses (4xx, 5xx, default), not to ${status}`, markerAt);
      continue;
    }
    const content = response.content ?? {};
    const mediaType = pickJsonMediaType(Object.keys(content));
    const schemaValue = mediaType === undefined ? undefined : content[mediaType]?.schema;
    const schema = mediaType === undefined || schemaValue === undefined ? undefined : { value: schemaValue, pointer: [...pointer, "content", mediaType, "schema"] };
    const codes = schema === undefined ? [] : codeEnumOf(source, schema);
    if (marker !== undefined && codes.length === 0) {
      throw source.error("SPEC_INVALID", `"${RETRYABLE}" needs a JSON error body with a code enum (code, error_code, errorCode or error.code)`, markerAt);
    }
    const retryable = marker === undefined ? undefined : marker === true ? codes : unique(marker);
    const undeclared = retryable?.find((code) => !codes.includes(code));
    if (undeclared !== undefined) {
      throw source.error("SPEC_INVALID", `"${RETRYABLE}" lists "${undeclared}", which is not a code of this response (${codes.join(", ")})`, markerAt);
    }
    errors.push({ status, codes, ...(schema === undefined ? {} : { schema }), ...(retryable === undefined ? {} : { retryable }) });
  }
  return errors;
}

/** `application/json` first, else the first other JSON type in sorted order. */
function pickJsonMediaType(types: readonly string[]): string | undefined {
  const json = types.filter(isJson).sort();
  return json.find((t) => t.toLowerCase().startsWith("application/json")) ?? json[0];
}

/** Numeric statuses, then ranges (`4XX`), then `default`. */
export function compareStatus(a: string, b: string): number {
  const rank = (s: string) => (s === "default" ? "999z" : s.replaceAll("X", "9") + (s.includes("X") ? "y" : ""));
  return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0;
}
