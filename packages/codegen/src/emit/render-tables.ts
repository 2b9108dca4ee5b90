import type { ApiModel, OperationModel } from "../model/api-model.js";
import type { SpecSource } from "../spec/parse-source.js";
import { ConstantPool } from "./constant-pool.js";
import { arr, fromJson, ident, lit, obj, type Expr } from "./expression.js";
import { header } from "./header.js";
import { zodSchemaConverter } from "./zod-schema.js";

/**
 * Renders `errors.ts` (zod/mini schemas of the error bodies, one per distinct shape) and
 * `descriptor.ts` (the `ApiDescriptor` table). Both share one constant pool, so a code list used
 * by a schema and by the table is written once.
 */
export function renderTables(source: SpecSource, model: ApiModel): { errors: string; descriptor: string } {
  const pool = new ConstantPool(prefixOf);
  const zodSchemaOf = zodSchemaConverter(source);
  const withSchemas = model.operations
    .map((op) => [op.key, op.errors.flatMap((e) => (e.schema === undefined ? [] : [[e.status, zodSchemaOf(e.schema)] as const]))] as const)
    .filter(([, schemas]) => schemas.length > 0);
  const errorSchemas = obj(withSchemas.map(([key, schemas]) => [key, obj(schemas)] as const));
  const descriptor = descriptorExpr(model);
  pool.add("errors", errorSchemas);
  pool.add("descriptor", descriptor);

  const errors = [
    header(model),
    ...(withSchemas.length === 0 ? [] : ['import * as z from "zod/mini";\n']),
    ...section(pool.declarations("errors")),
    `/** Error body schemas of the ${model.title} by operation, then status. */`,
    `export const errorSchemas = ${pool.print(errorSchemas)};\n`,
  ].join("\n");

  const imported = pool.importsOf("descriptor").map((i) => i.name).sort(byName);
  const descriptorFile = [
    header(model),
    'import type { ApiDescriptor } from "@portico/core";',
    `import { ${["errorSchemas", ...imported].join(", ")} } from "./errors.js";\n`,
    ...section(pool.declarations("descriptor")),
    `/** Runtime description of the ${model.title} (${model.specFile}), read by \`createClient\` of \`@portico/core\`. */`,
    `export const descriptor: ApiDescriptor = ${pool.print(descriptor)};\n`,
  ].join("\n");
  return { errors, descriptor: descriptorFile };
}

/** `e` for error schemas, `c` for string lists (codes, scopes), `t` for other table parts. */
function prefixOf(expr: Expr): string {
  if (expr.kind === "call") return "e";
  if (expr.kind === "arr" && expr.items.every((i) => i.kind === "lit" && typeof i.value === "string")) return "c";
  return "t";
}

/** Orders `c2` before `c10`. */
function byName(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function section(lines: string[]): string[] {
  return lines.length === 0 ? [] : [...lines, ""];
}

function descriptorExpr(model: ApiModel): Expr {
  const entries: [string, Expr][] = [
    ["name", lit(model.name)],
    ["servers", fromJson(model.servers)],
    ["securitySchemes", obj(Object.entries(model.securitySchemes).map(([name, scheme]) => [name, fromJson(scheme.descriptor)] as const))],
  ];
  if (model.security !== undefined) entries.push(["security", fromJson(model.security)]);
  entries.push(["operations", obj(model.operations.map((op) => [op.key, operationExpr(op)] as const))], ["errorSchemas", ident("errorSchemas")]);
  if (model.claims !== undefined) entries.push(["claims", fromJson(model.claims)]);
  return obj(entries);
}

/** Only what differs from the defaults is written: absent means "spec default", "no", "none", JSON. */
function operationExpr(op: OperationModel): Expr {
  const entries: [string, Expr][] = [];
  if (op.security !== undefined) entries.push(["security", fromJson(op.security)]);
  if (op.idempotent) entries.push(["idempotent", lit(true)]);
  if (op.credits !== undefined) entries.push(["credits", lit(op.credits)]);
  if (op.metered) entries.push(["metered", lit(true)]);
  if (op.errors.length > 0) entries.push(["errors", obj(op.errors.map((e) => [e.status, arr(e.codes.map(lit))] as const))]);
  if (op.retryableCodes !== undefined) entries.push(["retryableCodes", arr(op.retryableCodes.map(lit))]);
  if (op.body !== undefined) entries.push(["body", fromJson(op.body)]);
  if (op.successJson) entries.push(["successJson", lit(true)]);
  if (op.stream !== undefined) entries.push(["stream", fromJson(op.stream.descriptor)]);
  if (op.pagination !== undefined) entries.push(["pagination", fromJson(op.pagination.descriptor)]);
  return obj(entries);
}
