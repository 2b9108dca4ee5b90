/**
 * How the call path reads a response's headers: `get` by lower-case name. A call asks a response
 * for a dozen names (request id, credits, rate limits, `Retry-After`, content type and length).
 * On a `Headers` object each is a direct `Headers.get`: copying the headers into a map first
 * costs more than the lookups it saves (iterating `Headers` sorts and copies every field, and the
 * copy is garbage by the end of the call). A fetcher may offer its own view (`HEADER_VIEW`).
 */

/** What the readers of a response's headers need: `get` by lower-case name, `null` when absent. */
export interface HeaderView {
  get(name: string): string | null;
  /** The names present (lower-case), for observers that list them through an allow-list. */
  names?(): Iterable<string>;
}

/** A `Headers` object as a view: `get` is `Headers.get` (repeated fields joined with `, `), `names` its keys (lower-case). */
export function viewHeaders(headers: Headers): HeaderView {
  return { get: (name) => headers.get(name), names: () => headers.keys() };
}

/**
 * Set on a `Response` whose fetcher can give its headers as a `HeaderView` without building a
 * `Headers` object (`@portico/node`'s responses do). A registered symbol: the fetcher and core
 * need not share a module.
 */
export const HEADER_VIEW: unique symbol = Symbol.for("portico.header-view") as never;

/** The headers of a response as a view: the fetcher's own when it offers one, else read from `response.headers`. */
export function viewResponseHeaders(response: Response): HeaderView {
  return (response as { [HEADER_VIEW]?: HeaderView })[HEADER_VIEW] ?? viewHeaders(response.headers);
}
