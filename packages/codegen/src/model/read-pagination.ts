/**
 * Which list operations `client.paginate` pages through, and how: said by `x-portico-pagination`
 * on the operation, or recognised from the common shapes (docs/pagination.md):
 * - RFC 8288 `Link` headers: a declared `Link` response header, or a bare array answered to GitHub's
 *   `per_page` + `page` parameters;
 * - Stripe: `has_more` + `data` + a `starting_after` parameter (the cursor is the last item's `id`);
 * - cursor: a `cursor`/`after`/`page_token`-like parameter + a `nextCursor`/`next_cursor`/`next`-like
 *   field (at the top of the body or in one object below it, e.g. `pagination.nextCursor`);
 * - offset: `offset` + `limit`-like parameters, with a `total`-like field when the body has one;
 * - page number: a `page` parameter, with a `total_pages`-like field when the body has one.
 * Only GET operations whose 2xx JSON body holds an items array are recognised.
 */
import type { PaginationDescriptor } from "@portico/core";
import { isRecord } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type OperationObject, type ParameterObject, type PathItemObject } from "../spec/validate-document.js";
import { isJson } from "./read-body.js";
import type { ReadResponse } from "./read-errors.js";

/** A list operation: how it pages, and a one-line account of why (printed in the generated client). */
export interface PaginationModel {
  readonly descriptor: PaginationDescriptor;
  readonly why: string;
}

const EXTENSION = "x-portico-pagination";
const ITEMS = ["data", "items", "results", "records", "entries", "values", "list", "nodes"];
const CURSOR_PARAMS = ["cursor", "after", "page_token", "pageToken", "next_token", "nextToken", "continuation_token", "continuationToken", "page_cursor"];
const NEXT_FIELDS = ["nextCursor", "next_cursor", "nextPageToken", "next_page_token", "nextToken", "next_token", "next"];
const HAS_MORE = ["hasMore", "has_more", "hasNextPage", "has_next_page"];
const LIMIT_PARAMS = ["limit", "per_page", "perPage", "page_size", "pageSize", "size", "take", "count"];
const TOTAL_FIELDS = ["total", "total_count", "totalCount", "totalItems", "total_items", "count"];
const TOTAL_PAGES = ["total_pages", "totalPages", "page_count", "pageCount"];
const NESTED = 1;

type Schema = Record<string, unknown>;

/** The operation's pagination, or `undefined` when it is not a list `paginate` can page through. */
export function readPagination(
  source: SpecSource,
  item: PathItemObject,
  operation: OperationObject,
  method: string,
  responses: readonly ReadResponse[],
  at: readonly string[],
): PaginationModel | undefined {
  const declared: unknown = (operation as Record<string, unknown>)[EXTENSION];
  if (declared === false) return undefined;
  const query = queryParameters(source, item, operation, at);
  const success = responses.find((r) => /^2\d\d$/.test(r.status) && r.status !== "204");
  const mediaType = success === undefined ? undefined : Object.keys(success.response.content ?? {}).filter(isJson).sort()[0];
  const bodySchema = mediaType === undefined ? undefined : success?.response.content?.[mediaType]?.schema;
  const body = bodySchema === undefined ? undefined : schemaOf(source, bodySchema);
  if (declared !== undefined) return fromExtension(source, declared, query, body, [...at, EXTENSION]);
  if (method !== "get" || body === undefined || success === undefined) return undefined;
  const linkHeader = Object.keys(success.response.headers ?? {}).some((name) => name.toLowerCase() === "link");
  const has = (name: string) => query.has(name);

  if (isArraySchema(body)) {
    if (linkHeader) return { descriptor: { style: "link", items: [] }, why: "link: `Link: <…>; rel=\"next\"` response header, items: the body" };
    if (has("per_page") && has("page")) return { descriptor: { style: "link", items: [] }, why: "link: GitHub-style `per_page` + `page`, items: the body" };
    if (has("page")) return { descriptor: { style: "page", items: [], param: "page" }, why: "page: `page`, items: the body" };
    return undefined;
  }
  const props = propertiesOf(source, body, 0);
  const itemsKey = ITEMS.find((name) => props.has(name) && isArraySchema(props.get(name)!)) ?? onlyArray(props);
  if (itemsKey === undefined) return undefined;
  const items = [itemsKey];
  if (linkHeader) return { descriptor: { style: "link", items }, why: `link: \`Link\` response header, items: \`${itemsKey}\`` };

  if (has("starting_after") && props.has("has_more")) {
    return {
      descriptor: { style: "cursor", items, param: "starting_after", lastItem: ["id"], hasMore: ["has_more"] },
      why: `cursor (Stripe): \`starting_after\` ← last item's \`id\`, while \`has_more\`, items: \`${itemsKey}\``,
    };
  }
  const cursorParam = CURSOR_PARAMS.find(has);
  if (cursorParam !== undefined) {
    const next = findField(source, props, NEXT_FIELDS, (s) => !isArraySchema(s));
    if (next !== undefined) {
      const hasMore = findField(source, props, HAS_MORE, () => true, next.slice(0, -1));
      return {
        descriptor: { style: "cursor", items, param: cursorParam, next, ...(hasMore === undefined ? {} : { hasMore }) },
        why: `cursor: \`${cursorParam}\` ← \`${next.join(".")}\`${hasMore === undefined ? "" : `, while \`${hasMore.join(".")}\``}, items: \`${itemsKey}\``,
      };
    }
  }
  const offsetParam = ["offset", "skip"].find(has);
  const limitParam = LIMIT_PARAMS.find(has);
  if (offsetParam !== undefined && limitParam !== undefined) {
    const total = findField(source, props, TOTAL_FIELDS, isNumberSchema);
    const hasMore = findField(source, props, HAS_MORE, () => true);
    return {
      descriptor: { style: "offset", items, param: offsetParam, limitParam, ...(total === undefined ? {} : { total }), ...(hasMore === undefined ? {} : { hasMore }) },
      why: `offset: \`${offsetParam}\` + \`${limitParam}\`${total === undefined ? "" : ` up to \`${total.join(".")}\``}, items: \`${itemsKey}\``,
    };
  }
  const pageParam = ["page", "page_number", "pageNumber"].find(has);
  if (pageParam !== undefined) {
    const totalPages = findField(source, props, TOTAL_PAGES, isNumberSchema);
    const hasMore = findField(source, props, HAS_MORE, () => true);
    return {
      descriptor: { style: "page", items, param: pageParam, ...(totalPages === undefined ? {} : { totalPages }), ...(hasMore === undefined ? {} : { hasMore }) },
      why: `page: \`${pageParam}\`${totalPages === undefined ? "" : ` up to \`${totalPages.join(".")}\``}, items: \`${itemsKey}\``,
    };
  }
  return undefined;
}

