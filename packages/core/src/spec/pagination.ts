/**
 * How a list operation pages, as codegen reads it from a spec (recognised from common shapes, or
 * said by `x-portico-pagination`; docs/pagination.md). `paginationStage` reads it to page through
 * the list for the caller.
 */

/**
 * Property names from the JSON body of a page to a value: `["pagination", "nextCursor"]` is
 * `body.pagination.nextCursor`; `[]` is the body itself (a list answered as a bare array).
 */
export type BodyPath = readonly string[];

/** What every style has: where the page's items are. */
interface PaginationBase {
  /** The items of a page: an array at this path of the body (`["data"]`, or `[]` for a bare array). */
  readonly items: BodyPath;
}

/**
 * A token from each page, sent back as the query parameter `param` for the next one. The token is
 * read at `next` (`nextCursor`, `pagination.next_cursor`), or, for Stripe-style `starting_after`,
 * it is the value at `lastItem` (`["id"]`) of the page's last item. The list ends at a missing or
 * empty token, at `hasMore` false, or (with `lastItem`) at an empty page.
 */
export type CursorPagination = PaginationBase & {
  readonly style: "cursor";
  /** Query parameter that takes the cursor (`cursor`, `after`, `page_token`, `starting_after`). */
  readonly param: string;
  /** Whether another page follows (`has_more`, `pagination.hasMore`), where the body says. */
  readonly hasMore?: BodyPath;
} & ({ readonly next: BodyPath; readonly lastItem?: undefined } | { readonly lastItem: BodyPath; readonly next?: undefined });

/**
 * A numeric offset sent as `param`, advanced by the number of items each page held. The list ends
 * at an empty page, at `total` items, or at `hasMore` false.
 */
export interface OffsetPagination extends PaginationBase {
  readonly style: "offset";
  /** Query parameter of the offset (`offset`, `skip`). */
  readonly param: string;
  /** Query parameter of the page size (`limit`), where the API has one. */
  readonly limitParam?: string;
  /** Total number of items of the list (`total`, `total_count`). */
  readonly total?: BodyPath;
  readonly hasMore?: BodyPath;
}

/**
 * A page number sent as `param`, counted from `first` (default 1). The list ends at an empty page,
 * at page `totalPages`, or at `hasMore` false.
 */
export interface PagePagination extends PaginationBase {
  readonly style: "page";
  /** Query parameter of the page number (`page`). */
  readonly param: string;
  /** Number of the first page. @default 1 */
  readonly first?: number;
  /** Number of pages of the list (`total_pages`). */
  readonly totalPages?: BodyPath;
  readonly hasMore?: BodyPath;
}

/**
 * RFC 8288 `Link: <…?page=2>; rel="next"` response headers (GitHub). The next page is the same
 * operation with the query of the `next` link (its path is not followed, so a credential never
 * goes elsewhere); the list ends when a page has no `next` link.
 */
export interface LinkPagination extends PaginationBase {
  readonly style: "link";
}

/** How a list operation pages: `cursor`, `offset`, `page` or `link`. */
export type PaginationDescriptor = CursorPagination | OffsetPagination | PagePagination | LinkPagination;
