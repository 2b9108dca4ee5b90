import { isRecord } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/** Keys whose value is one schema. */
const ONE_SCHEMA = new Set(["schema", "items", "not", "additionalProperties", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"]);
/** Keys whose value is a list of schemas. */
const SCHEMA_LIST = new Set(["allOf", "oneOf", "anyOf", "prefixItems"]);
/** Keys whose value maps names to schemas. */
const SCHEMA_MAP = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
/** Values that hold example data, not structure. */
const DATA = new Set(["example", "examples", "default", "const", "enum", "x-examples"]);

/**
 * Checks that every place the document puts a schema holds one (an object, or in 3.1 a boolean),
 * with a `type` that is a name or a list of names, `properties` that is an object and `required`
 * that is a list of names, so openapi-typescript never meets what it cannot read and every problem
 * is reported with its line and pointer.
 * @throws CodegenError `SPEC_INVALID`
 */
export function checkSchemas(source: SpecSource): void {
  const document = source.document;
  if (!isRecord(document)) return;
  const components = document["components"];
  if (isRecord(components) && components["schemas"] !== undefined) {
    const schemas = components["schemas"];
    if (!isRecord(schemas)) throw source.error("SPEC_INVALID", '"schemas" must be an object of named schemas', ["components", "schemas"]);
    for (const name of Object.keys(schemas)) schema(source, schemas[name], ["components", "schemas", name]);
  }
  walk(source, document, []);
}

/**
 * Finds the schema positions outside `components.schemas` (parameters, headers, media types).
 * `pointer` is one array, pushed and popped, copied only when a schema is checked.
 */
function walk(source: SpecSource, node: unknown, pointer: string[]): void {
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      pointer.push(String(index));
      walk(source, node[index], pointer);
      pointer.pop();
    }
    return;
  }
  if (!isRecord(node)) return;
  const underSchemas = pointer.length === 2 && pointer[0] === "components" && pointer[1] === "schemas";
  for (const key of Object.keys(node)) {
    if (DATA.has(key) || key.startsWith("x-") || underSchemas) continue;
    const value = node[key];
    // `schema: null` (Directus) reads as "any value", as openapi-typescript takes it.
    if (key === "schema") {
      if (value !== null) schema(source, value, [...pointer, key]);
      continue;
    }
    pointer.push(key);
    walk(source, value, pointer);
    pointer.pop();
  }
}

/** Where `true`/`false` may stand for a schema (openapi-typescript reads booleans only there). */
const BOOLEAN_OK = new Set(["additionalProperties", "unevaluatedProperties", "unevaluatedItems"]);

function schema(source: SpecSource, value: unknown, pointer: readonly string[], depth = 0): void {
  if (typeof value === "boolean") {
    if (BOOLEAN_OK.has(pointer.at(-1) ?? "")) return;
    throw source.error("SPEC_INVALID", `a boolean schema (${value}) is only supported as additionalProperties; write {} for any value, or { "not": {} } for none`, pointer);
  }
  if (!isRecord(value)) throw source.error("SPEC_INVALID", "a schema must be an object", pointer);
  if (depth > 64) return;
  if ("$ref" in value && typeof value["$ref"] !== "string") throw source.error("SPEC_INVALID", '"$ref" must be a string', [...pointer, "$ref"]);
  const type = value["type"];
  if (type !== undefined && typeof type !== "string" && !(Array.isArray(type) && type.every((t) => typeof t === "string"))) {
    throw source.error("SPEC_INVALID", '"type" must be a type name or a list of them', [...pointer, "type"]);
  }
  const required = value["required"];
  if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === "string"))) {
    throw source.error("SPEC_INVALID", '"required" must be a list of property names', [...pointer, "required"]);
  }
  const enumValues = value["enum"];
  if (enumValues !== undefined && !Array.isArray(enumValues)) throw source.error("SPEC_INVALID", '"enum" must be a list of values', [...pointer, "enum"]);
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (ONE_SCHEMA.has(key)) {
      // 3.0 `items` may not be a list; a 2020-12 `items: false` is a boolean schema.
      if (key === "items" && Array.isArray(child)) throw source.error("SPEC_INVALID", '"items" must be one schema (a tuple is "prefixItems" in 3.1)', [...pointer, key]);
      schema(source, child, [...pointer, key], depth + 1);
    } else if (SCHEMA_LIST.has(key)) {
      if (!Array.isArray(child)) throw source.error("SPEC_INVALID", `"${key}" must be a list of schemas`, [...pointer, key]);
      child.forEach((item, index) => schema(source, item, [...pointer, key, String(index)], depth + 1));
    } else if (SCHEMA_MAP.has(key)) {
      if (!isRecord(child)) throw source.error("SPEC_INVALID", `"${key}" must be an object of schemas`, [...pointer, key]);
      for (const name of Object.keys(child)) schema(source, child[name], [...pointer, key, name], depth + 1);
    }
  }
}
