import { isRecord } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

/** Where an `x-portico-*` extension may appear. */
type Place = "root" | "info" | "server" | "securityScheme" | "operation" | "response" | "mediaType";

/** Every documented extension and where it belongs (docs/spec-extensions.md). */
const EXTENSIONS: Readonly<Record<string, readonly Place[]>> = {
  "x-portico-client": ["root", "info"],
  "x-portico-claims": ["root"],
  "x-portico-events": ["root"],
  "x-portico-environment": ["server"],
  "x-portico-credential": ["securityScheme"],
  "x-portico-default-token-lifetime": ["securityScheme"],
  "x-portico-idempotent": ["operation"],
  "x-portico-credits": ["operation"],
  "x-portico-pagination": ["operation"],
  "x-portico-retryable": ["response"],
  "x-portico-item-schema": ["mediaType"],
};

const PLACE_NAMES: Readonly<Record<Place, string>> = {
  root: "the document root",
  info: "the info object",
  server: "a server object",
  securityScheme: "a security scheme",
  operation: "an operation",
  response: "a response object",
  mediaType: "a response media type object (content of a response)",
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Values that hold example data, not spec structure: their keys are never extensions. */
const DATA_KEYS = new Set(["example", "examples", "default", "const", "enum"]);

/**
 * Rejects unknown `x-portico-*` extensions and known ones in the wrong place. Shapes are checked
 * by `validateDocument`.
 * @throws CodegenError `SPEC_INVALID`
 */
export function checkExtensions(source: SpecSource): void {
  walk(source, source.document, []);
}

/** `pointer` is the path of `node`: one array, pushed and popped, copied only for an error. */
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
  const parent = pointer.at(-1);
  for (const key of Object.keys(node)) {
    // Under `properties` keys are property names, not extensions.
    if (parent === "properties") {
      pointer.push(key);
      walk(source, node[key], pointer);
      pointer.pop();
      continue;
    }
    if (key.startsWith("x-portico-")) {
      const here = [...pointer, key];
      const places = EXTENSIONS[key];
      if (places === undefined) {
        throw source.error(
          "SPEC_INVALID",
          `unknown extension "${key}" (known: ${Object.keys(EXTENSIONS).join(", ")})`,
          here,
        );
      }
      const place = placeOf(pointer);
      if (place === undefined || !places.includes(place)) {
        throw source.error(
          "SPEC_INVALID",
          `"${key}" is not allowed here; it belongs on ${places.map((p) => PLACE_NAMES[p]).join(" or ")}`,
          here,
        );
      }
      continue;
    }
    if (DATA_KEYS.has(key)) continue;
    pointer.push(key);
    walk(source, node[key], pointer);
    pointer.pop();
  }
}

function placeOf(pointer: readonly string[]): Place | undefined {
  const [a, b, c, d, e] = pointer;
  const n = pointer.length;
  if (n === 0) return "root";
  if (n === 1 && a === "info") return "info";
  if (n === 2 && a === "servers") return "server";
  if (n === 3 && a === "components" && b === "securitySchemes") return "securityScheme";
  if (n === 3 && a === "paths" && isMethod(c)) return "operation";
  if (n === 3 && a === "components" && b === "responses") return "response";
  if (n === 5 && a === "paths" && isMethod(c) && d === "responses") return "response";
  if (n === 5 && a === "components" && b === "responses" && d === "content") return "mediaType";
  if (n === 7 && a === "paths" && isMethod(c) && d === "responses" && pointer[5] === "content") return "mediaType";
  if (n === 4 && a === "paths" && c === "servers") return "server";
  if (n === 5 && a === "paths" && isMethod(c) && d === "servers" && e !== undefined) return "server";
  return undefined;
}

function isMethod(value: string | undefined): boolean {
  return (HTTP_METHODS as readonly (string | undefined)[]).includes(value);
}
