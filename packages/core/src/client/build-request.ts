/** A header value as openapi-fetch accepts it; `null` removes a header set earlier. */
type HeaderValue = string | number | boolean | (string | number | boolean)[] | null | undefined;
type HeaderSource = HeadersInit | Record<string, HeaderValue> | undefined | null;

/**
 * Merges header sources, later ones winning, into one plain object with lower-case names,
 * the shape the fetcher receives.
 */
export function mergeHeaderObjects(...sources: HeaderSource[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source || typeof source !== "object") continue;
    if (source instanceof Headers) {
      source.forEach((value, name) => {
        out[name] = value;
      });
      continue;
    }
    const entries: Iterable<readonly [string, HeaderValue]> = Array.isArray(source)
      ? (source as [string, string][])
      : Object.entries(source as Record<string, HeaderValue>);
    for (const [name, value] of entries) {
      const key = name.toLowerCase();
      if (value === null) delete out[key];
      else if (Array.isArray(value)) out[key] = value.map(String).join(", ");
      else if (value !== undefined) out[key] = String(value);
    }
  }
  return out;
}

/** Headers with lower-case names, the form the call path uses. */
export function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name] as string;
  return out;
}

/** Appends encoded `name=value` pairs (credential query parameters such as `?api_key=`) to a URL, before any fragment. */
export function appendQuery(url: string, pairs: readonly string[]): string {
  const hash = url.indexOf("#");
  const head = hash === -1 ? url : url.slice(0, hash);
  const query = pairs.join("&");
  return `${head}${head.includes("?") ? (head.endsWith("?") || head.endsWith("&") ? "" : "&") : "?"}${query}${hash === -1 ? "" : url.slice(hash)}`;
}
