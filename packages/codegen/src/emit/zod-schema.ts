import { isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef, type Located } from "../spec/resolve-ref.js";
import { arr, call, lit, obj, type Expr } from "./expression.js";

const MAX_DEPTH = 8;

/**
 * Converts a JSON schema (OpenAPI 3.0 or 3.1 dialect) into a `zod/mini` expression. Covers what
 * error bodies use: objects (always loose: unknown keys are kept), strings, numbers, booleans,
 * arrays, enums, constants, nullability, `allOf` of objects, `oneOf`/`anyOf`. Anything else,
 * and recursion, becomes `z.unknown()`.
 */
export function zodSchemaOf(source: SpecSource, schema: Located): Expr {
  return new Converter(source).convert(schema.value, schema.pointer, 0, new Set());
}

type Schema = Record<string, unknown>;
const unknown = (): Expr => call("z.unknown");

class Converter {
  constructor(private readonly source: SpecSource) {}

  convert(value: unknown, pointer: readonly string[], depth: number, stack: ReadonlySet<string>): Expr {
    if (depth > MAX_DEPTH) return unknown();
    const resolved = resolveRef(this.source, value, pointer);
    const id = resolved.pointer.join("/");
    if (stack.has(id) || !isRecord(resolved.value)) return unknown();
    const schema = resolved.value;
    const inner = new Set(stack).add(id);
    const types = typesOf(schema);
    const nullable = schema["nullable"] === true || types.includes("null");
    const base = this.base(schema, types.filter((t) => t !== "null"), resolved.pointer, depth, inner);
    return nullable && !(base.kind === "call" && base.callee === "z.null") ? call("z.nullable", base) : base;
  }

  private base(schema: Schema, types: readonly string[], pointer: readonly string[], depth: number, stack: ReadonlySet<string>): Expr {
    const next = (v: unknown, p: readonly string[]) => this.convert(v, p, depth + 1, stack);
    const constant = schema["const"];
    if (isLiteral(constant)) return call("z.literal", lit(constant));
    const values = schema["enum"];
    if (Array.isArray(values) && values.length > 0) {
      const literals = values.filter(isLiteral);
      if (literals.every((v) => typeof v === "string")) return call("z.enum", arr(literals.map(lit)));
      return union(literals.map((v) => call("z.literal", lit(v))));
    }
    for (const key of ["oneOf", "anyOf"] as const) {
      const parts = schema[key];
      if (Array.isArray(parts)) return union(parts.map((part, i) => next(part, [...pointer, key, String(i)])));
    }
    if (Array.isArray(schema["allOf"])) {
      const merged = this.mergeAllOf(schema, pointer, 0);
      return merged === undefined ? unknown() : this.object(merged, pointer, next);
    }
    if (types.length > 1) return union(types.map((type) => this.base({ ...schema, type }, [type], pointer, depth, stack)));
    switch (types[0] ?? (isRecord(schema["properties"]) ? "object" : undefined)) {
      case "string":
        return call("z.string");
      case "number":
      case "integer":
        return call("z.number");
      case "boolean":
        return call("z.boolean");
      case "null":
        return call("z.null");
      case "array":
        return call("z.array", schema["items"] === undefined ? unknown() : next(schema["items"], [...pointer, "items"]));
      case "object":
        return this.object(schema, pointer, next);
      default:
        return unknown();
    }
  }

  private object(schema: Schema, pointer: readonly string[], next: (v: unknown, p: readonly string[]) => Expr): Expr {
    const properties = isRecord(schema["properties"]) ? schema["properties"] : {};
    const required = new Set(Array.isArray(schema["required"]) ? schema["required"].map(String) : []);
    const entries = Object.entries(properties).map(([name, property]) => {
      const expr = next(property, [...pointer, "properties", name]);
      return [name, required.has(name) ? expr : call("z.optional", expr)] as const;
    });
    return call("z.looseObject", obj(entries));
  }

  /** Properties and `required` of an `allOf` of object schemas, or `undefined` if a part is not an object. */
  private mergeAllOf(schema: Schema, pointer: readonly string[], depth: number): Schema | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const properties: Schema = {};
    const required: string[] = [];
    const parts: unknown[] = [...(schema["allOf"] as unknown[]), { ...schema, allOf: undefined }];
    for (const part of parts) {
      const resolved = resolveRef(this.source, part, pointer).value;
      if (!isRecord(resolved)) return undefined;
      const target = Array.isArray(resolved["allOf"]) ? this.mergeAllOf(resolved, pointer, depth + 1) : resolved;
      if (target === undefined) return undefined;
      const type = typesOf(target);
      if (type.length > 0 && !type.includes("object")) return undefined;
      if (isRecord(target["properties"])) Object.assign(properties, target["properties"]);
      if (Array.isArray(target["required"])) required.push(...target["required"].map(String));
    }
    return { type: "object", properties, required };
  }
}

function typesOf(schema: Schema): string[] {
  const type = schema["type"];
  return Array.isArray(type) ? type.map(String) : typeof type === "string" ? [type] : [];
}

function isLiteral(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function union(options: Expr[]): Expr {
  if (options.length === 1 && options[0] !== undefined) return options[0];
  return call("z.union", arr(options));
}
