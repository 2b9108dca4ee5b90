import { isRecord } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

const SUPPORTED = /^3\.[012]\.\d+$/;

/** How to turn a Swagger 2.0 document into OpenAPI 3, in one line. */
export const SWAGGER_CONVERSION =
  "convert it to OpenAPI 3 first, e.g. `npx swagger2openapi spec.json -o openapi.json`, or in the Swagger Editor with Edit → \"Convert to OpenAPI 3\"";

/**
 * Checks that the document is OpenAPI 3.0.x, 3.1.x or 3.2.x before anything else reads it, so a Swagger
 * 2.0 file or a newer OpenAPI version is named for what it is rather than failing on a field.
 * @throws CodegenError `SPEC_UNSUPPORTED` for Swagger 2.0 and other versions, `SPEC_INVALID` when there is no version.
 */
export function checkVersion(source: SpecSource): void {
  const document = source.document;
  if (!isRecord(document)) {
    throw source.error("SPEC_INVALID", "the document is not an object (expected an OpenAPI 3.0, 3.1 or 3.2 document)", []);
  }
  const { openapi, swagger } = document;
  const supported = typeof openapi === "string" && SUPPORTED.test(openapi);
  if (swagger !== undefined && !supported) {
    throw source.error("SPEC_UNSUPPORTED", `this is a Swagger ${String(swagger)} document, which portico does not read: ${SWAGGER_CONVERSION}`, ["swagger"]);
  }
  if (openapi === undefined) {
    throw source.error("SPEC_INVALID", '"openapi" is required: portico reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents', []);
  }
  if (!supported) {
    throw source.error(
      "SPEC_UNSUPPORTED",
      `OpenAPI ${JSON.stringify(openapi)} is not supported: portico reads OpenAPI 3.0.x, 3.1.x and 3.2.x (e.g. "3.0.3", "3.1.0", "3.2.0")`,
      ["openapi"],
    );
  }
}
