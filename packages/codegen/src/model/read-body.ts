import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type MediaTypeObject, type OperationObject } from "../spec/validate-document.js";
import type { RequestBodyDescriptor } from "./api-model.js";

type Encoding = NonNullable<RequestBodyDescriptor["encoding"]>;

/** Media types tried in this order after JSON; anything else is taken as declared. */
const PREFERRED = ["application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream", "text/plain"];

/**
 * The request body an operation sends by default, when it is not JSON: the first of JSON,
 * `application/x-www-form-urlencoded`, `multipart/form-data`, `application/octet-stream`,
 * `text/plain` the operation declares, else its first declared media type; with the property
 * encodings (`style`, `explode`, `contentType`) of form and multipart bodies. `undefined` for JSON
 * or no body.
 */
export function readRequestBody(source: SpecSource, operation: OperationObject, pointer: readonly string[]): RequestBodyDescriptor | undefined {
  if (operation.requestBody === undefined) return undefined;
  const resolved = resolveRef(source, operation.requestBody, [...pointer, "requestBody"]);
  const body = parseWith(source, referencedShapes.requestBody, resolved.value, resolved.pointer);
  const declared = Object.keys(body.content);
  const mediaType = pickMediaType(declared);
  if (mediaType === undefined || isJson(mediaType)) return undefined;
  const encoding = readEncoding(body.content[mediaType]);
  return { mediaType, ...(encoding === undefined ? {} : { encoding }) };
}

/** JSON first, then {@link PREFERRED}, else the first declared. */
export function pickMediaType(declared: readonly string[]): string | undefined {
  const json = declared.find(isJson);
  if (json !== undefined) return json;
  for (const preferred of PREFERRED) {
    const found = declared.find((type) => essence(type) === preferred);
    if (found !== undefined) return found;
  }
  return declared[0];
}

/** `application/json`, or any `+json` structured syntax suffix (`application/merge-patch+json`). */
export function isJson(mediaType: string): boolean {
  const type = essence(mediaType);
  return type === "application/json" || /^[\w.+-]+\/[\w.+-]+\+json$/.test(type);
}

/** The media type without parameters, lower-cased. */
function essence(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}

function readEncoding(mediaType: MediaTypeObject | undefined): Encoding | undefined {
  const entries = Object.entries(mediaType?.encoding ?? {})
    .map(([name, e]) => {
      const { style, explode, contentType } = e;
      const encoding = {
        ...(style === undefined ? {} : { style }),
        ...(explode === undefined ? {} : { explode }),
        ...(contentType === undefined ? {} : { contentType }),
      };
      return [name, encoding] as const;
    })
    .filter(([, encoding]) => Object.keys(encoding).length > 0);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