/** Names of the operation's query parameters (path-level and its own). */
function queryParameters(source: SpecSource, item: PathItemObject, operation: OperationObject, at: readonly string[]): Set<string> {
  const names = new Set<string>();
  const scan = (list: readonly unknown[] | undefined, pointer: readonly string[]) => {
    (list ?? []).forEach((raw, index) => {
      const resolved = resolveRef(source, raw, [...pointer, "parameters", String(index)]);
      const parameter: ParameterObject = parseWith(source, referencedShapes.parameter, resolved.value, resolved.pointer);
      if (parameter.in === "query") names.add(parameter.name);
    });
  };
  scan(item.parameters, at.slice(0, 2));
  scan(operation.parameters, at);
  return names;
}

function schemaOf(source: SpecSource, value: unknown): Schema | undefined {
  const { value: resolved } = resolveRef(source, value, []);
  return isRecord(resolved) ? resolved : undefined;
}

function typesOf(schema: Schema): string[] {
  const type = schema["type"];
  return typeof type === "string" ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

function isArraySchema(schema: Schema): boolean {
  return typesOf(schema).includes("array") || (schema["items"] !== undefined && schema["properties"] === undefined);
}

function isNumberSchema(schema: Schema): boolean {
  const types = typesOf(schema);
  return types.includes("integer") || types.includes("number");
}

/** The properties of an object schema, `$ref`s resolved, through `allOf`. */
function propertiesOf(source: SpecSource, schema: Schema, depth: number): Map<string, Schema> {
  const out = new Map<string, Schema>();
  if (depth > 8) return out;
  const properties = schema["properties"];
  if (isRecord(properties)) {
    for (const [name, value] of Object.entries(properties)) {
      const resolved = schemaOf(source, value);
      if (resolved !== undefined) out.set(name, resolved);
    }
  }
  const allOf = schema["allOf"];
  if (Array.isArray(allOf)) {
    for (const part of allOf) {
      const resolved = schemaOf(source, part);
      if (resolved !== undefined) for (const [name, value] of propertiesOf(source, resolved, depth + 1)) if (!out.has(name)) out.set(name, value);
    }
  }
  return out;
}

/** The only array property, if exactly one. */
function onlyArray(props: Map<string, Schema>): string | undefined {
  const arrays = [...props].filter(([, schema]) => isArraySchema(schema)).map(([name]) => name);
  return arrays.length === 1 ? arrays[0] : undefined;
}

/**
 * The path of the first of `names` (in order) at the top of the body, else in an object property
 * one level below (`pagination.nextCursor`); `near`, when given, is looked in first.
 */
function findField(source: SpecSource, props: Map<string, Schema>, names: readonly string[], fits: (schema: Schema) => boolean, near?: readonly string[]): string[] | undefined {
  const levels: [string[], Map<string, Schema>][] = [];
  if (near !== undefined && near.length > 0) {
    const container = props.get(near[0]!);
    if (container !== undefined) levels.push([[near[0]!], propertiesOf(source, container, 0)]);
  }
  levels.push([[], props]);
  for (const [name, schema] of props) {
    if (NESTED > 0 && !isArraySchema(schema) && typesOf(schema).includes("object")) levels.push([[name], propertiesOf(source, schema, 0)]);
  }
  for (const [prefix, level] of levels) {
    const found = names.find((name) => level.has(name) && fits(level.get(name)!));
    if (found !== undefined) return [...prefix, found];
  }
  return undefined;
}

/** A dotted path (`pagination.nextCursor`); empty or absent: the body itself. */
function pathOf(value: string | undefined): string[] {
  return value === undefined || value === "" || value === "$" ? [] : value.split(".");
}

function fromExtension(source: SpecSource, declared: unknown, query: Set<string>, body: Schema | undefined, at: readonly string[]): PaginationModel {
  const ext = declared as Record<string, string | number | undefined> & { style: PaginationDescriptor["style"] };
  const fail = (reason: string, field?: string): never => {
    throw source.error("SPEC_INVALID", `${EXTENSION}: ${reason}`, field === undefined ? at : [...at, field]);
  };
  const str = (field: string) => (typeof ext[field] === "string" ? (ext[field] as string) : undefined);
  const param = str("param");
  const items = pathOf(str("items"));
  if (body === undefined) fail("the operation has no JSON success response to page through");
  // The items path must lead to an array of the success body: `paginate` types its items from it.
  let schema: Schema | undefined = body;
  for (const name of items) schema = schema === undefined ? undefined : propertiesOf(source, schema, 0).get(name);
  if (schema === undefined || !isArraySchema(schema)) fail(`"items" (${items.length === 0 ? "the body" : items.join(".")}) is not an array property of the success response`, "items");
  const allowed: Record<PaginationDescriptor["style"], readonly string[]> = {
    cursor: ["style", "items", "param", "next", "lastItem", "hasMore"],
    offset: ["style", "items", "param", "limitParam", "total", "hasMore"],
    page: ["style", "items", "param", "first", "totalPages", "hasMore"],
    link: ["style", "items"],
  };
  for (const field of Object.keys(ext)) if (!allowed[ext.style].includes(field)) fail(`"${field}" does not apply to style "${ext.style}" (allowed: ${allowed[ext.style].join(", ")})`, field);
  if (ext.style !== "link") {
    if (param === undefined) fail(`style "${ext.style}" needs "param", the query parameter that moves to the next page`);
    if (!query.has(param!)) fail(`"param" names "${param}", which is not a query parameter of the operation`, "param");
  }
  const limitParam = str("limitParam");
  if (limitParam !== undefined && !query.has(limitParam)) fail(`"limitParam" names "${limitParam}", which is not a query parameter of the operation`, "limitParam");
  const hasMore = str("hasMore") === undefined ? {} : { hasMore: pathOf(str("hasMore")) };
  const itemsText = items.length === 0 ? "the body" : `\`${items.join(".")}\``;
  switch (ext.style) {
    case "link":
      return { descriptor: { style: "link", items }, why: `link (x-portico-pagination), items: ${itemsText}` };
    case "cursor": {
      const next = str("next");
      const lastItem = str("lastItem");
      if ((next === undefined) === (lastItem === undefined)) fail('style "cursor" needs exactly one of "next" (where the next cursor is) and "lastItem" (the field of the last item that is the cursor)');
      const from = next !== undefined ? { next: pathOf(next) } : { lastItem: pathOf(lastItem) };
      return { descriptor: { style: "cursor", items, param: param!, ...from, ...hasMore }, why: `cursor (x-portico-pagination): \`${param}\` ← ${next ?? `last item's ${lastItem}`}, items: ${itemsText}` };
    }
    case "offset": {
      const total = str("total");
      return {
        descriptor: { style: "offset", items, param: param!, ...(limitParam === undefined ? {} : { limitParam }), ...(total === undefined ? {} : { total: pathOf(total) }), ...hasMore },
        why: `offset (x-portico-pagination): \`${param}\`, items: ${itemsText}`,
      };
    }
    case "page": {
      const totalPages = str("totalPages");
      const first = typeof ext["first"] === "number" ? { first: ext["first"] } : {};
      return {
        descriptor: { style: "page", items, param: param!, ...first, ...(totalPages === undefined ? {} : { totalPages: pathOf(totalPages) }), ...hasMore },
        why: `page (x-portico-pagination): \`${param}\`, items: ${itemsText}`,
      };
    }
  }
}
