import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { CodegenError } from "../errors.js";
import type { ApiModel } from "../model/api-model.js";
import { IDEMPOTENCY_HEADER } from "../model/read-operations.js";
import { HTTP_METHODS } from "../spec/check-extensions.js";
import { isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { header } from "./header.js";

/**
 * Renders `schema.ts` with openapi-typescript 7 (`paths`, `components`, `operations`), handing it
 * the already-parsed document. `Idempotency-Key` header parameters become optional in the types:
 * the client generates the key. Changes `source.document` in place (no copy of a large spec), so
 * it must be the last step that reads the document.
 */
export async function renderSchema(source: SpecSource, model: ApiModel): Promise<string> {
  const document = source.document as OpenAPI3;
  relaxIdempotencyHeaders(source, document);
  try {
    // defaultNonNullable: false keeps a request property with a `default` optional, as the spec says.
    const ast = await openapiTS(document, { silent: true, defaultNonNullable: false });
    return `${header(model)}${astToString(ast)}`;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] ?? "" : String(cause);
    throw new CodegenError("SPEC_INVALID", `openapi-typescript failed: ${reason}`, { file: source.file });
  }
}

/** Sets `required: false` on every `Idempotency-Key` header parameter (through `$ref`s). */
function relaxIdempotencyHeaders(source: SpecSource, document: OpenAPI3): void {
  const relax = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const target = resolveRef(source, item, []).value;
      if (isRecord(target) && target["in"] === "header" && String(target["name"]).toLowerCase() === IDEMPOTENCY_HEADER) {
        target["required"] = false;
      }
    }
  };
  for (const pathItem of Object.values(document.paths ?? {})) {
    if (!isRecord(pathItem)) continue;
    relax(pathItem["parameters"]);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isRecord(operation)) relax(operation["parameters"]);
    }
  }
}
