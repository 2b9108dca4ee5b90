/**
 * What a call's span says about where it goes, per the OpenTelemetry HTTP client conventions:
 * the method (`_OTHER` for one HTTP does not define), `url.full` with every query value masked
 * (the caller's data), `server.address` and `server.port`, and `url.template` (the operation's
 * path template under the base URL's path). Pure functions of the call, no OpenTelemetry import.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client-span
 */

/** The value that stands in for a masked query value or URL credential. */
export const REDACTED = "REDACTED";

/** Methods the conventions name; any other is `_OTHER`, with the original beside it. */
const KNOWN_METHODS = new Set(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"]);

/** Where one call goes, as span attributes and a span name. */
export interface HttpTarget {
  /** `{method} {url.template}`: low-cardinality, the same for every call of the operation. */
  readonly name: string;
  /** `http.request.method`: the method, or `_OTHER`. */
  readonly method: string;
  /** `http.request.method_original`, only when `method` is `_OTHER`. */
  readonly methodOriginal: string | undefined;
  /** `url.full`, query values and credentials replaced by `REDACTED`; undefined when the URL does not parse. */
  readonly url: string | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;
  /** `url.template`: the base URL's path and the operation's path template. */
  readonly template: string | undefined;
}

/**
 * The target of a call to `url` (absolute) for `operation` (`"METHOD /path/template"`).
 * @example httpTarget("GET", "https://api.example.com/v1/items/42?q=bolt", "GET /v1/items/{id}").url // "https://api.example.com/v1/items/42?q=REDACTED"
 */
export function httpTarget(method: string, url: string, operation: string): HttpTarget {
  const upper = method.toUpperCase();
  const known = KNOWN_METHODS.has(upper);
  const space = operation.indexOf(" ");
  const pathTemplate = space === -1 ? undefined : operation.slice(space + 1);
  const parts = splitUrl(url);
  const template = parts !== undefined && pathTemplate?.startsWith("/") ? underBasePath(parts.pathname, pathTemplate) : pathTemplate;
  return {
    name: template === undefined ? (known ? upper : "HTTP") : `${known ? upper : "HTTP"} ${template}`,
    method: known ? upper : "_OTHER",
    methodOriginal: known ? undefined : method,
    url: parts && `${parts.origin.masked}${parts.pathname}${maskQuery(parts.search)}`,
    address: parts?.origin.address,
    port: parts?.origin.port,
    template,
  };
}

/** An origin as the spans show it: userinfo masked, bare address, port (the scheme's default when left out). */
interface Origin {
  readonly masked: string;
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** Origins read so far: a client calls a handful, and `new URL` costs more than the rest of a target. */
const origins = new Map<string, Origin | undefined>();
const MAX_ORIGINS = 64;

/**
 * The parts of an absolute URL the client built: its origin (parsed once per origin), the path as
 * sent and the query; undefined when it does not parse. The fragment, if any, is dropped.
 */
function splitUrl(url: string): { readonly origin: Origin; readonly pathname: string; readonly search: string } | undefined {
  const scheme = url.indexOf("://");
  if (scheme === -1) return undefined;
  const hash = url.indexOf("#", scheme);
  const end = hash === -1 ? url.length : hash;
  let query = url.indexOf("?", scheme);
  if (query === -1 || query > end) query = end;
  let path = url.indexOf("/", scheme + 3);
  if (path === -1 || path > query) path = query;
  const originText = url.slice(0, path);
  let origin = origins.get(originText);
  if (origin === undefined && !origins.has(originText)) {
    origin = originOf(originText);
    // Never keep userinfo (it may be a credential) as a key; a full table starts again.
    if (!originText.includes("@")) {
      if (origins.size >= MAX_ORIGINS) origins.clear();
      origins.set(originText, origin);
    }
  }
  if (origin === undefined) return undefined;
  return { origin, pathname: path === query ? "/" : url.slice(path, query), search: url.slice(query, end) };
}

function originOf(text: string): Origin | undefined {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  const userinfo = parsed.username !== "" || parsed.password !== "" ? `${REDACTED}:${REDACTED}@` : "";
  return { masked: `${parsed.protocol}//${userinfo}${parsed.host}`, address: hostOf(parsed), port: portOf(parsed) };
}

/** `?a=1&b&c=2` → `?a=REDACTED&b&c=REDACTED`: names kept as sent, every value masked. */
export function maskQuery(search: string): string {
  if (search.length <= 1) return "";
  const parts = search.slice(1).split("&");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf("=");
    if (eq !== -1) parts[i] = `${part.slice(0, eq)}=${REDACTED}`;
  }
  return `?${parts.join("&")}`;
}

/**
 * The operation's template under the base path the URL was built on: the concrete path minus as
 * many trailing segments as the template has (a path parameter's value is one segment: a `/` in it
 * is percent-encoded), then the template. `/api/v1/items/42` with `/items/{id}` → `/api/v1/items/{id}`.
 */
export function underBasePath(pathname: string, template: string): string {
  let cut = pathname.length;
  for (let slash = template.indexOf("/"); slash !== -1; slash = template.indexOf("/", slash + 1)) {
    if (cut <= 0) return template;
    cut = pathname.lastIndexOf("/", cut - 1);
    if (cut === -1) return template;
  }
  return `${pathname.slice(0, cut)}${template}`;
}

/** The host name, IPv6 brackets removed (`server.address` is the bare address). */
function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** The port, or the scheme's default when the URL leaves it out. */
function portOf(url: URL): number | undefined {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : url.protocol === "http:" ? 80 : undefined;
}
