import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "./framework/errors.js";
import {
  declaredCodes,
  deref,
  loadSpec,
  operationIndex,
  pointerSegment,
  type MatchedOperation,
  type OpenApiDocument,
  type SpecOperation,
} from "./framework/spec.js";

/** Options of `validateRequests`. */
export interface ValidateRequestsOptions {
  /** Prefix of the spec's paths on the wire. @default the path of the spec's first server URL */
  readonly basePath?: string;
  /** Path prefixes the app serves outside the spec (e.g. `"/.well-known/"`): passed through unvalidated. */
  readonly passthrough?: readonly string[];
  /** Request id to put in error bodies. @default `c.get("requestId")` (Hono's `requestId()` middleware) */
  readonly requestId?: (c: Context) => string | undefined;
}

/** One problem found in a request. */
export interface RequestProblem {
  readonly in: "path" | "query" | "header" | "body";
  /** Parameter name, or JSON pointer inside the body. */
  readonly path: string;
  readonly message: string;
}

/**
 * A request as its operation declares it, once validated: parameters coerced from strings, the
 * spec's defaults filled in, the body parsed (JSON, or a form as an object). Handlers read it with
 * `requestInput` (typed from a generated client's `operations`).
 */
export interface ValidatedInput {
  /** The matched operation: `"POST /v1/items"`, and its `operationId`. */
  readonly operation: string;
  readonly operationId: string | undefined;
  readonly path: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly header: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** Outcome of validating one request against its operation. */
export type RequestValidation =
  | { readonly ok: true; readonly input: ValidatedInput }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string; readonly problems: readonly RequestProblem[] };

type ParamLocation = "path" | "query" | "header";

interface CompiledOperation {
  readonly params: Record<ParamLocation, { readonly names: ReadonlyArray<{ name: string; array: boolean }>; readonly validate?: ValidateFunction }>;
  readonly body?: {
    readonly required: boolean;
    readonly json?: ValidateFunction;
    readonly form?: ValidateFunction;
  };
  readonly codes: { readonly validation: string; readonly invalidJson: string; readonly idempotencyMissing?: string; readonly mediaStatus: number; readonly media: string };
}

interface SpecValidators {
  readonly doc: OpenApiDocument;
  readonly strict: Ajv2020;
  readonly coercing: Ajv2020;
  readonly schemaId: string;
  readonly operations: Map<string, CompiledOperation>;
  /** Validators of single schemas (`compileSchemaCheck`), by `coerce:pointer`. */
  readonly schemas: Map<string, ValidateFunction>;
  readonly notFoundCode: string;
}

/** The context variable holding a validated request's `ValidatedInput`. */
export const INPUT_VARIABLE = "validatedInput";

const validatorsByDoc = new WeakMap<OpenApiDocument, SpecValidators>();
let nextSpecId = 0;

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: coerce ? "array" : false, logger: false, useDefaults: true });
  addFormats(ajv);
  for (const name of ["int32", "int64", "float", "double", "byte", "binary", "password"]) ajv.addFormat(name, true);
  return ajv;
}

function validatorsFor(doc: OpenApiDocument): SpecValidators {
  const cached = validatorsByDoc.get(doc);
  if (cached) return cached;
  const schemaId = `urn:portico:sandbox:spec:${nextSpecId++}`;
  const strict = newAjv(false);
  const coercing = newAjv(true);
  strict.addSchema({ ...doc, $id: schemaId });
  coercing.addSchema({ ...doc, $id: schemaId });
  const notFound = new Set<string>();
  for (const pathItem of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(pathItem)) {
      const responses = (op as { responses?: Record<string, unknown> } | undefined)?.responses;
      if (responses?.["404"]) for (const c of declaredCodes(doc, responses["404"])) notFound.add(c);
    }
  }
  const validators: SpecValidators = {
    doc,
    strict,
    coercing,
    schemaId,
    operations: new Map(),
    schemas: new Map(),
    notFoundCode: pick([...notFound], [/^NOT_FOUND$/, /NOT_FOUND/]) ?? "NOT_FOUND",
  };
  validatorsByDoc.set(doc, validators);
  return validators;
}

