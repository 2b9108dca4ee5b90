import { getAt, isRecord, parseLocalRef } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/** A value with the pointer it was finally read from. */
export interface Located<T = unknown> {
  readonly value: T;
  readonly pointer: readonly string[];
}

const MAX_HOPS = 32;

/**
 * Per spec, each `$ref` followed so far → its target, or `null` when it points at nothing. A large
 * spec follows a few hundred references tens of thousands of times (every error response, every
 * shared parameter); parsing and walking each pointer again was a good part of reading the model.
 */
const targets = new WeakMap<SpecSource, Map<string, Located | null>>();

function targetOf(source: SpecSource, ref: string): Located | null {
  let known = targets.get(source);
  if (known === undefined) {
    known = new Map();
    targets.set(source, known);
  }
  let found = known.get(ref);
  if (found === undefined) {
    const segments = parseLocalRef(ref);
    const value = segments === undefined ? undefined : getAt(source.document, segments);
    found = segments === undefined || value === undefined ? null : { value, pointer: segments };
    known.set(ref, found);
  }
  return found;
}

/**
 * Follows local `$ref`s from `value` (found at `pointer`) to the referenced value.
 * @throws CodegenError `SPEC_INVALID` on a dangling or circular chain of references.
 */
export function resolveRef(source: SpecSource, value: unknown, pointer: readonly string[]): Located {
  let current: Located = { value, pointer };
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ref = isRecord(current.value) ? current.value["$ref"] : undefined;
    if (typeof ref !== "string") return current;
    const target = targetOf(source, ref);
    if (target === null) {
      throw source.error("SPEC_INVALID", `$ref "${ref}" cannot be resolved`, [...current.pointer, "$ref"]);
    }
    current = target;
  }
  throw source.error("SPEC_INVALID", "circular $ref", pointer);
}
