import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { compilePathTemplate, type PathTemplate } from "./route-template.js";

/** A parsed OpenAPI 3.1 document (only the parts the sandbox reads are typed). */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly servers?: ReadonlyArray<{ readonly url: string }>;
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** A loaded spec: the document and where it came from. */
export interface LoadedSpec {
  readonly file: string;
  readonly doc: OpenApiDocument;
}

const loaded = new Map<string, LoadedSpec>();

/** Reads and parses a YAML or JSON OpenAPI file once per process. */
export function loadSpec(file: string): LoadedSpec {
  const absolute = resolve(file);
  const cached = loaded.get(absolute);
  if (cached) return cached;
  const doc = parse(readFileSync(absolute, "utf8")) as OpenApiDocument;
  if (typeof doc !== "object" || doc === null || typeof doc.openapi !== "string") {
    throw new TypeError(`${absolute} is not an OpenAPI document (no "openapi" field)`);
  }
  const spec = { file: absolute, doc };
  loaded.set(absolute, spec);
  return spec;
}

/**
 * Path of `specs/<api>.yaml`, found by walking up from this module (works from `src/` and from
 * the bundled `dist/`).
 */
export function findSpecFile(api: string, from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "specs", `${api}.yaml`);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`specs/${api}.yaml not found above ${from}`);
    dir = parent;
  }
}

/** A JSON pointer (`#/a/b`) into the document, and the node it designates. */
export interface Located<T = unknown> {
  readonly pointer: string;
  readonly node: T;
}

/** Escapes one JSON pointer segment. */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The node at a `#/...` pointer, or undefined. */
export function getByPointer(doc: unknown, pointer: string): unknown {
  const parts = pointer.replace(/^#\/?/, "").split("/").filter((p) => p !== "");
  let node: unknown = doc;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Follows local `$ref`s (`#/...`) from `located` until a node without one. */
export function deref<T = unknown>(doc: OpenApiDocument, located: Located): Located<T> {
  let current = located;
  for (let hops = 0; hops < 32; hops++) {
    const node = current.node as { $ref?: unknown } | undefined;
    if (!node || typeof node !== "object" || typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) break;
    current = { pointer: node.$ref, node: getByPointer(doc, node.$ref) };
  }
  return current as Located<T>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of the spec. */
export interface SpecOperation {
  /** `"METHOD /template"`, e.g. `"POST /v1/transaction/sale"`. */
  readonly key: string;
  readonly method: string;
  readonly template: string;
  readonly operationId?: string;
  /** Pointer of the operation object, e.g. `#/paths/~1v1~1items/get`. */
  readonly pointer: string;
  readonly node: Readonly<Record<string, unknown>>;
  /** Security requirements in force (operation's, else the document's). */
  readonly security: ReadonlyArray<Readonly<Record<string, readonly string[]>>>;
}

/** The operation a request matched, with its path parameters. */
export interface MatchedOperation {
  readonly operation: SpecOperation;
  readonly params: Readonly<Record<string, string>>;
}

/** Finds the spec operation of a request. */
export interface OperationIndex {
  /** Path prefix of the spec's paths on the wire (the first server URL's path), e.g. `/api/v1`. */
  readonly basePath: string;
  readonly operations: readonly SpecOperation[];
  /** The operation for `method` + wire `path`, if any. */
  match(method: string, path: string): MatchedOperation | undefined;
  /** True when some operation has this path (whatever the method). */
  hasPath(path: string): boolean;
}

const indexes = new WeakMap<OpenApiDocument, Map<string, OperationIndex>>();

/** Builds (once per document and base path) the operation index of a spec. */
export function operationIndex(doc: OpenApiDocument, basePath?: string): OperationIndex {
  const base = normalizeBase(basePath ?? serverBasePath(doc));
  let perDoc = indexes.get(doc);
  if (!perDoc) indexes.set(doc, (perDoc = new Map()));
  const cached = perDoc.get(base);
  if (cached) return cached;

  const topSecurity = (doc["security"] as SpecOperation["security"] | undefined) ?? [];
  const entries: Array<{ template: PathTemplate; operations: Map<string, SpecOperation> }> = [];
  for (const [template, pathItem] of Object.entries(doc.paths ?? {})) {
    const operations = new Map<string, SpecOperation>();
    for (const method of METHODS) {
      const node = pathItem[method] as Record<string, unknown> | undefined;
      if (!node) continue;
      const upper = method.toUpperCase();
      operations.set(upper, {
        key: `${upper} ${template}`,
        method: upper,
        template,
        ...(typeof node["operationId"] === "string" ? { operationId: node["operationId"] } : {}),
        pointer: `#/paths/${pointerSegment(template)}/${method}`,
        node,
        security: (node["security"] as SpecOperation["security"] | undefined) ?? topSecurity,
      });
    }
    entries.push({ template: compilePathTemplate(template), operations });
  }
  // Literal segments first: `/a/b` wins over `/a/{x}`.
  entries.sort((a, b) => b.template.literalSegments - a.template.literalSegments);

  const strip = (path: string): string | undefined => {
    if (!base) return path;
    if (path === base) return "/";
    return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
  };
  const index: OperationIndex = {
    basePath: base,
    operations: entries.flatMap((e) => [...e.operations.values()]),
    match(method, path) {
      const local = strip(path);
      if (local === undefined) return undefined;
      for (const entry of entries) {
        const operation = entry.operations.get(method.toUpperCase());
        if (!operation) continue;
        const params = entry.template.match(local);
        if (params) return { operation, params };
      }
      return undefined;
    },
    hasPath(path) {
      const local = strip(path);
      return local !== undefined && entries.some((e) => e.template.match(local) !== undefined);
    },
  };
  perDoc.set(base, index);
  return index;
}

/** Path of the first server URL (`""` for none or `/`). */
export function serverBasePath(doc: OpenApiDocument): string {
  const url = doc.servers?.[0]?.url;
  if (!url) return "";
  try {
    return new URL(url, "http://placeholder.invalid").pathname;
  } catch {
    return "";
  }
}

function normalizeBase(base: string): string {
  const trimmed = base.replace(/\/+$/, "");
  return trimmed === "" ? "" : trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/** Every `code` enum value declared by a response object (through `$ref`, `allOf`, `oneOf`, `anyOf`). */
export function declaredCodes(doc: OpenApiDocument, response: unknown): string[] {
  const resolved = deref<Record<string, unknown>>(doc, { pointer: "", node: response }).node;
  const content = resolved?.["content"] as Record<string, { schema?: unknown }> | undefined;
  const codes = new Set<string>();
  const visit = (schema: unknown, depth: number): void => {
    if (depth > 16) return;
    const node = deref<Record<string, unknown>>(doc, { pointer: "", node: schema }).node;
    if (!node || typeof node !== "object") return;
    const code = (node["properties"] as Record<string, unknown> | undefined)?.["code"];
    const codeNode = deref<Record<string, unknown>>(doc, { pointer: "", node: code }).node;
    const values = codeNode?.["enum"] ?? (codeNode?.["const"] !== undefined ? [codeNode["const"]] : undefined);
    if (Array.isArray(values)) for (const v of values) if (typeof v === "string") codes.add(v);
    for (const key of ["allOf", "oneOf", "anyOf"]) {
      const list = node[key];
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
  };
  for (const media of Object.values(content ?? {})) visit(media?.schema, 0);
  return [...codes];
}
