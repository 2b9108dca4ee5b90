/**
 * How a list operation pages, as codegen reads it from a spec (or `x-portico-pagination` says).
 * The pagination work owns this file: it refines the shape below.
 */
export type PaginationDescriptor = {
  /** `cursor` (a token from the page), `offset`/`page` (numbers), `link` (RFC 8288 `Link: <…>; rel="next"`). */
  readonly style: "cursor" | "offset" | "page" | "link";
};
