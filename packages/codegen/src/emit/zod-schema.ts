import { isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef, type Located } from "../spec/resolve-ref.js";
import { arr, call, keyOf, lit, obj, type Expr } from "./expression.js";

/**
 * Levels of nesting checked below the body (properties, items, union members): deeper values are
 * `z.unknown()`. Error bodies carry their code and message near the top; a real spec's error body
 * can reach a whole resource (Stripe's `payment_intent`), which checking in full would make huge.
 */
const MAX_DEPTH = 3;

/**
 * Converts a JSON schema (OpenAPI 3.0 or 3.1 dialect) into a `zod/mini` expression. Covers what
 * error bodies use: objects (always loose: unknown keys are kept), strings, numbers, booleans,
 * arrays, enums, constants, nullability, `allOf` of objects, `oneOf`/`anyOf`. Anything else,
 * recursion, and values nested deeper than {@link MAX_DEPTH} become `z.unknown()`; an object
 * property that is `z.unknown()` is left out (a loose object keeps it anyway).
 */
export function zodSchemaOf(source: SpecSource, schema: Located): Expr {
  return new Converter(source).convert(schema.value, schema.pointer, 0, new Set());
}

/**
 * {@link zodSchemaOf} for many error bodies of one spec: a body schema reached again (most
 * operations of a large spec `$ref` one shared error schema) is converted once, and the same
 * expression object is returned, so its canonical text is computed once too.
 */
export function zodSchemaConverter(source: SpecSource): (schema: Located) => Expr {
  const converter = new Converter(source);
  const done = new Map<string, Expr>();
  return (schema) => {
    // The conversion of a body depends only on the schema it resolves to (and where that is).
    const resolved = resolveRef(source, schema.value, schema.pointer);
    const key = resolved.pointer.join("\u0000");
    let expr = done.get(key);
    if (expr === undefined) {
      expr = converter.convert(resolved.value, resolved.pointer, 0, new Set());
      done.set(key, expr);
    }
    return expr;
  };
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
    return nullable && !isCall(base, "z.null") && !isCall(base, "z.unknown") ? call("z.nullable", base) : base;
  }

  private base(schema: Schema, types: readonly string[], pointer: readonly string[], depth: number, stack: ReadonlySet<string>): Expr {
    const next = (v: unknown, p: readonly string[]) => this.convert(v, p, depth + 1, stack);
    const constant = schema["const"];
    if (isLiteral(constant)) return call("z.literal", lit(constant));
    const values = schema["enum"];
    if (Array.isArray(values) && values.length > 0) {
      const literals = values.filter(isLiteral);
      if (literals.length === 0) return unknown();
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
    const entries = Object.entries(properties).flatMap(([name, property]) => {
      const expr = next(property, [...pointer, "properties", name]);
      if (isCall(expr, "z.unknown")) return [];
      return [[name, required.has(name) ? expr : call("z.optional", expr)] as const];
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

/** A union of distinct options; `z.unknown()` when one of them is. */
function union(options: Expr[]): Expr {
  if (options.length === 0 || options.some((o) => isCall(o, "z.unknown"))) return unknown();
  const distinct = [...new Map(options.map((o) => [keyOf(o), o] as const)).values()];
  if (distinct.length === 1 && distinct[0] !== undefined) return distinct[0];
  return call("z.union", arr(distinct));
}

function isCall(expr: Expr, callee: string): boolean {
  return expr.kind === "call" && expr.callee === callee;
}
