/** Cursor pages of the sandbox lists: an opaque offset cursor, the page size the spec's default fills in. */
import { HttpProblem } from "./http.js";

/** The paging parameters of a list operation, as validated (the spec's default `limit` filled in). */
export interface PageQuery {
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

/** One page: its items, its size, and the cursor of the next page (`null` on the last). */
export interface Page<T> {
  readonly data: T[];
  readonly limit: number;
  readonly nextCursor: string | null;
}

/** The page size of a validated list request: validation fills in the spec's default, so none is a sandbox bug. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) throw new Error("list operation without a limit: its spec needs a default");
  return limit;
}

/** One page of `items`; a cursor this sandbox did not issue is `400 VALIDATION_ERROR`. */
export function page<T>(items: readonly T[], query: PageQuery): Page<T> {
  const limit = pageSize(query.limit);
  let offset = 0;
  if (query.cursor !== undefined) {
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(query.cursor, "base64url").toString("utf8"));
    if (!match?.[1]) throw new HttpProblem(400, "VALIDATION_ERROR", "cursor: not a cursor this API issued");
    offset = Number(match[1]);
  }
  const next = offset + limit;
  return { data: items.slice(offset, next), limit, nextCursor: next < items.length ? Buffer.from(`o:${next}`).toString("base64url") : null };
}

/** The `{ data, hasMore, nextCursor }` page of IMS and Arrotech. */
export function paginate<T>(items: readonly T[], query: PageQuery): { data: T[]; hasMore: boolean; nextCursor: string | null } {
  const { data, nextCursor } = page(items, query);
  return { data, hasMore: nextCursor !== null, nextCursor };
}
