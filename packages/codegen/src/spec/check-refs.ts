import { getAt, isRecord, parseLocalRef } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/**
 * Checks every `$ref` in the document: only local references (`#/...`) are supported, and each
 * must point at an existing value.
 * @throws CodegenError `SPEC_UNSUPPORTED` for external references, `SPEC_INVALID` for dangling ones.
 */
export function checkRefs(source: SpecSource): void {
  walk(source, source.document, [], new Set());
}

/** Whether following `ref` through objects that are only references comes back to a reference already seen. */
function refersToItself(document: unknown, ref: string): boolean {
  const seen = new Set<string>();
  let current: string | undefined = ref;
  while (current !== undefined) {
    if (seen.has(current)) return true;
    seen.add(current);
    const segments = parseLocalRef(current);
    const target = segments === undefined ? undefined : getAt(document, segments);
    current = isRecord(target) && typeof target["$ref"] === "string" ? target["$ref"] : undefined;
  }
  return false;
}

/**
 * `pointer` is the path of `node`: one array, pushed and popped, copied only for an error.
 * `resolved` holds the references already found to point at something (a large spec repeats a
 * few hundred of them thousands of times).
 */
function walk(source: SpecSource, node: unknown, pointer: string[], resolved: Set<string>): void {
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      pointer.push(String(index));
      walk(source, node[index], pointer, resolved);
      pointer.pop();
    }
    return;
  }
  if (!isRecord(node)) return;
  // Under `properties` keys are property names.
  const data = pointer.at(-1) !== "properties";
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (data && key === "$ref" && typeof value !== "string") {
      throw source.error("SPEC_INVALID", '"$ref" must be a string such as "#/components/schemas/Item"', [...pointer, key]);
    }
    if (data && key === "$ref" && typeof value === "string") {
      if (!resolved.has(value)) {
        const target = parseLocalRef(value);
        if (target === undefined) {
          throw source.error("SPEC_UNSUPPORTED", `external $ref "${value}" is not supported; bundle the spec into one file`, [...pointer, key]);
        }
        if (target.length === 0) {
          throw source.error("SPEC_INVALID", `$ref "${value}" points at the whole document; point it at a component, e.g. "#/components/schemas/Item"`, [...pointer, key]);
        }
        if (getAt(source.document, target) === undefined) {
          throw source.error("SPEC_INVALID", `$ref "${value}" points at nothing`, [...pointer, key]);
        }
        // A reference to a whole component is a named type (a recursive schema is fine); any other
        // reference is inlined, so one into its own ancestor would never end.
        const component = target.length === 3 && target[0] === "components";
        if (!component && target.every((segment, index) => pointer[index] === segment)) {
          throw source.error("SPEC_INVALID", `$ref "${value}" points at an object that contains the reference itself (it would never end)`, [...pointer, key]);
        }
        if (refersToItself(source.document, value)) {
          throw source.error("SPEC_INVALID", `$ref "${value}" leads back to itself through references alone (a circular $ref with nothing in between)`, [...pointer, key]);
        }
        resolved.add(value);
      }
      continue;
    }
    if (data && (key === "example" || key === "examples")) continue;
    pointer.push(key);
    walk(source, value, pointer, resolved);
    pointer.pop();
  }
}
