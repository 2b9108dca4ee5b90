/**
 * Route keys (`"GET /v1/items/{itemId}"`) compiled to matchers, and the matching of a request's
 * method and URL against them. A template may sit under the client's base path: without a
 * `baseUrl`, a URL's path matches a template when it ends with it (`/api/v1/items/1` matches
 * `/v1/items/{itemId}`), the match with the shortest base path winning, then the most literal
 * template; with a `baseUrl`, only URLs under it match, and exactly.
 */
import { TestingError } from "./errors.js";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
const KEY = /^([A-Z]+) (\/\S*)$/;

/** A compiled route key. */
export interface RoutePattern {
  readonly key: string;
  readonly method: string;
  readonly template: string;
  /** Matches a path (percent-encoded, no base path) against the template; groups are the parameters. */
  readonly regex: RegExp;
  readonly names: readonly string[];
  /** Characters of the template outside `{...}`: more literal templates win ties. */
  readonly literal: number;
}

/** A request matched to a route. */
export interface RouteMatch {
  readonly pattern: RoutePattern;
  readonly params: Readonly<Record<string, string>>;
}

/** Compiles one route key; a malformed one is `INVALID_OPTIONS`, naming it and the expected form. */
export function compileRoute(key: string): RoutePattern {
  const parts = KEY.exec(key);
  const method = parts?.[1];
  const template = parts?.[2];
  if (method === undefined || template === undefined || !(METHODS as readonly string[]).includes(method)) {
    throw new TestingError(
      "INVALID_OPTIONS",
      `Route "${key}" is not a route key: write it as "METHOD /path/template" with an upper-case method (${METHODS.join(", ")}) and the spec's path, e.g. "GET /v1/items/{itemId}".`,
      { route: key },
    );
  }
  const names: string[] = [];
  let source = "";
  let literal = 0;
  let last = 0;
  for (const found of template.matchAll(/\{([^{}/]+)\}/g)) {
    const text = template.slice(last, found.index);
    source += escape(text);
    literal += text.length;
    names.push(found[1] ?? "");
    source += "([^/]+)";
    last = found.index + found[0].length;
  }
  const rest = template.slice(last);
  if (/[{}]/.test(template.replace(/\{[^{}/]+\}/g, ""))) {
    throw new TestingError("INVALID_OPTIONS", `Route "${key}" has an unbalanced "{" or "}" in its path template: write parameters as {name}.`, { route: key });
  }
  source += escape(rest);
  literal += rest.length;
  return { key, method, template, regex: new RegExp(`^${source}$`), names, literal };
}

function escape(text: string): string {
  return encodeURI(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Finds the route of a request. `basePath` (from a `baseUrl` option) is stripped first and then
 * the template must match the rest exactly; without it, the longest suffix of the path that a
 * template matches wins (the shortest base path), then the most literal template.
 */
export function matchRoute(patterns: readonly RoutePattern[], method: string, pathname: string, basePath: string | undefined): RouteMatch | undefined {
  const candidates = basePath === undefined ? suffixes(pathname) : [pathname.slice(basePath.length) || "/"];
  for (const path of candidates) {
    let best: RouteMatch | undefined;
    for (const pattern of patterns) {
      if (pattern.method !== method) continue;
      const found = pattern.regex.exec(path);
      if (found === null) continue;
      if (best !== undefined && best.pattern.literal >= pattern.literal) continue;
      const params: Record<string, string> = {};
      pattern.names.forEach((name, i) => (params[name] = decode(found[i + 1] ?? "")));
      best = { pattern, params };
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/** The templates of other methods that match the path: a hint for an unhandled request. */
export function otherMethods(patterns: readonly RoutePattern[], method: string, pathname: string, basePath: string | undefined): string[] {
  const candidates = basePath === undefined ? suffixes(pathname) : [pathname.slice(basePath.length) || "/"];
  return patterns.filter((p) => p.method !== method && candidates.some((path) => p.regex.test(path))).map((p) => p.key);
}

/** `/a/b/c` → `/a/b/c`, `/b/c`, `/c`: the path without 0, 1, 2, ... leading segments. */
function suffixes(pathname: string): string[] {
  const out = [pathname];
  for (let i = pathname.indexOf("/", 1); i > 0; i = pathname.indexOf("/", i + 1)) out.push(pathname.slice(i));
  return out;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
