import { getAt, isRecord, parseLocalRef } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/**
 * Checks every `$ref` in the document: only local references (`#/...`) are supported, and each
 * must point at an existing value.
 * @throws CodegenError `SPEC_UNSUPPORTED` for external references, `SPEC_INVALID` for dangling ones.
 */
export function checkRefs(source: SpecSource): void {
  walk(source, source.document, []);
}

function walk(source: SpecSource, node: unknown, pointer: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(source, item, [...pointer, String(index)]));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const here = [...pointer, key];
    if (key === "$ref" && typeof value === "string" && pointer.at(-1) !== "properties") {
      const target = parseLocalRef(value);
      if (target === undefined) {
        throw source.error("SPEC_UNSUPPORTED", `external $ref "${value}" is not supported; bundle the spec into one file`, here);
      }
      if (getAt(source.document, target) === undefined) {
        throw source.error("SPEC_INVALID", `$ref "${value}" points at nothing`, here);
      }
      continue;
    }
    if ((key === "example" || key === "examples") && pointer.at(-1) !== "properties") continue;
    walk(source, value, here);
  }
}
