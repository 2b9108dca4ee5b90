/**
 * A request as a fetcher receives it (`url`, `init`), read the way a server would: headers as a
 * lower-case record, the query's first values, and the body parsed by its content type.
 */
import type { FetcherInit } from "../client/types.js";

/** Headers of a request as a plain record, names in lower case (any `HeadersInit` is accepted). */
export function headersOf(init: FetcherInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const given = init?.headers as HeadersInit | undefined;
  if (given === undefined || given === null) return out;
  new Headers(given).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** The first value of each query parameter. */
export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!Object.hasOwn(out, name)) out[name] = value;
  return out;
}

/**
 * The body parsed by its content type: JSON (kept as text when it does not parse), the fields of
 * a form (repeated names as arrays), `FormData` for multipart, text for `text/*`, else bytes.
 * Synchronous for the bodies a portico client sends (strings and bytes), so requests are
 * recorded in the order they were made.
 */
export function bodyOf(body: unknown, contentType: string | undefined): unknown | Promise<unknown> {
  if (body === undefined || body === null) return undefined;
  const type = (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (type === "multipart/form-data" || body instanceof FormData) {
    return body instanceof FormData ? body : new Response(body as BodyInit, { headers: { "content-type": contentType ?? "" } }).formData();
  }
  if (typeof body === "string") return parseText(body, type);
  if (body instanceof URLSearchParams) return formFields(body);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
    return isTextual(type) ? parseText(new TextDecoder().decode(bytes), type) : bytes;
  }
  return new Response(body as BodyInit)
    .arrayBuffer()
    .then((buffer) => (isTextual(type) ? parseText(new TextDecoder().decode(buffer), type) : new Uint8Array(buffer)));
}

/** A declared type whose bytes are text (bytes without a content type stay bytes). */
function isTextual(type: string): boolean {
  return isJson(type) || type === "application/x-www-form-urlencoded" || type.startsWith("text/");
}

function isJson(type: string): boolean {
  return type === "application/json" || type.endsWith("+json");
}

function parseText(text: string, type: string): unknown {
  if (type === "application/x-www-form-urlencoded") return formFields(new URLSearchParams(text));
  if (!isJson(type)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function formFields(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}
