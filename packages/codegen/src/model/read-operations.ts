import { HTTP_METHODS } from "../spec/check-extensions.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type OpenApiDocument, type ParameterObject } from "../spec/validate-document.js";
import type { OperationModel } from "./api-model.js";
import { readErrorResponses } from "./read-errors.js";
import { kindsOf, sameSecurity, type SchemeTable } from "./read-security.js";

const UNSAFE = new Set(["post", "put", "patch", "delete"]);
export const IDEMPOTENCY_HEADER = "idempotency-key";

/** Reads every operation, sorted by path then method. */
export function readOperations(source: SpecSource, document: OpenApiDocument, schemes: SchemeTable): OperationModel[] {
  const operations: OperationModel[] = [];
  const topSecurity = document.security ?? [];
  const paths = document.paths ?? {};
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (item === undefined) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const at = ["paths", path, method];
      const own = operation.security;
      const kinds = own === undefined
        ? kindsOf(source, schemes, topSecurity, ["security"])
        : kindsOf(source, schemes, own, [...at, "security"]);
      const unsafe = UNSAFE.has(method);
      if (operation["x-portico-idempotent"] === true && !unsafe) {
        throw source.error("SPEC_INVALID", `"x-portico-idempotent" only applies to POST, PUT, PATCH and DELETE`, [...at, "x-portico-idempotent"]);
      }
      const header = idempotencyHeader(source, item.parameters, operation.parameters, at);
      const idempotent = unsafe && (header !== undefined || operation["x-portico-idempotent"] === true);
      const credits = operation["x-portico-credits"];
      const errors = readErrorResponses(source, operation, at);
      const retryableCodes = [...new Set(errors.flatMap((e) => e.retryable ?? []))];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        path,
        method,
        ...(own !== undefined && !sameSecurity(own, topSecurity) ? { security: own } : {}),
        kinds,
        idempotent,
        idempotencyKeyRequired: idempotent && header?.required === true,
        ...(credits === undefined ? {} : { credits }),
        errors,
        ...(retryableCodes.length > 0 ? { retryableCodes } : {}),
      });
    }
  }
  return operations;
}

type ParameterList = ParameterObject[] | readonly unknown[] | undefined;

/** The `Idempotency-Key` header parameter in effect (operation-level wins over path-level). */
function idempotencyHeader(
  source: SpecSource,
  pathLevel: ParameterList,
  operationLevel: ParameterList,
  at: readonly string[],
): ParameterObject | undefined {
  let found: ParameterObject | undefined;
  const scan = (list: ParameterList, pointer: readonly string[]) => {
    (list ?? []).forEach((raw, index) => {
      const resolved = resolveRef(source, raw, [...pointer, "parameters", String(index)]);
      const parameter = parseWith(source, referencedShapes.parameter, resolved.value, resolved.pointer);
      if (parameter.in === "header" && parameter.name.toLowerCase() === IDEMPOTENCY_HEADER) found = parameter;
    });
  };
  scan(pathLevel, at.slice(0, 2));
  scan(operationLevel, at);
  return found;
}