function pick(codes: readonly string[], preferences: readonly RegExp[]): string | undefined {
  for (const pattern of preferences) {
    const found = codes.find((c) => pattern.test(c));
    if (found) return found;
  }
  return undefined;
}

function compileOperation(v: SpecValidators, operation: SpecOperation): CompiledOperation {
  const cached = v.operations.get(operation.key);
  if (cached) return cached;
  const { doc } = v;
  const ref = (pointer: string) => ({ $ref: `${v.schemaId}${pointer}` });

  // Parameters: path item's, overridden by the operation's (same name + in).
  const pathPointer = `#/paths/${pointerSegment(operation.template)}`;
  const declared = new Map<string, { name: string; in: ParamLocation; required: boolean; schemaPointer?: string; array: boolean; default?: unknown }>();
  const collect = (list: unknown, listPointer: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const { node, pointer } = deref<Record<string, unknown>>(doc, { pointer: `${listPointer}/${i}`, node: item });
      const where = node?.["in"];
      const name = node?.["name"];
      if (typeof name !== "string" || (where !== "path" && where !== "query" && where !== "header")) return;
      const schema = deref<Record<string, unknown>>(doc, { pointer: `${pointer}/schema`, node: node?.["schema"] });
      declared.set(`${where}:${where === "header" ? name.toLowerCase() : name}`, {
        name: where === "header" ? name.toLowerCase() : name,
        in: where,
        required: where === "path" || node?.["required"] === true,
        ...(node?.["schema"] ? { schemaPointer: `${pointer}/schema` } : {}),
        array: schema.node?.["type"] === "array",
        // Beside the `$ref`, where ajv's `useDefaults` sees it.
        ...(schema.node?.["default"] !== undefined ? { default: schema.node["default"] } : {}),
      });
    });
  };
  collect((doc.paths?.[operation.template] as Record<string, unknown> | undefined)?.["parameters"], `${pathPointer}/parameters`);
  collect(operation.node["parameters"], `${operation.pointer}/parameters`);

  const params = {} as CompiledOperation["params"];
  for (const location of ["path", "query", "header"] as const) {
    const mine = [...declared.values()].filter((p) => p.in === location);
    const schema = {
      type: "object",
      properties: Object.fromEntries(mine.map((p) => [p.name, { ...(p.schemaPointer ? ref(p.schemaPointer) : {}), ...("default" in p ? { default: p.default } : {}) }])),
      required: mine.filter((p) => p.required).map((p) => p.name),
    };
    params[location] = {
      names: mine.map((p) => ({ name: p.name, array: p.array })),
      ...(mine.length ? { validate: v.coercing.compile(schema) } : {}),
    };
  }

  // Request body.
  let body: CompiledOperation["body"];
  const rb = deref<Record<string, unknown>>(doc, { pointer: `${operation.pointer}/requestBody`, node: operation.node["requestBody"] });
  if (rb.node) {
    const content = (rb.node["content"] ?? {}) as Record<string, { schema?: unknown }>;
    const types = Object.keys(content);
    const jsonType = types.find((t) => /^application\/(.+\+)?json/.test(t));
    const formType = types.find((t) => t.startsWith("application/x-www-form-urlencoded"));
    const schemaPointer = (type: string) => `${rb.pointer}/content/${pointerSegment(type)}/schema`;
    body = {
      required: rb.node["required"] === true,
      ...(jsonType ? { json: v.strict.compile(content[jsonType]?.schema ? ref(schemaPointer(jsonType)) : {}) } : {}),
      ...(formType ? { form: v.coercing.compile(content[formType]?.schema ? ref(schemaPointer(formType)) : {}) } : {}),
    };
  }

  const responses = (operation.node["responses"] ?? {}) as Record<string, unknown>;
  const badRequest = declaredCodes(doc, responses["400"]);
  const validation = pick(badRequest, [/^VALIDATION_ERROR$/, /VALIDATION/, /INVALID_REQUEST/, /BAD_REQUEST/]) ?? badRequest[0] ?? "VALIDATION_ERROR";
  const idempotencyMissing = pick(badRequest, [/IDEMPOTENCY_KEY_MISSING/, /IDEMPOTENCY_KEY_REQUIRED/]);
  const mediaCodes = declaredCodes(doc, responses["415"]);
  const compiled: CompiledOperation = {
    params,
    ...(body ? { body } : {}),
    codes: {
      validation,
      invalidJson: pick(badRequest, [/INVALID_JSON/, /MALFORMED/]) ?? validation,
      ...(idempotencyMissing ? { idempotencyMissing } : {}),
      mediaStatus: responses["415"] ? 415 : 400,
      media: pick(mediaCodes, [/UNSUPPORTED_MEDIA/, /.*/]) ?? validation,
    },
  };
  v.operations.set(operation.key, compiled);
  return compiled;
}

