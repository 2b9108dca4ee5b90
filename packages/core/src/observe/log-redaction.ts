/**
 * The allow-list the logger prints through (as Azure SDKs do): headers, query parameters and body
 * fields known to be safe are shown as they are; every other value is masked. What is not known to
 * be safe is assumed secret, so a credential in a custom header, a query parameter or a body field
 * never reaches a log, whatever it is called. The value redactor (held secrets, declared secret
 * shapes) runs over the result as well.
 */
import type { HeaderView } from "../internal/header-view.js";
import type { Redactor } from "../internal/redact.js";

/** What a masked value prints as. */
export const MASK = "[REDACTED]";

/** Headers shown verbatim: protocol, caching, tracing, rate limits and credits. */
const SAFE_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "age",
  "cache-control",
  "connection",
  "content-encoding",
  "content-language",
  "content-length",
  "content-type",
  "date",
  "etag",
  "expires",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-unmodified-since",
  "idempotency-key",
  "idempotent-replayed",
  "keep-alive",
  "last-modified",
  "pragma",
  "ratelimit",
  "ratelimit-limit",
  "ratelimit-policy",
  "ratelimit-remaining",
  "ratelimit-reset",
  "request-id",
  "retry-after",
  "server",
  "traceparent",
  "tracestate",
  "transfer-encoding",
  "user-agent",
  "vary",
  "x-correlation-id",
  "x-credits-cost",
  "x-credits-remaining",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-request-id",
]);

/** Query parameters shown verbatim: paging, sorting and field selection. */
const SAFE_PARAMS: ReadonlySet<string> = new Set([
  "after",
  "before",
  "direction",
  "ending_before",
  "expand",
  "fields",
  "include",
  "limit",
  "offset",
  "order",
  "page",
  "page_size",
  "pagesize",
  "per_page",
  "sort",
  "starting_after",
]);

/** Body fields shown verbatim (when their value is not an object): identifiers, states, amounts, times. */
const SAFE_FIELDS: ReadonlySet<string> = new Set([
  "amount",
  "code",
  "count",
  "created",
  "created_at",
  "createdat",
  "currency",
  "error",
  "has_more",
  "hasmore",
  "id",
  "limit",
  "object",
  "page",
  "status",
  "total",
  "type",
  "updated_at",
  "updatedat",
]);

/** Deepest body nesting shown, and most keys or items shown per level. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20;

/** Header name → value, masked unless allow-listed. */
export function loggableHeaders(headers: Readonly<Record<string, string>> | HeaderView, redact: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  if (isView(headers)) {
    const names = headers.names?.();
    if (names !== undefined) for (const name of names) out[name] = shown(name, headers.get(name) ?? "", redact);
    return out;
  }
  for (const name of Object.keys(headers)) out[name] = shown(name, headers[name]!, redact);
  return out;
}

function isView(headers: Readonly<Record<string, string>> | HeaderView): headers is HeaderView {
  return typeof (headers as HeaderView).get === "function";
}

function shown(name: string, value: string, redact: Redactor): string {
  return SAFE_HEADERS.has(name.toLowerCase()) ? redact(value) : MASK;
}

/** The URL with every query value masked but the allow-listed ones; user info dropped. */
export function loggableUrl(url: string, redact: Redactor): string {
  const query = url.indexOf("?");
  const at = url.indexOf("@");
  let base = query === -1 ? url : url.slice(0, query);
  if (at !== -1 && (query === -1 || at < query)) {
    const scheme = base.indexOf("//");
    base = base.slice(0, scheme + 2) + base.slice(base.indexOf("@") + 1);
  }
  if (query === -1) return redact(base);
  const params = url
    .slice(query + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      return SAFE_PARAMS.has(safeDecode(name).toLowerCase()) ? pair : `${name}=${MASK}`;
    });
  return redact(`${base}?${params.join("&")}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A body's shape for a log line: JSON with only allow-listed fields' scalar values (numbers and
 * booleans everywhere, strings only under safe names), bounded in depth and width; other bodies as
 * their length.
 */
export function loggableBody(body: unknown, redact: Redactor): unknown {
  if (body === undefined || body === null) return body;
  if (typeof body === "string") {
    const first = body.trimStart()[0];
    if ((first === "{" || first === "[") && body.length <= 65_536) {
      try {
        return shape(JSON.parse(body), undefined, 0, redact);
      } catch {
        // Not JSON after all: reported by length.
      }
    }
    return `[${body.length} characters]`;
  }
  if (body instanceof Uint8Array) return `[${body.byteLength} bytes]`;
  return shape(body, undefined, 0, redact);
}

function shape(value: unknown, key: string | undefined, depth: number, redact: Redactor): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") return key !== undefined && SAFE_FIELDS.has(key.toLowerCase()) ? redact(value.slice(0, 256)) : MASK;
  if (typeof value !== "object") return MASK;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : "[object]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ENTRIES).map((item) => shape(item, key, depth + 1, redact));
    if (value.length > MAX_ENTRIES) items.push(`[${value.length - MAX_ENTRIES} more]`);
    return items;
  }
  if (value instanceof Uint8Array || (typeof Blob !== "undefined" && value instanceof Blob)) return "[binary]";
  const out: Record<string, unknown> = {};
  let shownKeys = 0;
  for (const name of Object.keys(value)) {
    if (shownKeys++ === MAX_ENTRIES) {
      out["…"] = `[${Object.keys(value).length - MAX_ENTRIES} more keys]`;
      break;
    }
    out[name] = shape((value as Record<string, unknown>)[name], name, depth + 1, redact);
  }
  return out;
}
