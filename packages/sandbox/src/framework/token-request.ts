/**
 * The front half of an OAuth token endpoint (RFC 6749 §3.2): reads the body (JSON or a form) and
 * checks it against the spec's token request schema. Each endpoint maps the outcome to its own
 * OAuth errors, in its own precedence, then authenticates the client and grants.
 */
import { formFields, compileSchemaCheck, type SchemaProblem } from "../validate.js";
import { deref, getByPointer, type OpenApiDocument } from "./spec.js";

/** A body encoding a token endpoint accepts. */
export type TokenBodyEncoding = "json" | "form";

/** Why a token request failed before its grant was looked at. */
export type TokenRequestFailure =
  /** Content-Type not accepted, JSON that does not parse or is not an object: `invalid_request`. */
  | { readonly kind: "unreadable"; readonly message: string }
  /** No `grant_type`, or not one string: `invalid_request`. */
  | { readonly kind: "missing_grant_type"; readonly message: string }
  /** A `grant_type` the schema has no branch for: `unsupported_grant_type`. */
  | { readonly kind: "unsupported_grant_type"; readonly message: string }
  /** The grant's schema refused the body; `problems` say where, with the failing keyword. */
  | { readonly kind: "invalid"; readonly message: string; readonly problems: readonly SchemaProblem[] };

/** A read token request: `raw` is the body as sent (`{}` when unreadable), `params` as checked (defaults filled in). */
export type TokenRequest<T> =
  | { readonly ok: true; readonly grantType: string; readonly params: T; readonly raw: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: TokenRequestFailure; readonly raw: Readonly<Record<string, unknown>> };

const JSON_TYPE = /^application\/(.+\+)?json/;
const FORM_TYPE = "application/x-www-form-urlencoded";

/**
 * Reads a token request body in one of the `accepts` encodings, as an object (a repeated form
 * field becomes an array, which no token schema accepts).
 */
export async function readTokenBody(
  request: Request,
  accepts: readonly TokenBodyEncoding[],
): Promise<{ readonly ok: true; readonly encoding: TokenBodyEncoding; readonly body: Record<string, unknown> } | { readonly ok: false; readonly message: string }> {
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  if (accepts.includes("json") && JSON_TYPE.test(contentType)) {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return { ok: false, message: "The request body is not valid JSON." };
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, message: "The request body must be a JSON object." };
    return { ok: true, encoding: "json", body: body as Record<string, unknown> };
  }
  if (accepts.includes("form") && contentType.startsWith(FORM_TYPE)) return { ok: true, encoding: "form", body: formFields(await request.text()) };
  const accepted = accepts.map((a) => (a === "json" ? "application/json" : FORM_TYPE)).join(" or ");
  return { ok: false, message: `Content-Type must be ${accepted}.` };
}

/** `grant_type` values a schema (or one `oneOf` branch) allows: its `const`, or its `enum`. */
function grantsOf(schema: Readonly<Record<string, unknown>> | undefined): string[] {
  const property = (schema?.["properties"] as Record<string, Record<string, unknown> | undefined> | undefined)?.["grant_type"];
  if (typeof property?.["const"] === "string") return [property["const"]];
  return Array.isArray(property?.["enum"]) ? property["enum"].filter((g): g is string => typeof g === "string") : [];
}

/** Names the field of a problem the way a token request does (`code`, not `/code`). */
function describe(problem: SchemaProblem): string {
  const field = problem.path.replace(/^\//, "") || "the body";
  if (problem.keyword === "required") return `${field} is required`;
  if (problem.keyword === "additionalProperties") return `${field} is not a parameter of this grant`;
  return `${field} ${problem.message}`;
}

/**
 * Returns a reader of token requests checked against the schema at `pointer` (e.g.
 * `#/components/schemas/TokenRequest`): one schema for every grant (`grant_type` an `enum`), or a
 * `oneOf` of one schema per grant (`grant_type` a `const` in each). The grants the schema names are
 * the supported ones. `T` is the schema as the API's generated client types it.
 *
 * @example
 * const read = createTokenRequestReader<components["schemas"]["TokenRequest"]>(doc, "#/components/schemas/TokenRequest", ["json"]);
 * const request = await read(c.req.raw);
 * if (!request.ok && request.failure.kind === "unsupported_grant_type") return fail(400, "unsupported_grant_type", request.failure.message);
 */
export function createTokenRequestReader<T>(
  doc: OpenApiDocument,
  pointer: string,
  accepts: readonly TokenBodyEncoding[],
): (request: Request) => Promise<TokenRequest<T>> {
  const root = deref<Record<string, unknown>>(doc, { pointer, node: getByPointer(doc, pointer) }).node ?? {};
  const oneOf = root["oneOf"];
  const branches = Array.isArray(oneOf)
    ? oneOf.map((node, i) => deref<Record<string, unknown>>(doc, { pointer: `${pointer}/oneOf/${i}`, node }))
    : [{ pointer, node: root }];
  // Per grant, a check of its schema per accepted encoding (forms are read with coercion).
  const grants = new Map<string, Partial<Record<TokenBodyEncoding, (value: unknown) => SchemaProblem[]>>>();
  for (const branch of branches) {
    const checks = Object.fromEntries(accepts.map((encoding) => [encoding, compileSchemaCheck(doc, branch.pointer, { coerce: encoding === "form" })]));
    for (const grant of grantsOf(branch.node)) grants.set(grant, checks);
  }
  if (grants.size === 0) throw new Error(`${pointer} names no grant_type (a const or an enum)`);
  const supported = [...grants.keys()].join(", ");

  return async (request) => {
    const read = await readTokenBody(request, accepts);
    if (!read.ok) return { ok: false, failure: { kind: "unreadable", message: read.message }, raw: {} };
    const raw = read.body;
    const grantType = raw["grant_type"];
    if (typeof grantType !== "string") {
      return { ok: false, failure: { kind: "missing_grant_type", message: grantType === undefined ? "grant_type is required." : "grant_type must be one string." }, raw };
    }
    const check = grants.get(grantType)?.[read.encoding];
    if (check === undefined) {
      return { ok: false, failure: { kind: "unsupported_grant_type", message: `Unsupported grant_type ${JSON.stringify(grantType)}: use ${supported}.` }, raw };
    }
    const params = { ...raw };
    const problems = check(params);
    if (problems.length) return { ok: false, failure: { kind: "invalid", message: `Invalid token request: ${problems.map(describe).join("; ")}.`, problems }, raw };
    return { ok: true, grantType, params: params as T, raw };
  };
}
