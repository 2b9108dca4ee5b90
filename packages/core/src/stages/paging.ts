/**
 * Paging through a list operation for `client.paginate` (see `pagination.ts`): cursor, offset,
 * page number or RFC 8288 `Link` headers, as the operation's `pagination` descriptor says. Loaded
 * on a client's first page: an app that never pages does not carry it.
 */
import { excerpt } from "../internal/redact.js";
import { CALL, SCOPE, type StageClient, type StageResult } from "../client/stage.js";
import { isPorticoError } from "../errors/guards.js";
import { PorticoError } from "../errors/portico-error.js";
import { linkTarget } from "../internal/link-header.js";
import type { BodyPath, PaginationDescriptor } from "../spec/pagination.js";
import type { Page, PaginationProgress } from "./pagination-types.js";

type Init = Record<string, unknown>;
type Position = string | number | undefined;

/** The value at `path` of a JSON body, or `undefined`. */
function at(value: unknown, path: BodyPath): unknown {
  let current = value;
  for (const name of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function checkLimit(name: string, value: unknown): PorticoError<string> | undefined {
  if (value === undefined || (typeof value === "number" && Number.isInteger(value) && value > 0)) return undefined;
  return new PorticoError("INVALID_REQUEST", `paginate: ${name} must be a whole number above 0 (or left out), not ${String(value)}.`, { option: name });
}

/** Adds how far the list got to an error (`details.pagination`), keeping the error itself (its class, code, body). */
function withProgress(error: PorticoError<string>, progress: PaginationProgress): PorticoError<string> {
  (error as { details: PorticoError<string>["details"] }).details = { ...error.details, pagination: progress };
  return error;
}

/** A query parameter's value from the caller's first query, as a page number or offset. */
function numberParam(query: Init, name: string, fallback: number): number {
  const value = Number(query[name] ?? fallback);
  return Number.isFinite(value) ? value : fallback;
}

/** The query of a `next` link, repeated names as lists, and the query string itself. */
function queryOfLink(target: string): { query: Init; search: string } {
  const query: Init = {};
  const url = new URL(target, "http://link.invalid/");
  for (const [name, value] of url.searchParams) {
    const known = query[name];
    query[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return { query, search: url.search.slice(1) };
}

/** The pages of `key`'s list, each one call through the client's whole call path. */
export async function* pagesOf(client: StageClient, key: string, init: Init | undefined): AsyncGenerator<Page<unknown>, void, undefined> {
  const space = typeof key === "string" ? key.indexOf(" ") : -1;
  const scope = client[SCOPE]();
  const spec: PaginationDescriptor | undefined = space === -1 ? undefined : scope.descriptor.operations[key]?.pagination;
  if (spec === undefined) {
    throw new PorticoError("INVALID_REQUEST", `paginate: ${String(key)} is not a list operation of this API (its spec declares no pagination for it). Pass a key such as "GET /v1/items" of a paginated operation.`, {
      operation: String(key),
    });
  }
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  const { maxItems, maxPages, params, signal, ...options } = init ?? {};
  const invalid = checkLimit("maxItems", maxItems) ?? checkLimit("maxPages", maxPages);
  if (invalid) throw invalid;
  const itemLimit = maxItems as number | undefined;
  const pageLimit = maxPages as number | undefined;
  const callParams = (params ?? {}) as Init;
  const firstQuery = (callParams["query"] ?? {}) as Init;

  let query: Init = firstQuery;
  let position: Position =
    spec.style === "offset" ? numberParam(firstQuery, spec.param, 0) : spec.style === "page" ? numberParam(firstQuery, spec.param, spec.first ?? 1) : undefined;
  /** What the current page was asked with (absent for the first page). */
  let cursor: Position;
  const seen = new Set<string>();
  let pages = 0;
  let items = 0;
  // A cursor is the server's text: bounded and redacted before an error keeps it.
  const kept = (position: string | number): string | number => (typeof position === "string" ? excerpt(position, 128, scope.redact) : position);
  const progress = (): PaginationProgress => ({ operation: key, pages, items, ...(cursor === undefined ? {} : { cursor: kept(cursor) }) });

  for (;;) {
    if (pageLimit !== undefined && pages >= pageLimit) return;
    if ((signal as AbortSignal | undefined)?.aborted) {
      throw withProgress(new PorticoError("ABORTED", `${key}: paging was aborted by the caller's signal after ${pages} pages.`), progress());
    }
    let result: StageResult;
    try {
      result = await client[CALL](method, path, { ...options, ...(signal === undefined ? {} : { signal }), params: { ...callParams, query } });
    } catch (error) {
      // A client built with `throwOnError: true` throws the call's error.
      if (isPorticoError(error)) throw withProgress(error, progress());
      throw error;
    }
    if (result.error !== undefined) throw withProgress(result.error, progress());
    const { data, response, meta } = result;
    const list = at(data, spec.items);
    if (!Array.isArray(list)) {
      const where = spec.items.length === 0 ? "the body" : spec.items.join(".");
      throw withProgress(
        new PorticoError("UNEXPECTED_RESPONSE", `${key}: a page's items (${where}) are not a list; the spec's pagination does not match the answer.`, {
          status: meta.status,
          requestId: meta.requestId,
        }),
        progress(),
      );
    }
    const room = itemLimit === undefined ? Infinity : itemLimit - items;
    const pageItems = list.length > room ? list.slice(0, room) : list;
    const full = list.length >= room;

    // Where the next page starts, read before yielding (the body is the caller's afterwards).
    let next: { query: Init; cursor: string | number } | undefined;
    const ended = spec.style !== "link" && spec.hasMore !== undefined && at(data, spec.hasMore) === false;
    if (!ended) {
      switch (spec.style) {
        case "cursor": {
          const value = spec.next !== undefined ? at(data, spec.next) : list.length === 0 ? undefined : at(list[list.length - 1], spec.lastItem);
          if ((typeof value === "string" && value !== "") || typeof value === "number") next = { query: { ...firstQuery, [spec.param]: value }, cursor: value };
          break;
        }
        case "offset": {
          const offset: number = (position as number) + list.length;
          const total = spec.total === undefined ? undefined : at(data, spec.total);
          if (list.length > 0 && !(isCount(total) && offset >= total)) next = { query: { ...firstQuery, [spec.param]: offset }, cursor: offset };
          position = offset;
          break;
        }
        case "page": {
          const total = spec.totalPages === undefined ? undefined : at(data, spec.totalPages);
          const page: number = (position as number) + 1;
          if (list.length > 0 && !(isCount(total) && (position as number) >= total)) next = { query: { ...firstQuery, [spec.param]: page }, cursor: page };
          position = page;
          break;
        }
        case "link": {
          const target = linkTarget(response.headers.get("link"), "next");
          if (target !== undefined) {
            const linked = queryOfLink(target);
            next = { query: linked.query, cursor: linked.search };
          }
          break;
        }
      }
    }
    if (next !== undefined && typeof next.cursor === "string") {
      // An API that hands back a cursor it gave before would be paged forever.
      if (seen.has(next.cursor)) {
        throw withProgress(
          new PorticoError("UNEXPECTED_RESPONSE", `${key}: the API answered a cursor it had already given (${kept(next.cursor.slice(0, 64))}); paging stopped instead of looping.`, {
            status: meta.status,
            requestId: meta.requestId,
          }),
          progress(),
        );
      }
      seen.add(next.cursor);
    }

    pages += 1;
    items += pageItems.length;
    yield { data, items: pageItems, meta };
    if (full && itemLimit !== undefined) return;
    if (next === undefined) return;
    query = next.query;
    cursor = next.cursor;
  }
}
