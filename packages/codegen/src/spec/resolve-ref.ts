import { getAt, isRecord, parseLocalRef } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/** A value with the pointer it was finally read from. */
export interface Located<T = unknown> {
  readonly value: T;
  readonly pointer: readonly string[];
}

const MAX_HOPS = 32;

/**
 * Follows local `$ref`s from `value` (found at `pointer`) to the referenced value.
 * @throws CodegenError `SPEC_INVALID` on a dangling or circular chain of references.
 */
export function resolveRef(source: SpecSource, value: unknown, pointer: readonly string[]): Located {
  let current: Located = { value, pointer };
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ref = isRecord(current.value) ? current.value["$ref"] : undefined;
    if (typeof ref !== "string") return current;
    const target = parseLocalRef(ref);
    const next = target === undefined ? undefined : getAt(source.document, target);
    if (target === undefined || next === undefined) {
      throw source.error("SPEC_INVALID", `$ref "${ref}" cannot be resolved`, [...current.pointer, "$ref"]);
    }
    current = { value: next, pointer: target };
  }
  throw source.error("SPEC_INVALID", "circular $ref", pointer);
}
