import { defaultBodySerializer } from "openapi-fetch";

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

/**
 * Serializes a request body once, into bytes every retry can resend. Plain values become JSON
 * (or `application/x-www-form-urlencoded` when that content type was set, or a raw string for
 * any other non-JSON content type the caller set); `FormData`, `Blob`,
 * `URLSearchParams` and buffers are read into bytes with their content type. Sets
 * `content-type` in `headers` when the caller did not.
 */
export async function serializeBody(body: unknown, headers: Record<string, string>): Promise<string | Uint8Array<ArrayBuffer> | undefined> {
  if (body === undefined) return undefined;
  // A string is sent as is when the caller set a non-JSON content type; otherwise it is a JSON
  // value like any other (as in openapi-fetch).
  const declared = headers["content-type"];
  if (typeof body === "string" && declared !== undefined && !/json/i.test(declared)) return body;
  // Copies: the caller may reuse its buffer, and every retry must send these exact bytes.
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice();
  if (
    (typeof FormData !== "undefined" && body instanceof FormData) ||
    (typeof Blob !== "undefined" && body instanceof Blob) ||
    body instanceof URLSearchParams ||
    (typeof ReadableStream !== "undefined" && body instanceof ReadableStream)
  ) {
    // Let the platform encode it (multipart boundary, blob type), then keep the bytes.
    const encoded = new Response(body as BodyInit);
    const type = encoded.headers.get("content-type");
    if (type && headers["content-type"] === undefined) headers["content-type"] = type;
    return new Uint8Array(await encoded.arrayBuffer());
  }
  if (headers["content-type"] === "application/x-www-form-urlencoded") {
    return new URLSearchParams(body as Record<string, string>).toString();
  }
  headers["content-type"] ??= "application/json";
  return defaultBodySerializer(body);
}

/** Appends credential query parameters (e.g. `?apiKey=`) to a URL. */
export function appendQuery(url: string, query: Readonly<Record<string, string>>): string {
  let out = url;
  for (const [name, value] of Object.entries(query)) {
    out += `${out.includes("?") ? "&" : "?"}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  }
  return out;
}
