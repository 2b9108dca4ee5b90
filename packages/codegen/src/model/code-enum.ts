import { isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef, type Located } from "../spec/resolve-ref.js";

/**
 * Body properties that carry an error's code, tried in this order: the first whose schema is a
 * string enum (or `const`) gives the codes. `@portico/core` reads codes from bodies in the same order.
 */
export const CODE_PROPERTIES: readonly (readonly string[])[] = [["code"], ["error_code"], ["errorCode"], ["error", "code"]];

const MAX_DEPTH = 16;

/**
 * The code-like enum of an error body schema: the values of the first of {@link CODE_PROPERTIES}
 * that is a string enum or `const` (through `$ref`, `allOf`, `oneOf`, `anyOf`), or `[]` when none is.
 */
export function codeEnumOf(source: SpecSource, schema: Located): string[] {
  for (const path of CODE_PROPERTIES) {
    const codes = enumAt(source, schema.value, path, 0);
    if (codes !== undefined && codes.length > 0) return codes;
  }
  return [];
}

/** The string enum of the property at `path` of `schema`, or `undefined`. */
function enumAt(source: SpecSource, schema: unknown, path: readonly string[], depth: number): string[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { value } = resolveRef(source, schema, []);
  if (!isRecord(value)) return undefined;
  const [head, ...rest] = path;
  const properties = value["properties"];
  if (head === undefined) {
    const direct = stringEnum(value);
    if (direct !== undefined) return direct;
  } else if (isRecord(properties) && properties[head] !== undefined) {
    const found = enumAt(source, properties[head], rest, depth + 1);
    if (found !== undefined) return found;
  }
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    const parts = value[key];
    if (!Array.isArray(parts)) continue;
    const found = parts.map((part) => enumAt(source, part, path, depth + 1));
    if (key === "allOf") {
      const defined = found.filter((c) => c !== undefined);
      if (defined.length > 0) return unique(defined.flat());
    } else if (found.length > 0 && found.every((c) => c !== undefined)) {
      return unique(found.flat());
    }
  }
  return undefined;
}

/** A string `const`, or an `enum` of strings (a `null` member of a nullable enum aside). */
function stringEnum(schema: Record<string, unknown>): string[] | undefined {
  if (typeof schema["const"] === "string") return [schema["const"]];
  const values = schema["enum"];
  if (!Array.isArray(values)) return undefined;
  const members = values.filter((v) => v !== null);
  if (members.length > 0 && members.every((v): v is string => typeof v === "string")) return unique(members);
  return undefined;
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
