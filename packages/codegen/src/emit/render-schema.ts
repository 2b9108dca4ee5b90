import openapiTS, { astToString, type OpenAPI3, type SchemaObject } from "openapi-typescript";
import ts from "typescript";
import { CodegenError } from "../errors.js";
import type { ApiModel } from "../model/api-model.js";
import { IDEMPOTENCY_HEADER } from "../model/read-operations.js";
import { HTTP_METHODS } from "../spec/check-extensions.js";
import { getAt, isRecord, parseLocalRef } from "../spec/json-pointer.js";
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
    const ast = await openapiTS(document, { silent: true, defaultNonNullable: false, transform: binaryAsBytes });
    return `${header(model)}${astToString(ast)}`;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] ?? "" : String(cause);
    // openapi-typescript names where it stopped ("… at #/paths/~1files/post/uploadFile"): point there.
    const at = /\bat (#\/\S*)/.exec(reason)?.[1];
    const segments = at === undefined ? undefined : parseLocalRef(at);
    if (segments !== undefined) throw source.error("SPEC_INVALID", reason.replace(/\s*\bat #\/\S*/, "").trim() || reason, existingPrefix(document, segments));
    throw new CodegenError("SPEC_INVALID", `openapi-typescript failed: ${reason}`, { file: source.file });
  }
}

/** The longest prefix of `segments` that names something in the document. */
function existingPrefix(document: unknown, segments: readonly string[]): string[] {
  for (let length = segments.length; length > 0; length--) {
    if (getAt(document, segments.slice(0, length)) !== undefined) return segments.slice(0, length);
  }
  return [];
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

/**
 * `format: binary` strings are bytes: a request may pass a `Blob` (or `File`), a `Uint8Array`, a
 * `ReadableStream` or a string, which the client encodes by the operation's media type.
 */
function binaryAsBytes(schema: SchemaObject): ts.TypeNode | undefined {
  if (!("type" in schema) || schema.format !== "binary") return undefined;
  const type: unknown = schema.type;
  if (type !== "string" && !(Array.isArray(type) && (type as unknown[]).includes("string"))) return undefined;
  const ref = (name: string, ...args: ts.TypeNode[]) => ts.factory.createTypeReferenceNode(name, args.length > 0 ? args : undefined);
  return ts.factory.createUnionTypeNode([
    ref("Blob"),
    ref("Uint8Array"),
    ref("ReadableStream", ref("Uint8Array")),
    ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
  ]);
}
