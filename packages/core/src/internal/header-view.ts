/**
 * A response's headers read once. `Headers.get` costs a lookup with name checks each time, and a
 * call asks a response for a dozen names (request id, credits, rate limits, `Retry-After`,
 * content type and length); one pass copies them into a plain map that every reader shares.
 */

/** What the readers of a response's headers need: `get` by lower-case name, `null` when absent. */
export interface HeaderView {
  get(name: string): string | null;
  /** The names present (lower-case), for observers that list them through an allow-list. */
  names?(): Iterable<string>;
}

/** The headers of a response, copied once (names lower-case, repeated fields joined as `Headers.get` joins them). */
export function viewHeaders(headers: Headers): HeaderView {
  const all = new Map<string, string>();
  for (const [name, value] of headers) {
    const before = all.get(name);
    all.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return { get: (name) => all.get(name) ?? null, names: () => all.keys() };
}

/**
 * Set on a `Response` whose fetcher can give its headers as a `HeaderView` without building a
 * `Headers` object (`@portico/node`'s responses do). A registered symbol: the fetcher and core
 * need not share a module.
 */
export const HEADER_VIEW: unique symbol = Symbol.for("portico.header-view") as never;

/** The headers of a response as a view: the fetcher's own when it offers one, else copied from `response.headers`. */
export function viewResponseHeaders(response: Response): HeaderView {
  return (response as { [HEADER_VIEW]?: HeaderView })[HEADER_VIEW] ?? viewHeaders(response.headers);
}
