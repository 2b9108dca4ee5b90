/**
 * Public types of `client.paginate(...)` (the pagination stage): a generated client whose spec
 * has list operations gains `paginate` for those operation keys only, typed from the spec.
 */
import type { ParamsOption } from "openapi-fetch";
import type { FilterKeys } from "openapi-typescript-helpers";
import type { CallInitParam, CallOptions, OperationData, ResponseMeta } from "../client/types.js";

/** Where to stop early, besides the end of the list. */
export interface PaginateOptions {
  /** Stop after this many items (the last page's `items` are cut to fit). */
  maxItems?: number;
  /** Stop after this many pages. */
  maxPages?: number;
}

/**
 * The `init` of `paginate`: the operation's typed `params` (the first page's query; the stage sets
 * the cursor, offset or page of the next ones), call options (`signal` aborts between and during
 * pages; `timeout`, `maxRetries` and `headers` apply to every page) and {@link PaginateOptions}.
 */
export type PaginateInit<Operation> = ParamsOption<Operation> & Omit<CallOptions, "parseAs" | "idempotencyKey"> & PaginateOptions;

/** One page of a list: the whole body (`data`), its items, and the call's `meta`. */
export interface Page<Item, Data = unknown> {
  /** The page's body as the API sent it. */
  readonly data: Data;
  /** The items of the page (cut to `maxItems` on the last page). */
  readonly items: readonly Item[];
  /** What the pipeline learned on this page's call: status, attempts, credits, rate limit. */
  readonly meta: ResponseMeta;
}

/**
 * A list being paged through: `for await (const item of list)` yields each item; `list.pages()`
 * yields each page. Nothing is sent until iteration starts, and each iteration starts again from
 * the first page. A page that fails ends the iteration by throwing its typed error, whose
 * `details.pagination` ({@link PaginationProgress}) says how far it got.
 */
export interface Paginated<Item, Data = unknown> extends AsyncIterable<Item> {
  /** The pages, each with its body, items and `meta`. */
  pages(): AsyncIterable<Page<Item, Data>>;
}

/** How far a list got before its iteration ended with an error: `error.details.pagination`. */
export interface PaginationProgress {
  /** The operation, `"GET /v1/items"`. */
  readonly operation: string;
  /** Pages received and yielded before the failure. */
  readonly pages: number;
  /** Items yielded before the failure. */
  readonly items: number;
  /** The cursor, offset, page number or `next` link query the failed page was asked with; absent for the first page. */
  readonly cursor?: string | number;
}

/** The list operations of an API: `"GET /v1/items"` → the property path of its items in a page (`["data"]`, or `[]` for a bare array). */
export type PaginatedOperations = { readonly [key: string]: readonly string[] };

/** The operation object of `"GET /v1/items"` in `Paths`. */
export type OperationOfKey<Paths, Key> = Key extends `${infer Method} ${infer Path}`
  ? Path extends keyof Paths
    ? FilterKeys<Paths[Path], Lowercase<Method>>
    : never
  : never;

/** The element type of the array at `Path` of `Data`. */
type ItemsAt<Data, Path> = Path extends readonly [infer Head extends string, ...infer Rest]
  ? ItemsAt<Head extends keyof NonNullable<Data> ? NonNullable<Data>[Head] : never, Rest>
  : NonNullable<Data> extends readonly (infer Item)[]
    ? Item
    : never;

/** The item type of a paginated operation: the element type of its 200 response's items array. */
export type PaginatedItem<Paths, Operations extends PaginatedOperations, Key extends keyof Operations> = ItemsAt<OperationData<OperationOfKey<Paths, Key>>, Operations[Key]>;

/** The page body type of a paginated operation. */
export type PaginatedData<Paths, Key> = OperationData<OperationOfKey<Paths, Key>>;

/**
 * What the pagination stage adds to a client: `paginate` over the list operations of `Operations`
 * only (a key of any other operation does not compile).
 *
 * @example
 * for await (const item of ims.paginate("GET /v1/items", { params: { query: { limit: 50 } } })) console.log(item.sku);
 * for await (const page of ims.paginate("GET /v1/items").pages()) console.log(page.items.length, page.meta.rateLimit);
 */
export interface PaginatingClient<Paths extends {}, Operations extends PaginatedOperations> {
  /**
   * Pages through a list operation, every page a full call (credentials, retries, credits, rate
   * limits, typed errors). See {@link Paginated}.
   */
  paginate<Key extends keyof Operations & string>(
    key: Key,
    ...init: CallInitParam<PaginateInit<OperationOfKey<Paths, Key>>>
  ): Paginated<PaginatedItem<Paths, Operations, Key>, PaginatedData<Paths, Key>>;
}