function problemsOf(errors: readonly ErrorObject[] | null | undefined, location: RequestProblem["in"]): RequestProblem[] {
  return (errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    let path = e.instancePath;
    if (e.keyword === "required" && typeof params["missingProperty"] === "string") path = `${path}/${params["missingProperty"]}`;
    if (e.keyword === "additionalProperties" && typeof params["additionalProperty"] === "string") {
      path = `${path}/${params["additionalProperty"]}`;
      return { in: location, path: trimPath(path, location), message: "is not a known field" };
    }
    return { in: location, path: trimPath(path, location), message: e.message ?? "is invalid" };
  });
}

/** A form body as an object: a repeated field becomes an array of its values. */
export function formFields(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = form[key];
    form[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return form;
}

/** A problem with a value checked by `compileSchemaCheck`, with the JSON Schema keyword that failed. */
export interface SchemaProblem extends RequestProblem {
  /** `required`, `pattern`, `maximum`, `additionalProperties`, ... */
  readonly keyword: string;
}

/**
 * Compiles (once per document) a check of one schema of the spec, e.g.
 * `#/components/schemas/TokenRequest`, with the ajv the request validators use: `coerce` reads
 * strings as the schema's types (form bodies). The spec's defaults are filled into the checked value.
 */
export function compileSchemaCheck(doc: OpenApiDocument, pointer: string, options: { readonly coerce: boolean }): (value: unknown) => SchemaProblem[] {
  const v = validatorsFor(doc);
  const key = `${options.coerce}:${pointer}`;
  let validate = v.schemas.get(key);
  if (!validate) v.schemas.set(key, (validate = (options.coerce ? v.coercing : v.strict).compile({ $ref: `${v.schemaId}${pointer}` })));
  const check = validate;
  return (value) => {
    if (check(value)) return [];
    const errors = check.errors ?? [];
    // `problemsOf` maps one error to one problem, in order.
    return problemsOf(errors, "body").map((problem, i) => ({ ...problem, keyword: errors[i]?.keyword ?? "" }));
  };
}

function trimPath(path: string, location: RequestProblem["in"]): string {
  return location === "body" ? path || "/" : path.replace(/^\//, "");
}

function fail(status: number, code: string, message: string, problems: RequestProblem[] = []): RequestValidation {
  return { ok: false, status, code, message, problems };
}

function describe(problem: RequestProblem): string {
  if (problem.in === "body") return `body ${problem.path} ${problem.message}`;
  return `${problem.in} parameter "${problem.path}" ${problem.message}`;
}

/**
 * Validates one request against its matched operation: path, query and header parameters
 * (coerced from strings, defaults filled in) and the JSON (or form) body. Never throws for bad input.
 */
export async function validateRequest(doc: OpenApiDocument, matched: MatchedOperation, request: Request): Promise<RequestValidation> {
  const v = validatorsFor(doc);
  const op = compileOperation(v, matched.operation);
  const url = new URL(request.url);

  const inputs: Record<ParamLocation, Record<string, unknown>> = { path: { ...matched.params }, query: {}, header: {} };
  for (const { name, array } of op.params.query.names) {
    const values = url.searchParams.getAll(name);
    if (values.length) inputs.query[name] = array ? values : values[0];
  }
  for (const { name } of op.params.header.names) {
    const value = request.headers.get(name);
    if (value !== null) inputs.header[name] = value;
  }
  const problems: RequestProblem[] = [];
  for (const location of ["path", "query", "header"] as const) {
    const validate = op.params[location].validate;
    if (validate && !validate(inputs[location])) problems.push(...problemsOf(validate.errors, location));
  }
  if (op.codes.idempotencyMissing && problems.some((p) => p.in === "header" && p.path === "idempotency-key" && /required/.test(p.message))) {
    return fail(400, op.codes.idempotencyMissing, "This operation requires an Idempotency-Key header.", problems);
  }
  if (problems.length) return fail(400, op.codes.validation, `Invalid request: ${problems.map(describe).join("; ")}.`, problems);
  const valid = (body?: unknown): RequestValidation => ({
    ok: true,
    input: { operation: matched.operation.key, operationId: matched.operation.operationId, ...inputs, body },
  });

  if (!op.body) return valid();
  const text = request.body ? await request.clone().text() : "";
  if (text.trim() === "") {
    if (op.body.required) return fail(400, op.codes.validation, "This operation requires a request body.", [{ in: "body", path: "/", message: "is required" }]);
    return valid();
  }
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  if (op.body.json && /^application\/(.+\+)?json/.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(400, op.codes.invalidJson, "The request body is not valid JSON.", [{ in: "body", path: "/", message: "is not valid JSON" }]);
    }
    if (!op.body.json(parsed)) {
      const found = problemsOf(op.body.json.errors, "body");
      return fail(400, op.codes.validation, `Invalid request: ${found.map(describe).join("; ")}.`, found);
    }
    return valid(parsed);
  }
  if (op.body.form && contentType.startsWith("application/x-www-form-urlencoded")) {
    const form = formFields(text);
    if (!op.body.form(form)) {
      const found = problemsOf(op.body.form.errors, "body");
      return fail(400, op.codes.validation, `Invalid request: ${found.map(describe).join("; ")}.`, found);
    }
    return valid(form);
  }
  const accepted = [op.body.json ? "application/json" : undefined, op.body.form ? "application/x-www-form-urlencoded" : undefined].filter(Boolean);
  return fail(op.codes.mediaStatus, op.codes.media, `Content-Type must be ${accepted.join(" or ")}.`, [
    { in: "header", path: "content-type", message: `must be ${accepted.join(" or ")}` },
  ]);
}

/**
 * Hono middleware validating every request against an OpenAPI 3.1 spec (a file path or a parsed
 * document): an unknown route gets the spec's 404 body, a bad parameter, header (a missing
 * required `Idempotency-Key` included), JSON that does not parse or a body with unknown fields
 * gets the operation's declared 400 body — `{ code, message, requestId?, details: { errors } }`.
 * Valid requests reach the next handler with their `ValidatedInput` on the context (`requestInput`);
 * the raw request is untouched.
 */
export function validateRequests(spec: string | OpenApiDocument, options: ValidateRequestsOptions = {}): MiddlewareHandler {
  const doc = typeof spec === "string" ? loadSpec(spec).doc : spec;
  const index = operationIndex(doc, options.basePath);
  const v = validatorsFor(doc);
  const requestIdOf = options.requestId ?? ((c: Context) => c.get("requestId" as never) as string | undefined);
  return async (c, next) => {
    const path = c.req.path;
    if (options.passthrough?.some((prefix) => path.startsWith(prefix))) return next();
    const matched = index.match(c.req.method, path);
    const requestId = requestIdOf(c);
    if (!matched) {
      return c.json(errorBody(v.notFoundCode, `No route ${c.req.method} ${path}.`, { requestId }), 404);
    }
    const result = await validateRequest(doc, matched, c.req.raw);
    if (!result.ok) {
      return c.json(
        errorBody(result.code, result.message, { requestId, details: { errors: result.problems } }),
        result.status as 400,
      );
    }
    c.set(INPUT_VARIABLE as never, result.input as never);
    return next();
  };
}
