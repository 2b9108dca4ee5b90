import { HTTP_METHODS } from "./check-extensions.js";
import { isRecord } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/**
 * Checks `operationId`s: unique across the document (OpenAPI requires it) and free of malformed
 * percent-escapes, which openapi-typescript reads as URI parts.
 * @throws CodegenError naming the operation
 */
export function checkOperationIds(source: SpecSource): void {
  const paths = isRecord(source.document) ? source.document["paths"] : undefined;
  if (!isRecord(paths)) return;
  const seen = new Map<string, string>();
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      const id = isRecord(operation) ? operation["operationId"] : undefined;
      if (typeof id !== "string") continue;
      const at = ["paths", path, method, "operationId"];
      if (/%(?![0-9A-Fa-f]{2})/.test(id)) {
        throw source.error("SPEC_UNSUPPORTED", `operationId ${JSON.stringify(id)} has a "%" that is not a percent-escape; rename the operation`, at);
      }
      const first = seen.get(id);
      if (first !== undefined) throw source.error("SPEC_INVALID", `operationId ${JSON.stringify(id)} is also used by ${first}; operationIds must be unique`, at);
      seen.set(id, `${method.toUpperCase()} ${path}`);
    }
  }
}
